// Loading IDL files and everything they include.
#pragma once

#include <string>
#include <vector>

#include "idl/schema.h"

namespace thrift_call::idl {

struct LoadOptions {
  // Searched, in order, after the including file's own folder (`-I DIR`).
  std::vector<std::string> include_dirs;
  // A file larger than this is refused before it is read.
  size_t max_file_bytes = 64u << 20;
};

// Parses `files` and their includes, resolves every name and builds the
// lookup indexes. Throws thrift_call::Error (ErrorKind::Idl, "file:line:col")
// at the first problem: a syntax error, a missing include, an include cycle
// (with the chain of files), an unknown type, a constant of the wrong type,
// a name defined twice.
Schema load_schema(const std::vector<std::string>& files, const LoadOptions& options = {});

}  // namespace thrift_call::idl
