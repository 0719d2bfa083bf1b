#include "core/transport/wire_detect.h"

#include <cstdint>

namespace thrift_call::transport {

using codec::ProtocolKind;

std::optional<ProtocolKind> detect_message_protocol(std::string_view m) {
  if (m.empty()) return std::nullopt;
  uint8_t b0 = static_cast<uint8_t>(m[0]);
  if (b0 == 0x80) return m.size() < 2 || m[1] == 0x01 ? std::optional(ProtocolKind::Binary) : std::nullopt;
  if (b0 == 0x82) return ProtocolKind::Compact;
  if (b0 == '[') return ProtocolKind::Json;
  return std::nullopt;
}

WireGuess detect_wire(std::string_view b) {
  if (b.empty()) return {};
  uint8_t b0 = static_cast<uint8_t>(b[0]);
  if (b0 == 0x80 && b.size() < 2) return {};
  if (auto protocol = detect_message_protocol(b)) return {Wire::Buffered, *protocol};
  if (b0 == 0x16) return {Wire::Tls};
  if (b0 >= 'A' && b0 <= 'Z') return {Wire::Http};
  // A frame: its length first. Anything past 0x00FFFFFF is no frame a
  // client would send (and is over any sensible limit).
  if (b0 != 0) return {Wire::Unknown};
  if (b.size() < 6) return {};
  std::string_view body = b.substr(4);
  if (static_cast<uint8_t>(body[0]) == 0x0f && static_cast<uint8_t>(body[1]) == 0xff) return {Wire::Header};
  if (auto protocol = detect_message_protocol(body)) return {Wire::Framed, *protocol};
  return {Wire::Unknown};
}

}  // namespace thrift_call::transport
