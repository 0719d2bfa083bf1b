// Reading the JSON a user gives: inline text, @file, or - for stdin.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "core/codec/encode.h"

namespace thrift_call {

// "-": standard input; "@path": that file; anything else: the JSON itself.
std::string read_argument_text(const std::string& argument);

// Parses JSON keeping the key order. Throws Error (Input) with line and
// column: "argument line 1, column 9: invalid JSON: syntax error ...". The
// text's first line is line `first_line` of `origin` (a batch's input).
codec::Json parse_json_argument(const std::string& text, const std::string& origin = "argument", int first_line = 1);
// The same into `args`, reusing what it holds (codec::parse_json_into): for
// a batch, whose lines nearly always share a shape.
void parse_json_argument_into(const std::string& text, const std::string& origin, int first_line, codec::Json& args);

// Inside a catch of a nlohmann::json::exception (parse_error or
// out_of_range) raised while reading `text`: throws it again as Error
// (Input) placed by line and column, as parse_json_argument does.
[[noreturn]] void rethrow_json_error(std::string_view text, const std::string& origin, int first_line = 1);

// Where one JSON value lies in a text holding several (a stream, as `jq`
// and `--batch` input are): the first value at or after `from`, found by
// its syntax alone (RapidJSON, which stops at the value's end). Only the
// parse (parse_json_argument) says what is wrong with a value.
struct JsonValueExtent {
  enum class Status {
    Complete,    // the value is text[begin, end)
    Incomplete,  // the text ends inside it: more lines may complete it
    Invalid,     // a syntax error at `end`
    Blank,       // nothing but whitespace after `from`
  };
  Status status = Status::Blank;
  size_t begin = 0;
  size_t end = 0;
};
JsonValueExtent scan_json_value(std::string_view text, size_t from = 0);

// What nlohmann says of a number past a double's range, without its
// "[json.exception.out_of_range.406] " prefix: "number overflow parsing '1e400'".
std::string number_overflow_reason(const nlohmann::json::out_of_range& e);

// The most a whole-file input may hold (JSON arguments, one value to decode,
// a hex, base64 or raw dump): such inputs are read whole, and a larger one,
// or a stream that never ends, must not take all memory. Captures (pcap)
// are streamed and have no such limit.
inline constexpr size_t kMaxWholeInput = size_t{256} << 20;

// Reads a whole file ("-": stdin) as bytes. Throws Error (Usage) when
// unreadable, and Error (Input) past kMaxWholeInput.
std::string read_input_bytes(const std::string& path);

// The rest of `file` (closed afterwards), as read_input_bytes reads it;
// `origin` names it in errors.
std::string read_whole(std::FILE* file, const std::string& origin);

}  // namespace thrift_call
