// The one sniffer of first bytes (wire_detect.h): what it reads, how sure it
// is, and the fix the client names from it when a reply is not what it
// asked for.
#include <catch2/catch.hpp>

#include "core/codec/message.h"
#include "core/transport/connection.h"
#include "core/transport/wire_detect.h"

using namespace thrift_call;
using codec::ProtocolKind;
using transport::detect_wire;
using transport::Framing;
using transport::Wire;

namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

// The old (non-strict) binary envelope Apache writes with strictWrite off:
// name length, name, type, seqid.
const std::string kOldBinaryCall = bytes({0, 0, 0, 4}) + "ping" + bytes({1, 0, 0, 0, 1, 0});

}  // namespace

TEST_CASE("the sniffer reads the old binary envelope, unframed and framed", "[core][transport][sniff]") {
  transport::WireGuess plain = detect_wire(kOldBinaryCall);
  CHECK(plain.wire == Wire::Buffered);
  CHECK(plain.protocol == ProtocolKind::Binary);
  CHECK(plain.score >= transport::kSureStart);
  // Part of it: more bytes could still make it something else.
  CHECK(detect_wire(kOldBinaryCall.substr(0, 6)).wire == Wire::NeedMore);
  transport::WireGuess framed = detect_wire(transport::frame_message(kOldBinaryCall, Framing::Framed));
  CHECK(framed.wire == Wire::Framed);
  CHECK(framed.protocol == ProtocolKind::Binary);
  CHECK(transport::detect_message_protocol(kOldBinaryCall, true) == ProtocolKind::Binary);
  CHECK_FALSE(transport::detect_message_protocol(kOldBinaryCall));
}

TEST_CASE("a THeader frame inside a frame is told from a frame of a message, from its first ten bytes",
          "[core][transport][sniff]") {
  std::string call = codec::encode_raw_call(ProtocolKind::Compact, "ping", false, codec::Json::object(), 1);
  transport::THeaderOptions compact;
  compact.protocol = ProtocolKind::Compact;
  std::string nested = transport::frame_message(call, Framing::FramedHeader, compact);
  for (size_t n = 6; n < 10; ++n) CHECK(detect_wire(nested.substr(0, n)).wire == Wire::NeedMore);
  CHECK(detect_wire(nested.substr(0, 10)).wire == Wire::FramedHeader);
  CHECK(detect_wire(nested).score >= transport::kSureStart);
  // An inner length that is not the outer one less 4 is no THeader frame inside.
  std::string wrong = nested;
  wrong[7] = static_cast<char>(wrong[7] + 1);
  CHECK(detect_wire(wrong).wire == Wire::Unknown);
}

TEST_CASE("the sniffer is surer of whole envelopes than of first bytes", "[core][transport][sniff]") {
  std::string call = codec::encode_raw_call(ProtocolKind::Compact, "ping", false, codec::Json::object(), 1);
  CHECK(detect_wire(call).score >= 90);
  CHECK(detect_wire(call.substr(0, 1)).score < transport::kSureStart);
  CHECK(detect_wire(bytes({0x82, 0x7f})).score < transport::kSureStart);  // compact's mark, no version 1
  CHECK(detect_wire("[1,\"ping\"").score >= 90);
  CHECK(detect_wire("[{").score < transport::kSureStart);
  CHECK(detect_wire("POST / HTTP/1.1\r\n").score >= 90);
  CHECK(detect_wire("Zebra").wire == Wire::Http);
  CHECK(detect_wire("Zebra").score < transport::kSureStart);
}

TEST_CASE("a reply that is not what was asked for names the fix", "[core][transport][sniff]") {
  std::string reply = codec::encode_raw_call(ProtocolKind::Binary, "ping", false, codec::Json::object(), 1);
  CHECK(transport::guess_mismatch(transport::frame_message(reply, Framing::Framed), Framing::Buffered) ==
        "the reply is framed: try --transport framed");
  CHECK(transport::guess_mismatch(reply, Framing::Framed) == "the reply is not framed: try --transport buffered");
  CHECK(transport::guess_mismatch(kOldBinaryCall, Framing::Framed) == "the reply is not framed: try --transport buffered");
  CHECK(transport::guess_mismatch(transport::frame_message(reply, Framing::Header), Framing::Framed) ==
        "the server answered with THeader framing: try --transport header");
  CHECK(transport::guess_mismatch(transport::frame_message(reply, Framing::FramedHeader), Framing::Header) ==
        "the server answered with THeader frames inside frames: try --transport framed+header");
  CHECK(transport::guess_mismatch(bytes({0x78, 0x9c, 0x62}), Framing::Buffered) ==
        "the server answered with a zlib stream (TZlibTransport): try --transport zlib");
  CHECK(detect_wire(bytes({0x78})).wire == Wire::NeedMore);
  CHECK(detect_wire(bytes({0x78, 0x00})).wire == Wire::Unknown);
  CHECK(transport::guess_mismatch("HTTP/1.0 400 Bad request\r\n", Framing::Buffered) ==
        "this is an HTTP server: use http://HOST:PORT/PATH");
  CHECK(transport::guess_mismatch("<!DOCTYPE HTML>\n<html>", Framing::Buffered) ==
        "this is an HTTP server: use http://HOST:PORT/PATH");
  CHECK(transport::guess_mismatch(bytes({0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32}), Framing::Buffered) ==
        "the server answered with a TLS alert: try --tls");
  CHECK(transport::guess_mismatch(reply, Framing::Buffered).empty());
  CHECK(transport::guess_mismatch("\xff\xfe garbage", Framing::Buffered).empty());
}

TEST_CASE("a verdict, once given, stands as more bytes arrive: the start of an HTML page or a TLS alert needs more",
          "[core][transport][sniff][bad-input]") {
  // Found by tests/fuzz/wire_fuzz.cpp's check that no prefix reads otherwise
  // than the whole: "<" to "<htm" read Unknown, "<html" Http; a TLS alert's
  // first two bytes Unknown, three Tls.
  for (const std::string& whole : {std::string("<html><body>"), std::string("<!DOCTYPE html>"),
                                   std::string("HTTP/1.0 400"), bytes({0x15, 0x03, 0x01, 0x00, 0x02}),
                                   bytes({0x80, 0x01, 0x00, 0x02}), bytes({0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c', 0x02})}) {
    Wire verdict = detect_wire(whole).wire;
    CHECK(verdict != Wire::Unknown);
    for (size_t n = 1; n < whole.size(); ++n) {
      INFO(whole << " cut to " << n << " bytes");
      Wire early = detect_wire(whole.substr(0, n)).wire;
      CHECK((early == Wire::NeedMore || early == verdict));
    }
  }
  CHECK(detect_wire("<x").wire == Wire::Unknown);  // no page starts so
}
