// The HTTP side of `serve` (--transport http, and HTTP clients under auto):
// libmicrohttpd, Debian's libmicrohttpd-dev. The socket loop accepts every
// connection and hands the ones that start with an HTTP request line over
// to it (MHD_add_connection), so one port serves both. Each POST body is
// one Thrift message, answered with 200 and application/x-thrift; anything
// but POST gets 405.
//
// Why libmicrohttpd rather than cpp-httplib: it can adopt a socket someone
// else accepted, which auto-detection on one port needs; cpp-httplib only
// serves sockets it accepts itself.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <optional>

#include "core/codec/codec.h"

struct MHD_Daemon;

namespace thrift_call::serve {

class Dispatcher;
class Recorder;

struct HttpOptions {
  std::optional<codec::ProtocolKind> protocol;  // nullopt: whatever each body starts with
  size_t max_message_bytes = size_t{16} << 20;
  unsigned max_connections = 1024;
  std::chrono::seconds idle_timeout{60};
};

class HttpFrontend {
 public:
  // Starts libmicrohttpd: a thread per HTTP connection (bounded by
  // max_connections), so a rule's delay_ms holds up only its own client.
  // Throws Error (Transport) if it cannot.
  HttpFrontend(const Dispatcher& dispatcher, Recorder* recorder, HttpOptions options);
  ~HttpFrontend();  // stops them, closing the connections they hold
  HttpFrontend(const HttpFrontend&) = delete;
  HttpFrontend& operator=(const HttpFrontend&) = delete;

  // Hands over an accepted connection whose first bytes are HTTP, not yet
  // read (peeked only), or one end of the socket pair that carries an HTTPS
  // client's decrypted bytes (serve's loop holds the TLS), with that
  // client's address; libmicrohttpd owns `fd` from then on. False if it
  // refused it (it has closed the fd then).
  bool adopt(int fd, const sockaddr* address, socklen_t length);

  // Called by libmicrohttpd's threads.
  const Dispatcher& dispatcher() const { return dispatcher_; }
  Recorder* recorder() const { return recorder_; }
  const HttpOptions& options() const { return options_; }

 private:
  const Dispatcher& dispatcher_;
  Recorder* recorder_;
  HttpOptions options_;
  MHD_Daemon* daemon_ = nullptr;
};

}  // namespace thrift_call::serve
