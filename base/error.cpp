#include "base/error.h"

#include "base/utf8.h"

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

std::string printable(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = utf8_sequence(text, i);
    // C1 controls (U+0080..U+009F, 0xC2 0x80..0x9F) act on terminals too: CSI is U+009B.
    bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if (n == 1 && c >= 0x20 && c != 0x7F) {
      out.push_back(static_cast<char>(c));
    } else if (n > 1 && !c1) {
      out.append(text.substr(i, n));
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
    } else if (n == 0) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      n = 1;
    } else {
      unsigned code = c1 ? static_cast<unsigned char>(text[i + 1]) : c;
      out += "\\u00";
      out.push_back(kHex[code >> 4]);
      out.push_back(kHex[code & 15]);
    }
    i += n;
  }
  return out;
}

static std::string compose(ErrorKind kind, const std::string& message, const std::string& where) {
  if (where.empty()) return printable(message);
  if (kind == ErrorKind::Idl || kind == ErrorKind::Input) return printable(where + ": " + message);
  return printable(message + " (" + where + ")");
}

Error::Error(ErrorKind kind, std::string message, std::string where)
    : std::runtime_error(compose(kind, message, where)),
      kind_(kind),
      message_(std::move(message)),
      where_(std::move(where)) {}

Error::Error(TransportFailure failure, std::string message, std::string where)
    : Error(ErrorKind::Transport, std::move(message), std::move(where)) {
  failure_ = failure;
}

Error Error::with_http_status(long status, std::string message, std::string where) {
  Error e(TransportFailure::HttpStatus, std::move(message), std::move(where));
  e.http_status_ = status;
  return e;
}

bool Error::unreachable() const {
  return failure_ == TransportFailure::Unreachable || failure_ == TransportFailure::ConnectTimedOut ||
         failure_ == TransportFailure::TlsHandshakeFailed;
}

std::string Error::diagnostic() const { return what(); }

}  // namespace thrift_call
