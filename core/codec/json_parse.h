// Parsing the JSON a user gives (call arguments, encode input) into the
// ordered tree the encoder reads.
#pragma once

#include <string_view>

#include "core/codec/encode.h"

namespace thrift_call::codec {

// Keeps key order. Parses with RapidJSON's SAX reader (Debian's
// rapidjson-dev, header-only) straight into the nlohmann tree: strings are
// copied whole rather than character by character as nlohmann's own lexer
// does, which made string-heavy input 3-4x faster to encode
// (tests/bench/codec_bench.cpp). Header-only matters too: the simdjson this
// replaced is a shared library that kept libstdc++ dynamic, and dynamic
// loading was most of a one-call process (README, "Performance"). Input
// RapidJSON refuses is parsed again by nlohmann, so errors keep nlohmann's
// messages and positions, and numbers past 64 bits still read (as doubles).
// Throws nlohmann::json::parse_error.
Json parse_json(std::string_view text);

// The same into `tree`, reusing what it holds: values of the same type are
// written over in place, so text of the shape parsed last time (a batch's
// next line) allocates nothing. On an error `tree` holds some other value.
void parse_json_into(std::string_view text, Json& tree);

}  // namespace thrift_call::codec
