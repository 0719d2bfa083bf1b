// Round-trip fuzzer: whatever decodes must encode again, and from then on
// decode and encode must reproduce each other exactly (with the schema, and
// in raw mode).
#include <cstdint>
#include <cstdlib>

#include "fuzz_schema.h"
#include "base/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace thrift_call;
  if (size < 1) return 0;
  const auto kind = codec::ProtocolKind::THRIFT_CALL_FUZZ_PROTOCOL;
  const idl::Type* type = fuzz::pick_type(data[0]);
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  codec::Deserialized first;
  try {
    first = codec::deserialize(kind, bytes, type);
  } catch (const Error& e) {
    return 0;  // not a value: the parse fuzzer covers this
  }
  // Decoded JSON may still be unencodable (an enum value the IDL lacks in a
  // map key, a union with two fields set, a required field missing): those
  // are input errors. What encodes must decode back to the same JSON.
  std::string again;
  try {
    again = codec::serialize(kind, type, codec::Json::parse(first.json));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Input) std::abort();
    return 0;
  }
  // One encode normalises: fields go in field-id order and absent fields
  // with IDL defaults get them. From there on, decode and encode must be
  // exact inverses.
  codec::Deserialized second = codec::deserialize(kind, again, type);
  if (second.consumed != again.size()) std::abort();
  if (codec::serialize(kind, type, codec::Json::parse(second.json)) != again) std::abort();
  return 0;
}
