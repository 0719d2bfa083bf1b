// Which IDL files a command reads (DESIGN.md, "IDL discovery"):
// `--idl FILE` (repeatable), else THRIFT_CALL_IDL (a colon-separated list of
// files or folders), else the *.thrift files of the current folder. `-I DIR`
// adds include search folders in every case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idl/schema.h"

namespace thrift_call {

struct IdlOptions {
  std::vector<std::string> files;         // --idl
  std::vector<std::string> include_dirs;  // -I
};

struct IdlCandidates {
  std::vector<std::string> files;
  std::string searched;  // what was looked at, for error messages
};

IdlCandidates discover_idl_files(const IdlOptions& options);

// Loads the candidates. With `service`, only the files that define a service
// of that name are parsed ("the service name picks the file"), so one broken
// IDL in a folder does not stop calls to the others. When no file defines
// it, every candidate is loaded. Throws Error (Idl) when
// nothing is found, listing where it looked.
idl::Schema load_idl(const IdlOptions& options, std::optional<std::string_view> service = std::nullopt);

}  // namespace thrift_call
