#include <catch2/catch.hpp>

#include "core/codec/json_parse.h"

using thrift_call::codec::Json;
using thrift_call::codec::parse_json;

TEST_CASE("parse_json gives the same ordered tree as nlohmann, faster path or not", "[core][codec][json]") {
  for (const char* text : {
           R"({"b":1,"a":[true,false,null,-0.5,1e300,"\u00e9\ud83d\ude00\n"],"c":{"z":{},"y":[]}})",
           R"([18446744073709551615, -9223372036854775808, 9223372036854775807, 1.5])",
           R"("just a string")", "42", "true", "null",
           R"({"dup":1,"dup":2})",
           R"({"big":123456789012345678901234567890})",  // past 64 bits: nlohmann reads a double
           // RapidJSON 1.1's own conversion read this one as 1.7e-18
           R"([184467440737095516156, 1e-400, 4.9e-324, 0.1, -0, -0.0, 2.2250738585072014e-308])",
       }) {
    INFO(text);
    CHECK(parse_json(text).dump() == Json::parse(text).dump());
    CHECK(Json::to_cbor(parse_json(text)) == Json::to_cbor(Json::parse(text)));  // the number types too
  }
}

TEST_CASE("parse_json reports bad JSON with nlohmann's message and position", "[core][codec][json]") {
  CHECK_THROWS_WITH(parse_json(R"({"a": })"), Catch::Contains("parse error at line 1, column 7"));
  CHECK_THROWS_AS(parse_json(R"({"a": 1} trailing)"), nlohmann::json::parse_error);
  CHECK_THROWS_AS(parse_json(""), nlohmann::json::parse_error);
}

TEST_CASE("parse_json agrees with nlohmann on nesting, NUL bytes and bad UTF-8", "[core][codec][json]") {
  // Containers inside containers, siblings after them: the builder holds
  // pointers into its open parents while children are added.
  std::string siblings = R"([[1,[2,{"k":[3,{}]}]],{"a":[[],[[]]],"b":{"c":{"d":[4]}}},[5],"s"])";
  CHECK(parse_json(siblings).dump() == Json::parse(siblings).dump());
  // Nesting up to kMaxJsonDepth is parsed; deeper is refused (json_limits_test.cpp).
  size_t most = thrift_call::codec::kMaxJsonDepth;
  std::string deep = std::string(most, '[') + "7" + std::string(most, ']');
  CHECK(parse_json(deep).dump() == Json::parse(deep).dump());
  // Both parsers stop at a NUL byte; what follows one must not be dropped.
  CHECK_THROWS_WITH(parse_json(std::string_view("{\"a\":1}\0{\"b\":2}", 15)),
                    Catch::Contains("parse error at byte 8") && Catch::Contains("NUL"));
  CHECK_THROWS_AS(parse_json("\"\xff\xfe\""), nlohmann::json::parse_error);
  // Control bytes must be escaped inside strings (RapidJSON's SSE2 scan lets
  // 0x1a-0x1f through); escaped, they are fine.
  std::string past_the_first_block = "\"" + std::string(40, '#') + "\x1a" + std::string(40, '#') + "\"";
  for (std::string raw : {std::string("[\"a\x1a\"]"), std::string("\"\x1f\""), std::string("\"a\tb\""),
                          std::string("{\"k\x01\":1}"), past_the_first_block})
    CHECK_THROWS_WITH(parse_json(raw), Catch::Contains("control character"));
  CHECK(parse_json(R"(["a\u001ab"])")[0] == "a\x1a" "b");
  CHECK(parse_json("{\t\"a\":\r\n1}")["a"] == 1);
  CHECK_THROWS_AS(parse_json("[1,2"), nlohmann::json::parse_error);
  CHECK_THROWS_AS(parse_json("NaN"), nlohmann::json::parse_error);
}

TEST_CASE("parse_json_into reuses the tree it is given and still gives nlohmann's tree", "[core][codec][json]") {
  using thrift_call::codec::parse_json_into;
  // Each text parsed into the tree the one before left: same shapes (a
  // batch's lines), then keys reordered, dropped, added and repeated, types
  // changed, arrays grown and shrunk, nesting swapped.
  const char* texts[] = {
      R"({"name":"Ann","age":30,"tags":["a","b"]})",
      R"({"name":"Bob","age":41,"tags":["c","d"]})",
      R"({"name":"a much longer name than the inline buffer of a string holds","age":1,"tags":[]})",
      R"({"age":2,"name":"Cy"})",
      R"({"name":"Di","extra":{"k":[1,2,3]},"age":null})",
      R"({"name":5,"extra":{"k":[4]},"age":"x"})",
      R"({"name":"E","name":"F","age":3,"name":"G"})",
      R"({"a":{"x":1},"a":{"y":2}})",
      R"({"tags":["a",{"b":[true]},[]]})",
      R"({"tags":[{"b":[false,1]},"a"]})",
      R"([1,2,3])",
      R"([[1],[2,3]])",
      R"("text")",
      R"({})",
      R"({"name":"Ann","age":30,"tags":["a","b"]})",
  };
  Json tree;
  for (const char* text : texts) {
    INFO(text);
    parse_json_into(text, tree);
    CHECK(Json::to_cbor(tree) == Json::to_cbor(Json::parse(text)));
  }
  // After an error the next parse starts over cleanly.
  CHECK_THROWS_AS(parse_json_into(R"({"name":"Ann","age":)", tree), nlohmann::json::parse_error);
  parse_json_into(R"({"age":7})", tree);
  CHECK(tree.dump() == R"({"age":7})");
}
