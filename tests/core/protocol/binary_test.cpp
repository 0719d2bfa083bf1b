#include <string>

#include <catch2/catch.hpp>

#include "core/protocol/binary.h"
#include "core/protocol/skip.h"
#include "base/error.h"

using namespace thrift_call::protocol;
using namespace std::string_literals;

TEST_CASE("the binary writer writes strict message headers", "[core][protocol][binary]") {
  std::string out;
  BinaryWriter w(out);
  w.write_message_begin({"ping", MessageType::Oneway, 7});
  CHECK(out == "\x80\x01\x00\x04\x00\x00\x00\x04ping\x00\x00\x00\x07"s);
}

TEST_CASE("the binary reader accepts old non-strict message headers", "[core][protocol][binary]") {
  std::string bytes = "\x00\x00\x00\x04ping\x02\x00\x00\x00\x2a\x00"s;
  BinaryReader r(bytes);
  MessageHeader h = r.read_message_begin();
  CHECK(h.name == "ping");
  CHECK(h.type == MessageType::Reply);
  CHECK(h.seqid == 42);
  skip(r, TType::Struct, 64);
  CHECK(r.at_end());
}

TEST_CASE("the binary reader rejects a bad version or message type", "[core][protocol][binary]") {
  auto message_of = [](const std::string& bytes) {
    try {
      BinaryReader(bytes).read_message_begin();
    } catch (const thrift_call::Error& e) {
      return e.message() + " (" + e.where() + ")";
    }
    return std::string("no error");
  };
  CHECK(message_of("\x80\x02\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00"s) ==
        "bad binary protocol version 0x80020001 (expected 0x8001xxxx) (byte 0)");
  CHECK(message_of("\x80\x01\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00"s) ==
        "unknown message type 5 (expected 1 call, 2 reply, 3 exception or 4 oneway) (byte 3)");
  CHECK(message_of("\x00\x00\x00\x01x\x09\x00\x00\x00\x00"s) ==
        "unknown message type 9 (expected 1 call, 2 reply, 3 exception or 4 oneway) (byte 5)");
}

TEST_CASE("binary values are big-endian and fixed width", "[core][protocol][binary]") {
  std::string out;
  BinaryWriter w(out);
  w.write_i16(0x0102);
  w.write_i32(-2);
  w.write_double(1.0);
  w.write_bool(true);
  w.write_uuid({0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  CHECK(out == "\x01\x02\xff\xff\xff\xfe\x3f\xf0\x00\x00\x00\x00\x00\x00\x01"
               "\xde\xad\xbe\xef\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b"s);
}

TEST_CASE("binary strings are views into the input", "[core][protocol][binary]") {
  std::string bytes = "\x00\x00\x00\x03" "abc"s;
  BinaryReader r(bytes);
  std::string_view s = r.read_string();
  CHECK(s == "abc");
  CHECK(s.data() == bytes.data() + 4);
}

TEST_CASE("a binary bool byte other than 0 or 1 is rejected", "[core][protocol][binary]") {
  std::string bytes = "\x02";
  BinaryReader r(bytes);
  CHECK_THROWS_WITH(r.read_bool(), Catch::StartsWith("bool must be 0 or 1, got 0x02"));
}
