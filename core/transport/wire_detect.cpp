#include "core/transport/wire_detect.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json.h"
#include "core/transport/theader.h"
#include "core/transport/zlib_stream.h"

namespace thrift_call::transport {

using codec::ProtocolKind;

namespace {

uint8_t byte_at(std::string_view b, size_t i) { return static_cast<uint8_t>(b[i]); }

uint32_t be32(std::string_view b) {
  return uint32_t{byte_at(b, 0)} << 24 | uint32_t{byte_at(b, 1)} << 16 | uint32_t{byte_at(b, 2)} << 8 | byte_at(b, 3);
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '.';
}

enum class Fit { No, SoFar, Whole };

// The old (non-strict) binary envelope: i32 name length (1 to 255 here),
// the name, one message type byte (1 to 4).
Fit old_binary(std::string_view b) {
  for (size_t i = 0; i < 3; ++i) {
    if (i >= b.size()) return Fit::SoFar;
    if (b[i] != 0) return Fit::No;
  }
  if (b.size() < 4) return Fit::SoFar;
  size_t n = byte_at(b, 3);
  if (n == 0) return Fit::No;
  for (size_t i = 4; i < 4 + n; ++i) {
    if (i >= b.size()) return Fit::SoFar;
    if (!is_name_char(b[i])) return Fit::No;
  }
  if (b.size() == 4 + n) return Fit::SoFar;
  uint8_t type = byte_at(b, 4 + n);
  return type >= 1 && type <= 4 ? Fit::Whole : Fit::No;
}

bool is_message_type(unsigned type) { return type >= 1 && type <= 4; }

// An unframed message's envelope at the start of `b`: a guess with wire
// Buffered and its score, NeedMore, or Unknown.
WireGuess envelope(std::string_view b) {
  if (b.empty()) return {};
  switch (byte_at(b, 0)) {
    case protocol::binary::kFirstByte:  // strict binary: 0x80 0x01, 0x00, the message type
      if (b.size() < 2) return {};
      if (byte_at(b, 1) != protocol::binary::kSecondByte) return {Wire::Unknown};
      if (b.size() < 4) return {Wire::Buffered, ProtocolKind::Binary, 85};
      return {Wire::Buffered, ProtocolKind::Binary, b[2] == 0 && is_message_type(byte_at(b, 3)) ? 95 : 60};
    case protocol::compact::kProtocolId:  // compact: the message type in the high 3 bits, version 1 in the low 5
      if (b.size() < 2) return {Wire::Buffered, ProtocolKind::Compact, 60};
      return {Wire::Buffered, ProtocolKind::Compact,
              (byte_at(b, 1) & 0x1f) == protocol::compact::kVersion && is_message_type(byte_at(b, 1) >> 5) ? 95 : 50};
    case protocol::json::kFirstByte:  // TJSONProtocol: [1,"name",type,seqid,...]
      if (b.size() < 2) return {Wire::Buffered, ProtocolKind::Json, 60};
      return {Wire::Buffered, ProtocolKind::Json, b[1] == '0' + protocol::json::kVersion ? 90 : 40};
    case 0x00:
      switch (old_binary(b)) {
        case Fit::Whole: return {Wire::Buffered, ProtocolKind::Binary, 85};
        case Fit::SoFar: return {};
        case Fit::No: return {Wire::Unknown};
      }
      break;
    default: break;
  }
  return {Wire::Unknown};
}

bool starts_with(std::string_view b, std::string_view prefix) { return b.substr(0, prefix.size()) == prefix; }

bool is_request_line(std::string_view b) {
  for (std::string_view method : {"POST ", "GET ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT "})
    if (starts_with(b, method)) return true;
  return false;
}

}  // namespace

std::optional<ProtocolKind> detect_message_protocol(std::string_view m, bool old_binary_too) {
  if (m.empty()) return std::nullopt;
  uint8_t b0 = byte_at(m, 0);
  if (b0 == protocol::binary::kFirstByte)
    return m.size() < 2 || byte_at(m, 1) == protocol::binary::kSecondByte ? std::optional(ProtocolKind::Binary)
                                                                         : std::nullopt;
  if (b0 == protocol::compact::kProtocolId) return ProtocolKind::Compact;
  if (b0 == protocol::json::kFirstByte) return ProtocolKind::Json;
  if (old_binary_too && old_binary(m) != Fit::No) return ProtocolKind::Binary;
  return std::nullopt;
}

namespace {

constexpr std::string_view kHttpResponseStarts[] = {"HTTP/1.", "<!DOCTYPE", "<!doctype", "<html", "<HTML", "<head", "<HEAD"};

// Whether more bytes could still make `b` an HTTP response or a TLS alert:
// until they come, the reading is NeedMore, not Unknown ("<" alone, then
// "<html", read Unknown, then Http; found by tests/fuzz/wire_fuzz.cpp).
bool may_become_response_or_alert(std::string_view b) {
  for (std::string_view http : kHttpResponseStarts)
    if (b.size() < http.size() && starts_with(http, b)) return true;
  return b.size() < 3 && byte_at(b, 0) == 0x15 && (b.size() < 2 || b[1] == 0x03);
}

}  // namespace

bool looks_like_http_response(std::string_view b) {
  for (std::string_view http : kHttpResponseStarts)
    if (starts_with(b, http)) return true;
  return false;
}

bool looks_like_tls_alert(std::string_view b) { return b.size() >= 3 && byte_at(b, 0) == 0x15 && b[1] == 0x03; }

WireGuess detect_wire(std::string_view b) {
  if (b.empty()) return {};
  WireGuess unframed = envelope(b);
  if (unframed.wire == Wire::Buffered) return unframed;
  uint8_t b0 = byte_at(b, 0);
  if (b0 == protocol::binary::kFirstByte) return unframed;  // NeedMore, or 0x80 without the version
  if (b0 == 0x16) return {Wire::Tls, ProtocolKind::Binary, b.size() >= 2 && b[1] == 0x03 ? 95 : 50};
  if (looks_like_tls_alert(b)) return {Wire::Tls, ProtocolKind::Binary, 90};
  if (b0 == 0x78) {  // a zlib stream's header: 0x78, then a byte that makes the pair a multiple of 31
    if (b.size() < 2) return {};
    return looks_like_zlib(b) ? WireGuess{Wire::Zlib, ProtocolKind::Binary, 85} : WireGuess{Wire::Unknown};
  }
  if (looks_like_http_response(b)) return {Wire::Http, ProtocolKind::Binary, b[0] == 'H' ? 95 : 75};
  if (b0 >= 'A' && b0 <= 'Z') return {Wire::Http, ProtocolKind::Binary, is_request_line(b) ? 90 : 50};
  if (may_become_response_or_alert(b)) return {};
  // A frame: its length first. Anything past 0x00FFFFFF is no frame a
  // client would send (and is over any sensible limit).
  if (b0 != 0) return {Wire::Unknown};
  if (b.size() < 6) return {};
  std::string_view body = b.substr(4);
  if (is_theader_frame(b)) return {Wire::Header, ProtocolKind::Binary, 95};
  // A frame holding a THeader frame (THeaderTransport over TFramedTransport):
  // the inner length is the outer one less 4, then the magic. The least
  // THeader frame is 14 bytes: length, magic, flags, seqid, header size.
  uint32_t outer = be32(b);
  if (outer >= 14) {
    uint32_t inner = outer - 4;
    const char expected[6] = {static_cast<char>(inner >> 24),        static_cast<char>(inner >> 16),
                              static_cast<char>(inner >> 8),         static_cast<char>(inner),
                              static_cast<char>(kTHeaderMagic >> 8), static_cast<char>(kTHeaderMagic & 0xff)};
    size_t n = std::min(body.size(), sizeof expected);
    if (body.substr(0, n) == std::string_view(expected, n))
      return n == sizeof expected ? WireGuess{Wire::FramedHeader, ProtocolKind::Binary, 95} : WireGuess{};
  }
  WireGuess inner = envelope(body);
  if (inner.wire == Wire::Buffered) return {Wire::Framed, inner.protocol, inner.score - 5};
  // An old binary envelope, or a frame of one, may still be coming.
  if (unframed.wire == Wire::NeedMore || inner.wire == Wire::NeedMore) return {};
  return {Wire::Unknown};
}

}  // namespace thrift_call::transport
