// thrift-call against Apache Thrift's C++ servers (tests/reference/example_server:
// libthrift's TThreadedServer, TSimpleServer and TNonblockingServer, THeader,
// THttpServer, TMultiplexedProcessor), over real loopback sockets.
#include <catch2/catch.hpp>

#include <chrono>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "cpp_server.h"

using thrift_call::test::count_lines;
using thrift_call::test::CppServer;
using thrift_call::test::run_cli;

namespace {

const std::string kIdl = "THRIFT_CALL_IDL=examples";

// The calls every server kind must answer alike: a reply, a declared
// exception, a handler failure (TApplicationException) and a void reply.
void check_example_calls(const std::string& endpoint, const std::string& flags) {
  auto r = run_cli(endpoint + " PersonService.getPerson '{\"name\":\"Ann\"}'" + flags, kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"name\":\"Ann\",\"age\":30}\n");
  CHECK(r.err.empty());

  r = run_cli(endpoint + " PersonService.getPerson '{\"name\":\"nobody\"}'" + flags, kIdl);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "{\"PersonNotFound\":{\"name\":\"nobody\"}}\n");

  r = run_cli(endpoint + " Calculator.add '{\"a\":666,\"b\":1}'" + flags, kIdl);
  CHECK(r.exit_code == 4);
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("TApplicationException") != std::string::npos);
  CHECK(r.err.find("the handler failed") != std::string::npos);

  r = run_cli(endpoint + " PersonService.savePerson '{\"person\":{\"name\":\"Bo\",\"age\":7}}'" + flags, kIdl);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "null\n");

  r = run_cli(endpoint + " Calculator.divide '{\"dividend\":7,\"divisor\":0}'" + flags, kIdl);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "{\"DivideByZero\":{\"message\":\"cannot divide 7.0 by zero\"}}\n");
}

}  // namespace

TEST_CASE("calls reach a threaded C++ server in every protocol, buffered or framed", "[integration][cpp]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    for (const char* framing : {"buffered", "framed"}) {
      INFO(protocol << " " << framing);
      CppServer server({"--server", "threaded", "--protocol", protocol, "--transport", framing});
      check_example_calls(server.endpoint(), std::string(" -p ") + protocol + " -t " + framing);
    }
  }
}

TEST_CASE("calls reach a C++ TSimpleServer", "[integration][cpp]") {
  CppServer server({"--server", "simple", "--protocol", "compact", "--transport", "buffered"});
  check_example_calls(server.endpoint(), " -p compact -t buffered");
}

TEST_CASE("framed calls reach a C++ TNonblockingServer in every protocol", "[integration][cpp]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    INFO(protocol);
    CppServer server({"--server", "nonblocking", "--protocol", protocol, "--transport", "framed"});
    check_example_calls(server.endpoint(), std::string(" -p ") + protocol + " -t framed");
  }
}

TEST_CASE("multiplexed calls reach a C++ TMultiplexedProcessor", "[integration][cpp]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    for (const char* framing : {"buffered", "framed"}) {
      INFO(protocol << " " << framing);
      CppServer server({"--protocol", protocol, "--transport", framing, "--multiplex"});
      check_example_calls(server.endpoint(), std::string(" -p ") + protocol + " -t " + framing + " --multiplex");
    }
  }
}

TEST_CASE("a C++ TMultiplexedProcessor answers an unknown service name with a TApplicationException",
          "[integration][cpp]") {
  CppServer server({"--multiplex"});
  auto r = run_cli(server.endpoint() + " PersonService.getPerson '{\"name\":\"Ann\"}' -p binary -t buffered --multiplex Nope",
                   kIdl);
  CHECK(r.exit_code == 4);
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.find("TApplicationException") != std::string::npos);
  CHECK(r.err.find("Unknown service: Nope") != std::string::npos);
}

TEST_CASE("THeader calls reach a C++ THeaderProtocol server with binary or compact inside", "[integration][cpp]") {
  CppServer server({"--transport", "header"});
  for (const char* protocol : {"binary", "compact"}) {
    INFO(protocol);
    check_example_calls(server.endpoint(), std::string(" -p ") + protocol + " -t header");
  }
}

TEST_CASE("HTTP endpoints POST to a C++ THttpServer in every protocol", "[integration][cpp]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    INFO(protocol);
    CppServer server({"--transport", "http", "--protocol", protocol});
    check_example_calls("http://" + server.endpoint() + "/", std::string(" -p ") + protocol);
  }
}

TEST_CASE("a oneway call over HTTP returns once sent, though a C++ THttpServer never answers it",
          "[integration][cpp][http]") {
  CppServer server({"--transport", "http", "--protocol", "binary"});
  std::string url = "http://" + server.endpoint() + "/";
  auto start = std::chrono::steady_clock::now();
  auto r = run_cli(url + " Calculator.store '{\"value\":42}' -p binary --timeout 20", kIdl);
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.exit_code == 0);
  CHECK(r.out == "null\n");
  CHECK(r.err.empty());
  CHECK(took < std::chrono::seconds(5));  // not the 20 s of --timeout
  r = run_cli(url + " Calculator.recall -p binary", kIdl);
  CHECK(r.out == "42\n");  // the call did arrive
}

TEST_CASE("auto is safe against each real C++ server: the handler runs once", "[integration][cpp][auto]") {
  const std::vector<std::vector<std::string>> kinds = {
      {"--server", "threaded", "--protocol", "binary", "--transport", "buffered"},
      {"--server", "threaded", "--protocol", "binary", "--transport", "framed"},
      {"--server", "threaded", "--protocol", "compact", "--transport", "buffered"},
      {"--server", "threaded", "--protocol", "compact", "--transport", "framed"},
      {"--server", "threaded", "--protocol", "json", "--transport", "buffered"},
      {"--server", "threaded", "--protocol", "json", "--transport", "framed"},
      {"--server", "nonblocking", "--protocol", "binary", "--transport", "framed"},
      {"--server", "nonblocking", "--protocol", "compact", "--transport", "framed"},
      {"--server", "nonblocking", "--protocol", "json", "--transport", "framed"},
      {"--server", "threaded", "--transport", "header"},
  };
  for (const auto& kind : kinds) {
    std::string name;
    for (const auto& a : kind) name += a + " ";
    INFO(name);
    thrift_call::test::ScratchDir cache;
    std::string env = kIdl + " XDG_CACHE_HOME=" + cache.path().string();
    CppServer server(kind);
    // createUser hands out ids 2, 3, ...: a handler run by a mismatched
    // probe would show as a skipped id.
    auto r = run_cli(server.endpoint() + " UserService.createUser '{\"name\":\"Cy\",\"email\":\"c@x\"}' -v", env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"id\":2,\"name\":\"Cy\",\"email\":\"c@x\"}\n");
    // The cached setting works for the next call.
    r = run_cli(server.endpoint() + " UserService.createUser '{\"name\":\"Di\",\"email\":\"d@x\"}'", env);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"id\":3,\"name\":\"Di\",\"email\":\"d@x\"}\n");
  }
}
