// A constant value as written in the IDL (const definitions, field defaults).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "idl/source_location.h"

namespace thrift_call::idl {

struct ConstEntry;

struct ConstValue {
  enum class Kind { Integer, Double, String, Identifier, List, Map };

  Kind kind = Kind::Integer;
  int64_t integer = 0;
  double dbl = 0;
  // String: the text. Identifier: the name as written ("Color.RED"). After
  // resolution an identifier is replaced by the value it names and `reference`
  // keeps the name, so `describe` can still show it.
  std::string text;
  std::string reference;
  bool bool_literal = false;  // written as true/false (still an Integer, as in Thrift)
  std::vector<ConstValue> list;
  std::vector<ConstEntry> map;  // also struct literals, in source order
  SourceLocation location;

  // Thrift-ish source text ("[1, 2]", "{\"a\": Color.RED}"), for describe.
  std::string to_idl() const;
};

// One `key: value` of a map or struct literal. A struct rather than a
// std::pair: a pair of a type still being defined is ill-formed, and clang
// says so.
struct ConstEntry {
  ConstValue first;
  ConstValue second;
};

}  // namespace thrift_call::idl
