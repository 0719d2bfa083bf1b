// Serve fuzzer: serve's connection loop (core/serve/server.cpp), run in this
// process on a Unix socket with every ThriftTest service, fed a byte script
// per input. The script is read as chunks: a byte k, then k % 64 + 1 bytes
// that a client sends (after a 1 ms pause when k has its high bit, so that
// they arrive as separate reads). Then the client half-closes; serve must
// answer what came whole and close within 5 s (long enough that a slow
// machine passes and only a hang fails): no crash, no leak, no hang.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "core/serve/dispatcher.h"
#include "core/serve/responses.h"
#include "core/serve/server.h"
#include "idl/loader.h"

namespace {

using namespace thrift_call;

// Started once, for the whole run: the loop never stops (it would on SIGTERM).
struct Server {
  idl::Schema schema = idl::load_schema({THRIFT_CALL_FUZZ_IDL});
  std::unique_ptr<serve::Dispatcher> dispatcher;
  std::string path = "/tmp/thrift-call-serve-fuzz-" + std::to_string(::getpid());

  Server() {
    std::vector<const idl::Service*> services;
    for (const auto& program : schema.programs())
      for (const auto& service : program->services) services.push_back(service.get());
    dispatcher = std::make_unique<serve::Dispatcher>(services, serve::Responses{}, serve::DispatchOptions{});
    serve::ServerOptions options;
    options.listen = "unix:" + path;
    options.max_message_bytes = 1 << 20;
    ::unlink(path.c_str());
    std::promise<void> listening;
    std::thread([this, options, &listening] {
      serve::run_server(*dispatcher, nullptr, options, [&listening](const std::string&) { listening.set_value(); });
    }).detach();
    listening.get_future().wait();
  }
};

Server& server() {
  static Server* running = new Server;
  return *running;
}

int connect_to(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof address.sun_path - 1);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::abort();
  return fd;
}

// Reads until serve closes; false if it has not within `wait`.
bool read_until_closed(int fd, std::chrono::milliseconds wait) {
  auto until = std::chrono::steady_clock::now() + wait;
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;  // closed (or reset: closed all the same)
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = server().path;
  int fd = connect_to(path);
  for (size_t at = 0; at < size;) {
    uint8_t k = data[at++];
    size_t n = std::min<size_t>(k % 64 + 1, size - at);
    if (k & 0x80) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // serve may have closed already (bytes it refused): that is an answer too.
    if (::send(fd, data + at, n, MSG_NOSIGNAL) < 0) break;
    at += n;
  }
  ::shutdown(fd, SHUT_WR);
  bool closed = read_until_closed(fd, std::chrono::milliseconds(5000));
  ::close(fd);
  if (!closed) std::abort();  // serve kept a half-closed connection with nothing to answer
  return 0;
}
