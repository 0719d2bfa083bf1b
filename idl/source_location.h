#pragma once

#include <string>

namespace thrift_call::idl {

// Where something was written. `file` points at a path owned by the Schema
// (or the caller that lexes a buffer) and outlives every node that refers to it.
struct SourceLocation {
  const std::string* file = nullptr;
  int line = 0;
  int column = 0;

  // "path/to/file.thrift:12:5"
  std::string to_string() const;
};

}  // namespace thrift_call::idl
