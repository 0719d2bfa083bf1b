// TCompactProtocol: zigzag varints, field-id deltas and folded booleans, as in
// Apache Thrift's doc/specs/thrift-compact-protocol.md.
//
//   std::string out;
//   CompactWriter w(out);
//   w.write_struct_begin();
//   w.write_field_begin(TType::Bool, 1); w.write_bool(true); w.write_field_end();  // one byte: 0x11
//   w.write_field_stop();
//   w.write_struct_end();
//
// Wire tricks, each implemented once below:
// - A field header is one byte, (id delta << 4) | compact type, when the id is
//   1..15 above the previous field id of the same struct; otherwise the type
//   byte is followed by the id as a zigzag varint. The previous id is kept per
//   struct on a stack (last_field_id_ and field_id_stack_).
// - A bool field has no value bytes: its value is the field type (1 true,
//   2 false). The writer therefore holds a bool field's header back until
//   write_bool; the reader hands the value from read_field_begin to read_bool.
// - A bool inside a container is one byte. Apache's C++, Java and Python
//   libraries all write 1 for true and 2 for false (the spec text says 0 for
//   false); the writer does as they do, the reader accepts 0 and 2 as false.
//   The element type of a bool container is written as 1, as they do, and
//   both 1 and 2 are read as bool.
// - Varints are capped at 5 bytes for 32-bit values and 10 for 64-bit ones;
//   longer or overflowing ones are rejected.
// - Doubles are little-endian, unlike the binary protocol.
// - An empty map is the single byte 0: no key and value types, which the
//   reader reports as Stop.
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/byte_input.h"
#include "core/protocol/ttype.h"

namespace thrift_call::protocol {

namespace compact {

inline constexpr uint8_t kProtocolId = 0x82;
inline constexpr uint8_t kVersion = 1;

// Compact type ids (field and element types).
enum : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

inline uint8_t to_compact(TType type) {
  switch (type) {
    case TType::Stop: return kStop;
    case TType::Bool: return kBoolTrue;
    case TType::Byte: return kByte;
    case TType::I16: return kI16;
    case TType::I32: return kI32;
    case TType::I64: return kI64;
    case TType::Double: return kDouble;
    case TType::String: return kBinary;
    case TType::List: return kList;
    case TType::Set: return kSet;
    case TType::Map: return kMap;
    case TType::Struct: return kStruct;
    case TType::Uuid: return kUuid;
    case TType::Void: break;
  }
  assert(false && "void has no compact type");
  return kStop;
}

// Stop for compact type 0, Void (never a compact type) for an unknown id.
inline TType from_compact(uint8_t code) {
  static constexpr TType kTable[14] = {
      TType::Stop, TType::Bool, TType::Bool,   TType::Byte, TType::I16, TType::I32, TType::I64,
      TType::Double, TType::String, TType::List, TType::Set, TType::Map, TType::Struct, TType::Uuid};
  return code < 14 ? kTable[code] : TType::Void;
}

inline uint32_t zigzag32(int32_t n) {
  return (static_cast<uint32_t>(n) << 1) ^ static_cast<uint32_t>(n >> 31);
}
inline uint64_t zigzag64(int64_t n) {
  return (static_cast<uint64_t>(n) << 1) ^ static_cast<uint64_t>(n >> 63);
}
inline int32_t unzigzag32(uint32_t n) {
  return static_cast<int32_t>((n >> 1) ^ (~(n & 1) + 1));
}
inline int64_t unzigzag64(uint64_t n) {
  return static_cast<int64_t>((n >> 1) ^ (~(n & 1) + 1));
}

}  // namespace compact

class CompactWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit CompactWriter(std::string& out) : out_(out) {}

  void write_message_begin(const MessageHeader& header) {
    out_.push_back(static_cast<char>(compact::kProtocolId));
    out_.push_back(static_cast<char>(compact::kVersion | (static_cast<uint8_t>(header.type) << 5)));
    // The seqid is an i32 written as an unsigned varint, not zigzagged.
    write_varint(static_cast<uint32_t>(header.seqid));
    write_string(header.name);
  }
  void write_message_end() {}
  void write_struct_begin() {
    field_id_stack_.push_back(last_field_id_);
    last_field_id_ = 0;
  }
  void write_struct_end() {
    assert(!field_id_stack_.empty());
    last_field_id_ = field_id_stack_.back();
    field_id_stack_.pop_back();
  }
  void write_field_begin(TType type, int16_t id) {
    if (type == TType::Bool) {
      // The value goes into the header: wait for write_bool.
      bool_field_pending_ = true;
      bool_field_id_ = id;
      return;
    }
    write_field_header(compact::to_compact(type), id);
  }
  void write_field_end() { assert(!bool_field_pending_); }
  void write_field_stop() { out_.push_back(static_cast<char>(compact::kStop)); }
  void write_map_begin(TType key, TType value, int32_t size) {
    assert(size >= 0);
    if (size == 0) {
      out_.push_back(0);
      return;
    }
    write_varint(static_cast<uint32_t>(size));
    out_.push_back(static_cast<char>(compact::to_compact(key) << 4 | compact::to_compact(value)));
  }
  void write_map_end() {}
  void write_list_begin(TType elem, int32_t size) {
    assert(size >= 0);
    uint8_t code = compact::to_compact(elem);
    if (size <= 14) {
      out_.push_back(static_cast<char>(size << 4 | code));
    } else {
      out_.push_back(static_cast<char>(0xf0 | code));
      write_varint(static_cast<uint32_t>(size));
    }
  }
  void write_list_end() {}
  void write_set_begin(TType elem, int32_t size) { write_list_begin(elem, size); }
  void write_set_end() {}
  // A list, set or map whose size is known only at its end (a JSON array
  // read as a stream): the header is written for size 0 (one byte), and
  // replaced by the real one, the body moved up when it is longer.
  // begin_* returns where the header starts.
  size_t begin_list_unsized(TType elem) {
    size_t at = out_.size();
    write_list_begin(elem, 0);
    return at;
  }
  void end_list_sized(size_t at, TType elem, int32_t size) {
    if (size <= 14) {
      out_[at] = static_cast<char>(size << 4 | compact::to_compact(elem));
      return;
    }
    resize_header(at, [&] { write_list_begin(elem, size); });
  }
  size_t begin_map_unsized(TType key, TType value) {
    size_t at = out_.size();
    write_map_begin(key, value, 0);
    return at;
  }
  void end_map_sized(size_t at, TType key, TType value, int32_t size) {
    if (size > 0) resize_header(at, [&] { write_map_begin(key, value, size); });
  }
  std::string& output() { return out_; }

  void write_bool(bool value) {
    uint8_t code = value ? compact::kBoolTrue : compact::kBoolFalse;
    if (bool_field_pending_) {
      bool_field_pending_ = false;
      write_field_header(code, bool_field_id_);
    } else {
      out_.push_back(static_cast<char>(code));
    }
  }
  void write_byte(int8_t value) { out_.push_back(static_cast<char>(value)); }
  void write_i16(int16_t value) { write_varint(compact::zigzag32(value)); }
  void write_i32(int32_t value) { write_varint(compact::zigzag32(value)); }
  void write_i64(int64_t value) { write_varint(compact::zigzag64(value)); }
  void write_double(double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    char buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(bits >> (8 * i));
    out_.append(buf, 8);
  }
  void write_string(std::string_view value) {
    write_varint(static_cast<uint32_t>(detail::checked_string_length(value.size())));
    out_.append(value);
  }
  void write_binary(std::string_view value) { write_string(value); }
  void write_uuid(const std::array<uint8_t, 16>& value) {
    out_.append(reinterpret_cast<const char*>(value.data()), value.size());
  }

 private:
  void write_field_header(uint8_t code, int16_t id) {
    int delta = int{id} - int{last_field_id_};
    if (delta > 0 && delta <= 15) {
      out_.push_back(static_cast<char>(delta << 4 | code));
    } else {
      out_.push_back(static_cast<char>(code));
      write_i16(id);
    }
    last_field_id_ = id;
  }
  // Replaces the one-byte header at `at` with what `write_header` appends.
  template <class WriteHeader>
  void resize_header(size_t at, WriteHeader write_header) {
    size_t end = out_.size();
    write_header();
    std::string header = out_.substr(end);
    out_.resize(end);
    out_.replace(at, 1, header);
  }
  template <class U>
  void write_varint(U n) {
    char buf[10];
    size_t len = 0;
    while (n >= 0x80) {
      buf[len++] = static_cast<char>((n & 0x7f) | 0x80);
      n >>= 7;
    }
    buf[len++] = static_cast<char>(n);
    out_.append(buf, len);
  }

  std::string& out_;
  int16_t last_field_id_ = 0;
  std::vector<int16_t> field_id_stack_;
  bool bool_field_pending_ = false;
  int16_t bool_field_id_ = 0;
};

class CompactReader : public ByteInput {
 public:
  // Reads from `input`, which must outlive the reader and every view it returns.
  explicit CompactReader(std::string_view input, const ReadLimits& limits = {}) : ByteInput(input, limits) {}

  MessageHeader read_message_begin();
  void read_message_end() {}
  void read_struct_begin() {
    if (field_id_stack_.size() > static_cast<size_t>(limits_.max_depth)) {
      detail::throw_too_deep(pos_, limits_.max_depth);
    }
    field_id_stack_.push_back(last_field_id_);
    last_field_id_ = 0;
  }
  void read_struct_end() {
    assert(!field_id_stack_.empty());
    last_field_id_ = field_id_stack_.back();
    field_id_stack_.pop_back();
  }
  FieldHeader read_field_begin() {
    size_t at = pos_;
    uint8_t byte = read_u8("field header");
    uint8_t code = byte & 0x0f;
    // Apache's readers end the struct on type 0 whatever the high nibble.
    if (code == compact::kStop) return {TType::Stop, 0};
    TType type = compact::from_compact(code);
    if (type == TType::Void) bad_type(code, at, "field");
    int16_t id;
    if (uint8_t delta = byte >> 4; delta != 0) {
      int next = int{last_field_id_} + delta;
      if (next > INT16_MAX) bad_field_delta(at, delta);
      id = static_cast<int16_t>(next);
    } else {
      id = read_i16();
    }
    last_field_id_ = id;
    if (type == TType::Bool) {
      bool_value_pending_ = true;
      bool_value_ = code == compact::kBoolTrue;
    }
    return {type, id};
  }
  void read_field_end() {}
  // The delta base of the next field header. A reader that keeps its own
  // stack of structs (ResumableSkip) sets it instead of read_struct_begin.
  int16_t last_field_id() const { return last_field_id_; }
  void set_last_field_id(int16_t id) { last_field_id_ = id; }
  MapHeader read_map_begin() {
    size_t at = pos_;
    int32_t size = read_size32("map");
    if (size == 0) return {TType::Stop, TType::Stop, 0};
    size_t types_at = pos_;
    uint8_t types = read_u8("map key and value types");
    TType key = element_type(types >> 4, types_at, "map key");
    TType value = element_type(types & 0x0f, types_at, "map value");
    detail::check_size(at, "map", size, limits_.container_limit, left(),
                       min_size(key) + min_size(value));
    return {key, value, size};
  }
  void read_map_end() {}
  ListHeader read_list_begin() { return read_collection_begin("list"); }
  void read_list_end() {}
  ListHeader read_set_begin() { return read_collection_begin("set"); }
  void read_set_end() {}

  bool read_bool() {
    if (bool_value_pending_) {
      bool_value_pending_ = false;
      return bool_value_;
    }
    size_t at = pos_;
    uint8_t b = read_u8("bool");
    if (b > 2) bad_bool(b, at);
    return b == compact::kBoolTrue;
  }
  int8_t read_byte() { return static_cast<int8_t>(read_u8("i8")); }
  int16_t read_i16() {
    size_t at = pos_;
    int32_t value = compact::unzigzag32(static_cast<uint32_t>(read_varint(5, 32, "i16")));
    if (value < INT16_MIN || value > INT16_MAX) bad_i16(value, at);
    return static_cast<int16_t>(value);
  }
  int32_t read_i32() { return compact::unzigzag32(static_cast<uint32_t>(read_varint(5, 32, "i32"))); }
  int64_t read_i64() { return compact::unzigzag64(read_varint(10, 64, "i64")); }
  double read_double() {
    need(8, "double");
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = (bits << 8) | data_[pos_ + static_cast<size_t>(i)];
    pos_ += 8;
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  // A view into the input: no copy, valid as long as the input is.
  std::string_view read_string() {
    size_t at = pos_;
    int32_t size = read_size32("string");
    detail::check_size(at, "string", size, limits_.string_limit, left(), 1);
    return take(static_cast<size_t>(size));
  }
  std::string_view read_binary() { return read_string(); }

  // The fewest bytes a value of `type` takes in this protocol.
  static int64_t min_size(TType type) {
    switch (type) {
      case TType::Double: return 8;
      case TType::Uuid: return 16;
      default: return 1;
    }
  }

 private:
  // An unsigned LEB128 varint of at most `max_bytes` bytes whose value fits in
  // `bits` bits.
  uint64_t read_varint(int max_bytes, int bits, const char* what) {
    size_t at = pos_;
    uint64_t value = 0;
    for (int i = 0;; ++i) {
      if (pos_ >= size_) detail::throw_truncated(at, what, pos_ - at + 1, size_ - at);
      uint8_t b = data_[pos_++];
      if (i == max_bytes - 1 && (b >> (bits - 7 * i)) != 0) bad_varint(at, what, max_bytes);
      value |= uint64_t{b & 0x7fu} << (7 * i);
      if ((b & 0x80) == 0) return value;
    }
  }
  // A size or length: a varint i32 that must not be negative.
  int32_t read_size32(const char* what) {
    size_t at = pos_;
    auto size = static_cast<int32_t>(static_cast<uint32_t>(read_varint(5, 32, what)));
    if (size < 0) detail::throw_bad_size(at, what, size, 0, 0, 0);
    return size;
  }
  ListHeader read_collection_begin(const char* what) {
    size_t at = pos_;
    uint8_t byte = read_u8(what);
    int32_t size = byte >> 4;
    // Sizes up to 14 share the byte with the element type; 15 means a varint follows.
    if (size == 15) size = read_size32(what);
    TType elem = TType::Stop;
    if ((byte & 0x0f) != compact::kStop || size > 0) elem = element_type(byte & 0x0f, at, what);
    detail::check_size(at, what, size, limits_.container_limit, left(), min_size(elem));
    return {elem, size};
  }
  TType element_type(uint8_t code, size_t at, const char* what) const {
    TType type = compact::from_compact(code);
    if (type == TType::Void || type == TType::Stop) bad_type(code, at, what);
    return type;
  }
  [[noreturn]] static void bad_type(uint8_t code, size_t at, const char* what);
  [[noreturn]] static void bad_bool(uint8_t value, size_t at);
  [[noreturn]] static void bad_i16(int32_t value, size_t at);
  [[noreturn]] static void bad_field_delta(size_t at, int delta);
  [[noreturn]] static void bad_varint(size_t at, const char* what, int max_bytes);

  int16_t last_field_id_ = 0;
  std::vector<int16_t> field_id_stack_;
  bool bool_value_pending_ = false;
  bool bool_value_ = false;
};

}  // namespace thrift_call::protocol
