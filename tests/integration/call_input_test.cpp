// What shells feed a call and read from it: JSON values spread over lines
// or several on one (as jq and `template` print them), blank lines, @file,
// --output envelope and --i64-as-string; against `thrift-call serve`.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../support/process.h"

using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;
using thrift_call::test::ServerProcess;

namespace {

const std::string kSource = THRIFT_CALL_SOURCE_DIR;
const std::string kIdl = "THRIFT_CALL_IDL=examples";

// serve of the example person and calculator services, answering from
// tests/integration/serve_responses.json.
struct Served {
  ServerProcess server{{THRIFT_CALL_BINARY, "serve", kSource + "/examples/person.thrift",
                        kSource + "/examples/calculator.thrift", "--listen", "127.0.0.1:0", "--no-record",
                        "--responses", kSource + "/tests/integration/serve_responses.json"}};
  std::string endpoint = "127.0.0.1:" + server.address();
};

}  // namespace

TEST_CASE("template's pretty output piped into ARGS - is one call", "[integration][call][input]") {
  Served s;
  // In a group: run_cli's own redirections would take the second command's stdin.
  auto r = run_cli("--version >/dev/null; { '" THRIFT_CALL_BINARY "' template PersonService.getPerson --idl "
                   "examples/person.thrift | '" THRIFT_CALL_BINARY "' " + s.endpoint +
                   " PersonService.getPerson - --idl examples/person.thrift; }");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
  CHECK(r.err.empty());
}

TEST_CASE("a batch reads a stream of JSON values: one a line, several on a line, or spread over lines as jq prints them",
          "[integration][call][batch][input]") {
  Served s;
  // Pretty values, a compact one, two on one line, in order.
  auto r = run_cli(s.endpoint + " Calculator.add --batch <<< $'{\\n  \"a\": 1,\\n  \"b\": 2\\n}\\n{\"a\":1,\"b\":2}\\n"
                                "{\"a\":1,\"b\":2} {\"a\":666}\\n[\\n]'",
                   kIdl);
  CHECK(r.out ==
        "3\n3\n3\n"
        "{\"error\":{\"kind\":\"protocol\",\"message\":\"TApplicationException INTERNAL_ERROR: the handler failed (" +
            s.endpoint +
            ")\"}}\n"
            "{\"error\":{\"kind\":\"input\",\"message\":\"$: expected an object for add_args, got []\"}}\n");
  CHECK(r.exit_code == 4);
}

TEST_CASE("in a batch a blank line is one error line, so a writer of a blank line still gets its answer",
          "[integration][call][batch][input]") {
  Served s;
  auto r = run_cli(s.endpoint + " Calculator.add --batch <<< $'{\"a\":1,\"b\":2}\\n\\n  \\n{\"a\":1,\"b\":2}'", kIdl);
  CHECK(r.out ==
        "3\n"
        "{\"error\":{\"kind\":\"input\",\"message\":\"stdin line 2: a blank line, not a JSON value\"}}\n"
        "{\"error\":{\"kind\":\"input\",\"message\":\"stdin line 3: a blank line, not a JSON value\"}}\n"
        "3\n");
  CHECK(r.exit_code == 2);
  // A coprocess that writes a blank line gets its answer, and the next.
  r = run_cli("--version >/dev/null; coproc TC { exec env THRIFT_CALL_IDL=examples '" THRIFT_CALL_BINARY "' " + s.endpoint +
              " Calculator.add --batch -q; }; echo '' >&\"${TC[1]}\"; read -t 10 -r first <&\"${TC[0]}\" || exit 9; "
              "echo '{\"a\":1,\"b\":2}' >&\"${TC[1]}\"; read -t 10 -r second <&\"${TC[0]}\" || exit 9; "
              "echo \"$first $second\"");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"error\":{\"kind\":\"input\",\"message\":\"stdin line 1: a blank line, not a JSON value\"}} 3\n");
  // Blank lines between pretty values too (and none inside one).
  r = run_cli(s.endpoint + " Calculator.add --batch <<< $'{\\n\"a\": 1,\\n\\n\"b\": 2\\n}\\n\\n{\"a\":1,\"b\":2}'", kIdl);
  CHECK(r.out == "3\n{\"error\":{\"kind\":\"input\",\"message\":\"stdin line 6: a blank line, not a JSON value\"}}\n3\n");
}

TEST_CASE("a value left open does not swallow the lines after it", "[integration][call][batch][input]") {
  Served s;
  auto r = run_cli(s.endpoint + " Calculator.add --batch <<< $'{\"a\":1,\"b\":2\\n{\"a\":1,\"b\":2}\\n{\"a\":1,\"b\":2}'",
                   kIdl);
  CHECK(r.out.rfind("{\"error\":{\"kind\":\"input\",\"message\":\"stdin line 2, column 1: invalid JSON: ", 0) == 0);
  CHECK(r.out.substr(r.out.find('\n') + 1) == "3\n3\n");
  CHECK(r.exit_code == 2);
  // At the end of the input: one error.
  r = run_cli(s.endpoint + " Calculator.add --batch <<< $'{\"a\":1,\"b\":2}\\n{\\n\"a\": 1,'", kIdl);
  CHECK(r.out.rfind("3\n{\"error\":{\"kind\":\"input\",\"message\":\"stdin line ", 0) == 0);
  CHECK(thrift_call::test::count_lines(r.out) == 2);
}

TEST_CASE("ARGS @file holds one JSON value, pretty or not, or several: a batch over the file",
          "[integration][call][input]") {
  Served s;
  ScratchDir dir;
  std::string one = dir.write("one.json", "{\n  \"a\": 1,\n  \"b\": 2\n}\n");
  std::string several = dir.write("several.json", "{\"a\":1,\"b\":2}\n{\n  \"a\": 1,\n  \"b\": 2\n}\n{\"a\":\"x\"}\n");
  auto r = run_cli(s.endpoint + " Calculator.add @" + one, kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "3\n");
  r = run_cli(s.endpoint + " Calculator.add @" + several, kIdl);
  CHECK(r.exit_code == 2);
  CHECK(r.out == "3\n3\n{\"error\":{\"kind\":\"input\",\"message\":\"$.a: expected i32, got \\\"x\\\"\"}}\n");
}

TEST_CASE("the envelope output tells a value, a declared exception and an error apart on stdout",
          "[integration][call][output]") {
  Served s;
  auto r = run_cli(s.endpoint + " PersonService.getPerson '{\"name\":\"Ann\"}' -o envelope", kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"return\":{\"name\":\"Ann\",\"age\":30}}\n");
  r = run_cli(s.endpoint + " PersonService.getPerson '{\"name\":\"nobody\"}' -o envelope", kIdl);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "{\"throw\":{\"PersonNotFound\":{\"name\":\"nobody\"}}}\n");
  r = run_cli(s.endpoint + " PersonService.savePerson '{\"person\":{\"name\":\"A\",\"age\":1}}' -o envelope", kIdl);
  CHECK(r.out == "{\"return\":null}\n");
  r = run_cli(s.endpoint + " Calculator.add '{\"a\":666}' -o envelope", kIdl);
  CHECK(r.exit_code == 4);
  CHECK(r.out == "{\"error\":{\"kind\":\"protocol\",\"message\":\"TApplicationException INTERNAL_ERROR: the handler "
                 "failed (" + s.endpoint + ")\"}}\n");
  CHECK(r.err == "thrift-call: TApplicationException INTERNAL_ERROR: the handler failed (" + s.endpoint + ")\n");
  // A batch, and the REPL's script mode.
  r = run_cli(s.endpoint + " PersonService.getPerson --batch -o envelope <<< $'{\"name\":\"Ann\"}\\n{\"name\":\"nobody\"}'",
              kIdl);
  CHECK(r.out == "{\"return\":{\"name\":\"Ann\",\"age\":30}}\n{\"throw\":{\"PersonNotFound\":{\"name\":\"nobody\"}}}\n");
  r = run_cli("repl " + s.endpoint + " -o envelope <<< $'PersonService.getPerson {\"name\":\"nobody\"}\\nCalculator.add {\"a\":\"x\"}'",
              kIdl);
  CHECK(r.out ==
        "{\"throw\":{\"PersonNotFound\":{\"name\":\"nobody\"}}}\n"
        "{\"error\":{\"kind\":\"input\",\"message\":\"$.a: expected i32, got \\\"x\\\"\"}}\n");
}

TEST_CASE("a reply's i64 values print as JSON strings with --i64-as-string", "[integration][call][output]") {
  ScratchDir dir;
  std::string idl = dir.write("ids.thrift", "struct Ids { 1: i64 id, 2: i32 small }\nservice Echo { Ids echo(1: Ids ids) }\n");
  ServerProcess server({THRIFT_CALL_BINARY, "serve", idl, "--listen", "127.0.0.1:0", "--no-record", "--echo"});
  std::string call = "127.0.0.1:" + server.address() + " Echo.echo '{\"ids\":{\"id\":\"9007199254740993\",\"small\":1}}'";
  auto r = run_cli(call + " --i64-as-string", "THRIFT_CALL_IDL=" + idl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"id\":\"9007199254740993\",\"small\":1}\n");
  r = run_cli(call, "THRIFT_CALL_IDL=" + idl);
  CHECK(r.out == "{\"id\":9007199254740993,\"small\":1}\n");
}
