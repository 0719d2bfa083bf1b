// TJSONProtocol: Apache Thrift's type-tagged JSON (not the write-only
// TSimpleJSONProtocol). There is no spec document; the reference is
// lib/cpp/src/thrift/protocol/TJSONProtocol.cpp (and the Java and Python
// ports). What it looks like:
//
//   message   [1,"name",<type>,<seqid>,<struct>]
//   struct    {"1":{"i32":5},"4":{"str":"x"}}        keys are field ids
//   list/set  ["i32",3,1,2,3]                         element type, size, elements
//   map       ["str","i32",2,{"a":1,"b":2}]           a number in key position is quoted
//   bool      1 / 0;  binary  base64 in a string;  uuid  "8-4-4-4-12" string
//   type names  tf i8 i16 i32 i64 dbl str rec map set lst uid
//
// Writing follows Apache's C++ library byte for byte:
// - base64 without '=' padding (C++ and Java; Python pads, every Apache
//   reader accepts both);
// - doubles with 17 significant digits (%.17g), and NaN, Infinity and
//   -Infinity as quoted strings (Python writes them unquoted as nan/inf);
// - strings escaped as C++ does: \" \\ \b \t \n \f \r, other bytes below 0x20
//   as \u00xx, everything else (UTF-8 included) as is. Python leaves those
//   other control bytes raw.
// - uuid under the type name "uid", as Java (the first port with uuid) does.
//
// Reading accepts what any Apache port writes, and a little more: padded or
// unpadded base64, quoted or bare NaN/Infinity/nan/inf, raw control bytes in
// strings, \/ and upper-case hex escapes, whitespace between tokens, and the
// type name "uuid" beside "uid". It rejects what Apache's readers silently
// misread: integers out of range for their type, unpaired UTF-16 surrogates,
// invalid base64, unknown type names (matched exactly, not by first letter).
// JSON nesting is bounded by ReadLimits::max_depth (two JSON levels per
// struct or map).
#pragma once

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/ttype.h"

namespace thrift_call::protocol {

namespace json {

// A message is an array whose first element is the version: "[1,".
inline constexpr char kFirstByte = '[';
inline constexpr int64_t kVersion = 1;

// "tf", "i8", ...; Stop and Void have no name.
const char* type_name(TType type);
// The inverse, plus "uuid"; Stop for an unknown name.
TType type_from_name(std::string_view name);

// Apache's JSON contexts: a list context puts ',' between values; a pair
// context (an object) alternates ':' and ',' and quotes numbers in key
// position, since JSON keys are strings.
struct Context {
  bool pair = false;
  bool first = true;
  bool colon = true;
};

}  // namespace json

class JsonWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit JsonWriter(std::string& out) : out_(out) {}

  void write_message_begin(const MessageHeader& header) {
    contexts_.clear();
    begin_array();
    write_integer(json::kVersion);
    write_json_string(header.name);
    write_integer(static_cast<int>(header.type));
    write_integer(header.seqid);
  }
  void write_message_end() { end_array(); }
  void write_struct_begin() { begin_object(); }
  void write_struct_end() { end_object(); }
  void write_field_begin(TType type, int16_t id) {
    write_integer(id);
    begin_object();
    write_type_name(type);
  }
  void write_field_end() { end_object(); }
  void write_field_stop() {}
  void write_map_begin(TType key, TType value, int32_t size) {
    begin_array();
    write_type_name(key);
    write_type_name(value);
    write_integer(size);
    begin_object();
  }
  void write_map_end() {
    end_object();
    end_array();
  }
  void write_list_begin(TType elem, int32_t size) {
    begin_array();
    write_type_name(elem);
    write_integer(size);
  }
  void write_list_end() { end_array(); }
  void write_set_begin(TType elem, int32_t size) { write_list_begin(elem, size); }
  void write_set_end() { end_array(); }
  // A list, set or map whose size is known only at its end (a JSON array
  // read as a stream): the header is written for size 0, and the 0
  // replaced by the size's digits. begin_* returns where the 0 is.
  size_t begin_list_unsized(TType elem) {
    write_list_begin(elem, 0);
    return out_.size() - 1;  // ["i32",0
  }
  void end_list_sized(size_t at, TType, int32_t size) { replace_zero(at, size); }
  size_t begin_map_unsized(TType key, TType value) {
    write_map_begin(key, value, 0);
    return out_.size() - 3;  // ["i32","str",0,{
  }
  void end_map_sized(size_t at, TType, TType, int32_t size) { replace_zero(at, size); }
  std::string& output() { return out_; }

  void write_bool(bool value) { write_integer(value ? 1 : 0); }
  void write_byte(int8_t value) { write_integer(value); }
  void write_i16(int16_t value) { write_integer(value); }
  void write_i32(int32_t value) { write_integer(value); }
  void write_i64(int64_t value) { write_integer(value); }
  void write_double(double value);
  void write_string(std::string_view value) { write_json_string(value); }
  void write_binary(std::string_view value);
  void write_uuid(const std::array<uint8_t, 16>& value);

 private:
  // The separator the current context wants before the next value.
  void separator() {
    if (contexts_.empty()) return;
    json::Context& c = contexts_.back();
    if (c.first) {
      c.first = false;
      c.colon = true;
    } else if (c.pair) {
      out_.push_back(c.colon ? ':' : ',');
      c.colon = !c.colon;
    } else {
      out_.push_back(',');
    }
  }
  bool quote_numbers() const { return !contexts_.empty() && contexts_.back().pair && contexts_.back().colon; }
  void begin_object() {
    separator();
    out_.push_back('{');
    contexts_.push_back({true});
  }
  void end_object() {
    assert(!contexts_.empty());
    contexts_.pop_back();
    out_.push_back('}');
  }
  void begin_array() {
    separator();
    out_.push_back('[');
    contexts_.push_back({false});
  }
  void end_array() {
    assert(!contexts_.empty());
    contexts_.pop_back();
    out_.push_back(']');
  }
  void write_integer(int64_t value) {
    separator();
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    if (quote_numbers()) {
      out_.push_back('"');
      out_.append(buf, res.ptr);
      out_.push_back('"');
    } else {
      out_.append(buf, res.ptr);
    }
  }
  void write_type_name(TType type) { write_json_string(json::type_name(type)); }
  void replace_zero(size_t at, int32_t size) {
    if (size == 0) return;
    char buf[12];
    auto res = std::to_chars(buf, buf + sizeof buf, size);
    out_.replace(at, 1, buf, static_cast<size_t>(res.ptr - buf));
  }
  void write_json_string(std::string_view value);

  std::string& out_;
  std::vector<json::Context> contexts_;
};

class JsonReader {
 public:
  // Reads from `input`, which must outlive the reader and every view it returns.
  explicit JsonReader(std::string_view input, const ReadLimits& limits = {})
      : in_(input), limits_(limits) {}

  MessageHeader read_message_begin();
  void read_message_end() { end_array(); }
  void read_struct_begin() { begin_object(); }
  void read_struct_end() { end_object(); }
  FieldHeader read_field_begin();
  void read_field_end() { end_object(); }
  MapHeader read_map_begin();
  void read_map_end() {
    end_object();
    end_array();
  }
  ListHeader read_list_begin() { return read_collection_begin("list"); }
  void read_list_end() { end_array(); }
  ListHeader read_set_begin() { return read_collection_begin("set"); }
  void read_set_end() { end_array(); }

  bool read_bool() { return read_integer(0, 1, "bool") != 0; }
  int8_t read_byte() { return static_cast<int8_t>(read_integer(INT8_MIN, INT8_MAX, "i8")); }
  int16_t read_i16() { return static_cast<int16_t>(read_integer(INT16_MIN, INT16_MAX, "i16")); }
  int32_t read_i32() { return static_cast<int32_t>(read_integer(INT32_MIN, INT32_MAX, "i32")); }
  int64_t read_i64() { return read_integer(INT64_MIN, INT64_MAX, "i64"); }
  double read_double();
  // Valid until the next read call: a view into the input when the string has
  // no escapes, else into an internal buffer.
  std::string_view read_string() { return read_json_string(false); }
  // The base64-decoded bytes, in an internal buffer valid until the next read_binary.
  std::string_view read_binary();
  std::array<uint8_t, 16> read_uuid();

  size_t offset() const { return pos_; }
  // True when nothing but whitespace is left.
  bool at_end() const {
    for (size_t i = pos_; i < in_.size(); ++i) {
      if (!is_space(in_[i])) return false;
    }
    return true;
  }
  const ReadLimits& limits() const { return limits_; }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void skip_space() {
    while (pos_ < in_.size() && is_space(in_[pos_])) ++pos_;
  }
  // Reads the separator the current context wants, then any whitespace.
  void read_separator() {
    skip_space();
    if (contexts_.empty()) return;
    json::Context& c = contexts_.back();
    if (c.first) {
      c.first = false;
      c.colon = true;
    } else if (c.pair) {
      expect(c.colon ? ':' : ',');
      c.colon = !c.colon;
      skip_space();
    } else {
      expect(',');
      skip_space();
    }
  }
  bool quoted_numbers() const { return !contexts_.empty() && contexts_.back().pair && contexts_.back().colon; }
  void expect(char c) {
    if (pos_ >= in_.size() || in_[pos_] != c) unexpected(c);
    ++pos_;
  }
  void push(bool pair) {
    if (contexts_.size() >= static_cast<size_t>(limits_.max_depth) * 2 + 2) {
      detail::throw_too_deep(pos_, limits_.max_depth);
    }
    contexts_.push_back({pair});
  }
  void begin_object() {
    read_separator();
    expect('{');
    push(true);
  }
  void end_object() {
    skip_space();
    expect('}');
    assert(!contexts_.empty());
    contexts_.pop_back();
  }
  void begin_array() {
    read_separator();
    expect('[');
    push(false);
  }
  void end_array() {
    skip_space();
    expect(']');
    assert(!contexts_.empty());
    contexts_.pop_back();
  }
  int64_t read_integer(int64_t min, int64_t max, const char* what);
  std::string_view read_json_string(bool skip_separator);
  TType read_type_name(const char* what);
  ListHeader read_collection_begin(const char* what);
  [[noreturn]] void unexpected(char wanted) const;

  std::string_view in_;
  size_t pos_ = 0;
  ReadLimits limits_;
  std::vector<json::Context> contexts_;
  size_t token_at_ = 0;        // where the last number or string began, for errors
  std::string string_buffer_;  // unescaped strings
  std::string binary_buffer_;  // decoded base64
};

}  // namespace thrift_call::protocol
