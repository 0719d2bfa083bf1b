#include "core/transport/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>


#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include "core/platform/openssl.h"
#include "core/transport/errors.h"
#include "base/error.h"

namespace thrift_call::transport {

std::string address_text(const sockaddr* addr) {
  if (addr->sa_family == AF_UNIX) return "unix";
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

namespace {

[[noreturn]] void fail(const std::string& message, const std::string& where) {
  throw Error(ErrorKind::Transport, message, where);
}

[[noreturn]] void unreachable(const std::string& message, const std::string& where) {
  throw Error(TransportFailure::Unreachable, message, where);
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
  // `other` takes what this held and releases it when it goes.
  std::swap(fd_, other.fd_);
  std::swap(peer_, other.peer_);
  std::swap(ctx_, other.ctx_);
  std::swap(ssl_, other.ssl_);
  std::swap(tls_info_, other.tls_info_);
  std::swap(blocking_reads_, other.blocking_reads_);
  std::swap(receive_limit_, other.receive_limit_);
  return *this;
}

Socket::~Socket() {
  if (ssl_) openssl().SSL_free(ssl_);
  if (ctx_) openssl().SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
}

namespace {

bool is_ip_address(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

void Socket::start_tls(bool insecure, const std::string& cacert, const std::string& cert, const std::string& key,
                       const std::string& servername, Clock::time_point deadline) {
  const OpenSsl& ssl = openssl();
  ctx_ = ssl.SSL_CTX_new(ssl.TLS_client_method());
  if (!ctx_) unreachable("TLS could not start: " + ssl.errors(), peer_);
  ssl.set_min_proto_version(ctx_, TLS1_2_VERSION);
  if (!insecure) {
    ssl.SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    int ok = cacert.empty() ? ssl.SSL_CTX_set_default_verify_paths(ctx_)
                            : ssl.SSL_CTX_load_verify_locations(ctx_, cacert.c_str(), nullptr);
    if (ok != 1)
      unreachable("cannot load the CA certificates" + (cacert.empty() ? "" : " from " + cacert) + ": " + ssl.errors(),
                  peer_);
  }
  if (!cert.empty()) {
    if (ssl.SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str()) != 1 ||
        ssl.SSL_CTX_use_PrivateKey_file(ctx_, (key.empty() ? cert : key).c_str(), SSL_FILETYPE_PEM) != 1)
      unreachable("cannot load the client certificate " + cert + ": " + ssl.errors(), peer_);
  }
  ssl_ = ssl.SSL_new(ctx_);
  ssl.SSL_set_fd(ssl_, fd_);
  if (!is_ip_address(servername)) ssl.set_tlsext_host_name(ssl_, servername.c_str());
  if (!insecure) {
    X509_VERIFY_PARAM* param = ssl.SSL_get0_param(ssl_);
    if (is_ip_address(servername)) {
      ssl.X509_VERIFY_PARAM_set1_ip_asc(param, servername.c_str());
    } else {
      ssl.X509_VERIFY_PARAM_set1_host(param, servername.c_str(), 0);
    }
  }
  for (;;) {
    int rc = ssl.SSL_connect(ssl_);
    if (rc == 1) break;
    long verify = ssl.SSL_get_verify_result(ssl_);
    if (verify != X509_V_OK)
      unreachable(std::string("TLS: the server's certificate was not accepted: ") +
                      ssl.X509_verify_cert_error_string(verify) +
                      " (--cacert FILE to trust its CA, --insecure to skip the check)",
                  peer_);
    int err = ssl.SSL_get_error(ssl_, rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      try {
        wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline, "in the TLS handshake");
      } catch (const Error& e) {
        if (e.failure() != TransportFailure::TimedOut) throw;
        throw Error(TransportFailure::TlsHandshakeFailed,
                    "TLS handshake failed: no answer to the TLS hello (does the server speak TLS?)", peer_);
      }
    } else {
      std::string why = ssl.errors();
      throw Error(
          TransportFailure::TlsHandshakeFailed,
          "TLS handshake failed" +
              (why.empty() ? std::string(" (the server closed the connection: does it speak TLS?)") : ": " + why),
          peer_);
    }
  }
  tls_info_ =
      std::string(ssl.SSL_get_version(ssl_)) + " " + ssl.SSL_CIPHER_get_name(ssl.SSL_get_current_cipher(ssl_));
  if (X509* peer_cert = ssl.SSL_get1_peer_certificate(ssl_)) {
    char subject[256];
    ssl.X509_NAME_oneline(ssl.X509_get_subject_name(peer_cert), subject, sizeof subject);
    tls_info_ += ", certificate " + std::string(subject);
    ssl.X509_free(peer_cert);
  }
}

bool Socket::tls_retry(int rc, Clock::time_point deadline, const char* doing) {
  switch (openssl().SSL_get_error(ssl_, rc)) {
    case SSL_ERROR_WANT_READ: wait(POLLIN, deadline, doing); return true;
    case SSL_ERROR_WANT_WRITE: wait(POLLOUT, deadline, doing); return true;
    case SSL_ERROR_ZERO_RETURN: return false;
    case SSL_ERROR_SYSCALL:
      if (errno == 0 || errno == ECONNRESET || errno == EPIPE) return false;  // closed without close_notify
      fail(std::string("TLS: ") + std::strerror(errno), peer_);
    default: fail("TLS: " + openssl().errors(), peer_);
  }
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
      unreachable(std::string("cannot connect: ") + (err == ETIMEDOUT ? "timed out" : std::strerror(err)), endpoint.text);
    }
    return Socket(fd, "unix:" + endpoint.path);
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(endpoint.port);
  if (int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    unreachable("cannot resolve \"" + endpoint.host + "\": " + gai_strerror(rc), endpoint.text);
  std::string last_error = ": no address";
  bool timed_out = false;
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    if (cancel_requested()) {
      freeaddrinfo(found);
      throw transport::cancelled(endpoint.text);
    }
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
    if (err == EINTR && cancel_requested()) {
      freeaddrinfo(found);
      throw transport::cancelled(endpoint.text);
    }
    // The address is worth naming only where the endpoint did not already.
    std::string address = address_text(ai->ai_addr);
    last_error = (address == endpoint.text ? "" : " to " + address) + ": " +
                 (err == ETIMEDOUT ? "timed out after " + std::to_string(timeout.count()) + " ms" : std::strerror(err));
    timed_out = err == ETIMEDOUT;
    if (timed_out) break;  // the deadline is shared by all addresses
  }
  freeaddrinfo(found);
  if (timed_out) throw Error(TransportFailure::ConnectTimedOut, "cannot connect" + last_error, endpoint.text);
  unreachable("cannot connect" + last_error, endpoint.text);
}

void Socket::wait(short events, Clock::time_point deadline, const char* doing) {
  pollfd p{fd_, events, 0};
  for (;;) {
    if (cancel_requested()) throw transport::cancelled(peer_);
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return;
    if (n == 0) throw Error(TransportFailure::TimedOut, std::string("timed out ") + doing, peer_);
    if (errno != EINTR) fail(std::string("poll failed: ") + std::strerror(errno), peer_);
    if (cancel_requested()) throw transport::cancelled(peer_);
  }
}

void Socket::limit_receive_wait(Clock::time_point deadline) {
  // Set only when it must change: a batch's calls each wait up to the same
  // --timeout, so after the first call this costs nothing. A limit may
  // exceed what is left by a few milliseconds, never more.
  auto left = std::max(std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()),
                       std::chrono::microseconds(1000));
  if (receive_limit_ && *receive_limit_ <= left + std::chrono::milliseconds(10) && *receive_limit_ * 10 >= left * 9)
    return;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(left.count() / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(left.count() % 1000000);
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
    fail(std::string("cannot set the receive timeout: ") + std::strerror(errno), peer_);
  receive_limit_ = left;
}

void Socket::write_all(std::string_view bytes, Clock::time_point deadline) {
  while (ssl_ && !bytes.empty()) {
    int n = openssl().SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<size_t>(bytes.size(), 1 << 30)));
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
    } else if (!tls_retry(n, deadline, "sending the call")) {
      fail("the server closed the TLS connection", peer_);
    }
  }
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      wait(POLLOUT, deadline, "sending the call");
    } else if (n < 0 && errno != EINTR) {
      fail(std::string("sending failed: ") + std::strerror(errno), peer_);
    } else if (n < 0 && cancel_requested()) {
      throw transport::cancelled(peer_);
    }
  }
}

bool Socket::read_some(std::string& out, Clock::time_point deadline) {
  char buf[65536];
  while (ssl_) {
    if (Clock::now() >= deadline) throw Error(TransportFailure::TimedOut, "timed out waiting for the reply", peer_);
    int n = openssl().SSL_read(ssl_, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      return true;
    }
    if (!tls_retry(n, deadline, "waiting for the reply")) return false;
  }
  // A blocking recv with SO_RCVTIMEO: one system call per read, where a
  // non-blocking recv would need a poll (or a recv that finds nothing) too.
  // Sends stay non-blocking (MSG_DONTWAIT).
  if (!blocking_reads_) {
    int flags = ::fcntl(fd_, F_GETFL);
    if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK) < 0)
      fail(std::string("cannot set up the socket: ") + std::strerror(errno), peer_);
    blocking_reads_ = true;
  }
  for (;;) {
    // A Ctrl-C that came before the wait (while encoding, resolving, ...)
    // interrupted no system call: seen here, not after --timeout.
    if (cancel_requested()) throw transport::cancelled(peer_);
    // Checked before each read, not only when one waits: a peer that never
    // stops sending must not keep the call past its deadline.
    if (Clock::now() >= deadline) throw Error(TransportFailure::TimedOut, "timed out waiting for the reply", peer_);
    limit_receive_wait(deadline);
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (Clock::now() >= deadline) throw Error(TransportFailure::TimedOut, "timed out waiting for the reply", peer_);
    } else if (errno == ECONNRESET) {
      return false;
    } else if (errno != EINTR) {
      fail(std::string("receiving failed: ") + std::strerror(errno), peer_);
    } else if (cancel_requested()) {
      throw transport::cancelled(peer_);
    }
  }
}

bool Socket::readable_within(std::chrono::milliseconds wait) const {
  if (ssl_ && openssl().SSL_pending(ssl_) > 0) return true;
  auto deadline = Clock::now() + wait;
  pollfd p{fd_, POLLIN, 0};
  for (;;) {
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) fail(std::string("poll failed: ") + std::strerror(errno), peer_);
    if (cancel_requested()) throw transport::cancelled(peer_);
  }
}

void Socket::shutdown_sending() {
  if (!ssl_) ::shutdown(fd_, SHUT_WR);
}

bool Socket::peer_closed() const {
  pollfd p{fd_, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if (p.revents & (POLLHUP | POLLRDHUP | POLLERR)) return true;
  char byte;
  // Readable with nothing to read: the end of the stream. (Bytes nobody
  // asked for are left where they are.)
  return ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

namespace {
volatile std::sig_atomic_t* g_cancel_flag = nullptr;
}

void set_cancel_flag(volatile std::sig_atomic_t* flag) { g_cancel_flag = flag; }
bool cancel_requested() { return g_cancel_flag && *g_cancel_flag; }
bool cancel_flag_installed() { return g_cancel_flag != nullptr; }

}  // namespace thrift_call::transport
