// `thrift-call template Service.method`: a JSON skeleton of the arguments that
// a user edits and sends back.
#pragma once

#include <nlohmann/json.hpp>

#include "core/idl_views/value_maker.h"
#include "idl/schema.h"

namespace thrift_call {

// Every field, in field-id order: its IDL default where it has one, else a
// placeholder of its type, and one example element in containers; nested
// structs expanded, a struct that contains itself expanded once and then
// left as {}. Bounded: see ValueShape::Template (value_maker.h).
inline nlohmann::ordered_json make_template(const idl::StructDef& fields) {
  return make_fields(fields, ValueShape::Template);
}
inline nlohmann::ordered_json make_template(const idl::Type& type) { return make_value(type, ValueShape::Template); }

}  // namespace thrift_call
