// The call path (core/call/session.h, batch.h) against a real peer: Apache
// Thrift's C++ example server (tests/reference/example_server) on loopback,
// driven through the session's own API rather than the command line, with
// an observer watching what the session reports.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../../integration/cpp_server.h"
#include "../../support/call_options.h"
#include "base/error.h"
#include "core/call/batch.h"
#include "core/call/call.h"  // the rest: the header bench, gateway and replay use
#include "idl/loader.h"

using namespace thrift_call;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kIdl = {THRIFT_CALL_SOURCE_DIR "/examples/person.thrift",
                                       THRIFT_CALL_SOURCE_DIR "/examples/calculator.thrift"};

// Everything the session reports, kept.
class RecordingObserver : public CallObserver {
 public:
  bool tracing() const override { return true; }
  bool timing() const override { return true; }
  void trace(const std::string& line) override { lines.push_back(line); }
  void timed(const CallTimings& t) override { timings.push_back(t); }
  void while_waiting() override {
    ++waits;
    if (pause_while_waiting > 0ms) std::this_thread::sleep_for(pause_while_waiting);
  }
  size_t lines_containing(const std::string& text) const {
    size_t n = 0;
    for (const std::string& line : lines) n += line.find(text) != std::string::npos;
    return n;
  }

  std::vector<std::string> lines;
  std::vector<CallTimings> timings;
  int waits = 0;
  std::chrono::milliseconds pause_while_waiting{0};
};

const idl::Function& method(const idl::Schema& schema, const char* service, const char* name) {
  return *schema.find_service(service)->find_function(name);
}

}  // namespace

TEST_CASE("a session's observer gets each call's trace and timings, and its wait runs once per call, untimed",
          "[core][call]") {
  test::CppServer server({"--protocol", "binary", "--transport", "buffered"});
  idl::Schema schema = idl::load_schema(kIdl);
  const idl::Function& get_person = method(schema, "PersonService", "getPerson");
  RecordingObserver observer;
  // Long beside a loopback reply: if the wait were timed, the reply would be at least this.
  observer.pause_while_waiting = 300ms;
  CallSession session(test::person_service_options(server.endpoint(), codec::ProtocolKind::Binary,
                                                   transport::Framing::Buffered, &observer));
  for (int i = 0; i < 3; ++i) {
    CallOutcome out = session.call(get_person, {{"name", "Ann"}});
    CHECK(out.kind == codec::ReplyKind::Success);
    CHECK(out.json == R"({"name":"Ann","age":30})");
    CHECK(exit_code(out) == 0);
  }
  CHECK(observer.waits == 3);
  REQUIRE(observer.timings.size() == 3);
  for (const CallTimings& t : observer.timings) CHECK(t.reply < 300ms);
  // One connection, reused: the later calls spend nothing connecting.
  CHECK(observer.lines_containing("connected to 127.0.0.1:") == 1);
  CHECK(observer.timings[1].connect < observer.timings[0].connect);
  CHECK(observer.lines_containing("timings: connect ") == 3);

  // A oneway call has no reply to wait for: no wait, no timings.
  const idl::Function& store = method(schema, "Calculator", "store");
  CallOutcome stored = session.call(store, {{"value", 7}});
  CHECK(stored.oneway);
  CHECK(observer.waits == 3);
  CHECK(observer.timings.size() == 3);

  // Without an observer the calls go on, unwatched.
  CHECK(session.set_observer(nullptr) == &observer);
  CHECK(session.call(get_person, {{"name", "Bo"}}).json == R"({"name":"Bo","age":20})");
  CHECK(observer.waits == 3);
  CHECK(observer.lines_containing("connected to") == 1);
}

TEST_CASE("a session left to auto finds a compact framed server by its probe, and says so to its observer",
          "[core][call]") {
  test::CppServer server({"--protocol", "compact", "--transport", "framed"});
  idl::Schema schema = idl::load_schema(kIdl);
  const idl::Function& get_person = method(schema, "PersonService", "getPerson");
  RecordingObserver observer;
  CallSession session(test::person_service_options(server.endpoint(), std::nullopt, std::nullopt, &observer));
  CHECK_FALSE(session.protocol());
  CallOutcome out = session.call(get_person, {{"name", "nobody"}});
  CHECK(out.kind == codec::ReplyKind::DeclaredException);
  CHECK(out.json == R"({"PersonNotFound":{"name":"nobody"}})");
  CHECK(exit_code(out) == 1);
  CHECK(session.protocol() == codec::ProtocolKind::Compact);
  CHECK(session.framing() == transport::Framing::Framed);
  CHECK(session.multiplex().empty());
  CHECK(observer.lines_containing("auto: the server speaks compact/framed") == 1);
  // The probe's exchanges are not calls: one wait and one timing, the call's.
  CHECK(observer.waits == 1);
  CHECK(observer.timings.size() == 1);
}

TEST_CASE("a session's failure carries its kind: a closed port is unreachable, exit 3", "[core][call]") {
  std::string endpoint;
  {
    test::CppServer server({"--protocol", "binary", "--transport", "buffered"});
    endpoint = server.endpoint();
  }  // stopped: its port refuses connections now
  idl::Schema schema = idl::load_schema(kIdl);
  CallSession session(
      test::person_service_options(endpoint, codec::ProtocolKind::Binary, transport::Framing::Buffered));
  try {
    session.call(method(schema, "PersonService", "getPerson"), {{"name", "Ann"}});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Transport);
    CHECK(e.unreachable());
    CHECK(exit_code(e.kind()) == 3);
  }
}

TEST_CASE("a batch answers every line in order, errors as envelopes, and keeps the observer it found", "[core][call]") {
  test::CppServer server({"--protocol", "binary", "--transport", "framed"});
  RecordingObserver observer;
  MethodCaller caller(test::person_service_options(server.endpoint(), codec::ProtocolKind::Binary,
                                                   transport::Framing::Framed, &observer),
                      idl::load_schema(kIdl), "examples", "PersonService.getPerson", PrintStyle{}, server.endpoint());
  int input[2];
  REQUIRE(pipe(input) == 0);
  std::string lines = "{\"name\":\"Ann\"}\n{\"name\":12}\n{\"name\":\"nobody\"}\n{\"name\":\"Cy\"}\n";
  REQUIRE(write(input[1], lines.data(), lines.size()) == static_cast<ssize_t>(lines.size()));
  close(input[1]);
  char* printed = nullptr;
  size_t printed_size = 0;
  FILE* out = open_memstream(&printed, &printed_size);
  REQUIRE(out);
  int worst = run_batch(caller, {input[0], "stdin", out, nullptr}, 1);
  std::fclose(out);
  close(input[0]);
  std::string text(printed, printed_size);
  std::free(printed);
  CHECK(text ==
        "{\"name\":\"Ann\",\"age\":30}\n"
        "{\"error\":{\"kind\":\"input\",\"message\":\"$.name: expected string, got 12\"}}\n"
        "{\"PersonNotFound\":{\"name\":\"nobody\"}}\n"
        "{\"name\":\"Cy\",\"age\":20}\n");
  CHECK(worst == 2);  // the input error outranks the declared exception
  // The batch's own wait ran inside, and what the caller's observer watched still reached it.
  CHECK(observer.timings.size() == 3);
  CHECK(observer.waits == 3);
  CHECK(caller.session().observer() == &observer);
}
