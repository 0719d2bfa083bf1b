#include "core/codec/codec.h"

#include "core/codec/decode.h"
#include "core/codec/wire_type.h"
#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json.h"
#include "idl/error.h"

namespace thrift_call::codec {

std::optional<ProtocolKind> parse_protocol_kind(std::string_view name) {
  if (name == "binary") return ProtocolKind::Binary;
  if (name == "compact") return ProtocolKind::Compact;
  if (name == "json") return ProtocolKind::Json;
  return std::nullopt;
}

const char* to_string(ProtocolKind kind) {
  switch (kind) {
    case ProtocolKind::Binary: return "binary";
    case ProtocolKind::Compact: return "compact";
    case ProtocolKind::Json: return "json";
  }
  return "binary";
}

namespace {

template <class Writer>
std::string serialize_with(const idl::Type* type, const Json& value) {
  std::string out;
  Writer writer(out);
  JsonPath path;
  if (type) {
    encode_value(writer, *type, value, path);
  } else {
    encode_struct(writer, nullptr, value, path);
  }
  return out;
}

template <class Reader>
Deserialized deserialize_with(std::string_view bytes, const idl::Type* type, const DecodeOptions& options) {
  Reader reader(bytes, options.limits);
  Deserialized result;
  // JSON text runs about twice the size of binary wire bytes; growing the
  // buffer once up front saves a chain of reallocations on large values.
  result.json.reserve(bytes.size() * 2 + 16);
  JsonText out(result.json, options.utf8, options.i64);
  if (type) {
    const idl::Type* t = type->true_type();
    if (t->kind == idl::TypeKind::Struct) {
      decode_struct(reader, t->struct_def, out, options.limits.max_depth);
    } else {
      decode_value(reader, wire_type(*t), t, out, options.limits.max_depth);
    }
  } else {
    decode_struct(reader, nullptr, out, options.limits.max_depth);
  }
  result.consumed = reader.offset();
  return result;
}

}  // namespace

std::string serialize(ProtocolKind kind, const idl::Type* type, const Json& value) {
  switch (kind) {
    case ProtocolKind::Binary: return serialize_with<protocol::BinaryWriter>(type, value);
    case ProtocolKind::Compact: return serialize_with<protocol::CompactWriter>(type, value);
    case ProtocolKind::Json: return serialize_with<protocol::JsonWriter>(type, value);
  }
  return {};
}

Deserialized deserialize(ProtocolKind kind, std::string_view bytes, const idl::Type* type,
                         const DecodeOptions& options) {
  switch (kind) {
    case ProtocolKind::Binary: return deserialize_with<protocol::BinaryReader>(bytes, type, options);
    case ProtocolKind::Compact: return deserialize_with<protocol::CompactReader>(bytes, type, options);
    case ProtocolKind::Json: return deserialize_with<protocol::JsonReader>(bytes, type, options);
  }
  return {};
}

std::optional<ProtocolKind> detect_struct_protocol(std::string_view bytes, const idl::Type* type) {
  std::vector<ProtocolKind> order = {ProtocolKind::Binary, ProtocolKind::Compact, ProtocolKind::Json};
  size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && bytes[first] == '{')
    order = {ProtocolKind::Json, ProtocolKind::Binary, ProtocolKind::Compact};
  for (ProtocolKind kind : order) {
    try {
      Deserialized d = deserialize(kind, bytes, type);
      if (bytes.substr(d.consumed).find_first_not_of(" \t\r\n") == std::string_view::npos) return kind;
    } catch (const Error&) {
    }
  }
  return std::nullopt;
}

}  // namespace thrift_call::codec
