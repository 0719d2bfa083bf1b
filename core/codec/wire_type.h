// How IDL types travel: the TType each one has on the wire.
#pragma once

#include "core/protocol/ttype.h"
#include "idl/schema.h"

namespace thrift_call::codec {

inline protocol::TType wire_type(const idl::Type& declared) {
  using protocol::TType;
  const idl::Type* t = declared.true_type();
  switch (t->kind) {
    case idl::TypeKind::Bool: return TType::Bool;
    case idl::TypeKind::I8: return TType::Byte;
    case idl::TypeKind::I16: return TType::I16;
    case idl::TypeKind::I32:
    case idl::TypeKind::Enum: return TType::I32;
    case idl::TypeKind::I64: return TType::I64;
    case idl::TypeKind::Double: return TType::Double;
    case idl::TypeKind::String:
    case idl::TypeKind::Binary: return TType::String;
    case idl::TypeKind::Uuid: return TType::Uuid;
    case idl::TypeKind::List: return TType::List;
    case idl::TypeKind::Set: return TType::Set;
    case idl::TypeKind::Map: return TType::Map;
    case idl::TypeKind::Struct: return TType::Struct;
    case idl::TypeKind::Void:
    case idl::TypeKind::Typedef:
    case idl::TypeKind::Named: break;
  }
  return TType::Void;
}

}  // namespace thrift_call::codec
