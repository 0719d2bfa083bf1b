// serve's pieces below the socket: telling a client's protocol and framing
// from its first bytes, matching rules, zero values, and the dispatcher.
#include <catch2/catch.hpp>

#include "../../idl/idl_test_util.h"
#include "base/error.h"
#include "core/codec/message.h"
#include "core/idl_views/value_maker.h"
#include "core/serve/dispatcher.h"
#include "core/serve/responses.h"
#include "core/transport/connection.h"
#include "core/transport/wire_detect.h"

using namespace thrift_call;
using codec::Json;
using codec::ProtocolKind;
using transport::Wire;

TEST_CASE("the first bytes tell the protocol and the framing", "[core][serve]") {
  auto call = [](ProtocolKind kind) {
    return codec::encode_raw_call(kind, "ping", false, Json::object(), 1);
  };
  for (auto kind : {ProtocolKind::Binary, ProtocolKind::Compact, ProtocolKind::Json}) {
    transport::WireGuess plain = transport::detect_wire(call(kind));
    CHECK(plain.wire == Wire::Buffered);
    CHECK(plain.protocol == kind);
    transport::WireGuess framed = transport::detect_wire(transport::frame_message(call(kind), transport::Framing::Framed));
    CHECK(framed.wire == Wire::Framed);
    CHECK(framed.protocol == kind);
  }
  CHECK(transport::detect_wire(transport::frame_message(call(ProtocolKind::Compact), transport::Framing::Header)).wire ==
        Wire::Header);
  CHECK(transport::detect_wire("POST / HTTP/1.1\r\n").wire == Wire::Http);
  CHECK(transport::detect_wire(std::string("\x16\x03\x01", 3)).wire == Wire::Tls);
  CHECK(transport::detect_wire(std::string("\x00\x00", 2)).wire == Wire::NeedMore);
  CHECK(transport::detect_wire(std::string("\x80", 1)).wire == Wire::NeedMore);
  CHECK(transport::detect_wire(std::string("\x80\x02", 2)).wire == Wire::Unknown);
  CHECK(transport::detect_wire(std::string("\x00\x00\x00\x05hello\x09", 10)).wire == Wire::Unknown);
  CHECK(transport::detect_wire("\xff\xfe").wire == Wire::Unknown);
}

TEST_CASE("a rule's when is a subset of the arguments", "[core][serve]") {
  Json args = Json::parse(R"({"name":"Ann","person":{"name":"Bo","age":3},"ids":[1,2],"ratio":1.0})");
  CHECK(serve::json_matches(Json::parse(R"({})"), args));
  CHECK(serve::json_matches(Json::parse(R"({"name":"Ann"})"), args));
  CHECK(serve::json_matches(Json::parse(R"({"person":{"age":3}})"), args));
  CHECK(serve::json_matches(Json::parse(R"({"ratio":1})"), args));
  CHECK_FALSE(serve::json_matches(Json::parse(R"({"ids":[1]})"), args));
  CHECK_FALSE(serve::json_matches(Json::parse(R"({"name":"ann"})"), args));
  CHECK_FALSE(serve::json_matches(Json::parse(R"({"missing":null})"), args));
}

TEST_CASE("zero values fill IDL defaults, leave optional fields unset and recurse safely", "[core][serve]") {
  idl::Schema schema = test::load_text(
      "enum E { A = 3, B = 4 }\n"
      "enum Z { NONE = 0, ONE = 1 }\n"
      "struct Node { 1: required string name, 2: optional Node next, 3: i32 weight = 5, 4: list<Node> kids,"
      " 5: E e, 6: Z z, 7: map<i32, string> m, 8: map<Node, i32> odd, 9: double d, 10: binary b }\n"
      "union U { 1: i32 a, 2: string b }\n");
  CHECK(make_value(*schema.find_type("Node"), ValueShape::Zero).dump() ==
        R"({"name":"","weight":5,"kids":[],"e":"A","z":"NONE","m":{},"odd":[],"d":0.0,"b":""})");
  CHECK(make_value(*schema.find_type("U"), ValueShape::Zero).dump() == R"({"a":0})");
}

TEST_CASE("the dispatcher routes plain and multiplexed calls and answers unknown ones with UNKNOWN_METHOD",
          "[core][serve]") {
  idl::Schema schema = test::load_text(
      "exception Oops { 1: string why }\n"
      "service A { i32 get(1: i32 x) throws (1: Oops oops), i32 shared() }\n"
      "service B { string name(), i32 shared() }\n");
  serve::Responses responses = serve::Responses::parse(
      Json::parse(R"({"A.get": [{"when": {"x": 1}, "throw": {"Oops": {"why": "one"}}}, {"return": 42, "delay_ms": 5}]})"),
      schema, "test");
  serve::DispatchOptions options;
  options.record = true;
  serve::Dispatcher dispatcher({schema.find_service("A"), schema.find_service("B")}, std::move(responses), options);
  auto ask = [&](const std::string& name, const Json& args) {
    std::string call = codec::encode_raw_call(ProtocolKind::Compact, name, false, args, 7);
    serve::Exchange ex = dispatcher.handle(ProtocolKind::Compact, call, {"peer", "framed"});
    CHECK(ex.consumed == call.size());
    return ex;
  };
  auto a_get = schema.find_function("A.get");
  serve::Exchange ex = ask("get", Json::parse(R"({"1:i32": 1})"));
  codec::Reply reply = codec::decode_reply(ProtocolKind::Compact, ex.reply, a_get);
  CHECK(reply.json == R"({"Oops":{"why":"one"}})");
  CHECK(reply.header.seqid == 7);
  CHECK(Json::parse(ex.record)["reply"].dump() == R"({"throw":{"Oops":{"why":"one"}}})");

  ex = ask("A:get", Json::parse(R"({"1:i32": 2})"));
  reply = codec::decode_reply(ProtocolKind::Compact, ex.reply, a_get);
  CHECK(reply.json == "42");
  CHECK(reply.header.name == "get");
  CHECK(ex.delay == std::chrono::milliseconds(5));

  CHECK(codec::decode_reply(ProtocolKind::Compact, ask("B:shared", Json::object()).reply, nullptr).json == "0");
  reply = codec::decode_reply(ProtocolKind::Compact, ask("shared", Json::object()).reply, nullptr);
  CHECK(reply.kind == codec::ReplyKind::ApplicationException);
  CHECK(reply.application_exception.type == 1);
  CHECK(reply.application_exception.message.find("in several services (A, B)") != std::string::npos);
  reply = codec::decode_reply(ProtocolKind::Compact, ask("C:name", Json::object()).reply, nullptr);
  CHECK(reply.application_exception.message == "Unknown service: C");
  reply = codec::decode_reply(ProtocolKind::Compact, ask("nope", Json::object()).reply, nullptr);
  CHECK(reply.application_exception.message == "Invalid method name: 'nope'");

  // Arguments of the wrong type after a good envelope: PROTOCOL_ERROR, then the connection closes.
  std::string bad = codec::encode_raw_call(ProtocolKind::Binary, "get", false, Json::parse(R"({"1:i32": 1})"), 3);
  bad[bad.size() - 8] = 0x0b;                     // the field's type: now a string...
  bad[bad.size() - 5] = static_cast<char>(0xff);  // ...of negative length
  ex = dispatcher.handle(ProtocolKind::Binary, bad, {"peer", "buffered"});
  CHECK(ex.close);
  reply = codec::decode_reply(ProtocolKind::Binary, ex.reply, nullptr);
  CHECK(reply.application_exception.type == 7);
}
