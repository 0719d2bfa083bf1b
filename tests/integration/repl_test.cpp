// thrift-call repl against Apache Thrift's Python servers: typed at in a real
// pseudo-terminal (line editing, Tab, history, Ctrl-C), and fed a script
// through a pipe.
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <thread>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../support/pty_session.h"
#include "python_server.h"

using thrift_call::test::PtySession;
using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;

namespace {

const std::string kIdl = "THRIFT_CALL_IDL=examples";

// The REPL in a pty, with its history and cache in `state`.
std::unique_ptr<PtySession> start_repl(const ScratchDir& state, std::vector<std::string> args) {
  args.insert(args.begin(), THRIFT_CALL_BINARY);
  return std::make_unique<PtySession>(
      args, std::vector<std::string>{"THRIFT_CALL_IDL=" THRIFT_CALL_SOURCE_DIR "/examples",
                                     "XDG_STATE_HOME=" + state.path().string(),
                                     "XDG_CACHE_HOME=" + (state.path() / "cache").string()});
}

// Lets libedit take the terminal after a prompt appeared: keys typed
// earlier go through the terminal's cooked mode (echoed, ^C and ^D handled
// by the line discipline), as they would for a user typing ahead.
void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(200)); }

// Ctrl-D until the REPL leaves; its exit code (-1: it did not). A key typed
// before libedit has put the terminal in raw mode is taken by the terminal's
// line discipline (as with any line editor), so it may take a second one.
int leave(PtySession& repl) {
  settle();
  for (int i = 0; i < 20; ++i) {
    repl.type("\x04");
    int code = repl.wait_exit(std::chrono::milliseconds(250));
    if (code != -1) return code;
  }
  return -1;
}

}  // namespace

TEST_CASE("repl script mode runs calls and dot-commands from a pipe and exits with the worst outcome",
          "[integration][repl]") {
  PythonServer server({});
  auto r = run_cli("repl " + server.endpoint() + " <<< $'Calculator.add {\"a\":1,\"b\":2}\\n.use Calculator\\n"
                   "multiply {\\n  \"a\": 3,\\n  \"b\": 4\\n}\\nnope {}\\ndivide {\"dividend\":1,\"divisor\":0}\\n"
                   "add {\"a\":5,\"b\":5}\\n!!\\n.quit\\nadd {\"a\":9,\"b\":9}'",
                   kIdl);
  CHECK(r.out == "3\n12\n{\"DivideByZero\":{\"message\":\"cannot divide 1.0 by zero\"}}\n10\n10\n");
  CHECK(r.err ==
        "thrift-call: service Calculator has no method \"nope\" (methods: add, subtract, multiply, divide, store, "
        "recall)\n");
  CHECK(r.exit_code == 2);

  // All good: 0; a declared exception at worst: 1; the output is what `call` prints.
  r = run_cli("repl " + server.endpoint() + " <<< $'PersonService.getPerson {\"name\":\"Ann\"}'", kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}'", kIdl).out);
  r = run_cli("repl " + server.endpoint() + " <<< $'PersonService.getPerson {\"name\":\"nobody\"}\\n.list'", kIdl);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("{\"PersonNotFound\":{\"name\":\"nobody\"}}\nCalculator.add\n") != std::string::npos);
  CHECK(r.out.find("WeatherService.getTemperature\n") != std::string::npos);
}

TEST_CASE("repl dot-commands: template, describe, set, header, connect, load, send", "[integration][repl]") {
  PythonServer server({"--protocol", "compact", "--transport", "framed", "--multiplex"});
  ScratchDir dir;
  std::string args_file = (dir.path() / "args.json").string();
  { std::ofstream(args_file) << "{\"location\": {\"city\": \"Oslo\"}}"; }
  auto r = run_cli("repl --idl examples/weather.thrift <<< $'WeatherService.ping\\n.connect " + server.endpoint() +
                       "\\n.set protocol compact\\n.set transport framed\\n.set multiplex on\\n.set timeout 5\\n"
                       ".header X-Trace abc\\n.use WeatherService\\n.template getTemperature\\n"
                       ".describe Location\\n.send getTemperature @" + args_file + "\\nping\\n.set colour red\\n"
                       ".load examples/nope.thrift\\n.verbose maybe'",
                   "");
  CHECK(r.out ==
        "{\n  \"location\": {\n    \"city\": \"\",\n    \"country\": \"\"\n  }\n}\n"
        "struct weather.Location {\n  1: required string city\n  2: optional string country\n}\n"
        "\"21.5C in Oslo\"\ntrue\n");
  CHECK(r.err.find("thrift-call: no endpoint to call: .connect HOST:PORT first\n") == 0);
  CHECK(r.err.find("no setting \"colour\"") != std::string::npos);
  CHECK(r.err.find("nope.thrift") != std::string::npos);
  CHECK(r.err.find("expected on or off, got \"maybe\" (.verbose)") != std::string::npos);
  CHECK(r.exit_code == 2);
}

TEST_CASE("repl in a terminal: a call, Tab on a method and on a field name, multi-line JSON, a bad line then a good one",
          "[integration][repl][pty]") {
  PythonServer server({});
  ScratchDir state;
  auto repl = start_repl(state, {server.endpoint()});  // no method on a terminal: the REPL
  REQUIRE(repl->wait_for(server.endpoint() + "> "));
  repl->type("Calculator.add {\"a\": 2, \"b\": 3}\r");
  CHECK(repl->wait_for("\r\n5\r\n"));
  // Tab completes the method, then a field name inside the JSON.
  repl->type("PersonService.getPe\t");
  CHECK(repl->wait_for("rson"));
  repl->type(" {\"na\t");
  CHECK(repl->wait_for("me\": "));
  repl->type("\"Bo\"}\r");
  CHECK(repl->wait_for("\"name\": \"Bo\",\r\n  \"age\": 20\r\n}"));
  // A service chosen; JSON over three lines.
  repl->type(".use Calculator\r");
  CHECK(repl->wait_for(server.endpoint() + " Calculator> "));
  repl->type("multiply {\r");
  CHECK(repl->wait_for("... "));
  repl->type("\"a\": 6,\r\"b\": 7\r}\r");
  CHECK(repl->wait_for("\r\n42\r\n"));
  // A bad line prints its error and the next one works.
  repl->type("divide {\"dividend\": \"x\"}\r");
  CHECK(repl->wait_for("thrift-call: $.dividend: expected double, got \"x\""));
  repl->type("subtract {\"a\": 10, \"b\": 4}\r");
  CHECK(repl->wait_for("\r\n6\r\n"));
  // Ctrl-C at the prompt clears the line; Ctrl-D leaves.
  CHECK(repl->wait_for("Calculator> "));
  settle();
  repl->type("half typed");
  CHECK(repl->wait_for("half typed"));
  repl->type("\x03");
  CHECK(repl->wait_for("^C"));
  CHECK(repl->wait_for("Calculator> "));
  int code = leave(*repl);
  INFO(repl->output());
  CHECK(code == 0);
}

TEST_CASE("repl history survives a restart: up-arrow and !! rerun the last call", "[integration][repl][pty]") {
  PythonServer server({});
  ScratchDir state;
  {
    auto repl = start_repl(state, {"repl", server.endpoint()});
    REQUIRE(repl->wait_for("> "));
    repl->type("Calculator.add {\"a\": 20, \"b\": 22}\r");
    CHECK(repl->wait_for("\r\n42\r\n"));
    CHECK(repl->wait_for("> "));
    int code = leave(*repl);
    INFO(repl->output());
    CHECK(code == 0);
  }
  CHECK(std::filesystem::exists(state.path() / "thrift-call" / "repl_history"));
  auto repl = start_repl(state, {"repl", server.endpoint()});
  REQUIRE(repl->wait_for("> "));
  repl->type("\x1b[A");  // up-arrow brings back the previous session's call
  CHECK(repl->wait_for("Calculator.add {\"a\": 20, \"b\": 22}"));
  repl->type("\r");
  CHECK(repl->wait_for("\r\n42\r\n"));
  repl->type("!!\r");
  CHECK(repl->wait_for("\r\n42\r\n"));
  int code = leave(*repl);
  INFO(repl->output());
  CHECK(code == 0);
}

TEST_CASE("repl: Ctrl-C cancels a slow call, not the REPL", "[integration][repl][pty]") {
  PythonServer slow(THRIFT_CALL_SOURCE_DIR "/tests/integration/bad_server.py", {"slow"});  // replies after 5 s
  PythonServer server({});
  ScratchDir state;
  auto repl = start_repl(state, {"repl", slow.endpoint(), "-p", "binary", "-t", "buffered"});
  REQUIRE(repl->wait_for("> "));
  auto start = std::chrono::steady_clock::now();
  repl->type("PersonService.getPerson {\"name\": \"Ann\"}\r");
  CHECK(repl->wait_for("\"Ann\"}\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  repl->type("\x03");
  CHECK(repl->wait_for("thrift-call: cancelled (" + slow.endpoint() + ")"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  // Still here: another server answers.
  repl->type(".connect " + server.endpoint() + "\r");
  CHECK(repl->wait_for(server.endpoint() + "> "));
  repl->type("Calculator.add {\"a\": 1, \"b\": 1}\r");
  CHECK(repl->wait_for("\r\n2\r\n"));
  repl->type(".quit\r");
  int code = repl->wait_exit();
  INFO(repl->output());
  CHECK(code == 0);
}

TEST_CASE("repl reconnects transparently when the server restarts", "[integration][repl][pty]") {
  std::optional<PythonServer> server;
  server.emplace(std::vector<std::string>{});
  std::string endpoint = server->endpoint();
  std::string port = endpoint.substr(endpoint.rfind(':') + 1);
  ScratchDir state;
  auto repl = start_repl(state, {"repl", endpoint});
  REQUIRE(repl->wait_for("> "));
  repl->type("Calculator.add {\"a\": 1, \"b\": 2}\r");
  CHECK(repl->wait_for("\r\n3\r\n"));
  server.reset();  // the server goes away and comes back on the same port
  server.emplace(THRIFT_CALL_SOURCE_DIR "/examples/python/server.py", std::vector<std::string>{"--port", port});
  repl->type("Calculator.add {\"a\": 3, \"b\": 4}\r");
  CHECK(repl->wait_for("\r\n7\r\n"));
  CHECK(repl->output().find("thrift-call:") == std::string::npos);
  repl->type(".quit\r");
  int code = repl->wait_exit();
  INFO(repl->output());
  CHECK(code == 0);
}
