#include "core/idl_views/placeholder.h"

namespace thrift_call {

using nlohmann::ordered_json;
using namespace idl;

ordered_json scalar_placeholder(const Type& declared) {
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
      if (!t->enum_def->values.empty()) return t->enum_def->values.front().name;
      return 0;
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::Map:
    case TypeKind::Struct:
    case TypeKind::Void:
    case TypeKind::Typedef:
    case TypeKind::Named: break;
  }
  return nullptr;
}

size_t count_values(const ordered_json& value) {
  size_t n = 1;
  if (value.is_structured())
    for (const auto& item : value) n += count_values(item);
  return n;
}

}  // namespace thrift_call
