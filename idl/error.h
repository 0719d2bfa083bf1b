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
// Bugs in thrift-call itself are not Errors: they are assertions.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace thrift_call {

enum class ErrorKind { Usage, Idl, Input, Transport, Protocol };

int exit_code(ErrorKind kind);

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

  ErrorKind kind() const { return kind_; }
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
  std::string message_;
  std::string where_;
};

}  // namespace thrift_call
