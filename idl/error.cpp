#include "idl/error.h"

namespace thrift_call {

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage:
    case ErrorKind::Idl:
    case ErrorKind::Input:
      return 2;
    case ErrorKind::Transport:
      return 3;
    case ErrorKind::Protocol:
      return 4;
  }
  return 2;
}

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return "usage";
    case ErrorKind::Idl: return "idl";
    case ErrorKind::Input: return "input";
    case ErrorKind::Transport: return "transport";
    case ErrorKind::Protocol: return "protocol";
  }
  return "error";
}

static std::string compose(ErrorKind kind, const std::string& message, const std::string& where) {
  if (where.empty()) return message;
  if (kind == ErrorKind::Idl || kind == ErrorKind::Input) return where + ": " + message;
  return message + " (" + where + ")";
}

Error::Error(ErrorKind kind, std::string message, std::string where)
    : std::runtime_error(compose(kind, message, where)),
      kind_(kind),
      message_(std::move(message)),
      where_(std::move(where)) {}

std::string Error::diagnostic() const { return what(); }

}  // namespace thrift_call
