// Call and reply messages against Apache's Python library: its generated
// client writes the calls (golden_messages.py), its generated processor the
// replies. thrift-call must write the same calls and read those replies.
#include <catch2/catch.hpp>


#include "../../idl/idl_test_util.h"
#include "../../support/process.h"
#include "core/codec/message.h"
#include "base/hex.h"
#include "core/protocol/binary.h"
#include "base/error.h"
#include "idl/loader.h"

using namespace thrift_call;
using ordered = nlohmann::ordered_json;
using nlohmann::json;

namespace {

const std::string kThriftTest =
    std::string(THRIFT_CALL_SOURCE_DIR) + "/tests/data/ThriftTest.thrift";

std::vector<ordered> message_cases() {
  test::ScratchDir dir;
  test::command_output("thrift --gen py -out '" + dir.path().string() + "' '" + kThriftTest + "' >/dev/null 2>&1");
  std::string out = test::command_output("/usr/bin/python3 '" THRIFT_CALL_SOURCE_DIR "/tests/core/codec/golden_messages.py' '" +
                        dir.path().string() + "'");
  std::vector<ordered> cases = test::json_lines(out);
  REQUIRE(cases.size() >= 50);  // the reference library ran
  return cases;
}

codec::ProtocolKind kind_of(const ordered& c) { return *codec::parse_protocol_kind(c["protocol"].get<std::string>()); }

}  // namespace

TEST_CASE("calls are written byte for byte as Apache's generated Python client writes them, multiplexed too",
          "[core][codec][message][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  int checked = 0;
  for (const ordered& c : message_cases()) {
    if (c["call"].get<std::string>().empty()) continue;
    INFO(c["case"].get<std::string>() << " / " << c["protocol"].get<std::string>()
                                      << (c["multiplex"].get<bool>() ? " / multiplexed" : ""));
    const idl::Function* fn = schema.find_function("ThriftTest." + c["method"].get<std::string>());
    REQUIRE(fn != nullptr);
    std::string prefix = c["multiplex"].get<bool>() ? "ThriftTest" : "";
    std::string expected = *from_hex(c["call"].get<std::string>());
    // TJSONProtocol binary: Python pads its base64; thrift-call writes it as
    // Apache's C++ and Java do, without padding.
    if (kind_of(c) == codec::ProtocolKind::Json)
      for (size_t pos; (pos = expected.find("=\"")) != std::string::npos;) expected.erase(pos, 1);
    CHECK(to_hex(codec::encode_call(kind_of(c), *fn, c["args"], 0, prefix)) == to_hex(expected));
    ++checked;
  }
  CHECK(checked > 40);
}

TEST_CASE("replies from Apache's generated Python processor decode to a value, a declared or an application exception",
          "[core][codec][message][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  for (const ordered& c : message_cases()) {
    if (c["reply"].get<std::string>().empty() || c["multiplex"].get<bool>()) continue;
    INFO(c["case"].get<std::string>() << " / " << c["protocol"].get<std::string>());
    const idl::Function* fn = schema.find_function("ThriftTest." + c["method"].get<std::string>());
    std::string bytes = *from_hex(c["reply"].get<std::string>());
    codec::Reply reply = codec::decode_reply(kind_of(c), bytes, fn);
    CHECK(reply.consumed == bytes.size());
    const ordered& expect = c["expect"];
    if (expect["kind"] == "application") {
      CHECK(reply.kind == codec::ReplyKind::ApplicationException);
      CHECK(reply.application_exception.type == expect["type"].get<int>());
      CHECK(!reply.application_exception.message.empty());
      continue;
    }
    CHECK(reply.kind == (expect["kind"] == "success" ? codec::ReplyKind::Success : codec::ReplyKind::DeclaredException));
    CHECK(json::parse(reply.json) == json::parse(expect["json"].dump()));
    CHECK_NOTHROW(codec::check_reply_header(reply.header, c["method"].get<std::string>(), 0));
    // Without the IDL the same reply still decodes, in raw notation.
    codec::Reply raw = codec::decode_reply(kind_of(c), bytes, nullptr);
    CHECK(raw.kind == reply.kind);
  }
}

TEST_CASE("find_reply_end finds where each of those replies ends, and decoding from there reads the same",
          "[core][codec][message][golden]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  int checked = 0;
  for (const ordered& c : message_cases()) {
    if (c["reply"].get<std::string>().empty() || c["multiplex"].get<bool>()) continue;
    INFO(c["case"].get<std::string>() << " / " << c["protocol"].get<std::string>());
    const idl::Function* fn = schema.find_function("ThriftTest." + c["method"].get<std::string>());
    std::string bytes = *from_hex(c["reply"].get<std::string>());
    // The next reply's first bytes already in: the extent stops before them.
    std::string received = bytes + bytes.substr(0, 7);
    codec::ReplyExtent extent = codec::find_reply_end(kind_of(c), received);
    CHECK(extent.consumed == bytes.size());
    CHECK(extent.body_at > 0);
    CHECK(extent.body_at < extent.consumed);
    codec::Reply whole = codec::decode_reply(kind_of(c), bytes, fn);
    CHECK(extent.header.name == whole.header.name);
    CHECK(extent.header.seqid == whole.header.seqid);
    CHECK(extent.header.type == whole.header.type);
    codec::Reply resumed = codec::decode_reply(kind_of(c), bytes, extent, fn);
    CHECK(resumed.kind == whole.kind);
    CHECK(resumed.json == whole.json);
    CHECK(resumed.application_exception.type == whole.application_exception.type);
    CHECK(resumed.application_exception.message == whole.application_exception.message);
    CHECK(resumed.consumed == whole.consumed);
    ++checked;
  }
  CHECK(checked > 30);
}

TEST_CASE("find_reply_end keeps decode_reply's depth limit, so what it passes decodes", "[core][codec][message][bad-input]") {
  // A result holding lists nested `levels` deep, raw (no IDL), within a
  // limit of 4, the innermost empty or holding a string (a string is no
  // level): both read 4 levels and both refuse 5.
  codec::DecodeOptions options;
  options.limits.max_depth = 4;
  for (bool string_leaf : {false, true}) {
    for (int levels = 1; levels <= 6; ++levels) {
      INFO(levels << " levels" << (string_leaf ? ", a string inside" : ""));
      std::string bytes;
      protocol::BinaryWriter w(bytes);
      w.write_message_begin({"f", protocol::MessageType::Reply, 1});
      w.write_struct_begin();
      w.write_field_begin(protocol::TType::List, 0);
      for (int i = 1; i < levels; ++i) w.write_list_begin(protocol::TType::List, 1);
      if (string_leaf) {
        w.write_list_begin(protocol::TType::String, 1);
        w.write_string("x");
      } else {
        w.write_list_begin(protocol::TType::I32, 0);
      }
      w.write_field_end();
      w.write_field_stop();
      w.write_struct_end();
      w.write_message_end();
      bool decodes = true;
      try {
        codec::decode_reply(codec::ProtocolKind::Binary, bytes, nullptr, options);
      } catch (const Error&) {
        decodes = false;
      }
      bool found = true;
      try {
        codec::find_reply_end(codec::ProtocolKind::Binary, bytes, options);
      } catch (const Error& e) {
        CHECK(std::string(e.what()).find("nesting deeper than 4 levels") != std::string::npos);
        found = false;
      }
      CHECK(found == decodes);
      CHECK(decodes == (levels <= 4));
    }
  }
}

TEST_CASE("without an IDL, a declared exception that is no struct is keyed by its own type, and encodes again",
          "[core][codec][message][bad-input]") {
  // Found by tests/fuzz/message_fuzz.cpp: result field 1, an i32, was shown
  // {"1:struct": 5}, raw notation that names another type than its value's.
  std::string bytes;
  protocol::BinaryWriter w(bytes);
  w.write_message_begin({"f", protocol::MessageType::Reply, 1});
  w.write_struct_begin();
  w.write_field_begin(protocol::TType::I32, 1);
  w.write_i32(5);
  w.write_field_end();
  w.write_field_stop();
  w.write_struct_end();
  w.write_message_end();
  codec::Reply reply = codec::decode_reply(codec::ProtocolKind::Binary, bytes, nullptr);
  CHECK(reply.kind == codec::ReplyKind::DeclaredException);
  CHECK(reply.json == R"({"1:i32":5})");
  CHECK(reply.undeclared.empty());  // no IDL to be out of date
  CHECK_NOTHROW(codec::serialize(codec::ProtocolKind::Binary, nullptr, ordered::parse(reply.json)));
  // The fuzzer's input: compact, field -488 a bool, then bytes after the message.
  std::string compact = *from_hex("8241030001cf070b000155000000");
  codec::Reply found = codec::decode_reply(codec::ProtocolKind::Compact, compact, nullptr);
  CHECK(found.kind == codec::ReplyKind::DeclaredException);
  CHECK_NOTHROW(codec::serialize(codec::ProtocolKind::Compact, nullptr, ordered::parse(found.json)));
}

TEST_CASE("a reply found to its end may still not decode: a JSON binary value that is not base64",
          "[core][codec][message][bad-input]") {
  // A check decoding makes that finding the end does not: a batch keeps
  // the connection after such a reply (the error is the reply's own).
  idl::Schema schema = idl::load_schema({kThriftTest});
  const idl::Function* fn = schema.find_function("ThriftTest.testBinary");
  std::string bytes = R"([1,"testBinary",2,5,{"0":{"str":"!not base64!"}}])";
  codec::ReplyExtent extent = codec::find_reply_end(codec::ProtocolKind::Json, bytes);
  CHECK(extent.consumed == bytes.size());
  CHECK(extent.header.seqid == 5);
  CHECK_THROWS_WITH(codec::decode_reply(codec::ProtocolKind::Json, bytes, extent, fn),
                    Catch::Contains("binary value is not base64"));
}

TEST_CASE("a reply for another method or seqid is refused, naming what differs", "[core][codec][message]") {
  protocol::MessageHeader header{"getPerson", protocol::MessageType::Reply, 3};
  CHECK_NOTHROW(codec::check_reply_header(header, "getPerson", 3));
  CHECK_NOTHROW(codec::check_reply_header(header, "PersonService:getPerson", 3));
  CHECK_THROWS_WITH(codec::check_reply_header(header, "savePerson", 3),
                    Catch::Contains("the reply is for method \"getPerson\", not \"savePerson\""));
  CHECK_THROWS_WITH(codec::check_reply_header(header, "getPerson", 4), Catch::Contains("seqid 3, the call 4"));
}

TEST_CASE("application exceptions round-trip through every protocol, and a call message is not a reply",
          "[core][codec][message]") {
  for (auto kind : {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact, codec::ProtocolKind::Json}) {
    std::string bytes = codec::encode_application_exception(kind, "f", 9, {1, "Unknown function f"});
    codec::Reply reply = codec::decode_reply(kind, bytes, nullptr);
    CHECK(reply.kind == codec::ReplyKind::ApplicationException);
    CHECK(reply.application_exception.type == 1);
    CHECK(reply.application_exception.message == "Unknown function f");
    CHECK(reply.header.seqid == 9);
    CHECK(std::string(codec::application_exception_type_name(1)) == "UNKNOWN_METHOD");

    std::string call = codec::encode_raw_call(kind, "f", false, codec::Json::parse(R"({"1:i32": 5})"), 1);
    try {
      codec::decode_reply(kind, call, nullptr);
      FAIL("a call decoded as a reply");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Protocol);
      CHECK(std::string(e.what()).find("expected a reply, got a call") != std::string::npos);
    }
    CHECK_THROWS_WITH(codec::find_reply_end(kind, call), Catch::Contains("expected a reply, got a call"));
  }
}

TEST_CASE("a reply truncated at any byte is an input-ended protocol error with its offset", "[core][codec][message][bad-input]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  const idl::Function* fn = schema.find_function("ThriftTest.testInsanity");
  for (const ordered& c : message_cases()) {
    if (c["method"] != "testInsanity" || c["multiplex"].get<bool>()) continue;
    std::string bytes = *from_hex(c["reply"].get<std::string>());
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      INFO(c["protocol"].get<std::string>() << " cut at " << cut);
      try {
        codec::decode_reply(kind_of(c), std::string_view(bytes).substr(0, cut), fn);
        FAIL("a truncated reply decoded");
      } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::Protocol);
        CHECK(e.where().rfind("byte ", 0) == 0);
        // A stream transport reads on when the input merely ended.
        CHECK(dynamic_cast<const protocol::InputEnded*>(&e) != nullptr);
      }
      try {
        codec::find_reply_end(kind_of(c), std::string_view(bytes).substr(0, cut));
        FAIL("the end of a truncated reply was found");
      } catch (const protocol::InputEnded& e) {
        CHECK(e.where().rfind("byte ", 0) == 0);
      }
    }
  }
}

TEST_CASE("a raw key for a field the IDL declares must differ in wire type, or the field is given by name",
          "[core][codec][message]") {
  idl::Schema schema = idl::load_schema({kThriftTest});
  const idl::Function* fn = schema.find_function("ThriftTest.testBinary");
  REQUIRE(fn != nullptr);
  for (auto kind : {codec::ProtocolKind::Binary, codec::ProtocolKind::Compact, codec::ProtocolKind::Json}) {
    // Text where the JSON protocol puts base64: no reader of the IDL could read it back (found by json_encode_fuzz).
    try {
      codec::encode_call(kind, *fn, json::parse(R"({"1:string":"a"})"), 1);
      FAIL("a raw string for the binary field 1 was encoded");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Input);
      CHECK_THAT(e.message(), Catch::Contains("field 1 of testBinary_args is \"thing\" in the IDL, of that wire type: "
                                              "give it by its name"));
    }
    // Another wire type is sent as asked; a reader of the IDL skips it.
    std::string call = codec::encode_call(kind, *fn, json::parse(R"({"1:i32":5})"), 1);
    codec::Call decoded = codec::decode_call(kind, call, [&](const protocol::MessageHeader&) { return fn; });
    CHECK(decoded.consumed == call.size());
  }
}
