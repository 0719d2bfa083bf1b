// serve's connection loop (core/serve/server.h) in-process: run_server in a
// thread of its own, over real loopback sockets, stopped as serve is, by
// SIGTERM, here sent to that thread alone (it blocks the signal and reads it
// from its signalfd). Its clients are the call path's CallSession and a raw
// socket; the Apache clients talk to it in tests/integration/serve_test.cpp.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "../../idl/idl_test_util.h"
#include "../../support/call_options.h"
#include "core/call/session.h"
#include "core/serve/dispatcher.h"
#include "core/serve/server.h"

using namespace thrift_call;
using namespace std::chrono_literals;

namespace {

const char* kIdl =
    "struct Person { 1: required string name, 2: required i32 age }\n"
    "service PersonService { Person getPerson(1: string name) }\n";

class InProcessServer {
 public:
  InProcessServer(const idl::Schema& schema, serve::ServerOptions options)
      : dispatcher_({schema.find_service("PersonService")}, serve::Responses{}, serve::DispatchOptions{}) {
    options.listen = "127.0.0.1:0";
    std::promise<std::string> listening;
    std::future<std::string> port = listening.get_future();
    thread_ = std::thread([this, options, &listening] {
      try {
        serve::run_server(dispatcher_, nullptr, options,
                          [&listening](const std::string& where) { listening.set_value(where); });
      } catch (...) {
        failure_ = std::current_exception();
      }
      finished_ = true;
    });
    REQUIRE(port.wait_for(10s) == std::future_status::ready);
    port_ = port.get();
  }
  ~InProcessServer() {
    if (thread_.joinable()) stop();
  }

  std::string endpoint() const { return "127.0.0.1:" + port_; }
  int port() const { return std::stoi(port_); }

  // SIGTERM, as `kill` sends it to serve; true once the loop has returned.
  bool stop(std::chrono::milliseconds within = 10s) {
    pthread_kill(thread_.native_handle(), SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + within;
    while (!finished_ && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    bool stopped = finished_;
    if (stopped) thread_.join();
    if (failure_) std::rethrow_exception(failure_);
    return stopped;
  }

 private:
  serve::Dispatcher dispatcher_;
  std::thread thread_;
  std::string port_;
  std::atomic<bool> finished_{false};
  std::exception_ptr failure_;
};

int connect_raw(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

// Whether the server closed `fd` within `within`: what it sent before (an
// exception, an HTTP error) is read past, up to the end of the stream.
bool closed_by_peer(int fd, std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left <= 0ms || poll(&p, 1, static_cast<int>(left.count())) != 1) return false;
    char buf[256];
    if (read(fd, buf, sizeof buf) <= 0) return true;
  }
}

}  // namespace

TEST_CASE("serve's loop answers connections in every protocol and framing at once, and stops on SIGTERM",
          "[core][serve]") {
  idl::Schema schema = test::load_text(kIdl);
  InProcessServer server(schema, {});
  const idl::Function& get_person = *schema.find_service("PersonService")->find_function("getPerson");
  using codec::ProtocolKind;
  using transport::Framing;
  std::vector<std::unique_ptr<CallSession>> sessions;
  for (ProtocolKind protocol : {ProtocolKind::Binary, ProtocolKind::Compact, ProtocolKind::Json})
    for (Framing framing : {Framing::Buffered, Framing::Framed})
      sessions.push_back(
          std::make_unique<CallSession>(test::person_service_options(server.endpoint(), protocol, framing)));
  sessions.push_back(std::make_unique<CallSession>(
      test::person_service_options(server.endpoint(), ProtocolKind::Compact, Framing::Header)));
  // Round after round over connections that all stay open: one loop serves them side by side.
  for (int round = 0; round < 3; ++round)
    for (auto& session : sessions) CHECK(session->call(get_person, {{"name", "Ann"}}).json == R"({"name":"","age":0})");
  CHECK(server.stop());
}

TEST_CASE("serve's loop closes a connection that sends what no protocol reads, and the others go on", "[core][serve]") {
  idl::Schema schema = test::load_text(kIdl);
  InProcessServer server(schema, {});
  const idl::Function& get_person = *schema.find_service("PersonService")->find_function("getPerson");
  CallSession good(
      test::person_service_options(server.endpoint(), codec::ProtocolKind::Binary, transport::Framing::Framed));
  CHECK(good.call(get_person, {{"name", "Ann"}}).kind == codec::ReplyKind::Success);
  // No protocol's first bytes (a frame length of 3.7 GB, or an unframed
  // name length below zero); and a request line HTTP cannot read, which the
  // HTTP side answers with 400 before it closes.
  for (std::string junk :
       {std::string("\xde\xad\xbe\xef\xde\xad\xbe\xef"), std::string("GARBAGE\x01\x02 not a request\r\n\r\n")}) {
    int garbage = connect_raw(server.port());
    REQUIRE(write(garbage, junk.data(), junk.size()) == static_cast<ssize_t>(junk.size()));
    CHECK(closed_by_peer(garbage, 5s));
    close(garbage);
  }
  CHECK(good.call(get_person, {{"name", "Bo"}}).kind == codec::ReplyKind::Success);
  CHECK(server.stop());
}

TEST_CASE("serve's loop closes connections past --max-conns at once and serves those within", "[core][serve]") {
  idl::Schema schema = test::load_text(kIdl);
  serve::ServerOptions options;
  options.max_connections = 2;
  InProcessServer server(schema, options);
  const idl::Function& get_person = *schema.find_service("PersonService")->find_function("getPerson");
  CallSession first(
      test::person_service_options(server.endpoint(), codec::ProtocolKind::Binary, transport::Framing::Buffered));
  CallSession second(
      test::person_service_options(server.endpoint(), codec::ProtocolKind::Binary, transport::Framing::Buffered));
  CHECK(first.call(get_person, {{"name", "A"}}).kind == codec::ReplyKind::Success);
  CHECK(second.call(get_person, {{"name", "B"}}).kind == codec::ReplyKind::Success);
  int third = connect_raw(server.port());
  CHECK(closed_by_peer(third, 5s));
  close(third);
  CHECK(first.call(get_person, {{"name", "A"}}).kind == codec::ReplyKind::Success);
  CHECK(server.stop());
}
