// Apache Thrift's C++ library as a peer: tests/reference/example_server
// serving the example services on a free loopback port.
#pragma once

#include <string>
#include <vector>

#include "../support/process.h"

namespace thrift_call::test {

class CppServer {
 public:
  // example_server flags, e.g. {"--server", "nonblocking", "--transport", "framed"}.
  explicit CppServer(std::vector<std::string> args) : process_(argv(std::move(args))) {}

  // "127.0.0.1:PORT".
  std::string endpoint() const { return "127.0.0.1:" + process_.address(); }

 private:
  static std::vector<std::string> argv(std::vector<std::string> args) {
    args.insert(args.begin(), {THRIFT_CALL_EXAMPLE_SERVER, "--port", "0"});
    return args;
  }
  ServerProcess process_;
};

}  // namespace thrift_call::test
