// Parsing the JSON a user gives (call arguments, encode input) into the
// ordered tree the encoder reads.
#pragma once

#include <string_view>

#include "core/codec/encode.h"

namespace thrift_call::codec {

// Keeps key order. Parses with simdjson (Debian's libsimdjson) and builds the
// nlohmann tree from it: strings are copied whole rather than character by
// character as nlohmann's own lexer does, which made string-heavy input
// 3-4x faster to encode (tests/bench/codec_bench.cpp). Input simdjson refuses
// is parsed again by nlohmann, so errors keep nlohmann's messages and
// positions, and numbers past 64 bits still read (as doubles).
// Throws nlohmann::json::parse_error.
Json parse_json(std::string_view text);

}  // namespace thrift_call::codec
