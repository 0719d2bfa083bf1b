// libpcap sources on odd files: times that do not fit, a damaged record
// in a file being followed.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <future>
#include <limits>
#include <string>

#include "core/capture/pcap_source.h"
#include "idl/error.h"

using namespace thrift_call;

TEST_CASE("a capture time past int64_t microseconds saturates", "[core][capture][bad-input]") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  CHECK(capture::pcap_time_us(1796308008, 123456) == int64_t{1796308008123456});
  CHECK(capture::pcap_time_us(kMax / 1000, 999999) == kMax);
  CHECK(capture::pcap_time_us(kMax / 1000000, 999999) == kMax);
  CHECK(capture::pcap_time_us(kMin / 1000, 0) == kMin);
}
