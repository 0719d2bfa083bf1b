// The first wrong guess a user makes (a protocol, a framing, a missing
// --multiplex, an HTTP server given as host:port, TLS on one side only),
// against Apache's Python and C++ servers: each ends within 2 s with exit 3
// or 4 and one line that names what works, and following that advice works.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>
#include <variant>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../support/certificate.h"
#include "../support/sanitizer.h"
#include "cpp_server.h"
#include "python_server.h"

using thrift_call::test::count_lines;
using thrift_call::test::CppServer;
using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;

namespace {

const std::string kIdl = "THRIFT_CALL_IDL=examples";
const std::string kCall = " PersonService.getPerson '{\"name\":\"Ann\"}'";
// The promise to a user is 2 s; an ASan build of thrift-call is slower.
constexpr double kFastSeconds = 2.0 * thrift_call::test::kTimeScale;

struct Timed {
  thrift_call::test::CliResult result;
  double seconds = 0;
};

Timed timed_call(const std::string& endpoint, const std::string& flags) {
  auto start = std::chrono::steady_clock::now();
  Timed t{run_cli(endpoint + kCall + " " + flags, kIdl), 0};
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

// The flags or URL the message says to use: "use --protocol compact
// --transport framed", "use http://127.0.0.1:PORT/ as the endpoint".
struct Advice {
  std::string endpoint;  // empty: the same
  std::string flags;
};
std::optional<Advice> advice_in(const std::string& err) {
  std::smatch m;
  if (std::regex_search(err, m, std::regex("use (https?://[^ ]+) as the endpoint"))) return Advice{m[1], ""};
  if (std::regex_search(err, m, std::regex("use ((?:--[a-z]+(?: [a-z]+)?(?: |$|\\)))+)")))
    return Advice{"", m[1]};
  if (err.find("add --tls") != std::string::npos) return Advice{"", "--tls --insecure"};
  return std::nullopt;
}

// The flags the user gave, with the advice's replacing those it names.
std::string follow(const std::string& given, const std::string& advised) {
  std::string out;
  std::istringstream words(given);
  std::string flag, value;
  while (words >> flag) {
    bool takes_value = flag == "-p" || flag == "-t";
    if (takes_value) words >> value;
    std::string name = flag == "-p" ? "--protocol" : flag == "-t" ? "--transport" : flag;
    if (advised.find(name) != std::string::npos) continue;
    out += " " + flag + (takes_value ? " " + value : "");
  }
  return out + " " + advised;
}

// One wrong guess: it fails fast, names the fix, and the fix works.
void check_mismatch(const std::string& endpoint, const std::string& flags) {
  INFO(endpoint << kCall << " " << flags);
  Timed first = timed_call(endpoint, flags);
  INFO("stderr: " << first.result.err << "stdout: " << first.result.out);
  CHECK(first.seconds < kFastSeconds);
  CHECK((first.result.exit_code == 3 || first.result.exit_code == 4));
  CHECK(count_lines(first.result.err) == 1);
  auto advice = advice_in(first.result.err);
  REQUIRE(advice);
  std::string next_endpoint = advice->endpoint.empty() ? endpoint : advice->endpoint;
  std::string next_flags = advice->endpoint.empty() ? follow(flags, advice->flags) : "";
  INFO("followed: " << next_endpoint << kCall << " " << next_flags);
  Timed second = timed_call(next_endpoint, next_flags);
  INFO("stderr then: " << second.result.err);
  CHECK(second.result.exit_code == 0);
  CHECK(second.result.out == "{\"name\":\"Ann\",\"age\":30}\n");
}

// Without flags, auto finds it: the call works, or (an HTTP server given as
// host:port) the one line names the URL, fast.
void check_auto(const std::string& endpoint, bool http) {
  INFO(endpoint << kCall);
  Timed t = timed_call(endpoint, "");
  INFO("stderr: " << t.result.err);
  CHECK(t.seconds < kFastSeconds);
  if (http) {
    CHECK(t.result.exit_code == 3);
    check_mismatch(endpoint, "");
  } else {
    CHECK(t.result.exit_code == 0);
    CHECK(t.result.out == "{\"name\":\"Ann\",\"age\":30}\n");
  }
}

const std::vector<std::string> kWrongGuesses = {
    "-p binary -t buffered", "-p binary -t framed", "-p compact -t buffered", "-p compact -t framed",
    "-p json -t framed",     "-p json -t buffered",  "-p binary -t header",
};

std::vector<std::string> wrong_for(const std::string& protocol, const std::string& transport, bool multiplexed) {
  std::vector<std::string> out;
  for (const std::string& guess : kWrongGuesses) {
    // Right as guessed: only wrong when the server is multiplexed.
    if (guess == "-p " + protocol + " -t " + transport && !multiplexed) continue;
    out.push_back(guess);
  }
  return out;
}

}  // namespace

TEST_CASE("every wrong guess at a Python server ends within 2 s naming what works", "[integration][mismatch]") {
  struct Server {
    std::string protocol, transport;
    bool multiplexed;
  };
  for (const Server& s : {Server{"binary", "buffered", false}, Server{"compact", "framed", false},
                          Server{"json", "buffered", false}, Server{"binary", "buffered", true},
                          Server{"compact", "framed", true}}) {
    std::vector<std::string> args = {"--protocol", s.protocol, "--transport", s.transport};
    if (s.multiplexed) args.push_back("--multiplex");
    PythonServer server(args);
    check_auto(server.endpoint(), false);
    for (const std::string& guess : wrong_for(s.protocol, s.transport, s.multiplexed))
      check_mismatch(server.endpoint(), guess);
  }
}

TEST_CASE("every wrong guess at a C++ server ends within 2 s naming what works", "[integration][mismatch]") {
  struct Server {
    std::string protocol, transport;
    bool multiplexed;
  };
  for (const Server& s : {Server{"binary", "framed", false}, Server{"compact", "buffered", true},
                          Server{"binary", "header", false}}) {
    std::vector<std::string> args = {"--server", "threaded", "--protocol", s.protocol, "--transport", s.transport};
    if (s.multiplexed) args.push_back("--multiplex");
    CppServer server(args);
    check_auto(server.endpoint(), false);
    for (const std::string& guess : wrong_for(s.protocol, s.transport, s.multiplexed)) {
      // A THeader server reads unframed and framed binary and compact as well.
      if (s.transport == "header" && guess.find("json") == std::string::npos) continue;
      check_mismatch(server.endpoint(), guess);
    }
  }
}

TEST_CASE("an HTTP server given as host:port is named, with the URL that works", "[integration][mismatch][http]") {
  // Python's stock THttpServer serves one connection at a time.
  for (const char* protocol : {"binary", "compact"}) {
    PythonServer server({"--transport", "http", "--protocol", protocol});
    check_auto(server.endpoint(), true);
    for (const char* guess : {"-p binary -t buffered", "-p compact -t framed", "-p json -t buffered"})
      check_mismatch(server.endpoint(), guess);
  }
}

TEST_CASE("an HTTP status ends the search and is shown", "[integration][mismatch][http]") {
  PythonServer server({"--transport", "http"});
  // A JSON body to a binary THttpServer: no status, no reply; the probe
  // finds binary.
  check_mismatch("http://" + server.endpoint() + "/", "-p json");
  auto not_found = PythonServer(THRIFT_CALL_SOURCE_DIR "/tests/integration/bad_server.py", {"http-404"});
  Timed t = timed_call("http://" + not_found.endpoint() + "/x", "");
  CHECK(t.result.exit_code == 3);
  CHECK(t.result.err == "thrift-call: HTTP status 404: no such endpoint (http://" + not_found.endpoint() + "/x)\n");
  CHECK(count_lines(t.result.err) == 1);
  CHECK(t.seconds < kFastSeconds);
}

TEST_CASE("TLS on one side only is named", "[integration][mismatch][tls]") {
  thrift_call::test::SelfSignedCertificate certificate;
  PythonServer tls_server({"--tls", certificate.cert(), certificate.key()});
  check_mismatch(tls_server.endpoint(), "-p binary -t buffered");
  Timed t = timed_call(tls_server.endpoint(), "");
  CHECK(t.result.exit_code == 3);
  CHECK(t.result.err.find("the server speaks TLS: add --tls") != std::string::npos);
  CHECK(t.seconds < kFastSeconds);

  PythonServer plain({});
  t = timed_call(plain.endpoint(), "--tls --insecure -p binary -t buffered");
  INFO(t.result.err);
  CHECK((t.result.exit_code == 3 || t.result.exit_code == 4));
  CHECK(t.result.err.find("does not speak TLS") != std::string::npos);
  CHECK(count_lines(t.result.err) == 1);
}

TEST_CASE("a slow server in the setting given is waited for, not misread as a mismatch", "[integration][mismatch]") {
  // bad_server's slow mode answers after 5 s; past the probe window the
  // probe finds nothing else, so the call waits for its --timeout.
  auto server = PythonServer(THRIFT_CALL_SOURCE_DIR "/tests/integration/bad_server.py", {"slow"});
  Timed t = timed_call(server.endpoint(), "-p binary -t buffered --timeout 7");
  INFO(t.result.err);
  CHECK(t.result.exit_code == 0);
  CHECK(t.result.out == "{\"name\":\"Ann\",\"age\":30}\n");
}

TEST_CASE("a server that stalls as auto starts its search is found once it answers again, and runs the call once",
          "[integration][mismatch][auto]") {
  // The first probes meet silence, later ones are refused at once: the
  // silent ones are asked again, more patiently. (A loaded CI machine made
  // a Python server this slow, and auto gave up on it.)
  PythonServer server({});
  ::kill(server.pid(), SIGSTOP);
  std::thread resume([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    ::kill(server.pid(), SIGCONT);
  });
  auto r = run_cli(server.endpoint() + " UserService.createUser '{\"name\":\"Cy\",\"email\":\"c@x\"}' -v", kIdl);
  resume.join();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"id\":2,\"name\":\"Cy\",\"email\":\"c@x\"}\n");
  CHECK(r.err.find("probe binary/buffered again: answered") != std::string::npos);
}

TEST_CASE("auto finds a multiplexed server and names calls Service:method, once", "[integration][mismatch][auto]") {
  thrift_call::test::ScratchDir cache;
  std::string env = kIdl + " XDG_CACHE_HOME=" + cache.path().string();
  PythonServer server({"--multiplex"});
  // createUser hands out ids 2, 3, ...: a call run twice would skip one.
  auto r = run_cli(server.endpoint() + " UserService.createUser '{\"name\":\"Cy\",\"email\":\"c@x\"}' -v", env);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"id\":2,\"name\":\"Cy\",\"email\":\"c@x\"}\n");
  CHECK(r.err.find("auto: the server speaks binary/buffered, multiplexed") != std::string::npos);
  // Cached: the next call, to another service of the same server, goes out multiplexed at once.
  r = run_cli(server.endpoint() + kCall + " -v", env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("probe") == std::string::npos);
  CHECK(thrift_call::test::slurp(cache.path() / "thrift-call" / "endpoints.json").find("\"multiplexed\": true") !=
        std::string::npos);
}
