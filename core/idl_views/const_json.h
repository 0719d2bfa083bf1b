// IDL constants (defaults, const definitions) in the JSON mapping of
// DESIGN.md: what a user would type for the same value.
#pragma once

#include <nlohmann/json.hpp>

#include "idl/schema.h"

namespace thrift_call {

nlohmann::ordered_json const_to_json(const idl::ConstValue& value, const idl::Type& type);

// Whether a map with this key type is a JSON object (string, enum and
// integer keys) rather than an array of [key, value] pairs.
bool map_keys_are_object_keys(const idl::Type& key_type);

}  // namespace thrift_call
