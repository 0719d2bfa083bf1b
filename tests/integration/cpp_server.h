// Starts tests/reference/example_server (Apache Thrift's C++ library serving
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

class CppServer {
 public:
  // `args`: example_server flags, e.g. {"--server", "nonblocking", "--transport", "framed"}.
  explicit CppServer(std::vector<std::string> args) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      // libthrift logs each refused probe and dropped connection; keep test output clean.
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 2);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> argv = {THRIFT_CALL_EXAMPLE_SERVER, "--port", "0"};
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
    // "listening on PORT" once the socket accepts.
    if (!fgets(line, sizeof line, f)) {
      fclose(f);
      stop();
      throw std::runtime_error("tests/reference/example_server did not start");
    }
    fclose(f);
    std::string text = line;
    port_ = text.substr(text.rfind(' ') + 1);
    while (!port_.empty() && (port_.back() == '\n' || port_.back() == '\r')) port_.pop_back();
  }
  ~CppServer() { stop(); }
  CppServer(const CppServer&) = delete;
  CppServer& operator=(const CppServer&) = delete;

  // "127.0.0.1:PORT".
  std::string endpoint() const { return "127.0.0.1:" + port_; }

 private:
  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  pid_t pid_ = -1;
  std::string port_;
};

}  // namespace thrift_call::test
