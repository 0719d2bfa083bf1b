#include "core/protocol/binary.h"

#include <cstdio>

#include "base/error.h"

namespace thrift_call::protocol {

MessageHeader BinaryReader::read_message_begin() {
  size_t at = pos_;
  int32_t first = read_i32();
  MessageHeader header;
  auto set_type = [&header](uint8_t type, size_t type_at) {
    if (!is_valid_message_type(type)) {
      throw_read_error(type_at, "unknown message type " + std::to_string(type) +
                                    " (expected 1 call, 2 reply, 3 exception or 4 oneway)");
    }
    header.type = static_cast<MessageType>(type);
  };
  if (first < 0) {
    // Strict header: 0x8001 version, a byte Apache ignores, the message type.
    uint32_t word = static_cast<uint32_t>(first);
    if ((word & binary::kVersionMask) != binary::kVersion1) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "bad binary protocol version 0x%08x (expected 0x8001xxxx)", word);
      throw_read_error(at, buf);
    }
    set_type(static_cast<uint8_t>(word & 0xff), at + 3);
    header.name = std::string(read_string());
    header.seqid = read_i32();
  } else {
    // Old non-strict header: the first i32 is the length of the name, and the
    // type follows the name as one byte.
    detail::check_size(at, "message name", first, limits_.string_limit, left(), 1);
    header.name.assign(reinterpret_cast<const char*>(data_ + pos_), static_cast<size_t>(first));
    pos_ += static_cast<size_t>(first);
    size_t type_at = pos_;
    set_type(read_u8("message type"), type_at);
    header.seqid = read_i32();
  }
  return header;
}

void BinaryReader::bad_type(uint8_t code, size_t at, const char* what) {
  throw_read_error(at, std::string("unknown ") + what + " type " + detail::hex_byte(code));
}

void BinaryReader::bad_bool(uint8_t value, size_t at) {
  throw_read_error(at, "bool must be 0 or 1, got " + detail::hex_byte(value));
}

}  // namespace thrift_call::protocol
