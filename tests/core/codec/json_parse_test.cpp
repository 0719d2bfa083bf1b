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
       }) {
    INFO(text);
    CHECK(parse_json(text).dump() == Json::parse(text).dump());
  }
}

TEST_CASE("parse_json reports bad JSON with nlohmann's message and position", "[core][codec][json]") {
  CHECK_THROWS_WITH(parse_json(R"({"a": })"), Catch::Contains("parse error at line 1, column 7"));
  CHECK_THROWS_AS(parse_json(R"({"a": 1} trailing)"), nlohmann::json::parse_error);
  CHECK_THROWS_AS(parse_json(""), nlohmann::json::parse_error);
}
