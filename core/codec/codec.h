// The codec's runtime face for one value: picks a protocol once (see
// with_protocol.h) and runs the templated encoder or decoder for it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/codec/encode.h"
#include "core/codec/json_text.h"
#include "core/codec/protocol_kind.h"
#include "core/protocol/ttype.h"
#include "idl/schema.h"

namespace thrift_call::codec {

struct DecodeOptions {
  protocol::ReadLimits limits;
  Utf8Policy utf8 = Utf8Policy::Replace;
  I64Policy i64 = I64Policy::Number;
};

// One value as TSerializer writes it (a struct: its fields and the stop).
// `type` may be nullptr: then `value` is an object of raw "id:type" fields.
std::string serialize(ProtocolKind kind, const idl::Type* type, const Json& value);
// The same from JSON text, appended to `out`. A JSON syntax error is
// nlohmann's exception (see encode.h).
void serialize(ProtocolKind kind, const idl::Type* type, const PaddedJson& text, std::string& out);

struct Deserialized {
  std::string json;
  size_t consumed = 0;  // bytes read; the rest of the input was not looked at
};

// One value as TDeserializer reads it; `type` nullptr decodes a struct raw.
Deserialized deserialize(ProtocolKind kind, std::string_view bytes, const idl::Type* type,
                         const DecodeOptions& options = {});

// The same, handing the JSON text to `spill` in blocks of about `block`
// bytes as it is made; what is left at the end is the result's json. Memory
// then stays near the input's size however large the value's text.
Deserialized deserialize(ProtocolKind kind, std::string_view bytes, const idl::Type* type, const DecodeOptions& options,
                         size_t block, const std::function<void(std::string_view)>& spill);

// Tries each protocol on `bytes` and returns the first that decodes all of
// it (JSON first when it starts with '{', else binary, then compact).
std::optional<ProtocolKind> detect_struct_protocol(std::string_view bytes, const idl::Type* type);

}  // namespace thrift_call::codec
