// The three protocols by name. The one place a ProtocolKind becomes the
// reader and writer types the templated codec runs is with_protocol.h.
#pragma once

#include <optional>
#include <string_view>

namespace thrift_call::codec {

enum class ProtocolKind { Binary, Compact, Json };
std::optional<ProtocolKind> parse_protocol_kind(std::string_view name);  // "binary", "compact", "json"
const char* to_string(ProtocolKind kind);

}  // namespace thrift_call::codec
