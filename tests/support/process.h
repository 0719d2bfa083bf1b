// Running the reference programs the tests compare against: a command whose
// output is read whole, and a server that runs for the length of a scope.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace thrift_call::test {

// What `command` (run by /bin/sh) writes on stdout. Fails the test if it
// cannot run or exits non-zero: a missing reference is a failure, never a skip.
inline std::string command_output(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  INFO(command);
  // What it wrote before failing (its last lines), to say why.
  const std::string last = out.size() > 4000 ? "..." + out.substr(out.size() - 4000) : out;
  INFO(last);
  REQUIRE(status == 0);
  return out;
}

// One JSON document per line, as the golden generators print them.
inline std::vector<nlohmann::ordered_json> json_lines(const std::string& text) {
  std::vector<nlohmann::ordered_json> out;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(nlohmann::ordered_json::parse(text.substr(start, nl - start)));
  return out;
}

// Starts argv[0] with its arguments, waits for the line "listening on X",
// and kills it at scope exit. Its stderr goes to /dev/null: servers log every
// refused probe, and test output should stay readable.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> argv) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 2);
      close(out[0]);
      close(out[1]);
      std::vector<char*> c;
      for (auto& a : argv) c.push_back(a.data());
      c.push_back(nullptr);
      execv(c[0], c.data());
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[256] = {0};
    bool started = fgets(line, sizeof line, f) != nullptr;
    fclose(f);
    if (!started) {
      stop();
      throw std::runtime_error(argv[0] + " did not start");
    }
    std::string text = line;
    address_ = text.substr(text.rfind(' ') + 1);
    while (!address_.empty() && (address_.back() == '\n' || address_.back() == '\r')) address_.pop_back();
  }
  ~ServerProcess() { stop(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // What followed "listening on ": a port, or a Unix socket path.
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // Sends `sig` and waits for the exit: the exit code, or 128 + the signal
  // that ended it.
  int stop_with(int sig) {
    int status = 0;
    kill(pid_, sig);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
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
