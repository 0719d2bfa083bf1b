#include "core/protocol/compact.h"

#include <cstdio>
#include <limits>

#include "base/error.h"

namespace thrift_call::protocol {

MessageHeader CompactReader::read_message_begin() {
  size_t at = pos_;
  uint8_t id = read_u8("message header");
  if (id != compact::kProtocolId) {
    throw_read_error(at, "bad compact protocol id " + detail::hex_byte(id) + " (expected 0x82)");
  }
  uint8_t version_and_type = read_u8("message header");
  if ((version_and_type & 0x1f) != compact::kVersion) {
    throw_read_error(at + 1, "bad compact protocol version " + std::to_string(version_and_type & 0x1f) +
                                 " (expected 1)");
  }
  uint8_t type = version_and_type >> 5;
  if (!is_valid_message_type(type)) {
    throw_read_error(at + 1, "unknown message type " + std::to_string(type) +
                                 " (expected 1 call, 2 reply, 3 exception or 4 oneway)");
  }
  MessageHeader header;
  header.type = static_cast<MessageType>(type);
  // An i32 written as an unsigned varint (not zigzagged): negative seqids
  // take all five bytes.
  header.seqid = static_cast<int32_t>(static_cast<uint32_t>(read_varint(5, 32, "seqid")));
  header.name = std::string(read_string());
  return header;
}

void CompactReader::bad_type(uint8_t code, size_t at, const char* what) {
  throw_read_error(at, std::string("unknown compact ") + what + " type " + std::to_string(code));
}

void CompactReader::bad_bool(uint8_t value, size_t at) {
  throw_read_error(at, "bool must be 1 (true), 0 or 2 (false), got " + detail::hex_byte(value));
}

void CompactReader::bad_i16(int32_t value, size_t at) {
  throw_read_error(at, "i16 value " + std::to_string(value) + " is out of range");
}

void CompactReader::bad_field_delta(size_t at, int delta) {
  throw_read_error(at, "field id delta " + std::to_string(delta) + " takes the field id past 32767");
}

void CompactReader::bad_varint(size_t at, const char* what, int max_bytes) {
  throw_read_error(at, std::string("varint for ") + what + " is longer than " + std::to_string(max_bytes) +
                           " bytes or overflows " + (max_bytes == 5 ? "32" : "64") + " bits");
}

}  // namespace thrift_call::protocol
