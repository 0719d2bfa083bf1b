// The one rule for a value nothing sets, which the value maker
// (value_maker.h) gives both `template` (the skeleton a user edits) and
// `serve` (the zero value a handler that sets nothing answers).
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "idl/schema.h"

namespace thrift_call {

// false, 0, 0.0, "", the nil UUID; an enum's value numbered 0 (what a
// generated C++ handler leaves in it), else its first value, else 0 (an
// enum with no values). Null for a container, a struct or void: `type` is
// seen through typedefs.
nlohmann::ordered_json scalar_placeholder(const idl::Type& type);

// How many values a JSON tree holds, itself included: the makers' budget
// counts an IDL default this way (the parser bounds its nesting).
size_t count_values(const nlohmann::ordered_json& value);

}  // namespace thrift_call
