// TBinaryProtocol: fixed-width big-endian integers and length-prefixed
// strings, as in Apache Thrift's doc/specs/thrift-binary-protocol.md.
//
//   std::string out;
//   BinaryWriter w(out);
//   w.write_message_begin({"ping", MessageType::Call, 1});
//   w.write_struct_begin(); w.write_field_stop(); w.write_struct_end();
//   w.write_message_end();
//
//   BinaryReader r(out);
//   MessageHeader m = r.read_message_begin();
//
// The writer always writes strict message headers (0x80010000 | type, name,
// seqid), as every Apache library does by default. The reader also accepts
// the old non-strict header (name length, name, type byte, seqid), which
// Apache's readers accept unless strict_read is set.
//
// The reader is stricter than Apache's in a few places, each to catch garbage
// early rather than to differ on valid input: a bool byte must be 0 or 1, and
// field, element, key and value types must be known value types (an empty
// list may carry type 0).
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "core/protocol/byte_input.h"
#include "core/protocol/ttype.h"

namespace thrift_call::protocol {

namespace binary {

// A strict message header's first word: version 1 above, the message type
// in the low byte. Its first two bytes, 0x80 0x01, mark a binary message.
inline constexpr uint32_t kVersion1 = 0x80010000u;
inline constexpr uint32_t kVersionMask = 0xffff0000u;
inline constexpr uint8_t kFirstByte = kVersion1 >> 24;
inline constexpr uint8_t kSecondByte = (kVersion1 >> 16) & 0xff;

}  // namespace binary

class BinaryWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit BinaryWriter(std::string& out) : out_(out) {}

  void write_message_begin(const MessageHeader& header) {
    // Strict header: the version word carries the message type in its low byte.
    write_u32(binary::kVersion1 | static_cast<uint8_t>(header.type));
    write_string(header.name);
    write_i32(header.seqid);
  }
  void write_message_end() {}
  void write_struct_begin() {}
  void write_struct_end() {}
  void write_field_begin(TType type, int16_t id) {
    out_.push_back(static_cast<char>(type));
    write_i16(id);
  }
  void write_field_end() {}
  void write_field_stop() { out_.push_back(static_cast<char>(TType::Stop)); }
  void write_map_begin(TType key, TType value, int32_t size) {
    assert(size >= 0);
    out_.push_back(static_cast<char>(key));
    out_.push_back(static_cast<char>(value));
    write_i32(size);
  }
  void write_map_end() {}
  void write_list_begin(TType elem, int32_t size) {
    assert(size >= 0);
    out_.push_back(static_cast<char>(elem));
    write_i32(size);
  }
  void write_list_end() {}
  void write_set_begin(TType elem, int32_t size) { write_list_begin(elem, size); }
  void write_set_end() {}
  // A list, set or map whose size is known only at its end (a JSON array
  // read as a stream): the header is written for size 0, and its size
  // patched in place. begin_* returns where the header starts.
  size_t begin_list_unsized(TType elem) {
    size_t at = out_.size();
    write_list_begin(elem, 0);
    return at;
  }
  void end_list_sized(size_t at, TType, int32_t size) { patch_i32(at + 1, size); }
  size_t begin_map_unsized(TType key, TType value) {
    size_t at = out_.size();
    write_map_begin(key, value, 0);
    return at;
  }
  void end_map_sized(size_t at, TType, TType, int32_t size) { patch_i32(at + 2, size); }
  std::string& output() { return out_; }

  void write_bool(bool value) { out_.push_back(value ? 1 : 0); }
  void write_byte(int8_t value) { out_.push_back(static_cast<char>(value)); }
  void write_i16(int16_t value) { write_be(static_cast<uint16_t>(value)); }
  void write_i32(int32_t value) { write_be(static_cast<uint32_t>(value)); }
  void write_i64(int64_t value) { write_be(static_cast<uint64_t>(value)); }
  void write_double(double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    write_be(bits);
  }
  void write_string(std::string_view value) {
    write_i32(detail::checked_string_length(value.size()));
    out_.append(value);
  }
  void write_binary(std::string_view value) { write_string(value); }
  void write_uuid(const std::array<uint8_t, 16>& value) {
    out_.append(reinterpret_cast<const char*>(value.data()), value.size());
  }

 private:
  void write_u32(uint32_t value) { write_be(value); }
  void patch_i32(size_t at, int32_t value) {
    auto u = static_cast<uint32_t>(value);
    for (size_t i = 0; i < 4; ++i) out_[at + i] = static_cast<char>(u >> (8 * (3 - i)));
  }
  template <class U>
  void write_be(U value) {
    char buf[sizeof(U)];
    for (size_t i = 0; i < sizeof(U); ++i) {
      buf[i] = static_cast<char>(value >> (8 * (sizeof(U) - 1 - i)));
    }
    out_.append(buf, sizeof buf);
  }

  std::string& out_;
};

class BinaryReader : public ByteInput {
 public:
  // Reads from `input`, which must outlive the reader and every view it returns.
  explicit BinaryReader(std::string_view input, const ReadLimits& limits = {}) : ByteInput(input, limits) {}

  MessageHeader read_message_begin();
  void read_message_end() {}
  void read_struct_begin() {}
  void read_struct_end() {}
  FieldHeader read_field_begin() {
    size_t at = pos_;
    uint8_t type = read_u8("field type");
    if (type == 0) return {TType::Stop, 0};
    return {value_type(type, at, "field"), read_i16()};
  }
  void read_field_end() {}
  MapHeader read_map_begin() {
    size_t at = pos_;
    need(6, "map header");
    uint8_t key_code = data_[pos_];
    uint8_t value_code = data_[pos_ + 1];
    pos_ += 2;
    TType key = element_type(key_code, at, "map key");
    TType value = element_type(value_code, at + 1, "map value");
    int32_t size = read_size("map", limits_.container_limit, min_size(key) + min_size(value));
    if (size > 0 && key == TType::Stop) bad_type(key_code, at, "map key");
    if (size > 0 && value == TType::Stop) bad_type(value_code, at + 1, "map value");
    return {key, value, size};
  }
  void read_map_end() {}
  ListHeader read_list_begin() { return read_collection_begin("list"); }
  void read_list_end() {}
  ListHeader read_set_begin() { return read_collection_begin("set"); }
  void read_set_end() {}

  bool read_bool() {
    size_t at = pos_;
    uint8_t b = read_u8("bool");
    if (b > 1) bad_bool(b, at);
    return b == 1;
  }
  int8_t read_byte() { return static_cast<int8_t>(read_u8("i8")); }
  int16_t read_i16() { return static_cast<int16_t>(read_be<uint16_t>("i16")); }
  int32_t read_i32() { return static_cast<int32_t>(read_be<uint32_t>("i32")); }
  int64_t read_i64() { return static_cast<int64_t>(read_be<uint64_t>("i64")); }
  double read_double() {
    uint64_t bits = read_be<uint64_t>("double");
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  // A view into the input: no copy, valid as long as the input is.
  std::string_view read_string() {
    int32_t size = read_size("string", limits_.string_limit, 1);
    return take(static_cast<size_t>(size));
  }
  std::string_view read_binary() { return read_string(); }

  // The fewest bytes a value of `type` takes in this protocol; used to reject
  // element counts the remaining input cannot hold.
  static int64_t min_size(TType type) {
    switch (type) {
      case TType::Bool:
      case TType::Byte: return 1;
      case TType::I16: return 2;
      case TType::I32: return 4;
      case TType::I64:
      case TType::Double: return 8;
      case TType::String: return 4;
      case TType::Struct: return 1;
      case TType::Map: return 6;
      case TType::Set:
      case TType::List: return 5;
      case TType::Uuid: return 16;
      case TType::Stop:
      case TType::Void: return 1;
    }
    return 1;
  }

 private:
  template <class U>
  U read_be(const char* what) {
    need(sizeof(U), what);
    U value = 0;
    for (size_t i = 0; i < sizeof(U); ++i) value = static_cast<U>((value << 8) | data_[pos_ + i]);
    pos_ += sizeof(U);
    return value;
  }
  // A length or count: an i32 that must be >= 0, within `limit`, and fit in
  // the bytes left at `min_each` bytes per item.
  int32_t read_size(const char* what, int64_t limit, int64_t min_each) {
    size_t at = pos_;
    int32_t size = read_i32();
    detail::check_size(at, what, size, limit, left(), min_each);
    return size;
  }
  ListHeader read_collection_begin(const char* what) {
    size_t at = pos_;
    need(5, what);
    uint8_t code = data_[pos_++];
    TType elem = element_type(code, at, what);
    int32_t size = read_size(what, limits_.container_limit, min_size(elem));
    if (size > 0 && elem == TType::Stop) bad_type(code, at, what);
    return {elem, size};
  }
  // A field type: any value type.
  TType value_type(uint8_t code, size_t at, const char* what) const {
    if (!is_valid_ttype(code) || !is_value_ttype(static_cast<TType>(code))) bad_type(code, at, what);
    return static_cast<TType>(code);
  }
  // An element, key or value type: a value type, or 0, which only an empty
  // container may carry (checked by the caller once the size is known).
  TType element_type(uint8_t code, size_t at, const char* what) const {
    if (code == 0) return TType::Stop;
    return value_type(code, at, what);
  }
  [[noreturn]] static void bad_type(uint8_t code, size_t at, const char* what);
  [[noreturn]] static void bad_bool(uint8_t value, size_t at);
};

}  // namespace thrift_call::protocol
