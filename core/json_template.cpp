#include "core/json_template.h"

#include <vector>

#include "core/const_json.h"

namespace thrift_call {

using nlohmann::ordered_json;
using namespace idl;

namespace {

class TemplateMaker {
 public:
  ordered_json of_struct(const StructDef& s) {
    ordered_json out = ordered_json::object();
    for (const StructDef* open : open_)
      if (open == &s) return out;
    open_.push_back(&s);
    for (const Field* f : s.fields_in_id_order()) {
      out[f->name] = f->default_value ? const_to_json(*f->default_value, *f->type) : of_type(*f->type);
      if (s.kind == StructKind::Union) break;  // a union sets exactly one field
    }
    open_.pop_back();
    return out;
  }

  ordered_json of_type(const Type& declared) {
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
        if (!t->enum_def->values.empty()) return t->enum_def->values.front().name;
        return 0;
      case TypeKind::List:
      case TypeKind::Set: return ordered_json::array({of_type(*t->elem)});
      case TypeKind::Map: {
        ordered_json key = of_type(*t->key);
        if (map_keys_are_object_keys(*t->key)) {
          ordered_json out = ordered_json::object();
          out[key.is_string() ? key.get<std::string>() : key.dump()] = of_type(*t->value);
          return out;
        }
        return ordered_json::array({ordered_json::array({key, of_type(*t->value)})});
      }
      case TypeKind::Struct: return of_struct(*t->struct_def);
      case TypeKind::Void:
      case TypeKind::Typedef:
      case TypeKind::Named: break;
    }
    return nullptr;
  }

 private:
  std::vector<const StructDef*> open_;
};

}  // namespace

ordered_json make_template(const StructDef& fields) { return TemplateMaker().of_struct(fields); }
ordered_json make_template(const Type& type) { return TemplateMaker().of_type(type); }

}  // namespace thrift_call
