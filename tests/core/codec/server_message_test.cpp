// The server's side of messages, against Apache's Python library: calls its
// generated client writes (golden_messages.py) must decode to the arguments
// given, and replies thrift-call writes must be byte for byte the replies its
// generated processor writes for the same values.
#include <catch2/catch.hpp>

#include "../../idl/idl_test_util.h"
#include "../../support/process.h"
#include "core/codec/message.h"
#include "base/hex.h"
#include "base/error.h"
#include "idl/loader.h"

using namespace thrift_call;
using ordered = nlohmann::ordered_json;
using nlohmann::json;

namespace {

const std::string kThriftTest =
    std::string(THRIFT_CALL_SOURCE_DIR) + "/tests/data/ThriftTest.thrift";

std::vector<ordered> golden_cases() {
  test::ScratchDir dir;
  test::command_output("thrift --gen py -out '" + dir.path().string() + "' '" + kThriftTest + "' >/dev/null 2>&1");
  std::vector<ordered> cases = test::json_lines(test::command_output(
      "/usr/bin/python3 '" THRIFT_CALL_SOURCE_DIR "/tests/core/codec/golden_messages.py' '" + dir.path().string() + "'"));
  REQUIRE(cases.size() >= 50);
  return cases;
}

codec::ProtocolKind kind_of(const ordered& c) { return *codec::parse_protocol_kind(c["protocol"].get<std::string>()); }

// TJSONProtocol binary: Python pads its base64, thrift-call does not (as C++ and Java).
std::string unpadded(std::string bytes) {
  for (size_t pos; (pos = bytes.find("=\"")) != std::string::npos;) bytes.erase(pos, 1);
  return bytes;
}

}  // namespace

TEST_CASE("calls from Apache's generated Python client decode to their arguments, multiplexed too",
          "[core][codec][message][serve][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  int checked = 0;
  for (const ordered& c : golden_cases()) {
    if (c["call"].get<std::string>().empty()) continue;
    INFO(c["case"].get<std::string>() << " / " << c["protocol"].get<std::string>());
    std::string bytes = *from_hex(c["call"].get<std::string>());
    std::string seen_name;
    codec::Call call = codec::decode_call(kind_of(c), bytes, [&](const protocol::MessageHeader& h) {
      seen_name = h.name;
      return schema.find_function("ThriftTest." + c["method"].get<std::string>());
    });
    CHECK(call.consumed == bytes.size());
    CHECK(seen_name == (c["multiplex"].get<bool>() ? "ThriftTest:" : "") + c["method"].get<std::string>());
    CHECK(json::parse(call.args_json) == json::parse(c["args"].dump()));
    // Unknown to the resolver: read raw, to its end all the same.
    codec::Call raw = codec::decode_call(kind_of(c), bytes, [](const protocol::MessageHeader&) {
      return static_cast<const idl::Function*>(nullptr);
    });
    CHECK(raw.consumed == bytes.size());
    ++checked;
  }
  CHECK(checked > 40);
}

TEST_CASE("replies are written byte for byte as Apache's generated Python processor writes them",
          "[core][codec][message][serve][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  int checked = 0;
  for (const ordered& c : golden_cases()) {
    if (c["reply"].get<std::string>().empty() || c["multiplex"].get<bool>()) continue;
    INFO(c["case"].get<std::string>() << " / " << c["protocol"].get<std::string>());
    const idl::Function* fn = schema.find_function("ThriftTest." + c["method"].get<std::string>());
    std::string expected = *from_hex(c["reply"].get<std::string>());
    if (kind_of(c) == codec::ProtocolKind::Json) expected = unpadded(expected);
    const ordered& expect = c["expect"];
    std::string written;
    if (expect["kind"] == "application") {
      // The processor's own text differs by library; the type and envelope are compared by decoding.
      codec::Reply theirs = codec::decode_reply(kind_of(c), expected, fn);
      written = codec::encode_application_exception(kind_of(c), theirs.header.name, theirs.header.seqid,
                                                    theirs.application_exception);
    } else if (expect["kind"] == "success") {
      ordered value = ordered::parse(expect["json"].dump());
      written = codec::encode_reply(kind_of(c), *fn, fn->name, 0,
                                    value.is_null() ? ordered::object() : ordered::object({{"success", value}}));
    } else {
      ordered thrown = ordered::parse(expect["json"].dump());
      const idl::Field* field = nullptr;
      for (const auto& e : fn->exceptions)
        if (e.type->true_type()->struct_def->name == thrown.begin().key()) field = &e;
      REQUIRE(field != nullptr);
      written = codec::encode_reply(kind_of(c), *fn, fn->name, 0, ordered::object({{field->name, thrown.begin().value()}}));
    }
    CHECK(to_hex(written) == to_hex(expected));
    ++checked;
  }
  CHECK(checked > 20);
}

TEST_CASE("a reply given to decode_call is refused, and a truncated call is input-ended",
          "[core][codec][message][serve][bad-input]") {
  auto none = [](const protocol::MessageHeader&) { return static_cast<const idl::Function*>(nullptr); };
  for (auto kind : {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact, codec::ProtocolKind::Json}) {
    std::string reply = codec::encode_application_exception(kind, "f", 1, {1, "x"});
    CHECK_THROWS_WITH(codec::decode_call(kind, reply, none), Catch::Contains("expected a call, got a exception"));
    std::string call = codec::encode_raw_call(kind, "f", false, codec::Json::parse(R"({"1:string": "Ann"})"), 1);
    for (size_t n = 0; n < call.size(); ++n) {
      try {
        codec::decode_call(kind, std::string_view(call).substr(0, n), none);
        FAIL("a call cut at byte " << n << " decoded");
      } catch (const protocol::InputEnded&) {
      } catch (const Error& e) {
        // JSON may see the cut as a syntax error first; either is a protocol error.
        CHECK(e.kind() == ErrorKind::Protocol);
      }
    }
  }
}
