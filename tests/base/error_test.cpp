// The one-line diagnostics: text from peers and files cannot steer a terminal.
#include <catch2/catch.hpp>

#include "base/error.h"

using thrift_call::Error;
using thrift_call::ErrorKind;
using thrift_call::printable;

TEST_CASE("printable keeps UTF-8 and escapes control characters and bytes that are not UTF-8", "[idl][error]") {
  CHECK(printable("plain text, caf\xc3\xa9 \xe2\x9c\x93") == "plain text, caf\xc3\xa9 \xe2\x9c\x93");
  CHECK(printable("a\x1b[31mred\x1b[0m") == "a\\u001b[31mred\\u001b[0m");
  CHECK(printable("one\ntwo\rthree\tfour") == "one\\ntwo\\rthree\\tfour");
  CHECK(printable(std::string("nul\0byte", 8)) == "nul\\u0000byte");
  CHECK(printable("del\x7f") == "del\\u007f");
  CHECK(printable("csi\xc2\x9b" "2J") == "csi\\u009b2J");  // a C1 control, as UTF-8
  CHECK(printable("bad \xff\xfe end") == "bad \\xff\\xfe end");
  CHECK(printable("cut \xe2\x9c") == "cut \\xe2\\x9c");  // a sequence cut short
}

TEST_CASE("printable twice is printable once: a backslash is left alone", "[idl][error]") {
  std::string once = printable("x\x1b y\\n \xff");
  CHECK(printable(once) == once);
}

TEST_CASE("an error's one line is printable, whatever its message quotes", "[idl][error]") {
  Error e(ErrorKind::Protocol, "TApplicationException: \x1b]0;owned\x07\nfake line", "127.0.0.1:9090");
  CHECK(e.diagnostic() == "TApplicationException: \\u001b]0;owned\\u0007\\nfake line (127.0.0.1:9090)");
  CHECK(std::string(e.what()) == e.diagnostic());
}

TEST_CASE("a transport error says what happened by its failure, which the exit code ignores", "[idl][error]") {
  using thrift_call::TransportFailure;
  Error closed(TransportFailure::ClosedWithoutReply, "the server closed the connection without replying", "h:1");
  CHECK(closed.kind() == ErrorKind::Transport);
  CHECK(closed.failure() == TransportFailure::ClosedWithoutReply);
  CHECK(!closed.unreachable());
  CHECK(thrift_call::exit_code(closed.kind()) == 3);
  for (TransportFailure f :
       {TransportFailure::Unreachable, TransportFailure::ConnectTimedOut, TransportFailure::TlsHandshakeFailed})
    CHECK(Error(f, "cannot connect").unreachable());
  for (TransportFailure f :
       {TransportFailure::Other, TransportFailure::TimedOut, TransportFailure::HttpStatus, TransportFailure::Cancelled})
    CHECK(!Error(f, "x").unreachable());
  Error status = Error::with_http_status(404, "HTTP status 404", "http://h/x");
  CHECK(status.failure() == TransportFailure::HttpStatus);
  CHECK(status.http_status() == 404);
  CHECK(status.diagnostic() == "HTTP status 404 (http://h/x)");
  Error input(ErrorKind::Input, "expected i32", "$.age");
  CHECK(input.failure() == TransportFailure::Other);
  CHECK(input.http_status() == 0);
}
