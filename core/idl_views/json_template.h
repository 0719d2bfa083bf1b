// `thrift-call template Service.method`: a JSON skeleton of the arguments that
// a user edits and sends back.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "core/protocol/ttype.h"
#include "idl/schema.h"

namespace thrift_call {

inline constexpr size_t kTemplateValues = 10000;
inline constexpr int kMaxTemplateDepth = protocol::ReadLimits{}.max_depth;
inline constexpr const char* kCutKey = "...";

// Every field, in field-id order: its IDL default where it has one, else a
// placeholder of its type (placeholder.h: 0, "", false, an enum's value 0
// or first value, as serve's zero values) and one example element in
// containers. Nested structs are expanded; a struct that contains
// itself is expanded once and then left as {}.
//
// A template is bounded: structs are expanded nearest first, and one that
// would take the template past kTemplateValues values, or is nested deeper
// than kMaxTemplateDepth levels (what the encoder takes), is left as
// {"...": "Name not expanded: <why>"}, a key no struct has, which the
// encoder refuses if it is sent back unedited.
nlohmann::ordered_json make_template(const idl::StructDef& fields);
nlohmann::ordered_json make_template(const idl::Type& type);

}  // namespace thrift_call
