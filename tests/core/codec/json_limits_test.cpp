// JSON input of any depth or size: refused while parsing past kMaxJsonDepth,
// before a tree that deep exists, and quoted in errors by its first bytes.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/codec/encode.h"
#include "core/codec/json_parse.h"
#include "core/codec/json_preview.h"
#include "core/user_input/json_input.h"
#include "core/protocol/binary.h"
#include "base/error.h"

using namespace thrift_call;
using codec::Json;
using codec::kMaxJsonDepth;

namespace {

std::string nested_arrays(size_t depth, const std::string& inside = "") {
  return std::string(depth, '[') + inside + std::string(depth, ']');
}

std::string parse_error_of(const std::string& text) {
  try {
    parse_json_argument(text);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Input);
    return e.what();
  }
  FAIL("no error for " << text.substr(0, 40));
  return "";
}

}  // namespace

TEST_CASE("JSON nested up to the limit is parsed, one level more is an input error at the bracket",
          "[core][codec][json][limits]") {
  CHECK(kMaxJsonDepth == 130);  // --max-depth's default, 64, twice (a map as [key, value] pairs), and the outer value
  CHECK(parse_json_argument(nested_arrays(kMaxJsonDepth)).is_array());
  CHECK(parse_error_of(nested_arrays(kMaxJsonDepth + 1)) ==
        "argument line 1, column 131: invalid JSON: nesting deeper than 130 levels");
  std::string objects;
  for (size_t i = 0; i <= kMaxJsonDepth; ++i) objects += "{\"k\":";
  objects += "1" + std::string(kMaxJsonDepth + 1, '}');
  CHECK(parse_error_of(objects).find("column 651: invalid JSON: nesting deeper than 130 levels") != std::string::npos);
}

TEST_CASE("70,000 levels of JSON are refused at once, by every parsing path", "[core][codec][json][limits]") {
  auto started = std::chrono::steady_clock::now();
  // Valid JSON (the fast path); then text that the fast path refuses
  // earlier (a number RapidJSON does not take, a control byte) and nlohmann
  // parses (it would build the whole depth before its error).
  for (std::string text : {nested_arrays(70000), "[1e-400," + nested_arrays(70000) + "]",
                           nested_arrays(70000, "\"\x01\""), std::string(70000, '[')}) {
    std::string error = parse_error_of(text);
    CHECK(error.find("invalid JSON: nesting deeper than 130 levels") != std::string::npos);
    CHECK(error.size() < 200);
  }
  // A batch's line into a reused tree, as --batch and the REPL parse.
  Json tree;
  CHECK_THROWS_WITH(parse_json_argument_into(nested_arrays(70000), "stdin", 3, tree),
                    "stdin line 3, column 131: invalid JSON: nesting deeper than 130 levels");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
}

TEST_CASE("an error quoting the input shows its first bytes, whatever its size", "[core][codec][json][limits]") {
  CHECK(codec::json_preview(Json::parse(R"({"a":[1,2,{"b":"c"}]})")) == R"({"a":[1,2,{"b":"c"}]})");
  std::string long_text(1000, 'x');
  CHECK(codec::json_preview(Json(long_text)) == "\"" + std::string(36, 'x') + "...");
  CHECK(codec::json_preview(Json::parse(nested_arrays(100))) == std::string(37, '[') + "...");
  CHECK(codec::text_preview("a\xc3\xa9" "cde", 5) == "a...");  // not half a UTF-8 sequence
  CHECK(codec::text_preview("short") == "short");

  // A 64 MiB string where an i32 is due, an object with a 1 MiB key: the
  // message stays one short line.
  std::string big(size_t{64} << 20, 'a');
  auto encode_error = [](const std::string& json) {
    std::string out;
    protocol::BinaryWriter w(out);
    try {
      codec::encode_struct(w, nullptr, parse_json_argument(json));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto started = std::chrono::steady_clock::now();
  std::string error = encode_error("{\"1:i32\":\"" + big + "\"}");
  CHECK(error == "$.1:i32: expected i32, got \"" + std::string(36, 'a') + "...");
  error = encode_error("{\"" + std::string(1 << 20, 'k') + "\":1}");
  CHECK(error.size() < 300);
  CHECK(error.find("...") != std::string::npos);
  error = encode_error("{\"1:i32\":" + nested_arrays(kMaxJsonDepth - 1) + "}");
  CHECK(error == "$.1:i32: expected i32, got " + std::string(37, '[') + "...");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
}

TEST_CASE("a parse error quotes at most the start of the token it stopped in", "[core][json_input][limits]") {
  std::string error = parse_error_of("[\"" + std::string(1 << 20, 'x') + "\x01\"]");
  CHECK(error.find("argument line 1, column 1048579: invalid JSON: syntax error while parsing value - invalid string: "
                   "control character U+0001 (SOH) must be escaped") == 0);
  CHECK(error.size() < 250);
  // The reason whole, not what follows its last ": ".
  CHECK(parse_error_of("{\"a\": tru}") ==
        "argument line 1, column 10: invalid JSON: syntax error while parsing value - invalid literal; last read: "
        "'\"a\": tru}'");
}
