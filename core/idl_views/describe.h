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

// " (did you mean ...?)" for a NAME that describe or template does not know:
// the Service.method forms of a bare method name, else the services, types
// and Service.method names nearest to it; "" when none is close.
std::string suggest_names(const idl::Schema& schema, std::string_view name);

// `thrift-call list`: "Service.method" a line for every service, or only
// `service` (Error (Usage) when there is none such); inherited methods end
// in "  (from Base)". A service is qualified ("program.Service") when
// another file has one of the same name.
std::string list_methods(const idl::Schema& schema, const std::string& service = {});

// `thrift-call list --types`: "kind Name" a line ("struct Person",
// "exception PersonNotFound", "enum Color", "typedef UserId"), file by file
// in declaration order, qualified like services.
std::string list_types(const idl::Schema& schema);

// One line per function: "i32 add(1: i32 num1, 2: i32 num2)".
std::string function_signature(const idl::Function& fn, const idl::Program* from = nullptr);

}  // namespace thrift_call
