// Input deep or large where real input is small, through each command that
// reads it: one line on stderr, exit 2, bounded time and memory. The inputs
// are written by the test (nothing big is committed).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "../idl/idl_test_util.h"
#include "../support/process.h"
#include "../support/sanitizer.h"
#include "run_cli.h"

using thrift_call::test::CliResult;
using thrift_call::test::count_lines;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;
using thrift_call::test::ServerProcess;

namespace {

struct Measured {
  CliResult result;
  double seconds = 0;
  long max_rss_kb = 0;
};

// run_cli with the binary under GNU time: wall seconds and peak RSS.
Measured run_measured(const std::string& args, const std::string& env, const std::string& cwd) {
  ScratchDir scratch;
  std::string stats = (scratch.path() / "time.txt").string();
  Measured m;
  // In a group, so that run_cli's redirections are the group's.
  m.result = run_cli("--version >/dev/null; { /usr/bin/time -f '%e %M' -o '" + stats + "' '" THRIFT_CALL_BINARY "' " +
                         args + "; }",
                     env, cwd);
  std::istringstream(thrift_call::test::slurp(stats)) >> m.seconds >> m.max_rss_kb;
  return m;
}

std::string nested_arrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// struct S0 {1: S1 a, 2: S1 b} ... over `levels`, and a service returning S0.
std::string branching_idl(int levels) {
  std::string idl;
  for (int i = 0; i < levels; ++i)
    idl += "struct S" + std::to_string(i) + " { 1: S" + std::to_string(i + 1) + " a, 2: S" + std::to_string(i + 1) +
           " b }\n";
  idl += "struct S" + std::to_string(levels) + " { 1: i32 x }\n";
  return idl + "service Tree { S0 get(1: S0 seed) }\n";
}

constexpr long kMaxRssKb = 300 * 1024;  // generous for a sanitizer build; the repros took 1.5 GB and more

}  // namespace

TEST_CASE("70,000-deep JSON to encode is one error line and exit 2, not a stack overflow", "[cli][limits]") {
  ScratchDir dir;
  dir.write("d.json", nested_arrays(70000));
  Measured m = run_measured("encode raw @d.json", "", dir.path().string());
  CHECK(m.result.exit_code == 2);
  CHECK(m.result.err == "thrift-call: argument line 1, column 131: invalid JSON: nesting deeper than 130 levels\n");
  CHECK(m.seconds < 2);
  CHECK(m.max_rss_kb < kMaxRssKb);
  // As deep as the limit, the encoder says what it expected, quoting the start.
  dir.write("ok.json", nested_arrays(130));
  CliResult r = run_cli("encode raw @ok.json", "", dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: $: expected an object of raw fields, got " + std::string(37, '[') + "...\n");
}

TEST_CASE("70,000-deep JSON arguments are refused by call, --batch and the REPL, and nothing is sent",
          "[cli][limits]") {
  ScratchDir dir;
  std::string idl = dir.write("deep.thrift", "service Deep { i32 take(1: list<i32> xs) }\n");
  ServerProcess server({THRIFT_CALL_BINARY, "serve", idl, "--listen", "127.0.0.1:0", "--no-record"});
  std::string endpoint = "127.0.0.1:" + server.address();
  std::string args = "{\"xs\":" + nested_arrays(70000) + "}";
  dir.write("args.json", args);
  dir.write("batch.ndjson", "{\"xs\":[1]}\n" + args + "\n{\"xs\":[2]}\n");
  dir.write("repl.txt", "Deep.take " + args + "\nDeep.take {\"xs\":[3]}\n");
  const std::string error = "invalid JSON: nesting deeper than 130 levels";

  Measured call = run_measured(endpoint + " Deep.take @args.json --idl deep.thrift", "", dir.path().string());
  CHECK(call.result.exit_code == 2);
  CHECK(call.result.err == "thrift-call: ARGS line 1, column 136: " + error + "\n");
  CHECK(call.seconds < 2);
  CHECK(call.max_rss_kb < kMaxRssKb);

  // A batch answers every line, the deep one with its error.
  Measured batch = run_measured(endpoint + " Deep.take --batch --idl deep.thrift < batch.ndjson", "", dir.path().string());
  CHECK(batch.result.exit_code == 2);
  CHECK(count_lines(batch.result.out) == 3);
  CHECK(batch.result.out.find("0\n{\"error\":{\"kind\":\"input\",\"message\":\"stdin line 2, column 136: " + error) == 0);
  CHECK(batch.max_rss_kb < kMaxRssKb);

  Measured repl = run_measured("repl " + endpoint + " --idl deep.thrift < repl.txt", "", dir.path().string());
  CHECK(repl.result.exit_code == 2);
  CHECK(repl.result.err.find(error) != std::string::npos);
  CHECK(count_lines(repl.result.err) == 1);
  CHECK(repl.result.out == "0\n");  // the next line still runs
  CHECK(repl.max_rss_kb < kMaxRssKb);
}

TEST_CASE("template of a type graph that branches 40 levels deep ends at once, cut evenly", "[cli][template][limits]") {
  ScratchDir dir;
  dir.write("tree.thrift", branching_idl(40));
  Measured m = run_measured("template Tree.get --idl tree.thrift", "", dir.path().string());
  REQUIRE(m.result.exit_code == 0);
  CHECK(m.seconds < 2);
  CHECK(m.max_rss_kb < kMaxRssKb);
  auto t = nlohmann::ordered_json::parse(m.result.out);
  CHECK(t["seed"]["a"]["b"]["a"].is_object());
  CHECK(m.result.out.find("\"...\": \"S12 not expanded: the template stops at 10000 values\"") != std::string::npos);
  CHECK(m.result.err.empty());
}

TEST_CASE("serve of a type graph that branches listens at once and answers a bounded zero value",
          "[cli][serve][limits]") {
  ScratchDir dir;
  for (int levels : {22, 40}) {
    std::string idl = dir.write("tree" + std::to_string(levels) + ".thrift", branching_idl(levels));
    auto started = std::chrono::steady_clock::now();
    ServerProcess server({THRIFT_CALL_BINARY, "serve", idl, "--listen", "127.0.0.1:0", "--no-record"});
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    Measured m = run_measured("127.0.0.1:" + server.address() + " Tree.get '{\"seed\":{}}' --idl " + idl, "",
                              dir.path().string());
    CHECK(m.result.exit_code == 0);
    auto reply = nlohmann::ordered_json::parse(m.result.out);
    CHECK(reply["a"]["a"]["a"].is_object());
    CHECK(m.result.out.size() < (size_t{2} << 20));
  }
}

TEST_CASE("list of an extends chain of 4,000 services is linear in what it prints", "[cli][list][limits]") {
  ScratchDir dir;
  std::string idl = "service S0 { void f0() }\n";
  for (int i = 1; i < 4000; ++i)
    idl += "service S" + std::to_string(i) + " extends S" + std::to_string(i - 1) + " { void f" + std::to_string(i) +
           "() }\n";
  dir.write("chain.thrift", idl);
  Measured m = run_measured("list S3999 --idl chain.thrift", "", dir.path().string());
  CHECK(m.result.exit_code == 0);
  CHECK(count_lines(m.result.out) == 4000);
  CHECK(m.seconds < 2);
  // Every service: 4000 * 4001 / 2 lines, the inherited ones marked.
  m = run_measured("list --idl chain.thrift | wc -l", "", dir.path().string());
  CHECK(m.result.out == "8002000\n");
  CHECK(m.seconds < 30 * thrift_call::test::kTimeScale);  // 4.7 s; it was 41.6 s (86 s on a loaded machine)
}

TEST_CASE("a typedef chain too long says so, in one line with exit 2", "[cli][limits]") {
  ScratchDir dir;
  std::string idl = "typedef i32 T0\n";
  for (int i = 1; i <= 1000; ++i) idl += "typedef T" + std::to_string(i - 1) + " T" + std::to_string(i) + "\n";
  dir.write("chain.thrift", idl + "service S { T1000 get() }\n");
  CliResult r = run_cli("list --idl chain.thrift", "", dir.path().string());
  CHECK(r.exit_code == 2);
  CHECK(r.err == "thrift-call: chain.thrift:102:14: typedef \"T101\" nests deeper than 100 levels through typedefs\n");
}
