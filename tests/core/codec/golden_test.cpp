// thrift-call's codec against Apache Thrift's Python library: the bytes
// TSerializer writes for a table of ThriftTest values (made at test time by
// golden_codec.py) must be exactly what thrift-call encodes from the same
// value in JSON, and decoding them must give that JSON back.
#include <catch2/catch.hpp>

#include <filesystem>

#include "../../idl/idl_test_util.h"
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
  test::ScratchDir dir;
  test::command_output("thrift --gen py -out '" + dir.path().string() + "' '" + kThriftTest + "' >/dev/null 2>&1");
  std::string out = test::command_output("/usr/bin/python3 '" THRIFT_CALL_SOURCE_DIR "/tests/core/codec/golden_codec.py' '" +
                        dir.path().string() + "'");
  std::vector<ordered> cases = test::json_lines(out);
  REQUIRE(cases.size() >= 15);  // the reference library ran (python3-thrift installed)
  return cases;
}

std::string strip_base64_padding(std::string text) {
  for (size_t pos; (pos = text.find("=\"")) != std::string::npos;) text.erase(pos, 1);
  return text;
}

}  // namespace

TEST_CASE("encode writes byte for byte what Apache's Python TSerializer writes, in all three protocols",
          "[core][codec][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  for (const ordered& c : golden_cases()) {
    const idl::Type* type = schema.find_type(c["type"].get<std::string>());
    REQUIRE(type != nullptr);
    const codec::Json& value = c["json"];
    for (auto [protocol, key] : {std::pair{codec::ProtocolKind::Binary, "binary"},
                                 std::pair{codec::ProtocolKind::Binary, "binary_accel"},
                                 std::pair{codec::ProtocolKind::Compact, "compact"},
                                 std::pair{codec::ProtocolKind::Compact, "compact_accel"},
                                 std::pair{codec::ProtocolKind::Json, "json_protocol"}}) {
      INFO(c["case"].get<std::string>() << " / " << key);
      std::string expected = c[key].get<std::string>();
      // TJSONProtocol binary: Python pads its base64, Apache's C++ and Java
      // writers do not; thrift-call writes it as C++ and Java do.
      if (key == std::string("json_protocol")) expected = to_hex(strip_base64_padding(*from_hex(expected)));
      CHECK(to_hex(codec::serialize(protocol, type, value)) == expected);
    }
  }
}

TEST_CASE("decoding the reference library's bytes gives the JSON back", "[core][codec][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  for (const ordered& c : golden_cases()) {
    const idl::Type* type = schema.find_type(c["type"].get<std::string>());
    for (auto [protocol, key] : {std::pair{codec::ProtocolKind::Binary, "binary"},
                                 std::pair{codec::ProtocolKind::Compact, "compact"},
                                 std::pair{codec::ProtocolKind::Json, "json_protocol"}}) {
      INFO(c["case"].get<std::string>() << " / " << key);
      std::string bytes = *from_hex(c[key].get<std::string>());
      codec::Deserialized d = codec::deserialize(protocol, bytes, type);
      CHECK(d.consumed == bytes.size());
      CHECK(json::parse(d.json) == json::parse(c["decoded"].dump()));
      // Raw mode reads the same bytes without the IDL, and writes them back.
      codec::Deserialized raw = codec::deserialize(protocol, bytes, nullptr);
      std::string again = codec::serialize(protocol, nullptr, codec::Json::parse(raw.json));
      CHECK(to_hex(again) == to_hex(bytes));
    }
  }
}
