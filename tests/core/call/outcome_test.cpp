// How one call's outcome prints and exits (core/call/outcome.h): what call,
// the batch and the REPL all print.
#include "core/call/outcome.h"

#include <catch2/catch.hpp>

#include "base/error.h"

using namespace thrift_call;

namespace {

CallOutcome outcome(codec::ReplyKind kind, std::string json) {
  CallOutcome out;
  out.kind = kind;
  out.json = std::move(json);
  return out;
}

}  // namespace

TEST_CASE("a result exits 0 and a declared exception 1, bare or in the envelope --responses reads", "[core][call]") {
  PrintStyle plain, envelope{false, true}, pretty{true, false};
  PrintedOutcome ok = print_outcome(outcome(codec::ReplyKind::Success, R"({"name":"Ann"})"), plain, "h:1");
  CHECK(ok.text == R"({"name":"Ann"})");
  CHECK(ok.exit_code == 0);
  CHECK(print_outcome(outcome(codec::ReplyKind::Success, "null"), envelope, "h:1").text == R"({"return":null})");
  CHECK(print_outcome(outcome(codec::ReplyKind::Success, R"({"a":1})"), pretty, "h:1").text == "{\n  \"a\": 1\n}");
  PrintedOutcome thrown =
      print_outcome(outcome(codec::ReplyKind::DeclaredException, R"({"NotFound":{}})"), envelope, "h:1");
  CHECK(thrown.text == R"({"throw":{"NotFound":{}}})");
  CHECK(thrown.exit_code == 1);
  CallOutcome undeclared = outcome(codec::ReplyKind::Success, "1");
  undeclared.undeclared = "field 9 is not in the IDL";
  CHECK(print_outcome(undeclared, plain, "h:1").warning == "field 9 is not in the IDL");
}

TEST_CASE("a TApplicationException is a protocol error (exit 4) that names the fix for a multiplexed server",
          "[core][call]") {
  CallOutcome out = outcome(codec::ReplyKind::ApplicationException, "");
  out.application_exception = {1, "Invalid method name: 'getPersn'"};
  try {
    print_outcome(out, {}, "127.0.0.1:9090");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Protocol);
    CHECK(exit_code(e.kind()) == 4);
    CHECK(e.diagnostic() == "TApplicationException UNKNOWN_METHOD: Invalid method name: 'getPersn' (127.0.0.1:9090)");
  }
  out.application_exception = {0, "Service name not found in message name: getPerson"};
  CHECK_THROWS_WITH(print_outcome(out, {}, "h:1"),
                    Catch::Contains("; the server is multiplexed: use --multiplex (h:1)"));
}

TEST_CASE("a failed call's envelope is one line of valid JSON whatever the message quotes", "[core][call]") {
  CHECK(error_envelope(Error(TransportFailure::TimedOut, "timed out waiting for the reply", "h:1")) ==
        R"j({"error":{"kind":"transport","message":"timed out waiting for the reply (h:1)"}})j");
  std::string line = error_envelope(Error(ErrorKind::Protocol, std::string("bad \xff\n name")));
  CHECK(line.find('\n') == std::string::npos);
  CHECK_NOTHROW(nlohmann::json::parse(line));
}
