// `serve`'s socket side: one thread, one epoll loop, every connection
// non-blocking.
//
// Why an event loop rather than a thread per connection: the work per call
// (decode, pick a rule, encode) is microseconds, so one thread keeps up
// with what 2 cores of clients send, and an idle connection costs a small
// struct and its buffers instead of a thread stack; 1,000 idle clients stay
// a few MB. A rule's delay_ms is a timer, not a sleep, so a slow answer
// holds up only its own connection.
//
// Each connection is identified by its first bytes (core/transport/wire_detect.h) and
// answered in kind; HTTP connections are handed to the HttpFrontend, TLS
// ones (when a certificate is given) are handshaken first and identified
// again inside. Limits: --max-conns (further connections are accepted and
// closed at once), a frame or message size limit, an idle timeout; a
// connection that breaks one, or sends what no protocol reads, is closed
// without disturbing the others. SIGINT and SIGTERM stop accepting, answer
// the calls already sent, delayed ones included (for up to a grace period),
// and return.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/codec/codec.h"

namespace thrift_call::serve {

class Dispatcher;
class Recorder;

enum class ServeTransport { Auto, Buffered, Framed, Header, Http, Zlib };
std::optional<ServeTransport> parse_serve_transport(std::string_view name);  // "auto", "buffered", ...

struct ServerOptions {
  std::string listen = "localhost:9090";
  std::optional<codec::ProtocolKind> protocol;  // nullopt: any
  ServeTransport transport = ServeTransport::Auto;
  size_t max_connections = 1024;
  size_t max_message_bytes = size_t{16} << 20;  // a frame, a THeader payload, an unframed message, an HTTP body
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds shutdown_grace{5000};
  // TLS (OpenSSL): with both, clients may speak TLS; with `tls_only`, they must.
  std::string tls_cert, tls_key;
  bool tls_only = false;
};

// Listens, calls `listening` with the port or socket path once clients can
// connect, and serves until SIGINT or SIGTERM. Throws Error (Transport) when
// it cannot listen, Error (Usage) for a certificate it cannot load.
void run_server(const Dispatcher& dispatcher, Recorder* recorder, const ServerOptions& options,
                const std::function<void(const std::string&)>& listening);

}  // namespace thrift_call::serve
