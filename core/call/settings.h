// What the call verb's flags (and the REPL's `.set`, `.connect`, `.header`)
// say about where and how calls go, turned into CallOptions; and how an
// outcome is printed. Shared so the REPL prints exactly what `call` prints.
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

// What one call printed and how it ended.
struct PrintedOutcome {
  std::string text;  // for stdout, without the final newline
  int exit_code = 0;
  std::string warning;  // for stderr (unless --quiet): the reply does not fit the IDL
};

// How outcomes are printed (--output).
struct PrintStyle {
  bool pretty = false;  // indented
  // Each outcome in the one result shape serve's --responses reads:
  // {"return": V}, {"throw": {"Type": {...}}}, and an error as
  // error_envelope() writes it, so a reader tells a value from an exception
  // without the exit code.
  bool envelope = false;
};

// The reply as `call` prints it. A declared exception exits 1; a
// TApplicationException throws Error (Protocol) naming `endpoint`.
PrintedOutcome print_outcome(CallOutcome outcome, const PrintStyle& style, const std::string& endpoint);

// {"error":{"kind":"transport","message":"..."}}, one line: a failed call as
// a batch line (and --output envelope) prints it. kind is to_string(ErrorKind).
std::string error_envelope(const Error& error);

}  // namespace thrift_call
