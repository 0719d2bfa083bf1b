// The client's limits hold whatever the peer does: a reply (an HTTP body
// too) is bounded by --max-message as it arrives, and --timeout is a
// deadline for the whole call (connect, probes, send, every read).
#include <catch2/catch.hpp>
#include <chrono>

#include "../cli/run_cli.h"
#include "python_server.h"

using thrift_call::test::count_lines;
using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;

namespace {

const std::string kIdl = "THRIFT_CALL_IDL=examples";
const std::string kCall = " PersonService.getPerson '{\"name\":\"Ann\"}'";

PythonServer bad_server(const char* mode) {
  return PythonServer(THRIFT_CALL_SOURCE_DIR "/tests/integration/bad_server.py", {mode});
}

// Run under a 1 GB address-space limit, so that a body kept without bound
// ends in bad_alloc (exit 70) instead of passing. Sanitizers reserve
// terabytes of shadow address space: there the limit is left out.
#if defined(__SANITIZE_ADDRESS__)
const std::string kMemoryCap;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
const std::string kMemoryCap;
#else
const std::string kMemoryCap = "ulimit -v 1000000 && ";
#endif
#else
const std::string kMemoryCap = "ulimit -v 1000000 && ";
#endif

struct Timed {
  thrift_call::test::CliResult result;
  double seconds = 0;
};

// run_cli's way, in a shell that first sets kMemoryCap.
thrift_call::test::CliResult run_capped(const std::string& args) {
  auto base = (std::filesystem::temp_directory_path() / ("thrift-call-capped-" + std::to_string(::getpid()))).string();
  std::string command = "cd '" THRIFT_CALL_SOURCE_DIR "' && " + kMemoryCap + "env -u THRIFT_CALL_IDL " + kIdl +
                        " XDG_CACHE_HOME='" + base + ".cache' '" THRIFT_CALL_BINARY "' " + args + " >'" + base +
                        ".out' 2>'" + base + ".err' </dev/null";
  std::string quoted;
  for (char c : command) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  int status = std::system(("bash -c '" + quoted + "'").c_str());
  thrift_call::test::CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = thrift_call::test::slurp(base + ".out");
  r.err = thrift_call::test::slurp(base + ".err");
  for (const char* end : {".out", ".err", ".cache"}) std::filesystem::remove_all(base + end);
  return r;
}

// `args` after the binary, as run_cli takes them; `memory_cap`: under kMemoryCap.
Timed timed_cli(const std::string& args, bool memory_cap = false) {
  auto start = std::chrono::steady_clock::now();
  Timed t;
  t.result = memory_cap ? run_capped(args) : run_cli(args, kIdl);
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

void check_one_line(const thrift_call::test::CliResult& r, int exit_code, const std::string& says) {
  INFO(r.err);
  CHECK(r.exit_code == exit_code);
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find(says) != std::string::npos);
}

}  // namespace

TEST_CASE("an HTTP body declared over --max-message is refused before a byte of it is kept", "[integration][limits][http]") {
  // The server declares 10^11 bytes and sends as fast as it can, for ever.
  auto server = bad_server("http-endless");
  std::string url = "http://" + server.endpoint() + "/";
  auto t = timed_cli(url + kCall + " -p binary -t buffered --timeout 5");
  check_one_line(t.result, 4, "the HTTP response declares a body of 100000000000 bytes, over the limit of 67108864 (--max-message)");
  CHECK(t.seconds < 2);
  // auto mode: the probes meet the same body, and the search ends in time.
  t = timed_cli(url + kCall + " --timeout 5");
  CHECK(t.result.exit_code == 3);
  CHECK(count_lines(t.result.err) == 1);
  CHECK(t.seconds < 6);
}

TEST_CASE("an HTTP body of no declared length stops at --max-message, in bounded memory", "[integration][limits][http]") {
  auto server = bad_server("http-endless-chunked");
  std::string url = "http://" + server.endpoint() + "/";
  auto t = timed_cli(url + kCall + " -p binary -t buffered --timeout 10", true);
  check_one_line(t.result, 4, "the HTTP response body is larger than the limit of 67108864 bytes (--max-message)");
  CHECK(t.seconds < 11);
  t = timed_cli(url + kCall + " -p binary -t buffered --timeout 10 --max-message 100000");
  check_one_line(t.result, 4, "the HTTP response body is larger than the limit of 100000 bytes (--max-message)");
  CHECK(t.seconds < 2);
}

TEST_CASE("an HTTP body that drips in ends at --timeout", "[integration][limits][http]") {
  auto server = bad_server("http-drip");
  auto t = timed_cli("http://" + server.endpoint() + "/" + kCall + " -p binary -t buffered --timeout 1");
  check_one_line(t.result, 3, "timed out");
  CHECK(t.seconds < 2);
}

TEST_CASE("a socket reply that drips in ends at --timeout, a deadline for the whole call", "[integration][limits]") {
  // One byte every 200 ms: each read is quick, the reply takes 12 s.
  auto server = bad_server("drip");
  auto t = timed_cli(server.endpoint() + kCall + " -p binary -t buffered --timeout 1");
  check_one_line(t.result, 3, "timed out waiting for the reply");
  CHECK(t.seconds < 2);
}

TEST_CASE("auto's probes of a silent server end at --timeout too", "[integration][limits]") {
  // Eight probes, HTTP and a TLS handshake take about 4 s against silence.
  auto server = bad_server("silent");
  auto t = timed_cli(server.endpoint() + kCall + " --timeout 1");
  check_one_line(t.result, 3, "timed out (--timeout 1 s) before any protocol and framing got a reply (tried binary/buffered");
  CHECK(t.seconds < 2);
  // A setting given: the call's first wait, the probes that diagnose it and the reply's wait share the second.
  t = timed_cli(server.endpoint() + kCall + " -p binary -t buffered --timeout 1");
  check_one_line(t.result, 3, "timed out");
  CHECK(t.seconds < 2);
}

TEST_CASE("a socket reply is bounded by --max-message too", "[integration][limits]") {
  auto server = bad_server("huge-reply");  // a name of 2 MiB
  auto r = run_cli(server.endpoint() + kCall + " -p binary -t buffered --max-message 1048576", kIdl);
  check_one_line(r, 4, "string size 2097152 exceeds the limit of 1048576");
  r = run_cli(server.endpoint() + kCall + " -p binary -t buffered --max-message 0", kIdl);
  CHECK(r.exit_code == 2);
}
