// Apache Thrift's Python library as a peer: examples/python/server.py (the
// example services) or another script, on a free loopback port.
#pragma once

#include <string>
#include <vector>

#include "../support/process.h"

namespace thrift_call::test {

class PythonServer {
 public:
  // examples/python/server.py with these flags, e.g. {"--protocol", "compact"}.
  explicit PythonServer(std::vector<std::string> args)
      : PythonServer(THRIFT_CALL_SOURCE_DIR "/examples/python/server.py", with_free_port(std::move(args))) {}

  // Any script that prints "listening on PORT" (or a socket path) once it accepts.
  PythonServer(const std::string& script, std::vector<std::string> args) : process_(argv(script, std::move(args))) {}

  // "127.0.0.1:PORT", or "unix:/path" when started with --unix.
  std::string endpoint() const {
    const std::string& a = process_.address();
    return a.find('/') != std::string::npos ? "unix:" + a : "127.0.0.1:" + a;
  }
  pid_t pid() const { return process_.pid(); }

 private:
  static std::vector<std::string> with_free_port(std::vector<std::string> args) {
    args.insert(args.begin(), {"--port", "0"});
    return args;
  }
  static std::vector<std::string> argv(const std::string& script, std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/python3", script});
    return args;
  }
  ServerProcess process_;
};

}  // namespace thrift_call::test
