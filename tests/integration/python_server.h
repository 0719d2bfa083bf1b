// Starts examples/python/server.py (Apache Thrift's Python library serving
// the example services) on a free loopback port and stops it at scope exit.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace thrift_call::test {

class PythonServer {
 public:
  // `args`: server.py flags, e.g. {"--protocol", "compact", "--transport", "framed"}.
  explicit PythonServer(std::vector<std::string> args)
      : PythonServer(THRIFT_CALL_SOURCE_DIR "/examples/python/server.py", with_free_port(std::move(args))) {}

  // Any script that prints "listening on PORT" once it accepts.
  PythonServer(const std::string& script, std::vector<std::string> args) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      // The server logs each refused probe with a traceback; keep test output clean.
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 2);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> argv = {"/usr/bin/python3", script};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> c;
      for (auto& a : argv) c.push_back(a.data());
      c.push_back(nullptr);
      execv(c[0], c.data());
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[256] = {0};
    // "listening on PORT" (or the unix path) once the socket accepts.
    if (!fgets(line, sizeof line, f)) {
      fclose(f);
      stop();
      throw std::runtime_error(script + " did not start (is python3-thrift installed?)");
    }
    fclose(f);
    std::string text = line;
    address_ = text.substr(text.rfind(' ') + 1);
    while (!address_.empty() && (address_.back() == '\n' || address_.back() == '\r')) address_.pop_back();
  }
  ~PythonServer() { stop(); }
  PythonServer(const PythonServer&) = delete;
  PythonServer& operator=(const PythonServer&) = delete;

  // "127.0.0.1:PORT", or "unix:/path" when started with --unix.
  std::string endpoint() const {
    return address_.find('/') != std::string::npos ? "unix:" + address_ : "127.0.0.1:" + address_;
  }

 private:
  static std::vector<std::string> with_free_port(std::vector<std::string> args) {
    args.insert(args.begin(), {"--port", "0"});
    return args;
  }
  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  pid_t pid_ = -1;
  std::string address_;
};

}  // namespace thrift_call::test
