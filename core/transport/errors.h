// The transport failures the call path treats apart from the others.
#pragma once

#include <csignal>

#include "idl/error.h"

namespace thrift_call::transport {

// Nothing another protocol or framing could fix: the name does not resolve,
// nothing listens, or TLS itself failed (certificates, handshake). auto
// stops probing on it.
class Unreachable : public Error {
 public:
  Unreachable(std::string message, std::string where) : Error(ErrorKind::Transport, std::move(message), std::move(where)) {}
};

// The connection was not made in time: a host that drops packets, or a
// server whose accept queue is full (a single-threaded one, busy).
class ConnectTimedOut : public Unreachable {
 public:
  using Unreachable::Unreachable;
};

// The TLS handshake did not complete: the server closed, answered with
// something else, or said nothing (a server that does not speak TLS).
// Certificate checks that fail are plain Unreachable.
class TlsHandshakeFailed : public Unreachable {
 public:
  using Unreachable::Unreachable;
};

// A deadline passed. While probing it stops the search: the server may be
// running the handler, and another try could run it twice.
class TimedOut : public Error {
 public:
  TimedOut(std::string message, std::string where) : Error(ErrorKind::Transport, std::move(message), std::move(where)) {}
};

// The server closed the connection before a byte of the reply came: what a
// server does that reads another protocol or framing (or, for Python's
// TMultiplexedProcessor, a name without a service).
class ClosedWithoutReply : public Error {
 public:
  ClosedWithoutReply(std::string message, std::string where)
      : Error(ErrorKind::Transport, std::move(message), std::move(where)) {}
};

// An HTTP server answered with a status other than 2xx: it read the request,
// so no other protocol or framing would fare better.
class HttpStatus : public Error {
 public:
  HttpStatus(long status, std::string message, std::string where)
      : Error(ErrorKind::Transport, std::move(message), std::move(where)), status_(status) {}
  long status() const { return status_; }

 private:
  long status_;
};

// The user interrupted the call (Ctrl-C in the REPL): see cancel_flag().
// auto stops probing on it, like on a timeout.
class Cancelled : public Error {
 public:
  explicit Cancelled(std::string where) : Error(ErrorKind::Transport, "cancelled", std::move(where)) {}
};

// A flag a SIGINT handler sets (the REPL's, installed without SA_RESTART so
// that a blocking recv, send or connect returns EINTR). When it is set, an
// interrupted wait throws Cancelled instead of waiting on. Null (the
// default): EINTR just resumes the wait, as before.
void set_cancel_flag(volatile std::sig_atomic_t* flag);
bool cancel_requested();
bool cancel_flag_installed();

}  // namespace thrift_call::transport
