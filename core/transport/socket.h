// A connected TCP or Unix socket with deadlines on every wait.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/transport/endpoint.h"

namespace thrift_call::transport {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  // Resolves and connects (each address in turn for TCP, with TCP_NODELAY).
  // Throws Error (Transport): cannot resolve, refused, timed out.
  static Socket connect(const Endpoint& endpoint, std::chrono::milliseconds timeout);

  Socket(Socket&& other) noexcept : fd_(other.fd_), peer_(std::move(other.peer_)) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  void write_all(std::string_view bytes, Clock::time_point deadline);
  // Appends what arrives (at least one byte) to `out`; false once the peer
  // has closed. Throws Error (Transport) at the deadline.
  bool read_some(std::string& out, Clock::time_point deadline);

  // "127.0.0.1:9090", "[::1]:9090", "unix:/tmp/s".
  const std::string& peer() const { return peer_; }

 private:
  Socket(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {}
  void wait(short events, Clock::time_point deadline, const char* doing);

  int fd_ = -1;
  std::string peer_;
};

}  // namespace thrift_call::transport
