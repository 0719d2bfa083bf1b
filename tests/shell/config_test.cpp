// The config file ($XDG_CONFIG_HOME/thrift-call/config.json): defaults for
// IDL paths, include folders, headers and endpoint aliases, which flags
// override; a broken file is one located line and exit 2.
#include <catch2/catch.hpp>

#include <string>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../integration/python_server.h"
#include "core/user_input/config.h"
#include "base/error.h"

using thrift_call::test::count_lines;
using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;

namespace {

const std::string kExamples = std::string(THRIFT_CALL_SOURCE_DIR) + "/examples";

// A config folder holding `json` as thrift-call/config.json; the env text run_cli takes.
std::string config_env(const ScratchDir& dir, const std::string& json) {
  dir.write("thrift-call/config.json", json);
  return "XDG_CONFIG_HOME='" + dir.path().string() + "'";
}

}  // namespace

TEST_CASE("config: idl folders and endpoint aliases serve a call, as the default verb too", "[config]") {
  PythonServer server({});
  ScratchDir dir;
  std::string env = config_env(dir, "{\"idl\": [\"" + kExamples + "\"], \"aliases\": {\"local\": \"" + server.endpoint() + "\"}}");
  auto r = run_cli("local PersonService.getPerson '{\"name\":\"Ann\"}'", env);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"Ann\"") != std::string::npos);
  r = run_cli("call local Calculator.add '{\"a\":1,\"b\":2}'", env);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "3\n");
  // Completion knows the aliases, and the config's IDL.
  r = run_cli("__complete lo", env);
  CHECK(r.out == ":words\nlocal\n");
  r = run_cli("__complete local Calculator.ad", env);
  CHECK(r.out == ":words\nCalculator.add\n");
}

TEST_CASE("config: the REPL's .connect takes an alias", "[config][repl]") {
  PythonServer server({});
  ScratchDir dir;
  std::string env = config_env(dir, "{\"idl\": [\"" + kExamples + "\"], \"aliases\": {\"local\": \"" + server.endpoint() + "\"}}");
  auto r = run_cli("repl <<< $'.connect local\\nPersonService.getPerson {\"name\":\"Ann\"}'", env);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
  // Not an alias and not an endpoint: the error names the word.
  r = run_cli("repl <<< $'.connect nowhere'", env);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("nowhere") != std::string::npos);
}

TEST_CASE("config: --idl and THRIFT_CALL_IDL replace the config's idl", "[config]") {
  ScratchDir dir;
  std::string env = config_env(dir, "{\"idl\": [\"" + kExamples + "/calculator.thrift\"]}");
  auto r = run_cli("list", env);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Calculator.add") != std::string::npos);
  r = run_cli("list --idl examples/person.thrift", env);
  CHECK(r.out == "PersonService.getPerson\nPersonService.savePerson\n");
  r = run_cli("list", env + " THRIFT_CALL_IDL=examples/person.thrift");
  CHECK(r.out == "PersonService.getPerson\nPersonService.savePerson\n");
  r = run_cli("__complete describe --idl examples/person.thrift Calc", env);
  CHECK(r.out == ":words\n");
}

TEST_CASE("config: a broken file is one line config.json:LINE:COL and exit 2", "[config]") {
  ScratchDir dir;
  std::string env = config_env(dir, "{\n  \"idl\": [\"a.thrift\",]\n}\n");
  auto r = run_cli("list", env);
  CHECK(r.exit_code == 2);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.rfind("thrift-call: " + (dir.path() / "thrift-call/config.json").string() + ":2:", 0) == 0);

  env = config_env(dir, "{\n  \"idl\": [],\n  \"colour\": true\n}");
  r = run_cli("list", env);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: " + (dir.path() / "thrift-call/config.json").string() +
                     ":3:3: unknown setting \"colour\" (known: idl, include_dirs, headers, aliases)\n");

  env = config_env(dir, "{\"aliases\": {\"x\": 1}}");
  r = run_cli("list", env);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("alias \"x\" must be an endpoint string") != std::string::npos);
  // Completion stays quiet whatever the file holds.
  r = run_cli("__complete li", env);
  CHECK(r.out == ":words\nlist\n");
  CHECK(r.err.empty());
}

TEST_CASE("config: headers add to -H, a -H of the same name replaces one", "[config]") {
  thrift_call::Config config =
      thrift_call::parse_config(R"({"headers": ["Authorization: Bearer a", "X-Team: core"]})", "config.json");
  auto headers = thrift_call::merge_headers({"authorization: Bearer b"}, config);
  CHECK(headers == std::vector<std::string>{"authorization: Bearer b", "X-Team: core"});
  CHECK_THROWS_AS(thrift_call::parse_config(R"({"headers": "X: y"})", "config.json"), thrift_call::Error);
  // A number past a double's range is bad input too, not an internal error.
  CHECK_THROWS_WITH(thrift_call::parse_config(R"({"aliases": {"p": 1e400}})", "config.json"),
                    Catch::Contains("not valid JSON: number overflow parsing '1e400'"));
  CHECK(thrift_call::resolve_alias(thrift_call::parse_config(R"({"aliases": {"p": "h:1"}})", "c"), "p") == "h:1");
  CHECK(thrift_call::resolve_alias(config, "localhost:9090") == "localhost:9090");
}
