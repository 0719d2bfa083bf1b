// The transport failures the call path treats apart from the others.
#pragma once

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

}  // namespace thrift_call::transport
