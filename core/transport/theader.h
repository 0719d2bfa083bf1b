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
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace thrift_call::transport {

enum class THeaderProtocol : uint8_t { Binary = 0, Compact = 2 };

struct THeaderOptions {
  THeaderProtocol protocol = THeaderProtocol::Binary;
  bool zlib = false;
  std::vector<std::pair<std::string, std::string>> headers;  // sent with each call
};

// The whole frame, length prefix included.
std::string theader_frame(std::string_view message, const THeaderOptions& options);

struct THeaderReply {
  uint8_t protocol = 0;
  bool zlib = false;  // the payload came compressed (a server answers in kind)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload;  // transforms undone
};

// Reads a frame body (after the length). Throws Error (Protocol) with the
// offset for anything malformed; a zlib payload may inflate to at most
// `max_payload` bytes.
THeaderReply parse_theader(std::string_view body, size_t max_payload);

}  // namespace thrift_call::transport
