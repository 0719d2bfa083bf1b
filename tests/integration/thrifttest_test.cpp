// Every method of Apache's cross-language test service (ThriftTest), called
// through thrift-call over every protocol and transport, against a Python
// server implementing the IDL's comments (thrifttest_server.py).
#include <catch2/catch.hpp>

#include "../cli/run_cli.h"
#include "python_server.h"
#include "thrifttest_cases.h"

using thrift_call::test::kThriftTestCases;
using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;
using thrift_call::test::ThriftTestCase;

namespace {

const std::string kEnv =
    "THRIFT_CALL_IDL=" THRIFT_CALL_SOURCE_DIR "/tests/data/ThriftTest.thrift";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void call_everything(const std::string& endpoint, const std::string& flags) {
  for (const ThriftTestCase& c : kThriftTestCases) {
    INFO(c.method << " " << c.args << flags);
    auto start = std::chrono::steady_clock::now();
    auto r = run_cli(endpoint + " ThriftTest." + c.method + " " + quote(c.args) + flags, kEnv);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.out == (c.out[0] ? std::string(c.out) + "\n" : std::string()));
    // A oneway call returns without waiting for the server's three seconds
    // of sleep (over HTTP the POST itself waits for the server's response).
    // The margin is for a sanitizer build on a loaded machine, where one
    // process start and call took up to a second.
    if (std::string(c.method) == "testOneway" && endpoint.rfind("http", 0) != 0)
      CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
  }
}

}  // namespace

TEST_CASE("every ThriftTest method works in every protocol over buffered and framed sockets",
          "[integration][thrifttest]") {
  for (const char* protocol : {"binary", "compact", "json"}) {
    for (const char* transport : {"buffered", "framed"}) {
      PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/thrifttest_server.py",
                          {"--port", "0", "--protocol", protocol, "--transport", transport});
      call_everything(server.endpoint(), std::string(" -p ") + protocol + " -t " + transport);
    }
  }
}

TEST_CASE("every ThriftTest method works over THeader, HTTP and multiplexed", "[integration][thrifttest]") {
  {
    PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/thrifttest_server.py",
                        {"--port", "0", "--transport", "header"});
    call_everything(server.endpoint(), " -t header -p binary");
    call_everything(server.endpoint(), " -t header -p compact");
  }
  for (const char* protocol : {"binary", "compact", "json"}) {
    PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/thrifttest_server.py",
                        {"--port", "0", "--transport", "http", "--protocol", protocol});
    call_everything("http://" + server.endpoint() + "/", std::string(" -p ") + protocol);
  }
  PythonServer server(THRIFT_CALL_SOURCE_DIR "/tests/integration/thrifttest_server.py",
                      {"--port", "0", "--multiplex"});
  call_everything(server.endpoint(), " --multiplex");
  auto r = run_cli(server.endpoint() + " SecondService.secondtestString '{\"thing\":\"x\"}' --multiplex", kEnv);
  CHECK(r.out == "\"testString(\\\"x\\\")\"\n");
}
