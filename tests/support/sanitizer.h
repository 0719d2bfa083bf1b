// Whether this test binary runs under AddressSanitizer, whose shadow memory
// and checks make peak RSS and wall time incomparable with a normal build:
// bounds on them are loosened (time) or left out (memory) there.
#pragma once

namespace thrift_call::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

// How many times longer a bound on wall time is under the sanitizers.
inline constexpr double kTimeScale = kSanitized ? 4.0 : 1.0;

}  // namespace thrift_call::test
