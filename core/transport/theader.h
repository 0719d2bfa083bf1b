// THeader framing (Apache Thrift's THeaderTransport): a frame whose body
// starts with the magic 0x0FFF and carries the protocol id, transforms
// (zlib) and key-value headers before the message.
//
//   i32 length | u16 0x0FFF | u16 flags | i32 seqid | u16 header words |
//   varint protocol | varint n | n varint transforms |
//   [varint 1 (key-value) | varint count | (varint len, bytes) x 2 x count] |
//   zero padding to a multiple of 4 | payload (transformed)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/codec/protocol_kind.h"

namespace thrift_call::transport {

// The first two bytes of a THeader frame's body.
inline constexpr uint16_t kTHeaderMagic = 0x0FFF;

// Whether `frame` (its 4-byte length first) holds the THeader magic.
bool is_theader_frame(std::string_view frame);

// THeader's protocol ids, as Apache's THeaderTransport numbers them:
// binary 0, compact 2. JSON (1) has no id here: Apache's C++
// THeaderProtocol refuses it, and so does thrift-call.
uint64_t theader_protocol_id(codec::ProtocolKind kind);
std::optional<codec::ProtocolKind> theader_protocol(uint64_t id);  // nullopt: neither binary nor compact

struct THeaderOptions {
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;  // binary or compact
  bool zlib = false;
  std::vector<std::pair<std::string, std::string>> headers;  // sent with each call
};

// The whole frame, length prefix included.
std::string theader_frame(std::string_view message, const THeaderOptions& options);

struct THeaderReply {
  uint64_t protocol_id = 0;  // see theader_protocol
  bool zlib = false;  // the payload came compressed (a server answers in kind)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload;  // transforms undone
};

// Reads a frame body (after the length). Throws Error (Protocol) with the
// offset for anything malformed; a zlib payload may inflate to at most
// `max_payload` bytes.
THeaderReply parse_theader(std::string_view body, size_t max_payload);

}  // namespace thrift_call::transport
