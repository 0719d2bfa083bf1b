// "A value for each type", made by one traversal for the two that need one:
// `template` (the skeleton a user edits and sends back) and `serve` (what a
// generated handler that sets nothing answers). What they share: a value
// nothing sets (placeholder.h: false, 0, "", the nil UUID, an enum's value
// 0 or else its first), an IDL default where a field has one, a union's
// first field, a struct met again inside itself left as {}, and the limits
// (kMaxMadeValues values, kMaxMadeDepth levels, what the encoder takes).
// What differs is ValueShape.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

#include "core/protocol/ttype.h"
#include "idl/schema.h"

namespace thrift_call {

enum class ValueShape {
  // Every field, and one example element in each container: a user sees
  // every place there is to fill. A struct past the limits is
  // {"...": "Name not expanded: <why>"} (kCutKey), a key no struct has,
  // which the encoder refuses if it is sent back unedited. Structs are cut
  // a generation at a time, so every branch stops at the same depth.
  Template,
  // The fields generated code sets (those with an IDL default and those
  // not optional), containers empty: what a handler that sets nothing
  // answers. Past the limits, the struct fields of a struct that are not
  // required are left unset, as optional ones are, and required ones are
  // {}: no struct is half filled.
  Zero,
};

inline constexpr size_t kMaxMadeValues = 10000;
inline constexpr int kMaxMadeDepth = protocol::ReadLimits{}.max_depth;
inline constexpr const char* kCutKey = "...";

// Bounded whatever the type graph (struct S_i {1: S_i+1 a, 2: S_i+1 b} has
// 2^n values at n levels): structs are expanded breadth first, nearest
// first, from a queue rather than by recursion.
nlohmann::ordered_json make_value(const idl::Type& type, ValueShape shape);
// The fields of `s` as an object, `s` counted one level deep (a method's arguments).
nlohmann::ordered_json make_fields(const idl::StructDef& s, ValueShape shape);

}  // namespace thrift_call
