#include "core/platform/openssl.h"

namespace thrift_call {

std::string OpenSsl::errors() const {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out;
}

const OpenSsl& openssl() {
  static const OpenSsl loaded;
  return loaded;
}

}  // namespace thrift_call
