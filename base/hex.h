// Hex text for bytes: `encode --hex`, and hex input to `decode`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace thrift_call {

std::string to_hex(std::string_view bytes);
// Pairs of hex digits, whitespace ignored; nullopt if anything else is there.
std::optional<std::string> from_hex(std::string_view text);

}  // namespace thrift_call
