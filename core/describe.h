// IDL-like text for `thrift-call describe` and the REPL's `.describe`.
#pragma once

#include <string>
#include <string_view>

#include "idl/schema.h"

namespace thrift_call {

// NAME is a service ("PersonService"), a function ("PersonService.getPerson"),
// or a type (struct, union, exception, enum, typedef), optionally qualified
// with its program ("shared.SharedStruct"). Throws Error (Usage) when the name
// is unknown.
std::string describe(const idl::Schema& schema, std::string_view name);

// One line per function: "i32 add(1: i32 num1, 2: i32 num2)".
std::string function_signature(const idl::Function& fn, const idl::Program* from = nullptr);

}  // namespace thrift_call
