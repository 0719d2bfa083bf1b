// Tab completion for the REPL, from the IDL: dot-commands, services, methods,
// and inside the JSON being typed, the field names of the arguments and of
// nested structs, and enum values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idl/schema.h"

namespace thrift_call::repl {

struct Completion {
  size_t start = 0;                     // where the replaced text begins in the line
  std::vector<std::string> candidates;  // sorted; each replaces line[start, cursor)
};

// The dot-commands, as typed ("help", not ".help").
const std::vector<std::string>& command_names();

// `line` is the text before the cursor (only the current entry's text, lines
// of an unfinished JSON entry included). `schema` may be null (no IDL);
// `service` is the one chosen with `.use` ("" for none).
Completion complete(const idl::Schema* schema, const std::string& service, std::string_view line);

// What a method name in a call means: "Service.method", or "method" of the
// selected service. nullptr when unknown.
const idl::Function* resolve_method(const idl::Schema& schema, const std::string& service, std::string_view name);

}  // namespace thrift_call::repl
