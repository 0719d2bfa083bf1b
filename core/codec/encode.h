// JSON (in the mapping of DESIGN.md) -> wire, as a stream: the JSON is read
// once, event by event (from text through RapidJSON's SAX reader, or from a
// tree walked in order), and each value is written as it arrives. No tree
// of the input is built.
//
// Struct fields are written in field-id order, as Thrift's generated code
// writes them, never in JSON key order: a struct whose keys come in another
// order is put in order at its end. Map and set entries go in the order the
// JSON gives them. A field absent from the JSON that has an IDL default is
// written with it. Keys in raw notation ("7:i32") are written as given, so a
// field the IDL does not know can still be sent. With no schema, every key
// must be in raw notation.
//
// Errors are thrift_call::Error (ErrorKind::Input) naming the JSON path and
// what was expected: `$.person.age: expected i32, got "thirty"`. Encode into
// a scratch buffer: on error, discard it, so nothing is sent.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string_view>

#include "idl/schema.h"

namespace thrift_call::codec {

using Json = nlohmann::ordered_json;

// JSON text to encode, as RapidJSON's SIMD string scan needs it: text[size]
// is NUL, and 16 bytes past the end may be read (padding, a mapped file's
// page). A NUL inside the text is an error, found before the scan.
struct PaddedJson {
  std::string_view text;
  // Called now and then with an offset before which the text is read: a
  // mapped file lets those pages go. They are read again only to report an
  // error. May be empty.
  std::function<void(size_t)> release_before;
};

// A value's text is checked as JSON first where it is wrong as JSON and as
// a value both: the syntax error is the one reported, with nlohmann's
// message and place (nlohmann::json::parse_error or out_of_range, which
// parse_json_argument's callers turn into "argument line 1, column 9: ...").

// A struct's fields; `schema` nullptr: raw "id:type" fields.
template <class Writer>
void encode_struct(Writer& writer, const idl::StructDef* schema, const Json& value);
template <class Writer>
void encode_struct(Writer& writer, const idl::StructDef* schema, const PaddedJson& text);

// Any value of an IDL type.
template <class Writer>
void encode_value(Writer& writer, const idl::Type& type, const Json& value);
template <class Writer>
void encode_value(Writer& writer, const idl::Type& type, const PaddedJson& text);

}  // namespace thrift_call::codec
