// The one error type of thrift-call.
//
// Every failure a user can cause (a bad flag, a broken IDL, wrong JSON, a dead
// server, an undecodable reply) is a thrift_call::Error. Its ErrorKind says what
// the user should do next and maps 1:1 onto the exit codes in the README:
//
//   Usage, Idl, Input -> 2   fix the command line, the IDL or the JSON
//   Transport         -> 3   the connection, TLS, a timeout or an HTTP status
//   Protocol          -> 4   the peer sent something we cannot decode, or a
//                            TApplicationException
//
// A declared exception in a reply is a result, not an Error (exit code 1).
// Bugs in thrift-call itself are not Errors: they are assertions, or an
// exception main() reports as an internal error (kInternalErrorExit).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace thrift_call {

enum class ErrorKind { Usage, Idl, Input, Transport, Protocol };

// For a Transport error, what happened. The call path acts on this (probe
// on or stop, reconnect, which advice to give), never on a message's words.
enum class TransportFailure {
  Other,
  // Nothing another protocol or framing could fix: the name does not
  // resolve, nothing listens, or TLS refused a certificate.
  Unreachable,
  // Unreachable too: no connection in time (a host that drops packets, or
  // a busy single-threaded server whose accept queue is full).
  ConnectTimedOut,
  // Unreachable too: the TLS handshake did not complete (the server closed,
  // answered something else, or said nothing: it may not speak TLS).
  TlsHandshakeFailed,
  // A deadline passed once connected. While probing it stops the search:
  // the server may be running the handler, and another try could run it twice.
  TimedOut,
  // The server closed before a byte of the reply: what a server does that
  // reads another protocol or framing.
  ClosedWithoutReply,
  // An HTTP status other than 2xx (Error::http_status()): the server read
  // the request, so no other protocol or framing would fare better.
  HttpStatus,
  // The user interrupted the call (Ctrl-C in the REPL).
  Cancelled,
};

int exit_code(ErrorKind kind);
// The exit code of a failure that is not an Error: a bug, or no memory.
inline constexpr int kInternalErrorExit = 70;

// Text from a peer or a file made safe for one line of a terminal: valid
// UTF-8 is kept; control characters (C0, DEL, C1) become \u001b, newlines
// and tabs \n \r \t, and bytes that are not UTF-8 \xff. A backslash is
// left as it is, so applying it twice changes nothing.
std::string printable(std::string_view text);
const char* to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  // `where` is a location the user can find: "file:line:col" for IDL errors,
  // a JSON path ("$.person.age") for input errors, "byte 17" for wire errors.
  Error(ErrorKind kind, std::string message, std::string where = {});
  // A Transport error, saying what happened.
  Error(TransportFailure failure, std::string message, std::string where = {});
  static Error with_http_status(long status, std::string message, std::string where);

  ErrorKind kind() const { return kind_; }
  TransportFailure failure() const { return failure_; }
  // Unreachable, ConnectTimedOut or TlsHandshakeFailed.
  bool unreachable() const;
  long http_status() const { return http_status_; }  // 0 unless failure() is HttpStatus
  const std::string& message() const { return message_; }
  const std::string& where() const { return where_; }

  // The one line printed on stderr, without the "thrift-call: " prefix;
  // what() is the same. Made printable(): messages quote peers and files.
  // IDL and input errors read "where: message", as compilers print them
  // ("file:line:col: ...", "$.person.age: expected i32, got \"thirty\"");
  // the others "message (where)".
  std::string diagnostic() const;

 private:
  ErrorKind kind_;
  TransportFailure failure_ = TransportFailure::Other;
  long http_status_ = 0;
  std::string message_;
  std::string where_;
};

}  // namespace thrift_call
