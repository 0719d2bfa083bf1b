// thrift-call's codec against Apache Thrift's C++ library, the reference it
// follows: the bytes the generated C++ write() puts through TBinaryProtocol,
// TCompactProtocol and TJSONProtocol for a table of ThriftTest values (made
// at test time by tests/reference/golden_cpp.cpp) must be exactly what
// thrift-call encodes from the same value in JSON, and decoding them must
// give that value back.
#include <catch2/catch.hpp>

#include <filesystem>

#include "../../support/process.h"
#include "core/codec/codec.h"
#include "base/hex.h"
#include "idl/loader.h"

using namespace thrift_call;
using nlohmann::json;
using ordered = nlohmann::ordered_json;

namespace {

const std::string kThriftTest =
    std::string(THRIFT_CALL_SOURCE_DIR) + "/tests/data/ThriftTest.thrift";

std::vector<ordered> golden_cases() {
  // Built with the tests; a missing generator is a failure, never a skip.
  REQUIRE(std::filesystem::is_regular_file(THRIFT_CALL_GOLDEN_CPP));
  std::vector<ordered> cases = test::json_lines(test::command_output("'" THRIFT_CALL_GOLDEN_CPP "'"));
  REQUIRE(cases.size() >= 20);
  return cases;
}

constexpr std::pair<codec::ProtocolKind, const char*> kProtocols[] = {
    {codec::ProtocolKind::Binary, "binary"},
    {codec::ProtocolKind::Compact, "compact"},
    {codec::ProtocolKind::Json, "json_protocol"},
};

}  // namespace

TEST_CASE("encode writes byte for byte what Apache's C++ generated code writes, in all three protocols",
          "[core][codec][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  for (const ordered& c : golden_cases()) {
    const idl::Type* type = schema.find_type(c["type"].get<std::string>());
    REQUIRE(type != nullptr);
    for (auto [protocol, key] : kProtocols) {
      INFO(c["case"].get<std::string>() << " / " << key);
      CHECK(to_hex(codec::serialize(protocol, type, c["json"])) == c[key].get<std::string>());
    }
  }
}

TEST_CASE("decoding the bytes Apache's C++ generated code writes gives the value back", "[core][codec][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  for (const ordered& c : golden_cases()) {
    const idl::Type* type = schema.find_type(c["type"].get<std::string>());
    REQUIRE(type != nullptr);
    for (auto [protocol, key] : kProtocols) {
      INFO(c["case"].get<std::string>() << " / " << key);
      std::optional<std::string> bytes = from_hex(c[key].get<std::string>());
      REQUIRE(bytes);
      codec::Deserialized d = codec::deserialize(protocol, *bytes, type);
      CHECK(d.consumed == bytes->size());
      CHECK(json::parse(d.json) == json::parse(c["decoded"].dump()));
    }
  }
}
