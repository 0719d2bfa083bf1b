// The buffered JSON text writer every decoder output goes through.
//
// It appends to one std::string (the caller flushes it in blocks), never
// builds a tree, and has named policies for what JSON cannot say directly:
//  - doubles: shortest round-trip text; NaN and infinities as the strings
//    "NaN", "Infinity", "-Infinity" (what the JSON mapping accepts back);
//  - i64: an exact JSON integer, or a decimal string (I64Policy);
//  - strings that are not valid UTF-8: see Utf8Policy.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace thrift_call::codec {

enum class Utf8Policy {
  // Each invalid byte becomes U+FFFD, as most JSON tools do. The default:
  // output stays valid JSON that every reader accepts.
  Replace,
  // Each invalid byte becomes the code point of the same value (\u0080 to
  // \u00ff), so the original bytes can be recovered exactly.
  Latin1,
};

enum class I64Policy {
  // An exact JSON integer. The default: what the JSON mapping says.
  Number,
  // A decimal string ("9007199254740993"), for readers that hold numbers in
  // doubles (JavaScript, jq) and would round i64s past 2^53. The JSON
  // mapping accepts it back.
  String,
};

class JsonText {
 public:
  explicit JsonText(std::string& out, Utf8Policy utf8 = Utf8Policy::Replace, I64Policy i64 = I64Policy::Number)
      : out_(out), utf8_(utf8), i64_(i64) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // An object key; the next value call writes its value.
  void key(std::string_view name) {
    separator();
    write_string_body(name);
    out_.push_back(':');
    after_key_ = true;
  }
  // A key that needs no escaping: an IDL identifier (letters, digits, '_'
  // and '.'), such as a field or enum value name. Skips the scan for
  // characters to escape, which is most of the cost of a struct-heavy decode.
  void identifier_key(std::string_view name) {
    separator();
    out_.push_back('"');
    out_.append(name);
    out_.append("\":", 2);
    after_key_ = true;
  }
  // A key already written as JSON, with its colon: `"name":` (StructDef::json_key).
  void quoted_key(std::string_view key_and_colon) {
    separator();
    out_.append(key_and_colon);
    after_key_ = true;
  }
  void null() {
    separator();
    out_.append("null");
  }
  void boolean(bool v) {
    separator();
    out_.append(v ? "true" : "false");
  }
  void integer(int64_t v);
  // An i64 field or element's value: integer() or a string, by I64Policy.
  void i64(int64_t v) {
    if (i64_ == I64Policy::Number) return integer(v);
    separator();
    out_.push_back('"');
    out_.append(std::to_string(v));
    out_.push_back('"');
  }
  void number(double v);
  void string(std::string_view v) {
    separator();
    write_string_body(v);
    spill_if_full();
  }
  // Text that is already JSON (a base64 string in quotes, a nested document).
  void raw(std::string_view json) {
    separator();
    out_.append(json);
  }
  void base64(std::string_view bytes);

  std::string& buffer() { return out_; }

  // Hands the text to `spill` (and empties the buffer) whenever it holds
  // `block` bytes or more, at the end of a string, object or array: for a
  // value whose text need not be held whole.
  void spill_every(size_t block, std::function<void(std::string_view)> spill) {
    spill_block_ = block;
    spill_ = std::move(spill);
  }

 private:
  void separator() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    if (need_comma_) out_.push_back(',');
    need_comma_ = true;
  }
  void open(char bracket) {
    separator();
    out_.push_back(bracket);
    ++depth_;
    need_comma_ = false;
  }
  // The container closed is a value of the one around it, which then
  // needs a comma before its next value.
  void close(char bracket) {
    --depth_;
    out_.push_back(bracket);
    need_comma_ = true;
    spill_if_full();
  }
  void spill_if_full() {
    if (out_.size() < spill_block_) return;
    spill_(out_);
    out_.clear();
  }
  void write_string_body(std::string_view v);

  std::string& out_;
  Utf8Policy utf8_;
  I64Policy i64_;
  // Objects and arrays open, and whether the innermost has a value yet:
  // all the state commas need, without a stack to allocate.
  size_t depth_ = 0;
  bool need_comma_ = false;
  bool after_key_ = false;
  size_t spill_block_ = SIZE_MAX;
  std::function<void(std::string_view)> spill_;
};

// Whether `bytes` is well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes);

}  // namespace thrift_call::codec
