#include "core/codec/protocol_kind.h"

#include <iterator>

namespace thrift_call::codec {

namespace {

// In the order of the enum.
constexpr const char* kNames[] = {"binary", "compact", "json"};

}  // namespace

std::optional<ProtocolKind> parse_protocol_kind(std::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (name == kNames[i]) return static_cast<ProtocolKind>(i);
  return std::nullopt;
}

const char* to_string(ProtocolKind kind) { return kNames[static_cast<size_t>(kind)]; }

}  // namespace thrift_call::codec
