// thrift-call's codec against Apache Thrift's Python library: the bytes
// TSerializer writes for a table of ThriftTest values (made at test time by
// golden_codec.py) must be exactly what thrift-call encodes from the same
// value in JSON, and decoding them must give that JSON back.
#include <catch2/catch.hpp>
#include <filesystem>

#include "../../idl/idl_test_util.h"
#include "../../support/process.h"
#include "base/hex.h"
#include "core/codec/codec.h"
#include "core/user_input/mapped_text.h"
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

ordered keys_reversed(const ordered& value) {
  if (value.is_array()) {
    ordered out = ordered::array();
    for (const ordered& e : value) out.push_back(keys_reversed(e));
    return out;
  }
  if (!value.is_object()) return value;
  ordered out = ordered::object();
  std::vector<std::pair<std::string, const ordered*>> members;
  for (auto it = value.begin(); it != value.end(); ++it) members.emplace_back(it.key(), &it.value());
  for (auto it = members.rbegin(); it != members.rend(); ++it) out[it->first] = keys_reversed(*it->second);
  return out;
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
      // The same from the value's text, streamed as `encode` reads a file.
      std::string streamed;
      codec::serialize(protocol, type, MappedText::from_text(value.dump()).padded(), streamed);
      CHECK(to_hex(streamed) == expected);
      // With every object's keys in reverse order: structs are put back in
      // field-id order; maps given as objects keep the JSON's order, so the
      // bytes differ, and their decoding is compared instead.
      std::string reversed;
      codec::serialize(protocol, type, MappedText::from_text(keys_reversed(value).dump()).padded(), reversed);
      codec::Deserialized d = codec::deserialize(protocol, reversed, type);
      CHECK(d.consumed == reversed.size());
      CHECK(json::parse(d.json) == json::parse(c["decoded"].dump()));
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
