// Differential: parse_json (RapidJSON's reader into the nlohmann tree) must
// give exactly nlohmann's own tree, or throw where nlohmann throws; and so
// must parse_json_into, reusing the tree the previous input left.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/json_parse.h"

using thrift_call::codec::Json;

namespace {

// Both trees as CBOR (which keeps signed, unsigned and float apart), or
// "error" when parsing throws.
template <typename Parse>
std::string outcome(Parse parse) {
  try {
    std::vector<uint8_t> cbor = Json::to_cbor(parse());
    return std::string(cbor.begin(), cbor.end());
  } catch (const nlohmann::json::exception&) {
    return "error";
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string ours = outcome([&] { return thrift_call::codec::parse_json(text); });
  // Parsed again into the tree the previous input left, as a batch reuses it.
  static Json reused;
  std::string ours_reused = outcome([&] {
    thrift_call::codec::parse_json_into(text, reused);
    return reused;
  });
  if (ours_reused != ours) std::abort();
  // A NUL byte is refused; nlohmann would stop at it instead.
  if (text.find('\0') != std::string_view::npos) {
    if (ours != "error") std::abort();
  } else if (ours != outcome([&] { return Json::parse(text); })) {
    std::abort();
  }
  return 0;
}
