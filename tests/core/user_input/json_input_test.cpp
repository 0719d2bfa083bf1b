#include <catch2/catch.hpp>

#include "core/user_input/json_input.h"

using thrift_call::JsonValueExtent;
using thrift_call::scan_json_value;
using Status = JsonValueExtent::Status;

TEST_CASE("scan_json_value finds where each value of a stream ends", "[core][json_input]") {
  std::string text = "{\"a\": [1, 2]} 7 \"x y\"\n[true]";
  JsonValueExtent first = scan_json_value(text);
  CHECK(first.status == Status::Complete);
  CHECK(text.substr(first.begin, first.end - first.begin) == "{\"a\": [1, 2]}");
  JsonValueExtent second = scan_json_value(text, first.end);
  CHECK(text.substr(second.begin, second.end - second.begin) == "7");
  JsonValueExtent third = scan_json_value(text, second.end);
  CHECK(text.substr(third.begin, third.end - third.begin) == "\"x y\"");
  JsonValueExtent fourth = scan_json_value(text, third.end);
  CHECK(text.substr(fourth.begin, fourth.end - fourth.begin) == "[true]");
  CHECK(scan_json_value(text, fourth.end).status == Status::Blank);
}

TEST_CASE("scan_json_value tells a value still open from a broken one", "[core][json_input]") {
  CHECK(scan_json_value("{\n  \"name\": \"Ann\",").status == Status::Incomplete);
  CHECK(scan_json_value("[1, 2").status == Status::Incomplete);
  CHECK(scan_json_value("{\"a\": \"unterminated").status == Status::Incomplete);
  JsonValueExtent broken = scan_json_value("{\"a\":1\n{\"a\":2}");
  CHECK(broken.status == Status::Invalid);
  CHECK(broken.end == 7);  // the second '{', where a ',' or '}' was due
  CHECK(scan_json_value("{\"a\" 1}").status == Status::Invalid);
  CHECK(scan_json_value(" \t\r\n ").status == Status::Blank);
  // Deep nesting is no recursion.
  CHECK(scan_json_value(std::string(100000, '[')).status == Status::Incomplete);
}
