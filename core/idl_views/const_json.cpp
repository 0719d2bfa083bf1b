#include "core/idl_views/const_json.h"

#include "core/codec/base64.h"

namespace thrift_call {

using nlohmann::ordered_json;
using namespace idl;

bool map_keys_are_object_keys(const Type& key_type) {
  switch (key_type.true_type()->kind) {
    case TypeKind::String:
    case TypeKind::Enum:
    case TypeKind::I8:
    case TypeKind::I16:
    case TypeKind::I32:
    case TypeKind::I64:
      return true;
    default:
      return false;
  }
}

namespace {
std::string object_key(const ordered_json& key) { return key.is_string() ? key.get<std::string>() : key.dump(); }
}  // namespace

ordered_json const_to_json(const ConstValue& value, const Type& declared) {
  const Type* type = declared.true_type();
  switch (type->kind) {
    case TypeKind::Bool: return value.integer != 0;
    case TypeKind::I8:
    case TypeKind::I16:
    case TypeKind::I32:
    case TypeKind::I64: return value.integer;
    case TypeKind::Double:
      return value.kind == ConstValue::Kind::Double ? value.dbl : static_cast<double>(value.integer);
    case TypeKind::String: return value.text;
    case TypeKind::Binary: return base64_encode(value.text);
    case TypeKind::Uuid: {
      std::string text = value.text;
      if (text.size() == 38) text = text.substr(1, 36);
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return text;
    }
    case TypeKind::Enum: {
      const EnumValue* v = type->enum_def->find(static_cast<int32_t>(value.integer));
      if (v) return v->name;
      return value.integer;
    }
    case TypeKind::List:
    case TypeKind::Set: {
      ordered_json out = ordered_json::array();
      for (const ConstValue& item : value.list) out.push_back(const_to_json(item, *type->elem));
      return out;
    }
    case TypeKind::Map: {
      if (map_keys_are_object_keys(*type->key)) {
        ordered_json out = ordered_json::object();
        for (const auto& [k, v] : value.map)
          out[object_key(const_to_json(k, *type->key))] = const_to_json(v, *type->value);
        return out;
      }
      ordered_json out = ordered_json::array();
      for (const auto& [k, v] : value.map)
        out.push_back(ordered_json::array({const_to_json(k, *type->key), const_to_json(v, *type->value)}));
      return out;
    }
    case TypeKind::Struct: {
      ordered_json out = ordered_json::object();
      for (const Field* f : type->struct_def->fields_in_id_order()) {
        for (const auto& [k, v] : value.map)
          if (k.text == f->name) out[f->name] = const_to_json(v, *f->type);
      }
      return out;
    }
    case TypeKind::Void:
    case TypeKind::Typedef:
    case TypeKind::Named:
      break;
  }
  return nullptr;
}

}  // namespace thrift_call
