// What the call verb's flags (and the REPL's `.set`, `.connect`, `.header`)
// say about where and how calls go, turned into CallOptions. Shared so the
// REPL calls exactly as `call` does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/call/session.h"
#include "core/transport/connection.h"
#include "base/error.h"

namespace thrift_call {

// The longest --timeout or --connect-timeout: one day.
inline constexpr double kMaxTimeoutSeconds = 86400;
// The largest --max-message: a reply is held whole, and a Thrift string or
// frame length is an i32.
inline constexpr size_t kMaxMessageBytes = size_t{1} << 31;

struct CallSettings {
  std::string endpoint;
  std::string protocol = "auto";
  std::string transport = "auto";
  std::optional<std::string> multiplex;  // "": the service's own name
  double timeout_s = 30;
  double connect_timeout_s = 5;
  double detect_timeout_s = 0.4;
  size_t max_message = size_t{64} << 20;  // the largest reply, an HTTP body too
  bool verbose = false;
  bool zlib = false;
  std::vector<std::string> headers;  // "Name: value"
  transport::TlsOptions tls;
  bool i64_as_string = false;  // replies' i64 values as JSON strings (codec::I64Policy)
};

// Throws Error (Usage) for a bad endpoint, protocol, transport or header,
// and for TLS options without TLS (neither --tls nor https://).
CallOptions make_call_options(const CallSettings& settings, const std::string& service);

// Throws Error (Usage) when headers given on the command line (-H) have
// nothing to travel in: a TCP or Unix endpoint with a --transport other
// than THeader. (Auto may find THeader; the config file's headers, and the
// REPL's .header, are settings for whichever endpoint comes, and stay.)
void refuse_headers_nothing_carries(const std::vector<std::string>& given, const CallOptions& options);

}  // namespace thrift_call
