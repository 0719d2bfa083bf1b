// Runs the built thrift-call binary the way a shell user does.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace thrift_call::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `args` is shell text appended to the binary's path; runs in `cwd` (default:
// the source tree) with THRIFT_CALL_IDL unset unless `env` sets it, and a
// fresh XDG_CACHE_HOME unless `env` sets one.
inline CliResult run_cli(const std::string& args, const std::string& env = "",
                         const std::string& cwd = THRIFT_CALL_SOURCE_DIR) {
  static int counter = 0;
  auto base = std::filesystem::temp_directory_path() /
              ("thrift-call-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  bool own_stdin = args.find("<<<") != std::string::npos;
  // Each run gets its own cache of what auto found, unless the test shares
  // one: exported, so that a second thrift-call in `args` (a coprocess, the
  // end of a pipe) has it too, not the user's cache, where another test's
  // server on the same port left its setting.
  std::string cache_export;
  if (env.find("XDG_CACHE_HOME=") == std::string::npos)
    cache_export = "export XDG_CACHE_HOME='" + base.string() + ".cache'; ";
  std::string command = cache_export + "cd '" + cwd + "' && env -u THRIFT_CALL_IDL " + env + " '" THRIFT_CALL_BINARY "' " + args +
                        " >'" + base.string() + ".out' 2>'" + base.string() + ".err'" + (own_stdin ? "" : " </dev/null");
  std::string quoted;
  for (char c : command) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  int status = std::system(("bash -c '" + quoted + "'").c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(base.string() + ".out");
  r.err = slurp(base.string() + ".err");
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
  std::filesystem::remove_all(base.string() + ".cache");
  return r;
}

inline int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace thrift_call::test
