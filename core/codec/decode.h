// Wire -> JSON text, streaming: one pass over the bytes, appending to a
// JsonText, no intermediate tree.
//
// With a schema, fields come out keyed by name in the JSON mapping of
// DESIGN.md. Whatever the schema does not know is kept, never dropped: an
// unknown field id, or a field whose wire type differs from the IDL's, comes
// out in raw notation ("7:i32": 5). Enum values the IDL lacks come out as
// numbers. With no schema (raw mode) every field is raw:
//   {"1:string": "Ann", "3:list<struct>": [{"1:i64": 7}]}
// In raw mode a string that is not valid UTF-8 is typed "binary" and written
// as base64, so nothing is lost.
//
// Readers are the concrete classes of core/protocol; decode.cpp instantiates
// these templates once for each. Errors are thrift_call::Error
// (ErrorKind::Protocol) with the byte offset.
#pragma once

#include "core/codec/json_text.h"
#include "core/protocol/ttype.h"
#include "idl/schema.h"

namespace thrift_call::codec {

// Reads one struct (up to its stop field). `schema` may be nullptr (raw mode).
// `depth_left`: how many more levels of nesting may be entered.
template <class Reader>
void decode_struct(Reader& reader, const idl::StructDef* schema, JsonText& out, int depth_left);

// Reads one value whose wire type is `wire`; `type` may be nullptr (raw).
template <class Reader>
void decode_value(Reader& reader, protocol::TType wire, const idl::Type* type, JsonText& out, int depth_left);

// Reads the value of a field the schema does not describe, after its header
// `h`, as an object member in raw notation: the key "id:type", then the value.
template <class Reader>
void decode_raw_field(Reader& reader, const protocol::FieldHeader& h, JsonText& out, int depth_left);

}  // namespace thrift_call::codec
