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

// A deadline passed. While probing it stops the search: the server may be
// running the handler, and another try could run it twice.
class TimedOut : public Error {
 public:
  TimedOut(std::string message, std::string where) : Error(ErrorKind::Transport, std::move(message), std::move(where)) {}
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
