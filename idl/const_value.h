// A constant value as written in the IDL (const definitions, field defaults).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "idl/source_location.h"

namespace thrift_call::idl {

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
  std::vector<std::pair<ConstValue, ConstValue>> map;  // also struct literals
  SourceLocation location;

  // Thrift-ish source text ("[1, 2]", "{\"a\": Color.RED}"), for describe.
  std::string to_idl() const;
};

}  // namespace thrift_call::idl
