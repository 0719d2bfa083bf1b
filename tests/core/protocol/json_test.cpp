#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "core/protocol/json.h"
#include "core/protocol/skip.h"
#include "base/error.h"

using namespace thrift_call::protocol;
using Catch::StartsWith;

TEST_CASE("json messages, structs, lists and maps look like Apache's TJSONProtocol", "[core][protocol][json]") {
  std::string out;
  JsonWriter w(out);
  w.write_message_begin({"add", MessageType::Call, 3});
  w.write_struct_begin();
  w.write_field_begin(TType::Map, 1);
  w.write_map_begin(TType::I32, TType::List, 1);
  w.write_i32(-4);
  w.write_list_begin(TType::Bool, 2);
  w.write_bool(true);
  w.write_bool(false);
  w.write_list_end();
  w.write_map_end();
  w.write_field_end();
  w.write_field_begin(TType::Double, 2);
  w.write_double(0.5);
  w.write_field_end();
  w.write_field_stop();
  w.write_struct_end();
  w.write_message_end();
  CHECK(out == R"([1,"add",1,3,{"1":{"map":["i32","lst",1,{"-4":["tf",2,1,0]}]},"2":{"dbl":0.5}}])");
}

TEST_CASE("json binary is unpadded base64 and reads with or without padding", "[core][protocol][json]") {
  std::string out;
  JsonWriter w(out);
  w.write_binary("a");
  w.write_binary("ab");
  w.write_binary("abc");
  CHECK(out == R"("YQ""YWI""YWJj")");
  const std::pair<const char*, const char*> cases[] = {
      {R"("YQ")", "a"}, {R"("YQ==")", "a"}, {R"("YWI=")", "ab"}, {R"("YWI")", "ab"}, {R"("YWJj")", "abc"}, {R"("")", ""}};
  for (auto [text, bytes] : cases) {
    INFO(text);
    JsonReader r(text);
    CHECK(r.read_binary() == bytes);
  }
  JsonReader bad(R"("Y!Q")");
  CHECK_THROWS_WITH(bad.read_binary(), StartsWith("binary value is not base64"));
  JsonReader one_char(R"("Y")");
  CHECK_THROWS_WITH(one_char.read_binary(), StartsWith("binary value is not base64"));
}

TEST_CASE("json reads the NaN and infinity spellings of every Apache writer", "[core][protocol][json]") {
  JsonReader r(R"(["dbl",8,"NaN","Infinity","-Infinity",nan,inf,-inf,NaN,-Infinity])");
  r.read_list_begin();
  CHECK(std::isnan(r.read_double()));
  CHECK(r.read_double() == INFINITY);
  CHECK(r.read_double() == -INFINITY);
  CHECK(std::isnan(r.read_double()));
  CHECK(r.read_double() == INFINITY);
  CHECK(r.read_double() == -INFINITY);
  CHECK(std::isnan(r.read_double()));
  CHECK(r.read_double() == -INFINITY);
  r.read_list_end();
  CHECK(r.at_end());
  JsonReader quoted(R"(["dbl",1,"1.5"])");
  quoted.read_list_begin();
  CHECK_THROWS_WITH(quoted.read_double(), StartsWith("expected a double, got the string \"1.5\""));
}

TEST_CASE("json strings escape like Apache's C++ library and unescape \\u and surrogate pairs",
          "[core][protocol][json]") {
  std::string out;
  JsonWriter w(out);
  w.write_string(std::string("\"\\/\b\f\n\r\t\x01\x1f\x7f\xc3\xa9", 13));
  CHECK(out == "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\xc3\xa9\"");

  JsonReader r(R"("\u00e9\u2603\ud834\udd1e\/\u0000\u00C9")");
  CHECK(r.read_string() == std::string("\xc3\xa9\xe2\x98\x83\xf0\x9d\x84\x9e/\0\xc3\x89", 13));
  JsonReader raw("\"a\x01" "b\"");  // Python leaves control bytes raw
  CHECK(raw.read_string() == "a\x01" "b");
  JsonReader lone_high(R"("\ud834x")");
  CHECK_THROWS_WITH(lone_high.read_string(), StartsWith("UTF-16 high surrogate without a low one"));
  JsonReader lone_low(R"("\udd1e")");
  CHECK_THROWS_WITH(lone_low.read_string(), StartsWith("UTF-16 low surrogate without a high one"));
  JsonReader bad_escape(R"("\x41")");
  CHECK_THROWS_WITH(bad_escape.read_string(), StartsWith("unknown escape '\\x'"));
  JsonReader bad_hex(R"("\u12G4")");
  CHECK_THROWS_WITH(bad_hex.read_string(), StartsWith("bad \\u escape"));
}

TEST_CASE("json strings without escapes are views into the input", "[core][protocol][json]") {
  std::string text = R"("plain")";
  JsonReader r(text);
  std::string_view s = r.read_string();
  CHECK(s == "plain");
  CHECK(s.data() == text.data() + 1);
}

TEST_CASE("json uuids are canonical strings under the type name uid, and uuid also reads", "[core][protocol][json]") {
  std::string out;
  JsonWriter w(out);
  w.write_struct_begin();
  w.write_field_begin(TType::Uuid, 1);
  w.write_uuid({0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff});
  w.write_field_end();
  w.write_field_stop();
  w.write_struct_end();
  CHECK(out == R"({"1":{"uid":"00112233-4455-6677-8899-aabbccddeeff"}})");
  JsonReader r(R"({"1":{"uuid":"00112233-4455-6677-8899-AABBCCDDEEFF"}})");
  r.read_struct_begin();
  CHECK(r.read_field_begin().type == TType::Uuid);
  CHECK(r.read_uuid()[15] == 0xff);
  JsonReader bad(R"("00112233-4455-6677-8899_aabbccddeeff")");
  CHECK_THROWS_WITH(bad.read_uuid(), StartsWith("expected a uuid"));
}

TEST_CASE("json whitespace between tokens is accepted", "[core][protocol][json]") {
  std::string text = " [ 1 , \"m\" , 2 , 9 ,\n { \"1\" : { \"lst\" : [ \"i8\" , 1 , -3 ] } } ] \n";
  JsonReader r(text);
  MessageHeader h = r.read_message_begin();
  CHECK(h.name == "m");
  CHECK(h.seqid == 9);
  skip(r, TType::Struct, 64);
  r.read_message_end();
  CHECK(r.at_end());
}

TEST_CASE("json reader rejects a bad version, message type or seqid", "[core][protocol][json]") {
  CHECK_THROWS_WITH(JsonReader(R"([2,"m",1,0,{}])").read_message_begin(),
                    "bad TJSONProtocol version 2 (expected 1) (byte 1)");
  CHECK_THROWS_WITH(JsonReader(R"([1,"m",5,0,{}])").read_message_begin(),
                    StartsWith("message type 5 is out of range [1, 4]"));
  CHECK_THROWS_WITH(JsonReader(R"([1,"m",1,2147483648,{}])").read_message_begin(),
                    StartsWith("seqid 2147483648 is out of range"));
  CHECK_THROWS_WITH(JsonReader(R"([1,"m",1,1.5,{}])").read_message_begin(),
                    StartsWith("expected an integer for seqid, got '1.5'"));
}
