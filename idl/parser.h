// Recursive-descent parser for the Apache Thrift IDL (the 0.18+ grammar:
// the `uuid` type, base-type names usable as field names).
//
// It fills a Program with names as written; nothing is looked up here. The
// resolver links them afterwards, so forward references work everywhere.
#pragma once

#include <string>
#include <string_view>

#include "idl/schema.h"

namespace thrift_call::idl {

// Nesting deeper than this (containers in types, literals in constants) is an
// error rather than a stack overflow. Real IDL nests a handful of levels.
inline constexpr int kMaxIdlNesting = 100;

// Parses `source` (the contents of `*file`) into `program`. Warnings (implicit
// field ids, ...) go to `schema`. Throws thrift_call::Error (ErrorKind::Idl)
// with file:line:col at the first syntax error.
void parse_program(std::string_view source, const std::string* file, Program& program, Schema& schema);

}  // namespace thrift_call::idl
