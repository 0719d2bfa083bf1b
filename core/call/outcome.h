// How a call ends, as the user sees it: the text it prints and its exit
// code. What `call`, its batch and the REPL print, and the one place that
// decides a call's exit code.
#pragma once

#include <string>

#include "base/error.h"
#include "core/call/session.h"

namespace thrift_call {

// How outcomes are printed (--output).
struct PrintStyle {
  bool pretty = false;  // indented
  // Each outcome in the one result shape serve's --responses reads:
  // {"return": V}, {"throw": {"Type": {...}}}, and an error as
  // error_envelope() writes it, so a reader tells a value from an exception
  // without the exit code.
  bool envelope = false;
};

// What one call printed and how it ended.
struct PrintedOutcome {
  std::string text;  // for stdout, without the final newline
  int exit_code = 0;
  std::string warning;  // for stderr (unless --quiet): the reply does not fit the IDL
};

// The exit code of a reply: 0 for a value (or a oneway call's none), 1 for
// a declared exception, which is a result; a TApplicationException is the
// server's error, that of ErrorKind::Protocol. A call that failed exits
// with exit_code(ErrorKind) (base/error.h); a run of calls (a batch, a REPL
// script) with the largest of its calls' codes.
int exit_code(const CallOutcome& outcome);

// The reply as `call` prints it. A TApplicationException throws Error
// (Protocol) naming `endpoint`, and names --multiplex when its message
// says the server is multiplexed.
PrintedOutcome print_outcome(CallOutcome outcome, const PrintStyle& style, const std::string& endpoint);

// A failed call as a batch line prints it: error_envelope(error), with the
// error's exit code.
PrintedOutcome print_failure(const Error& error);

// {"error":{"kind":"transport","message":"..."}}, one line: a failed call as
// a batch line (and --output envelope) prints it. kind is to_string(ErrorKind).
std::string error_envelope(const Error& error);

}  // namespace thrift_call
