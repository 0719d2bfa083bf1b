#include "core/codec/decode.h"

#include "core/codec/base64.h"
#include "core/codec/raw_type.h"
#include "core/codec/wire_type.h"
#include "core/idl_views/const_json.h"
#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json.h"
#include "core/protocol/skip.h"
#include "base/error.h"

namespace thrift_call::codec {

using protocol::TType;

namespace {

template <class Reader>
[[noreturn]] void too_deep(Reader& reader) {
  protocol::throw_read_error(reader.offset(),
                             "nesting deeper than " + std::to_string(reader.limits().max_depth) + " levels");
}

template <class Reader>
class Decoder {
 public:
  void undescribed_field(const protocol::FieldHeader& h, int depth) { raw_field(h, depth); }
  Decoder(Reader& reader, JsonText& out) : r_(reader), out_(out) {}

  void structure(const idl::StructDef* schema, int depth) {
    if (depth <= 0) too_deep(r_);
    r_.read_struct_begin();
    out_.begin_object();
    for (;;) {
      protocol::FieldHeader h = r_.read_field_begin();
      if (h.type == TType::Stop) break;
      const idl::Field* field = schema ? schema->field_by_id(h.id) : nullptr;
      if (field && wire_type(*field->type) == h.type) {
        out_.quoted_key(schema->json_key(*field));
        value(h.type, field->type, depth - 1);
      } else {
        raw_field(h, depth - 1);
      }
      r_.read_field_end();
    }
    r_.read_struct_end();
    out_.end_object();
  }

  // `raw`, in raw mode, is the type spelled ahead for this value (it says
  // which strings are binary); nullptr elsewhere.
  void value(TType wire, const idl::Type* declared, int depth, const RawType* raw = nullptr) {
    const idl::Type* t = declared ? declared->true_type() : nullptr;
    switch (wire) {
      case TType::Bool: out_.boolean(r_.read_bool()); return;
      case TType::Byte: out_.integer(r_.read_byte()); return;
      case TType::I16: out_.integer(r_.read_i16()); return;
      case TType::I32: {
        int32_t v = r_.read_i32();
        if (t && t->kind == idl::TypeKind::Enum) {
          if (const idl::EnumValue* e = t->enum_def->find(v)) {
            out_.string(e->name);
            return;
          }
        }
        out_.integer(v);
        return;
      }
      case TType::I64: out_.i64(r_.read_i64()); return;
      case TType::Double: out_.number(r_.read_double()); return;
      case TType::String:
        if (t && t->kind == idl::TypeKind::Binary) {
          out_.base64(r_.read_binary());
        } else if (t) {
          out_.string(r_.read_string());
        } else if (raw && raw->binary) {
          out_.base64(r_.read_binary());
        } else {
          raw_string();
        }
        return;
      case TType::Uuid: uuid(r_.read_uuid()); return;
      case TType::Struct:
        structure(t && t->kind == idl::TypeKind::Struct ? t->struct_def : nullptr, depth);
        return;
      case TType::List:
      case TType::Set: {
        if (depth <= 0) too_deep(r_);
        protocol::ListHeader h = wire == TType::List ? r_.read_list_begin() : r_.read_set_begin();
        elements(h, t, depth, raw && raw->wire == wire ? raw->elem.get() : nullptr);
        wire == TType::List ? r_.read_list_end() : r_.read_set_end();
        return;
      }
      case TType::Map: {
        if (depth <= 0) too_deep(r_);
        protocol::MapHeader h = r_.read_map_begin();
        entries(h, t, depth, raw && raw->wire == TType::Map ? raw : nullptr);
        r_.read_map_end();
        return;
      }
      case TType::Stop:
      case TType::Void:
        break;
    }
    protocol::throw_read_error(r_.offset(), std::string("unexpected type ") + protocol::to_string(wire));
  }

 private:
  void elements(const protocol::ListHeader& h, const idl::Type* t, int depth, const RawType* raw_elem) {
    const idl::Type* elem = nullptr;
    if (t && (t->kind == idl::TypeKind::List || t->kind == idl::TypeKind::Set) && wire_type(*t->elem) == h.elem)
      elem = t->elem;
    out_.begin_array();
    for (int32_t i = 0; i < h.size; ++i) value(h.elem, elem, depth - 1, raw_elem);
    out_.end_array();
  }

  static bool object_key_type(TType t) {
    return t == TType::String || t == TType::Byte || t == TType::I16 || t == TType::I32 || t == TType::I64;
  }

  void entries(const protocol::MapHeader& h, const idl::Type* t, int depth, const RawType* raw) {
    const RawType* raw_key = raw ? raw->key.get() : nullptr;
    const RawType* raw_value = raw ? raw->value.get() : nullptr;
    const idl::Type* key = nullptr;
    const idl::Type* val = nullptr;
    // An empty compact map carries no key and value types: trust the IDL.
    if (t && t->kind == idl::TypeKind::Map &&
        (h.size == 0 || (wire_type(*t->key) == h.key && wire_type(*t->value) == h.value))) {
      key = t->key;
      val = t->value;
    }
    bool as_object = key ? map_keys_are_object_keys(*key) : object_key_type(h.key);
    if (as_object) {
      out_.begin_object();
      for (int32_t i = 0; i < h.size; ++i) {
        object_key(h.key, key, raw_key);
        value(h.value, val, depth - 1, raw_value);
      }
      out_.end_object();
    } else {
      out_.begin_array();
      for (int32_t i = 0; i < h.size; ++i) {
        out_.begin_array();
        value(h.key, key, depth - 1, raw_key);
        value(h.value, val, depth - 1, raw_value);
        out_.end_array();
      }
      out_.end_array();
    }
  }

  void object_key(TType wire, const idl::Type* declared, const RawType* raw) {
    const idl::Type* t = declared ? declared->true_type() : nullptr;
    int64_t n = 0;
    switch (wire) {
      case TType::String:
        if (raw && raw->binary) {
          std::string text;
          base64_encode(r_.read_binary(), text);
          out_.key(text);
        } else {
          out_.key(r_.read_string());
        }
        return;
      case TType::Byte: n = r_.read_byte(); break;
      case TType::I16: n = r_.read_i16(); break;
      case TType::I32: n = r_.read_i32(); break;
      case TType::I64: n = r_.read_i64(); break;
      default: break;
    }
    if (t && t->kind == idl::TypeKind::Enum) {
      if (const idl::EnumValue* e = t->enum_def->find(static_cast<int32_t>(n))) {
        out_.identifier_key(e->name);
        return;
      }
    }
    out_.key(std::to_string(n));
  }

  void raw_string() {
    std::string_view s = r_.read_string();
    if (is_valid_utf8(s)) {
      out_.string(s);
    } else {
      out_.base64(s);
    }
  }

  void uuid(const std::array<uint8_t, 16>& u) {
    static const char* hex = "0123456789abcdef";
    char text[36];
    size_t p = 0;
    for (size_t i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) text[p++] = '-';
      text[p++] = hex[u[i] >> 4];
      text[p++] = hex[u[i] & 15];
    }
    out_.string(std::string_view(text, sizeof text));
  }

  // Reads one whole value and returns its type in raw notation. A container's
  // element types are merged over all its elements, so "list<binary>" is
  // spelled when any one string in it is not UTF-8, and an empty inner list
  // takes its element type from a non-empty sibling.
  // Levels are counted as value() and protocol::skip count them: entering
  // a container or struct takes one, a string none.
  static RawType spell(Reader& r, TType t, int depth) {
    RawType type;
    type.wire = t;
    switch (t) {
      case TType::String:
        type.binary = !is_valid_utf8(r.read_string());
        return type;
      case TType::List:
      case TType::Set: {
        if (depth <= 0) too_deep(r);
        protocol::ListHeader h = t == TType::List ? r.read_list_begin() : r.read_set_begin();
        type.elem = std::make_unique<RawType>();
        type.elem->wire = h.elem;
        for (int32_t i = 0; i < h.size; ++i) merge(*type.elem, spell(r, h.elem, depth - 1));
        t == TType::List ? r.read_list_end() : r.read_set_end();
        return type;
      }
      case TType::Map: {
        if (depth <= 0) too_deep(r);
        protocol::MapHeader h = r.read_map_begin();
        type.key = std::make_unique<RawType>();
        type.key->wire = h.key;
        type.value = std::make_unique<RawType>();
        type.value->wire = h.value;
        for (int32_t i = 0; i < h.size; ++i) {
          merge(*type.key, spell(r, h.key, depth - 1));
          merge(*type.value, spell(r, h.value, depth - 1));
        }
        r.read_map_end();
        return type;
      }
      default:
        protocol::skip(r, t, depth);
        return type;
    }
  }

  static void merge(RawType& into, RawType&& other) {
    // An empty compact map gave no types ("stop"); a sibling that has them wins.
    if (into.wire == TType::Stop) into.wire = other.wire;
    into.binary = into.binary || other.binary;
    auto child = [](std::unique_ptr<RawType>& a, std::unique_ptr<RawType>& b) {
      if (!b) return;
      if (!a) {
        a = std::move(b);
      } else {
        merge(*a, std::move(*b));
      }
    };
    child(into.elem, other.elem);
    child(into.key, other.key);
    child(into.value, other.value);
  }

  // A field the schema does not describe: "id:type" with the type spelled
  // out from the wire (reading ahead on a copy of the reader), so it can be
  // sent back unchanged.
  void raw_field(const protocol::FieldHeader& h, int depth) {
    std::string key = std::to_string(h.id) + ":";
    if (h.type == TType::String || is_container(h.type)) {
      Reader ahead = r_;
      RawType type = spell(ahead, h.type, depth);
      out_.key(key + to_string(type));
      value(h.type, nullptr, depth, &type);
    } else {
      out_.key(key + protocol::to_string(h.type));
      value(h.type, nullptr, depth);
    }
  }

  static bool is_container(TType t) { return t == TType::List || t == TType::Set || t == TType::Map; }

  Reader& r_;
  JsonText& out_;
};

}  // namespace

template <class Reader>
void decode_struct(Reader& reader, const idl::StructDef* schema, JsonText& out, int depth_left) {
  Decoder<Reader>(reader, out).structure(schema, depth_left);
}

template <class Reader>
void decode_value(Reader& reader, TType wire, const idl::Type* type, JsonText& out, int depth_left) {
  Decoder<Reader>(reader, out).value(wire, type, depth_left);
}

template <class Reader>
void decode_raw_field(Reader& reader, const protocol::FieldHeader& h, JsonText& out, int depth_left) {
  Decoder<Reader>(reader, out).undescribed_field(h, depth_left);
}

#define THRIFT_CALL_INSTANTIATE(R)                                                        \
  template void decode_struct<R>(R&, const idl::StructDef*, JsonText&, int);             \
  template void decode_value<R>(R&, TType, const idl::Type*, JsonText&, int);            \
  template void decode_raw_field<R>(R&, const protocol::FieldHeader&, JsonText&, int);
THRIFT_CALL_INSTANTIATE(protocol::BinaryReader)
THRIFT_CALL_INSTANTIATE(protocol::CompactReader)
THRIFT_CALL_INSTANTIATE(protocol::JsonReader)
#undef THRIFT_CALL_INSTANTIATE

}  // namespace thrift_call::codec
