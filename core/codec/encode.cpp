#include "core/codec/encode.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <boost/container/small_vector.hpp>

#include "core/codec/base64.h"
#include "core/codec/json_preview.h"
#include "core/codec/raw_type.h"
#include "core/idl_views/const_json.h"
#include "core/codec/wire_type.h"
#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json.h"
#include "idl/closest_names.h"
#include "base/error.h"

namespace thrift_call::codec {

using protocol::TType;

namespace {

std::string shown(const Json& v) { return json_preview(v, 40); }

[[noreturn]] void fail(const JsonPath& path, const std::string& message) {
  throw Error(ErrorKind::Input, message, path.to_string());
}

[[noreturn]] void expected(const JsonPath& path, const std::string& what, const Json& got) {
  fail(path, "expected " + what + ", got " + shown(got));
}

// An integer from a JSON number or a decimal string, within [lo, hi].
int64_t integer(const Json& v, int64_t lo, int64_t hi, const char* type_name, const JsonPath& path) {
  int64_t n = 0;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      fail(path, std::string(type_name) + " out of range: " + shown(v));
    n = v.get<int64_t>();
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    if (!(d == std::floor(d)) || d < -9.2e18 || d > 9.2e18) expected(path, type_name, v);
    n = static_cast<int64_t>(d);
  } else if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    auto res = std::from_chars(s.data(), s.data() + s.size(), n);
    if (res.ec != std::errc() || res.ptr != s.data() + s.size()) expected(path, type_name, v);
  } else {
    expected(path, type_name, v);
  }
  if (n < lo || n > hi)
    fail(path, std::string(type_name) + " out of range: " + std::to_string(n) + " (" + std::to_string(lo) + " to " +
                   std::to_string(hi) + ")");
  return n;
}

double real(const Json& v, const JsonPath& path) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "NaN") return std::nan("");
    if (s == "Infinity") return HUGE_VAL;
    if (s == "-Infinity") return -HUGE_VAL;
  }
  expected(path, "double", v);
}

std::array<uint8_t, 16> uuid(const Json& v, const JsonPath& path) {
  if (!v.is_string()) expected(path, "uuid", v);
  std::string_view s = v.get_ref<const std::string&>();
  if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
  std::array<uint8_t, 16> out{};
  size_t byte = 0;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (s.size() != 36) expected(path, "uuid (8-4-4-4-12 hex digits)", v);
  for (size_t i = 0; i < s.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') expected(path, "uuid (8-4-4-4-12 hex digits)", v);
      ++i;
      continue;
    }
    int hi = hex(s[i]), lo = hex(s[i + 1]);
    if (hi < 0 || lo < 0) expected(path, "uuid (8-4-4-4-12 hex digits)", v);
    out[byte++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return out;
}

int32_t checked_size(size_t n, const JsonPath& path) {
  if (n > static_cast<size_t>(INT32_MAX)) fail(path, "too many elements");
  return static_cast<int32_t>(n);
}

template <class Writer>
class Encoder {
 public:
  Encoder(Writer& w, JsonPath& path) : w_(w), path_(path) {}

  void structure(const idl::StructDef* schema, const Json& v) {
    enter();
    if (!v.is_object())
      expected(path_, schema ? "an object for " + schema->name : std::string("an object of raw fields"), v);
    // Fields named in the IDL, and raw "id:type" keys, merged in id order.
    struct Pending {
      int32_t id;
      std::string_view key;
      const idl::Field* field;  // null for a raw key
      const Json* value;        // null: the field's IDL default
      std::optional<RawKey> raw;
    };
    // On the stack for the usual few fields: a batch encodes one a line.
    boost::container::small_vector<Pending, 8> pending;
    pending.reserve(v.size() + (schema ? schema->fields.size() : 0));
    // Which IDL fields the object names: bits in a word, where (as nearly
    // always) there are at most 64 fields, so that no allocation is made.
    size_t field_count = schema ? schema->fields.size() : 0;
    uint64_t given_first = 0;                                       // fields 0 to 63
    std::vector<bool> given_rest(field_count > 64 ? field_count - 64 : 0);  // the others
    auto mark_given = [&](size_t i) {
      if (i < 64) {
        given_first |= uint64_t{1} << i;
      } else {
        given_rest[i - 64] = true;
      }
    };
    auto is_given = [&](size_t i) { return i < 64 ? (given_first >> i & 1) != 0 : bool(given_rest[i - 64]); };
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (const idl::Field* field = schema ? schema->field_by_name(it.key()) : nullptr) {
        mark_given(static_cast<size_t>(field - schema->fields.data()));
        if (!it.value().is_null()) pending.push_back({field->id, it.key(), field, &it.value(), std::nullopt});
        continue;
      }
      std::optional<RawKey> raw = parse_raw_key(it.key());
      if (!raw) unknown_key(schema, it.key());
      if (schema) same_wire_as_declared(*schema, it.key(), *raw);
      int32_t id = raw->id;
      pending.push_back({id, it.key(), nullptr, &it.value(), std::move(raw)});
    }
    if (schema) {
      for (size_t i = 0; i < schema->fields.size(); ++i) {
        const idl::Field& f = schema->fields[i];
        if (is_given(i)) continue;
        if (f.default_value && schema->kind != idl::StructKind::Union) {
          pending.push_back({f.id, f.name, &f, nullptr, std::nullopt});
        } else if (f.requiredness == idl::Requiredness::Required) {
          fail(path_, "missing required field \"" + f.name + "\" of " + schema->name);
        }
      }
      if (schema->kind == idl::StructKind::Union && pending.size() != 1)
        fail(path_, "a union (" + schema->name + ") takes exactly one field, got " + std::to_string(pending.size()));
    }
    // Usually in order already (JSON written as the IDL declares): then
    // without stable_sort's buffer.
    auto by_id = [](const Pending& a, const Pending& b) { return a.id < b.id; };
    if (!std::is_sorted(pending.begin(), pending.end(), by_id)) std::stable_sort(pending.begin(), pending.end(), by_id);
    for (size_t i = 1; i < pending.size(); ++i)
      if (pending[i].id == pending[i - 1].id)
        fail(path_, "field id " + std::to_string(pending[i].id) + " given twice (\"" + text_preview(pending[i - 1].key) +
                        "\" and \"" + text_preview(pending[i].key) + "\")");

    w_.write_struct_begin();
    for (const Pending& p : pending) {
      path_.push_key(p.key);
      if (p.field) {
        w_.write_field_begin(wire_type(*p.field->type), static_cast<int16_t>(p.field->id));
        if (p.value) {
          value(*p.field->type, *p.value);
        } else {
          default_value(*p.field->type, *p.field->default_value);
        }
      } else {
        w_.write_field_begin(p.raw->type.wire, p.raw->id);
        raw_value(p.raw->type, *p.value);
      }
      w_.write_field_end();
      path_.pop();
    }
    w_.write_field_stop();
    w_.write_struct_end();
    leave();
  }

  void value(const idl::Type& declared, const Json& v) {
    const idl::Type* t = declared.true_type();
    switch (t->kind) {
      case idl::TypeKind::Bool:
      case idl::TypeKind::I8:
      case idl::TypeKind::I16:
      case idl::TypeKind::I32:
      case idl::TypeKind::I64:
      case idl::TypeKind::Double:
      case idl::TypeKind::String:
      case idl::TypeKind::Binary:
      case idl::TypeKind::Uuid: scalar(wire_type(*t), t->kind == idl::TypeKind::Binary, v); return;
      case idl::TypeKind::Enum: w_.write_i32(enum_value(*t->enum_def, v)); return;
      case idl::TypeKind::List:
      case idl::TypeKind::Set:
        sequence(wire_type(*t), wire_type(*t->elem), v, [&](const Json& e) { value(*t->elem, e); });
        return;
      case idl::TypeKind::Map: {
        const idl::Type& key = *t->key;
        map(wire_type(key), wire_type(*t->value), map_keys_are_object_keys(key), v,
            [&](const Json& k) { value(key, k); }, [&](const Json& e) { value(*t->value, e); });
        return;
      }
      case idl::TypeKind::Struct: structure(t->struct_def, v); return;
      case idl::TypeKind::Void:
      case idl::TypeKind::Typedef:
      case idl::TypeKind::Named: break;
    }
    fail(path_, "cannot encode a value of this type");
  }

 private:
  static constexpr int kMaxDepth = 64;

  void enter() {
    if (++depth_ > kMaxDepth) fail(path_, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  void leave() { --depth_; }

  // A raw key may give a field the IDL declares another wire type (to see
  // how a peer skips it). In the same wire type it would only be the field
  // by another name, and a wrong one where the wire cannot tell types apart:
  // "1:string" for a binary field is text where the JSON protocol puts
  // base64, which no reader of the IDL can read back.
  void same_wire_as_declared(const idl::StructDef& schema, const std::string& key, const RawKey& raw) {
    const idl::Field* declared = schema.field_by_id(raw.id);
    if (!declared || wire_type(*declared->type) != raw.type.wire) return;
    path_.push_key(key);
    fail(path_, "field " + std::to_string(raw.id) + " of " + schema.name + " is \"" + declared->name +
                    "\" in the IDL, of that wire type: give it by its name");
  }

  [[noreturn]] void unknown_key(const idl::StructDef* schema, const std::string& key) {
    path_.push_key(key);
    if (!schema) fail(path_, "a raw field key is \"id:type\", e.g. \"1:string\"");
    fail(path_, "unknown field \"" + text_preview(key) + "\" of " + schema->name + idl::did_you_mean_or_list(schema->field_names(), key, "fields"));
  }

  // The values whose JSON form depends only on their wire type: the same for
  // IDL fields and raw keys.
  void scalar(TType wire, bool binary, const Json& v) {
    switch (wire) {
      case TType::Bool:
        if (!v.is_boolean()) expected(path_, "bool", v);
        w_.write_bool(v.get<bool>());
        return;
      case TType::Byte: w_.write_byte(static_cast<int8_t>(integer(v, INT8_MIN, INT8_MAX, "i8", path_))); return;
      case TType::I16: w_.write_i16(static_cast<int16_t>(integer(v, INT16_MIN, INT16_MAX, "i16", path_))); return;
      case TType::I32: w_.write_i32(static_cast<int32_t>(integer(v, INT32_MIN, INT32_MAX, "i32", path_))); return;
      case TType::I64: w_.write_i64(integer(v, INT64_MIN, INT64_MAX, "i64", path_)); return;
      case TType::Double: w_.write_double(real(v, path_)); return;
      case TType::Uuid: w_.write_uuid(uuid(v, path_)); return;
      case TType::String:
        if (!v.is_string()) expected(path_, binary ? "binary (a base64 string)" : "string", v);
        if (binary) {
          auto bytes = base64_decode(v.get_ref<const std::string&>());
          if (!bytes) expected(path_, "binary (a base64 string)", v);
          w_.write_binary(*bytes);
        } else {
          w_.write_string(v.get_ref<const std::string&>());
        }
        return;
      default: break;
    }
    fail(path_, std::string("cannot encode a ") + protocol::to_string(wire) + " here");
  }

  int32_t enum_value(const idl::EnumDef& e, const Json& v) {
    if (v.is_string()) {
      const std::string& name = v.get_ref<const std::string&>();
      std::string_view bare = name;
      if (bare.rfind(e.name + ".", 0) == 0) bare.remove_prefix(e.name.size() + 1);
      if (const idl::EnumValue* ev = e.find(bare)) return ev->value;
      bool numeric = !name.empty() && (std::isdigit(static_cast<unsigned char>(name[0])) || name[0] == '-');
      if (!numeric) {
        fail(path_, "\"" + text_preview(name) + "\" is not a value of enum " + e.name + idl::did_you_mean_or_list(e.value_names(), bare, "values"));
      }
    }
    return static_cast<int32_t>(integer(v, INT32_MIN, INT32_MAX, ("enum " + e.name).c_str(), path_));
  }

  // A list or set from a JSON array; `element` encodes one item.
  template <class Element>
  void sequence(TType kind, TType elem, const Json& v, Element element) {
    if (!v.is_array()) expected(path_, kind == TType::List ? "a list (JSON array)" : "a set (JSON array)", v);
    enter();
    int32_t n = checked_size(v.size(), path_);
    kind == TType::List ? w_.write_list_begin(elem, n) : w_.write_set_begin(elem, n);
    for (size_t i = 0; i < v.size(); ++i) {
      path_.push_index(i);
      element(v[i]);
      path_.pop();
    }
    kind == TType::List ? w_.write_list_end() : w_.write_set_end();
    leave();
  }

  // A map from a JSON object (when `object_keys`: string, enum or integer
  // keys) or from an array of [key, value] pairs.
  template <class Key, class Value>
  void map(TType kw, TType vw, bool object_keys, const Json& v, Key key, Value item) {
    enter();
    if (v.is_object()) {
      if (!object_keys) expected(path_, "an array of [key, value] pairs (the keys are not strings or integers)", v);
      w_.write_map_begin(kw, vw, checked_size(v.size(), path_));
      for (auto it = v.begin(); it != v.end(); ++it) {
        path_.push_key(it.key());
        key(Json(it.key()));
        item(it.value());
        path_.pop();
      }
    } else if (v.is_array()) {
      w_.write_map_begin(kw, vw, checked_size(v.size(), path_));
      for (size_t i = 0; i < v.size(); ++i) {
        path_.push_index(i);
        const Json& pair = v[i];
        if (!pair.is_array() || pair.size() != 2) expected(path_, "a [key, value] pair", pair);
        path_.push_index(0);
        key(pair[0]);
        path_.pop();
        path_.push_index(1);
        item(pair[1]);
        path_.pop();
        path_.pop();
      }
    } else {
      expected(path_, "a map (JSON object or array of [key, value] pairs)", v);
    }
    w_.write_map_end();
    leave();
  }

  // An IDL default: converted to the JSON mapping and encoded like input, so
  // there is one way values reach the wire.
  void default_value(const idl::Type& type, const idl::ConstValue& c);

  void raw_value(const RawType& t, const Json& v) {
    switch (t.wire) {
      case TType::Struct: structure(nullptr, v); return;
      case TType::List:
      case TType::Set: sequence(t.wire, t.elem->wire, v, [&](const Json& e) { raw_value(*t.elem, e); }); return;
      case TType::Map: {
        bool object_keys = t.key->wire == TType::String || t.key->wire == TType::Byte ||
                           t.key->wire == TType::I16 || t.key->wire == TType::I32 || t.key->wire == TType::I64;
        map(t.key->wire, t.value->wire, object_keys, v, [&](const Json& k) { raw_value(*t.key, k); },
            [&](const Json& e) { raw_value(*t.value, e); });
        return;
      }
      default: scalar(t.wire, t.binary, v);
    }
  }

  Writer& w_;
  JsonPath& path_;
  int depth_ = 0;
};

template <class Writer>
void Encoder<Writer>::default_value(const idl::Type& type, const idl::ConstValue& c) {
  Json as_json = const_to_json(c, type);
  value(type, as_json);
}

}  // namespace

template <class Writer>
void encode_struct(Writer& writer, const idl::StructDef* schema, const Json& value, JsonPath& path) {
  Encoder<Writer>(writer, path).structure(schema, value);
}

template <class Writer>
void encode_value(Writer& writer, const idl::Type& type, const Json& value, JsonPath& path) {
  Encoder<Writer>(writer, path).value(type, value);
}

#define THRIFT_CALL_INSTANTIATE(W)                                                    \
  template void encode_struct<W>(W&, const idl::StructDef*, const Json&, JsonPath&); \
  template void encode_value<W>(W&, const idl::Type&, const Json&, JsonPath&);
THRIFT_CALL_INSTANTIATE(protocol::BinaryWriter)
THRIFT_CALL_INSTANTIATE(protocol::CompactWriter)
THRIFT_CALL_INSTANTIATE(protocol::JsonWriter)
#undef THRIFT_CALL_INSTANTIATE

}  // namespace thrift_call::codec
