#include "core/codec/codec.h"

#include <algorithm>

#include "base/error.h"
#include "core/codec/decode.h"
#include "core/codec/wire_type.h"
#include "core/codec/with_protocol.h"

namespace thrift_call::codec {

namespace {

template <class Writer, class Source>
void serialize_with(const idl::Type* type, const Source& value, std::string& out) {
  Writer writer(out);
  if (type) {
    encode_value(writer, *type, value);
  } else {
    encode_struct(writer, nullptr, value);
  }
}

template <class Reader>
Deserialized deserialize_with(std::string_view bytes, const idl::Type* type, const DecodeOptions& options, size_t block,
                              const std::function<void(std::string_view)>* spill) {
  Reader reader(bytes, options.limits);
  Deserialized result;
  // JSON text runs about twice the size of binary wire bytes; growing the
  // buffer once up front saves a chain of reallocations on large values.
  result.json.reserve(std::min(bytes.size() * 2, block) + 16);
  JsonText out(result.json, options.utf8, options.i64);
  if (spill) out.spill_every(block, *spill);
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
  std::string out;
  with_protocol(kind, [&](auto p) { serialize_with<typename decltype(p)::Writer>(type, value, out); });
  return out;
}

void serialize(ProtocolKind kind, const idl::Type* type, const PaddedJson& text, std::string& out) {
  with_protocol(kind, [&](auto p) { serialize_with<typename decltype(p)::Writer>(type, text, out); });
}

Deserialized deserialize(ProtocolKind kind, std::string_view bytes, const idl::Type* type,
                         const DecodeOptions& options) {
  return with_protocol(kind, [&](auto p) {
    return deserialize_with<typename decltype(p)::Reader>(bytes, type, options, SIZE_MAX, nullptr);
  });
}

Deserialized deserialize(ProtocolKind kind, std::string_view bytes, const idl::Type* type, const DecodeOptions& options,
                         size_t block, const std::function<void(std::string_view)>& spill) {
  return with_protocol(kind, [&](auto p) {
    return deserialize_with<typename decltype(p)::Reader>(bytes, type, options, block, &spill);
  });
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
