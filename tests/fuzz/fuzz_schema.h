// What the fuzz targets decode against: the first input byte picks one of
// these ThriftTest types, or raw mode; the rest is the wire bytes.
#pragma once

#include <string>
#include <string_view>

#include "core/codec/codec.h"
#include "idl/loader.h"

namespace thrift_call::fuzz {

inline const idl::Type* pick_type(uint8_t selector) {
  static const idl::Schema schema = idl::load_schema({THRIFT_CALL_FUZZ_IDL});
  static const char* const names[] = {"Insanity", "CrazyNesting", "Xtruct2", "LargeDeltas", "NestedMixedx2",
                                      "OptionalBinary", "SomeUnion"};
  size_t n = std::size(names);
  if (selector % (n + 1) == n) return nullptr;  // raw mode
  return schema.find_type(names[selector % (n + 1)]);
}

}  // namespace thrift_call::fuzz
