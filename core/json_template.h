// `thrift-call template Service.method`: a JSON skeleton of the arguments that
// a user edits and sends back.
#pragma once

#include <nlohmann/json.hpp>

#include "idl/schema.h"

namespace thrift_call {

// Every field, in field-id order: its IDL default where it has one, else a
// placeholder of its type (0, "", false, the first enum value, one example
// element in containers). Nested structs are expanded; a struct that contains
// itself is expanded once and then left as {}.
nlohmann::ordered_json make_template(const idl::StructDef& fields);
nlohmann::ordered_json make_template(const idl::Type& type);

}  // namespace thrift_call
