// serve against hostile clients (tests/integration/serve_hostile.py): one
// that sends calls and never reads, connections past the open-file limit,
// a flood of garbage connections, an HTTP body declared at 10 GB, and a
// burst of 65536 pipelined calls on one connection.
#include <catch2/catch.hpp>

#include "../support/process.h"

using thrift_call::test::command_output;

namespace {

std::string run_scenario(const std::string& name) {
  return command_output("/usr/bin/python3 " THRIFT_CALL_SOURCE_DIR "/tests/integration/serve_hostile.py " THRIFT_CALL_BINARY
                        " " THRIFT_CALL_SOURCE_DIR " " + name + " 2>&1");
}

}  // namespace

TEST_CASE("serve answers others while one client sends 22 MB of calls and reads no reply", "[integration][serve][hostile]") {
  CHECK(run_scenario("flood") == "ok flood\n");
}

TEST_CASE("serve out of file descriptors neither spins nor floods its log, and idle connections make room",
          "[integration][serve][hostile]") {
  CHECK(run_scenario("descriptors") == "ok descriptors\n");
}

TEST_CASE("serve's log stays short under a flood of bad connections, and says what it did not show",
          "[integration][serve][hostile]") {
  CHECK(run_scenario("log-flood") == "ok log-flood\n");
}

TEST_CASE("serve refuses an HTTP body declared over the limit before reading it", "[integration][serve][hostile]") {
  CHECK(run_scenario("http-413") == "ok http-413\n");
}

TEST_CASE("serve answers 65536 calls pipelined on one connection, each in order", "[integration][serve][hostile]") {
  CHECK(run_scenario("pipelined") == "ok pipelined\n");
}
