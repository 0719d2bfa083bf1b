// What the fuzz targets decode against: the first input byte picks one of
// these ThriftTest types (or raw mode), a protocol, or a ThriftTest function;
// the rest is the bytes under test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/codec/codec.h"
#include "idl/loader.h"

namespace thrift_call::fuzz {

inline const idl::Schema& thrift_test_schema() {
  static const idl::Schema schema = idl::load_schema({THRIFT_CALL_FUZZ_IDL});
  return schema;
}

inline const idl::Type* pick_type(uint8_t selector) {
  static const char* const names[] = {"Insanity", "CrazyNesting", "Xtruct2", "LargeDeltas", "NestedMixedx2",
                                      "OptionalBinary", "SomeUnion"};
  size_t n = std::size(names);
  if (selector % (n + 1) == n) return nullptr;  // raw mode
  return thrift_test_schema().find_type(names[selector % (n + 1)]);
}

inline codec::ProtocolKind pick_protocol(uint8_t selector) {
  static const codec::ProtocolKind kinds[] = {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact,
                                              codec::ProtocolKind::Json};
  return kinds[selector % 3];
}

// Every function of the ThriftTest service, in declaration order.
inline const std::vector<const idl::Function*>& thrift_test_functions() {
  static const std::vector<const idl::Function*> functions =
      thrift_test_schema().find_service("ThriftTest")->all_functions();
  return functions;
}

inline const idl::Function* pick_function(uint8_t selector) {
  const auto& functions = thrift_test_functions();
  return functions[selector % functions.size()];
}

}  // namespace thrift_call::fuzz
