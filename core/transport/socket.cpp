#include "core/transport/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "idl/error.h"

namespace thrift_call::transport {

namespace {

[[noreturn]] void fail(const std::string& message, const std::string& where) {
  throw Error(ErrorKind::Transport, message, where);
}

std::string address_text(const sockaddr* addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  if (addr->sa_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(in->sin_port));
  }
  auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
  inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
  return "[" + std::string(host) + "]:" + std::to_string(ntohs(in6->sin6_port));
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

// Connects `fd` (non-blocking) to `addr`, waiting until the deadline.
// Returns 0 or the errno of the failure.
int connect_with_deadline(int fd, const sockaddr* addr, socklen_t len, Clock::time_point deadline) {
  if (::connect(fd, addr, len) == 0) return 0;
  if (errno != EINPROGRESS) return errno;
  pollfd p{fd, POLLOUT, 0};
  int n = ::poll(&p, 1, remaining_ms(deadline));
  if (n == 0) return ETIMEDOUT;
  if (n < 0) return errno;
  int err = 0;
  socklen_t err_len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
  return err;
}

}  // namespace

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    peer_ = std::move(other.peer_);
    other.fd_ = -1;
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) ::close(fd_);
}

Socket Socket::connect(const Endpoint& endpoint, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  if (endpoint.kind == EndpointKind::Unix) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (endpoint.path.size() >= sizeof addr.sun_path) fail("socket path too long", endpoint.text);
    std::memcpy(addr.sun_path, endpoint.path.c_str(), endpoint.path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) fail(std::string("cannot create a socket: ") + std::strerror(errno), endpoint.text);
    int err = connect_with_deadline(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr, deadline);
    if (err != 0) {
      ::close(fd);
      fail(std::string("cannot connect: ") + (err == ETIMEDOUT ? "timed out" : std::strerror(err)), endpoint.text);
    }
    return Socket(fd, "unix:" + endpoint.path);
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(endpoint.port);
  if (int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    fail("cannot resolve \"" + endpoint.host + "\": " + gai_strerror(rc), endpoint.text);
  std::string last_error = "no address";
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) continue;
    int err = connect_with_deadline(fd, ai->ai_addr, ai->ai_addrlen, deadline);
    if (err == 0) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::string peer = address_text(ai->ai_addr);
      freeaddrinfo(found);
      return Socket(fd, peer);
    }
    ::close(fd);
    last_error = address_text(ai->ai_addr) + ": " +
                 (err == ETIMEDOUT ? "timed out after " + std::to_string(timeout.count()) + " ms" : std::strerror(err));
    if (err == ETIMEDOUT) break;  // the deadline is shared by all addresses
  }
  freeaddrinfo(found);
  fail("cannot connect (" + last_error + ")", endpoint.text);
}

void Socket::wait(short events, Clock::time_point deadline, const char* doing) {
  pollfd p{fd_, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return;
    if (n == 0) fail(std::string("timed out ") + doing, peer_);
    if (errno != EINTR) fail(std::string("poll failed: ") + std::strerror(errno), peer_);
  }
}

void Socket::write_all(std::string_view bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      wait(POLLOUT, deadline, "sending the call");
    } else if (n < 0 && errno != EINTR) {
      fail(std::string("sending failed: ") + std::strerror(errno), peer_);
    }
  }
}

bool Socket::read_some(std::string& out, Clock::time_point deadline) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait(POLLIN, deadline, "waiting for the reply");
    } else if (errno == ECONNRESET) {
      return false;
    } else if (errno != EINTR) {
      fail(std::string("receiving failed: ") + std::strerror(errno), peer_);
    }
  }
}

}  // namespace thrift_call::transport
