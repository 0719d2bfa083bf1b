// encode and decode as a user runs them.
#include <catch2/catch.hpp>

#include "../idl/idl_test_util.h"
#include "run_cli.h"

using thrift_call::test::count_lines;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;

TEST_CASE("encode writes hex that decode reads back, in every protocol", "[cli][encode][decode]") {
  for (const char* p : {"binary", "compact", "json"}) {
    INFO(p);
    auto hex = run_cli(std::string("encode Person '{\"name\":\"Ann\",\"age\":30}' --idl examples/person.thrift --hex -p ") + p);
    REQUIRE(hex.exit_code == 0);
    auto back = run_cli("decode --type Person --idl examples/person.thrift <<< '" + hex.out + "' -");
    CHECK(back.exit_code == 0);
    CHECK(back.out == "{\"name\":\"Ann\",\"age\":30}\n");
  }
  auto raw = run_cli("encode Person '{\"name\":\"Ann\",\"age\":30}' --idl examples/person.thrift --hex");
  CHECK(raw.out == "0b000100000003416e6e0800020000001e00\n");
  auto decoded = run_cli("decode - <<< " + raw.out.substr(0, raw.out.size() - 1));
  CHECK(decoded.out == "{\"1:string\":\"Ann\",\"2:i32\":30}\n");
}

TEST_CASE("wrong JSON names the path and the expected type, and nothing is written", "[cli][encode][bad-input]") {
  auto r = run_cli("encode Person '{\"name\":\"Ann\",\"age\":\"thirty\"}' --idl examples/person.thrift --hex");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "thrift-call: $.age: expected i32, got \"thirty\"\n");

  r = run_cli("encode Person '{\"name\":\"Ann\"}' --idl examples/person.thrift");
  CHECK(r.err == "thrift-call: $: missing required field \"age\" of Person\n");

  r = run_cli("encode Person '{\"name\":\"Ann\",\"age\":1e20}' --idl examples/person.thrift");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("$.age: ") != std::string::npos);

  r = run_cli("encode Person '{\"name\": }' --idl examples/person.thrift");
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("thrift-call: argument line 1, column 10: invalid JSON", 0) == 0);
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE("a struct of more than 64 fields: required, default and given fields past the 64th are told apart",
          "[cli][encode][bad-input]") {
  // The encoder keeps which fields were given in one word up to 64 fields,
  // and in a vector past that.
  ScratchDir dir;
  std::string idl = "struct Wide {\n";
  for (int id = 1; id <= 70; ++id) {
    std::string requiredness = id == 2 || id == 69 ? "required " : "optional ";
    idl += "  " + std::to_string(id) + ": " + requiredness + "i32 f" + std::to_string(id) + (id == 68 ? " = 7" : "") + "\n";
  }
  dir.write("wide.thrift", idl + "}\n");

  auto r = run_cli("encode Wide '{\"f2\":1}' --idl wide.thrift", "", dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: $: missing required field \"f69\" of Wide\n");

  r = run_cli("encode Wide '{\"f69\":1}' --idl wide.thrift", "", dir.path().string());
  CHECK(r.err == "thrift-call: $: missing required field \"f2\" of Wide\n");

  // The default of field 68 is written; f70, not given, is not.
  r = run_cli("encode Wide '{\"f2\":1,\"f69\":3}' --idl wide.thrift --hex", "", dir.path().string());
  REQUIRE(r.exit_code == 0);
  auto back = run_cli("decode - <<< " + r.out.substr(0, r.out.size() - 1));
  CHECK(back.out == "{\"2:i32\":1,\"68:i32\":7,\"69:i32\":3}\n");
}

TEST_CASE("decode of a truncated or hostile value is one line with a byte offset, exit 4", "[cli][decode][bad-input]") {
  auto r = run_cli("decode --type Person --idl examples/person.thrift -p binary <<< 0b0001000000");
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("byte ") != std::string::npos);
  CHECK(count_lines(r.err) == 1);

  r = run_cli("decode -p binary <<< 0f0001087fffffff");  // a list claiming 2^31 elements
  CHECK(r.exit_code == 4);
  CHECK(count_lines(r.err) == 1);
}

TEST_CASE("decode limits nesting with --max-depth and names its policy for strings that are not UTF-8",
          "[cli][decode][bad-input]") {
  // {1: {1: {1: {}}}}: three nested structs in raw notation
  auto hex = run_cli("encode raw '{\"1:struct\":{\"1:struct\":{\"1:struct\":{}}}}' --hex");
  REQUIRE(hex.exit_code == 0);
  std::string bytes = hex.out.substr(0, hex.out.size() - 1);
  CHECK(run_cli("decode --max-depth 4 <<< " + bytes).exit_code == 0);
  auto r = run_cli("decode --max-depth 3 <<< " + bytes);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("nesting deeper than 3 levels") != std::string::npos);

  // A string field holding the byte 0xff, decoded with an IDL that says string.
  auto s = run_cli("decode --type Person --idl examples/person.thrift <<< 0b00010000000241ff00");
  CHECK(s.out.find("\"A\xEF\xBF\xBD\"") != std::string::npos);
  s = run_cli("decode --type Person --idl examples/person.thrift --invalid-utf8 latin1 <<< 0b00010000000241ff00");
  CHECK(s.out.find("\"A\\u00ff\"") != std::string::npos);
}

TEST_CASE("an input read whole that never ends stops at 256 MiB with one line, exit 2", "[cli][decode][encode][bad-input]") {
  for (const char* args : {"decode /dev/zero", "decode --type raw /dev/zero",
                           "encode Person @/dev/zero --idl examples/person.thrift"}) {
    INFO(args);
    auto r = run_cli(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "thrift-call: /dev/zero: more than 256 MiB: this input is read whole (a pcap capture is streamed instead)\n");
  }
}

TEST_CASE("an unknown field or enum value suggests the nearest, else lists them all", "[cli][encode][did-you-mean]") {
  auto r = run_cli("encode Person '{\"nmae\":\"Ann\",\"age\":3}' --idl examples/person.thrift");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: $.nmae: unknown field \"nmae\" of Person (did you mean \"name\"?)\n");
  r = run_cli("encode Person '{\"zebra\":1}' --idl examples/person.thrift");
  CHECK(r.err == "thrift-call: $.zebra: unknown field \"zebra\" of Person (fields: name, age)\n");

  ScratchDir dir;
  dir.write("c.thrift", "enum Colour { RED, GREEN }\nstruct Paint { 1: Colour colour }\n");
  r = run_cli("encode Paint '{\"colour\":\"GREN\"}' --idl c.thrift", "", dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: $.colour: \"GREN\" is not a value of enum Colour (did you mean \"GREEN\"?)\n");
}

namespace {
const std::string kBinary = "'" THRIFT_CALL_BINARY "'";
// A pipeline for run_cli, whose redirections would otherwise take the last
// command's stdin from /dev/null instead of the pipe.
std::string pipeline(const std::string& commands) { return "--version >/dev/null; { " + commands + "; }"; }
}  // namespace

TEST_CASE("decode --type reads hex, xxd and base64 dumps as message mode does", "[cli][decode]") {
  const std::string idl = " --idl examples/person.thrift";
  const std::string expected = "{\"name\":\"Ann\",\"age\":30}\n";
  const std::string hex = "0b000100000003416e6e0800020000001e00";
  auto r = run_cli("decode --type Person --input hex" + idl + " <<< " + hex);
  CHECK(r.exit_code == 0);
  CHECK(r.out == expected);
  r = run_cli(pipeline(kBinary + " encode Person '{\"name\":\"Ann\",\"age\":30}'" + idl + " | xxd | " + kBinary +
                       " decode --type Person --input xxd" + idl));
  CHECK(r.exit_code == 0);
  CHECK(r.out == expected);
  r = run_cli(pipeline(kBinary + " encode Person '{\"name\":\"Ann\",\"age\":30}'" + idl + " | base64 | " + kBinary +
                       " decode --type Person --input base64" + idl));
  CHECK(r.exit_code == 0);
  CHECK(r.out == expected);
  // Told from the text without --input too.
  r = run_cli(pipeline(kBinary + " encode Person '{\"name\":\"Ann\",\"age\":30}'" + idl + " | hexdump -C | " + kBinary +
                       " decode --type Person" + idl));
  CHECK(r.out == expected);
}

TEST_CASE("decode --i64-as-string prints i64 values as JSON strings", "[cli][decode]") {
  ScratchDir dir;
  dir.write("big.thrift", "struct Big { 1: i64 id, 2: i32 small, 3: list<i64> ids }\n");
  const std::string value = "'{\"id\":9007199254740993,\"small\":1,\"ids\":[-5]}'";
  auto r = run_cli(pipeline(kBinary + " encode Big " + value + " --idl big.thrift | " + kBinary +
                            " decode --type Big --idl big.thrift --i64-as-string"),
                   "", dir.path().string());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"id\":\"9007199254740993\",\"small\":1,\"ids\":[\"-5\"]}\n");
  r = run_cli(pipeline(kBinary + " encode Big " + value + " --idl big.thrift | " + kBinary + " decode --type Big --idl big.thrift"),
              "", dir.path().string());
  CHECK(r.out == "{\"id\":9007199254740993,\"small\":1,\"ids\":[-5]}\n");
}
