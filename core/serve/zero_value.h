// What a generated server's handler answers when it sets nothing: the zero
// value of a type, with the IDL's defaults filled in. `serve` answers it for
// a method no rule covers, so every method of any IDL answers out of the box.
#pragma once

#include "core/codec/encode.h"
#include "core/protocol/ttype.h"
#include "idl/schema.h"

namespace thrift_call::serve {

// Numbers 0, strings "", bools false, an enum its value 0 (else its first
// value), as a template shows them (core/idl_views/placeholder.h);
// containers empty, a struct each field's IDL default, else the zero of
// its type for fields that are not optional (optional ones without a
// default are left unset, as generated code leaves them). A union gets its
// first field. A struct met again inside itself is {} (only reachable
// through required fields).
//
// Bounded, where a type graph branches (struct S_i {1: S_i+1 a, 2: S_i+1 b}
// has 2^n values at n levels): structs are expanded nearest first, and past
// kZeroValues values or kMaxZeroDepth levels (what the encoder takes) a
// struct field that is not required is left unset and a required one is {}.
codec::Json zero_value(const idl::Type& type);

inline constexpr size_t kZeroValues = 10000;
inline constexpr int kMaxZeroDepth = protocol::ReadLimits{}.max_depth;

// Whether a value of type `a` can stand for one of type `b` (typedefs seen
// through): what --echo uses to pick the argument that answers.
bool same_type(const idl::Type& a, const idl::Type& b);

}  // namespace thrift_call::serve
