// The sockets `serve` accepts on, from --listen:
//   PORT            localhost (each of its addresses: 127.0.0.1, ::1)
//   HOST:PORT       that name's addresses ("0.0.0.0:9090" or "[::]:9090" for all)
//   unix:/path      a Unix socket (a stale socket file left by a dead server is replaced)
// Port 0 picks a free port, the same for every address.
#pragma once

#include <string>
#include <vector>

namespace thrift_call::serve {

struct Listeners {
  std::vector<int> fds;     // non-blocking, listening
  std::string address;      // what "listening on" prints: the port, or the socket path
  std::string unix_path;    // removed again at shutdown
};

// Throws Error (Usage) for a malformed spec, Error (Transport) when nothing
// can be bound ("port 9090 is in use").
Listeners listen_on(const std::string& spec);

void close_listeners(Listeners& listeners);

}  // namespace thrift_call::serve
