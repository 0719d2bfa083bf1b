// Parsing the JSON a user gives (call arguments, encode input) into the
// ordered tree the encoder reads.
#pragma once

#include <string_view>

#include "core/codec/encode.h"
#include "core/protocol/ttype.h"

namespace thrift_call::codec {

// The deepest nesting of arrays and objects a JSON input may have: what the
// encoder takes at --max-depth's default (64 levels of structs and
// containers), where a map with keys that are not strings is an array of
// [key, value] pairs (two JSON levels for one Thrift level), plus the
// outermost value. Refused while parsing, before any tree this deep exists:
// printing one (nlohmann's dump, as an error message did) recurses once a
// level and overflowed the stack at 70,000 levels.
inline constexpr size_t kMaxJsonDepth = 2 * static_cast<size_t>(protocol::ReadLimits{}.max_depth) + 2;

// Keeps key order. Parses with RapidJSON's SAX reader (Debian's
// rapidjson-dev, header-only) straight into the nlohmann tree: strings are
// copied whole rather than character by character as nlohmann's own lexer
// does, which made string-heavy input 3-4x faster to encode
// (tests/bench/codec_bench.cpp). Header-only matters too: the simdjson this
// replaced is a shared library that kept libstdc++ dynamic, and dynamic
// loading was most of a one-call process (README, "Performance"). Input
// RapidJSON refuses is parsed again by nlohmann, so errors keep nlohmann's
// messages and positions, and numbers past 64 bits still read (as doubles).
// Throws nlohmann::json::parse_error, also for nesting deeper than
// kMaxJsonDepth ("nesting deeper than 130 levels", at the byte that opens the
// level too many).
Json parse_json(std::string_view text);

// Throws what parse_json would throw for `text`, without building a tree;
// returns if it is valid JSON.
void check_json_syntax(std::string_view text);

// Where the text holds its first control byte that JSON never allows
// unescaped (all but tab, newline and carriage return, which may stand
// between tokens), or npos. RapidJSON 1.1's SSE2 string scan lets 0x1a-0x1f
// through inside strings, and both parsers take a NUL for the end of input.
size_t first_forbidden_control_byte(std::string_view text);

// The same into `tree`, reusing what it holds: values of the same type are
// written over in place, so text of the shape parsed last time (a batch's
// next line) allocates nothing. On an error `tree` holds some other value.
void parse_json_into(std::string_view text, Json& tree);

}  // namespace thrift_call::codec
