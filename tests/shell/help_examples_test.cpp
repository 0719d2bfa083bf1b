// Every verb's --help has worked examples, and they work: each "Examples:"
// line of `thrift-call --help` and of every verb it lists is run with bash in
// a scratch folder holding a copy of examples/ (also reachable as
// ./examples/), against the example Python server.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"
#include "../integration/python_server.h"

using thrift_call::test::PythonServer;
using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;

namespace {

// Verbs that run until stopped: their examples pass when still alive after
// a few seconds.
const std::set<std::string> kLongRunning = {"serve", "sniff"};

// The verbs of the top-level help's "Subcommands:" section.
std::vector<std::string> verbs_of(const std::string& help) {
  std::vector<std::string> verbs;
  std::istringstream in(help);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Subcommands:", 0) == 0) {
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (line.rfind("  ", 0) != 0) break;
    std::istringstream words(line);
    std::string verb;
    words >> verb;
    verbs.push_back(verb);
  }
  return verbs;
}

// The commands under "Examples:": lines indented by two spaces; deeper
// indented lines continue the one before.
std::vector<std::string> examples_of(const std::string& help) {
  std::vector<std::string> examples;
  std::istringstream in(help);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line == "Examples:") {
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (line.rfind("    ", 0) == 0 && !examples.empty()) {
      examples.back() += " " + line.substr(4);
    } else if (line.rfind("  ", 0) == 0) {
      examples.push_back(line.substr(2));
    } else {
      inside = false;
    }
  }
  return examples;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
}

struct ExampleRun {
  bool still_running = false;
  int exit_code = -1;
  std::string err;
};

// Runs `command` with bash in `dir`, in a process group of its own so that a
// pipeline or server it starts is stopped with it.
ExampleRun run_example(const std::string& command, const ScratchDir& dir, std::chrono::seconds patience) {
  std::string err_path = (dir.path() / "example.err").string();
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    if (chdir(dir.path().c_str()) != 0) _exit(126);
    int null = open("/dev/null", O_RDWR);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(null, 0);
    dup2(null, 1);
    dup2(err, 2);
    std::string path = (dir.path() / "bin").string() + ":/usr/bin:/bin";
    std::string home = dir.path().string();
    setenv("PATH", path.c_str(), 1);
    setenv("HOME", home.c_str(), 1);
    setenv("XDG_CONFIG_HOME", (home + "/.config").c_str(), 1);
    setenv("XDG_CACHE_HOME", (home + "/.cache").c_str(), 1);
    unsetenv("THRIFT_CALL_IDL");
    execl("/bin/bash", "bash", "--norc", "--noprofile", "-o", "pipefail", "-c", command.c_str(), nullptr);
    _exit(127);
  }
  setpgid(pid, pid);
  ExampleRun run;
  auto deadline = std::chrono::steady_clock::now() + patience;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      run.still_running = true;
      kill(-pid, SIGTERM);  // the group of the bash we started
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!run.still_running) run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  kill(-pid, SIGKILL);  // anything of that group still left
  run.err = thrift_call::test::slurp(err_path);
  return run;
}

}  // namespace

TEST_CASE("thrift-call --version names the program and its version", "[help]") {
  auto r = run_cli("--version");
  CHECK(r.exit_code == 0);
  CHECK(r.out == std::string("thrift-call ") + THRIFT_CALL_VERSION_TEXT + "\n");
}

TEST_CASE("the top-level help shows the PersonService example, exit codes and environment", "[help]") {
  auto r = run_cli("--help");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("PersonService.getPerson") != std::string::npos);
  for (const char* code : {"  0  ", "  1  ", "  2  ", "  3  ", "  4  "}) CHECK(r.out.find(code) != std::string::npos);
  for (const char* variable : {"THRIFT_CALL_IDL", "NO_COLOR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
    CHECK(r.out.find(variable) != std::string::npos);
}

TEST_CASE("every verb's help has examples, and every example runs", "[help][examples]") {
  PythonServer server({});
  ScratchDir dir;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(THRIFT_CALL_SOURCE_DIR) + "/examples"))
    if (entry.is_regular_file()) std::filesystem::copy_file(entry.path(), dir.path() / entry.path().filename());
  std::filesystem::create_directory_symlink(".", dir.path() / "examples");
  std::filesystem::create_directories(dir.path() / "bin");
  std::filesystem::create_symlink(THRIFT_CALL_BINARY, dir.path() / "bin" / "thrift-call");

  auto top = run_cli("--help");
  std::vector<std::string> verbs = verbs_of(top.out);
  REQUIRE(verbs.size() >= 9);
  verbs.insert(verbs.begin(), "");  // the top level's own examples
  for (const std::string& verb : verbs) {
    auto help = run_cli(verb + " --help");
    INFO("thrift-call " << verb << " --help");
    CHECK(help.exit_code == 0);
    std::vector<std::string> examples = examples_of(help.out);
    CHECK_FALSE(examples.empty());
    for (std::string example : examples) {
      // The examples name the usual port; here the server is on a free one,
      // and example servers listen on one the system picks.
      replace_all(example, "localhost:9090", server.endpoint());
      replace_all(example, "--listen 9090", "--listen 0");
      size_t program = example.find("thrift-call ");
      std::istringstream words(program == std::string::npos ? "" : example.substr(program + 12));
      std::string example_verb;
      words >> example_verb;
      bool long_running = kLongRunning.count(example_verb) > 0;
      ExampleRun run = run_example(example, dir, std::chrono::seconds(long_running ? 3 : 20));
      INFO(example << "\nstderr: " << run.err);
      if (long_running) {
        CHECK(run.still_running);
      } else {
        CHECK_FALSE(run.still_running);
        CHECK(run.exit_code == 0);
      }
    }
  }
}
