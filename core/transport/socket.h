// A connected TCP or Unix socket with deadlines on every wait.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/transport/endpoint.h"

struct sockaddr;
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace thrift_call::transport {

using Clock = std::chrono::steady_clock;

// "127.0.0.1:9090", "[::1]:9090"; "unix" for a Unix socket peer (which has no name).
std::string address_text(const sockaddr* addr);

class Socket {
 public:
  // Resolves and connects (each address in turn for TCP, with TCP_NODELAY).
  // Throws Error (Transport): cannot resolve, refused, timed out.
  static Socket connect(const Endpoint& endpoint, std::chrono::milliseconds timeout);

  Socket(Socket&& other) noexcept
      : fd_(other.fd_),
        peer_(std::move(other.peer_)),
        ctx_(other.ctx_),
        ssl_(other.ssl_),
        tls_info_(std::move(other.tls_info_)),
        blocking_reads_(other.blocking_reads_),
        receive_limit_(other.receive_limit_) {
    other.fd_ = -1;
    other.ctx_ = nullptr;
    other.ssl_ = nullptr;
  }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  // Turns the connection into TLS (OpenSSL): verifies the server against the
  // system's CAs or `cacert` and checks its name (`servername`, else `host`)
  // unless `insecure`; presents `cert`/`key` when given. Throws Error
  // (Transport) naming why the handshake or the verification failed.
  void start_tls(bool insecure, const std::string& cacert, const std::string& cert, const std::string& key,
                 const std::string& servername, Clock::time_point deadline);
  // "TLSv1.3 TLS_AES_256_GCM_SHA384, certificate CN=..." once TLS is up.
  const std::string& tls_info() const { return tls_info_; }

  void write_all(std::string_view bytes, Clock::time_point deadline);
  // Appends what arrives (at least one byte) to `out`; false once the peer
  // has closed. Throws Error (Transport) at the deadline.
  bool read_some(std::string& out, Clock::time_point deadline);

  // Whether something arrives (bytes, or the peer's close) within `wait`,
  // without reading it. Interrupted by Ctrl-C like the other waits.
  bool readable_within(std::chrono::milliseconds wait) const;

  // Tells the peer nothing more will be sent (TCP half-close); reading goes
  // on. Not for TLS, whose close would end both directions.
  void shutdown_sending();

  // "127.0.0.1:9090", "[::1]:9090", "unix:/tmp/s".
  const std::string& peer() const { return peer_; }

  // Whether the peer has closed its side (or reset it), without waiting:
  // a server that restarted since the last call. One poll; only the REPL
  // asks, between calls that may be minutes apart.
  bool peer_closed() const;

 private:
  Socket(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {}
  void wait(short events, Clock::time_point deadline, const char* doing);
  // Bounds a blocking recv so that it returns by `deadline`.
  void limit_receive_wait(Clock::time_point deadline);
  // After an SSL call returned `rc`: waits as OpenSSL asks and returns true
  // to retry, false on a clean close; throws on errors.
  bool tls_retry(int rc, Clock::time_point deadline, const char* doing);

  int fd_ = -1;
  std::string peer_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string tls_info_;
  bool blocking_reads_ = false;  // plain sockets read blocking (see read_some)
  std::optional<std::chrono::microseconds> receive_limit_;  // SO_RCVTIMEO as set
};

}  // namespace thrift_call::transport
