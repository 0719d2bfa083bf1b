// auto mode never runs a call twice: once bytes of a reply in the setting
// tried have come back, the server has read what was sent, and the search
// ends there with that reply's own error. Each case counts the calls the
// server handled: bad_server.py's --count file, serve's --record.
#include <catch2/catch.hpp>
#include <fstream>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "python_server.h"

using thrift_call::test::count_lines;
using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;
using thrift_call::test::ServerProcess;
using thrift_call::test::slurp;

namespace {

const std::string kCall = " PersonService.getPerson '{\"name\":\"Ann\"}' --max-message 1048576";

struct BadReply {
  const char* mode;
  int exit_code;
  const char* says;
};

// Each answers the call (and, with --probes-too, the probe) in binary, unframed.
const BadReply kBadReplies[] = {
    {"huge-reply", 4, "string size 2097152 exceeds the limit of 1048576"},
    {"wrong-seqid", 4, "the reply has seqid 2, the call 1"},
    {"close-mid-reply", 3, "the server closed the connection after 21 bytes of the reply"},
    {"too-deep", 4, "nesting deeper than 64 levels"},
};

}  // namespace

TEST_CASE("auto runs a call once whatever its reply: too large, another seqid, cut short, too deep",
          "[integration][auto][fault]") {
  for (const BadReply& bad : kBadReplies) {
    // Probes answered as Apache answers them, or with the same bad reply.
    for (const std::string probes : {"", "--probes-too"}) {
      INFO(bad.mode << " " << probes);
      ScratchDir dir;
      std::string count = (dir.path() / "count").string();
      std::string env = "THRIFT_CALL_IDL=examples XDG_CACHE_HOME=" + (dir.path() / "cache").string();
      std::vector<std::string> args = {bad.mode, "--count", count};
      if (!probes.empty()) args.push_back(probes);
      PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/bad_server.py", args);
      // The first call probes; the second uses the setting cached (when the first stored one).
      for (int call = 1; call <= 2; ++call) {
        INFO("call " << call);
        auto r = run_cli(server.endpoint() + kCall, env);
        INFO(r.err);
        CHECK(r.exit_code == bad.exit_code);
        CHECK(count_lines(r.err) == 1);
        CHECK(r.err.find(bad.says) != std::string::npos);
        CHECK(count_lines(slurp(count)) == call);
      }
    }
  }
}

TEST_CASE("auto runs a call once when serve's reply is over --max-message, over TCP and HTTP",
          "[integration][auto][serve]") {
  // The case: a string of 65 MiB ran the handler 8 times. Here 2 MiB over a 1 MiB limit.
  ScratchDir dir;
  std::string responses = dir.write(
      "responses.json", "{\"WeatherService.getTemperature\": {\"return\": \"" + std::string(2 << 20, 'x') + "\"}}");
  std::string record = (dir.path() / "record.jsonl").string();
  ServerProcess serve({THRIFT_CALL_BINARY, "serve", THRIFT_CALL_SOURCE_DIR "/examples/weather.thrift", "--listen",
                       "127.0.0.1:0", "--responses", responses, "--record", record});
  const std::string call = " WeatherService.getTemperature '{\"location\":{\"city\":\"Oslo\"}}' --max-message 1048576";
  std::string env = "THRIFT_CALL_IDL=examples XDG_CACHE_HOME=" + (dir.path() / "cache").string();
  auto r = run_cli("127.0.0.1:" + serve.address() + call, env);
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("string size 2097152 exceeds the limit of 1048576") != std::string::npos);
  CHECK(count_lines(slurp(record)) == 1);
  // Cached now: the same again, one more call.
  r = run_cli("127.0.0.1:" + serve.address() + call, env);
  CHECK(r.exit_code == 4);
  CHECK(count_lines(slurp(record)) == 2);

  r = run_cli("http://127.0.0.1:" + serve.address() + "/" + call, env);
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("over the limit of 1048576 (--max-message)") != std::string::npos);
  CHECK(count_lines(slurp(record)) == 3);
}
