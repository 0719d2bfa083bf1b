// Reading the JSON a user gives: inline text, @file, or - for stdin.
#pragma once

#include <string>

#include "core/codec/encode.h"

namespace thrift_call {

// "-": standard input; "@path": that file; anything else: the JSON itself.
std::string read_argument_text(const std::string& argument);

// Parses JSON keeping the key order. Throws Error (Input) with line and
// column: "invalid JSON: syntax error ... (argument line 1, column 9)".
codec::Json parse_json_argument(const std::string& text, const std::string& origin = "argument");

// Reads a whole file ("-": stdin) as bytes. Throws Error (Usage) when unreadable.
std::string read_input_bytes(const std::string& path);

}  // namespace thrift_call
