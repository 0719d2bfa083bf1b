// The resolved schema as JSON documents, for `thrift-call schema`.
#pragma once

#include <nlohmann/json.hpp>

#include "idl/schema.h"

namespace thrift_call {

// The document `thrift --gen json` (Apache Thrift 0.17) writes for `program`:
// same keys, same order, same values. Like the reference compiler it shows
// resolved types (a typedef's target; enums as "i32"), writes bools in
// constants as 1/0 and referenced constants by value. Where the compiler
// writes invalid JSON (a map constant whose keys are lists or maps) the key
// here is the compact JSON text of that key.
nlohmann::ordered_json to_thrift_json(const idl::Program& program);

// thrift-call's own, richer view: enum and typedef names kept at every use,
// source positions, includes with their paths, inherited functions.
nlohmann::ordered_json to_schema_json(const idl::Program& program);

}  // namespace thrift_call
