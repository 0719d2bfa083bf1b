// Parse fuzzer: any bytes, decoded with a schema or raw, either give JSON or
// a thrift_call::Error of kind Protocol; never a crash, a hang or a leak.
#include <cstdint>
#include <cstdlib>

#include "fuzz_schema.h"
#include "base/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace thrift_call;
  if (size < 1) return 0;
  const idl::Type* type = fuzz::pick_type(data[0]);
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    codec::deserialize(codec::ProtocolKind::THRIFT_CALL_FUZZ_PROTOCOL, bytes, type);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Protocol) std::abort();
  }
  return 0;
}
