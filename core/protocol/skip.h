// skip(): read past one value of a known type without decoding it, for
// fields the schema does not know and for raw decoding.
#pragma once

#include "core/protocol/ttype.h"

namespace thrift_call::protocol {

// Reads and discards one value of `type`. `depth_left` is how many more
// levels of struct or container nesting may be entered (the caller's
// remaining budget, normally reader.limits().max_depth at the top); entering
// one with none left throws Error "nesting deeper than N levels", N being
// reader.limits().max_depth. Works with BinaryReader, CompactReader and
// JsonReader.
template <class Reader>
void skip(Reader& reader, TType type, int depth_left) {
  switch (type) {
    case TType::Bool: reader.read_bool(); return;
    case TType::Byte: reader.read_byte(); return;
    case TType::I16: reader.read_i16(); return;
    case TType::I32: reader.read_i32(); return;
    case TType::I64: reader.read_i64(); return;
    case TType::Double: reader.read_double(); return;
    // read_string, not read_binary: in TJSONProtocol binary is a base64
    // string, and skipping it need not decode it.
    case TType::String: reader.read_string(); return;
    case TType::Uuid: reader.read_uuid(); return;
    case TType::Stop:
    case TType::Void: return;
    case TType::Struct:
    case TType::Map:
    case TType::Set:
    case TType::List: break;
  }
  if (depth_left <= 0) detail::throw_too_deep(reader.offset(), reader.limits().max_depth);
  switch (type) {
    case TType::Struct:
      reader.read_struct_begin();
      for (FieldHeader field = reader.read_field_begin(); field.type != TType::Stop;
           field = reader.read_field_begin()) {
        skip(reader, field.type, depth_left - 1);
        reader.read_field_end();
      }
      reader.read_struct_end();
      return;
    case TType::Map: {
      MapHeader map = reader.read_map_begin();
      for (int32_t i = 0; i < map.size; ++i) {
        skip(reader, map.key, depth_left - 1);
        skip(reader, map.value, depth_left - 1);
      }
      reader.read_map_end();
      return;
    }
    case TType::Set: {
      ListHeader set = reader.read_set_begin();
      for (int32_t i = 0; i < set.size; ++i) skip(reader, set.elem, depth_left - 1);
      reader.read_set_end();
      return;
    }
    case TType::List: {
      ListHeader list = reader.read_list_begin();
      for (int32_t i = 0; i < list.size; ++i) skip(reader, list.elem, depth_left - 1);
      reader.read_list_end();
      return;
    }
    default: return;
  }
}

}  // namespace thrift_call::protocol
