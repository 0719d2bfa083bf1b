#include "core/serve/zero_value.h"

#include <vector>

#include "core/const_json.h"

namespace thrift_call::serve {

using codec::Json;
using namespace idl;

namespace {

class ZeroMaker {
 public:
  Json of_type(const Type& declared) {
    const Type* t = declared.true_type();
    switch (t->kind) {
      case TypeKind::Bool: return false;
      case TypeKind::I8:
      case TypeKind::I16:
      case TypeKind::I32:
      case TypeKind::I64: return 0;
      case TypeKind::Double: return 0.0;
      case TypeKind::String:
      case TypeKind::Binary: return "";
      case TypeKind::Uuid: return "00000000-0000-0000-0000-000000000000";
      case TypeKind::Enum:
        if (const EnumValue* zero = t->enum_def->find(0)) return zero->name;
        if (t->enum_def->values.empty()) return 0;
        return t->enum_def->values.front().name;
      case TypeKind::List:
      case TypeKind::Set: return Json::array();
      case TypeKind::Map: return map_keys_are_object_keys(*t->key) ? Json::object() : Json::array();
      case TypeKind::Struct: return of_struct(*t->struct_def);
      case TypeKind::Void:
      case TypeKind::Typedef:
      case TypeKind::Named: break;
    }
    return nullptr;
  }

 private:
  Json of_struct(const StructDef& s) {
    Json out = Json::object();
    for (const StructDef* open : open_)
      if (open == &s) return out;
    open_.push_back(&s);
    for (const Field* f : s.fields_in_id_order()) {
      if (f->default_value) {
        out[f->name] = const_to_json(*f->default_value, *f->type);
      } else if (s.kind == StructKind::Union || f->requiredness != Requiredness::Optional) {
        out[f->name] = of_type(*f->type);
      }
      if (s.kind == StructKind::Union && !out.empty()) break;  // a union sets exactly one field
    }
    open_.pop_back();
    return out;
  }

  std::vector<const StructDef*> open_;
};

}  // namespace

Json zero_value(const Type& type) { return ZeroMaker().of_type(type); }

bool same_type(const Type& declared_a, const Type& declared_b) {
  const Type* a = declared_a.true_type();
  const Type* b = declared_b.true_type();
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case TypeKind::Struct: return a->struct_def == b->struct_def;
    case TypeKind::Enum: return a->enum_def == b->enum_def;
    case TypeKind::List:
    case TypeKind::Set: return same_type(*a->elem, *b->elem);
    case TypeKind::Map: return same_type(*a->key, *b->key) && same_type(*a->value, *b->value);
    default: return true;
  }
}

}  // namespace thrift_call::serve
