// Shell completion for real: the scripts of completions/ loaded by bash, zsh
// and fish, which ask the built binary (`thrift-call __complete`).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "../cli/run_cli.h"
#include "../idl/idl_test_util.h"

using thrift_call::test::run_cli;
using thrift_call::test::ScratchDir;
using thrift_call::test::slurp;

namespace {

const std::string kSource = THRIFT_CALL_SOURCE_DIR;
const std::string kBinDir = std::filesystem::path(THRIFT_CALL_BINARY).parent_path().string();

struct ShellResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `script` with `shell` (its path and flags) in the source tree, the
// built binary first on PATH as `thrift-call`.
ShellResult run_shell(const std::string& shell, const std::string& script) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "bin");
  std::filesystem::create_symlink(THRIFT_CALL_BINARY, dir.path() / "bin" / "thrift-call");
  std::string file = dir.write("script", script);
  std::string out = (dir.path() / "out").string();
  std::string err = (dir.path() / "err").string();
  std::string command = "cd '" + kSource + "' && env -u THRIFT_CALL_IDL HOME='" + dir.path().string() +
                        "' XDG_CONFIG_HOME='" + dir.path().string() + "' PATH='" + (dir.path() / "bin").string() +
                        ":" + kBinDir + ":/usr/bin:/bin' " + shell + " '" + file + "' >'" + out + "' 2>'" + err +
                        "' </dev/null";
  int status = std::system(command.c_str());
  ShellResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& word) {
  return std::find(v.begin(), v.end(), word) != v.end();
}

// COMPREPLY of the bash script's function for COMP_WORDS = `words` (bash
// array syntax), the last one being completed; with bash-completion loaded
// when `with_bash_completion` (as on a Debian desktop).
std::vector<std::string> bash_complete(const std::string& words, bool with_bash_completion = false) {
  std::string script;
  if (with_bash_completion) script += "source /usr/share/bash-completion/bash_completion\n";
  script +=
      "source completions/thrift-call.bash\n"
      "COMP_WORDS=(" + words + ")\n"
      "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
      "COMP_LINE=\"${COMP_WORDS[*]}\"\n"
      "COMP_POINT=${#COMP_LINE}\n"
      "_thrift_call\n"
      "if (( ${#COMPREPLY[@]} )); then printf '%s\\n' \"${COMPREPLY[@]}\"; fi\n";
  ShellResult r = run_shell("bash --norc --noprofile", script);
  INFO(words << "\n" << r.err);
  CHECK(r.exit_code == 0);
  return lines(r.out);
}

}  // namespace

TEST_CASE("bash completes verbs from the CLI itself, hidden ones left out", "[completion][bash]") {
  auto reply = bash_complete("thrift-call ''");
  for (const char* verb : {"call", "list", "describe", "template", "schema", "encode", "decode", "serve", "completion"})
    CHECK(has(reply, verb));
  CHECK_FALSE(has(reply, "__complete"));
  CHECK(bash_complete("thrift-call de") == std::vector<std::string>{"describe", "decode"});  // the verb table's order
}

TEST_CASE("bash completes a verb's flags and the global ones", "[completion][bash]") {
  auto reply = bash_complete("thrift-call list --");
  CHECK(has(reply, "--idl"));
  CHECK(has(reply, "--include-dir"));
  CHECK(has(reply, "--help"));
  CHECK(has(reply, "--quiet"));
  CHECK_FALSE(has(reply, "--protocol"));
  reply = bash_complete("thrift-call call --pro");
  CHECK(reply == std::vector<std::string>{"--protocol"});
}

TEST_CASE("bash completes flag values: protocols, transports, output formats, shells", "[completion][bash]") {
  CHECK(bash_complete("thrift-call localhost:9090 --protocol ''") ==
        std::vector<std::string>{"binary", "compact", "json", "auto"});
  CHECK(bash_complete("thrift-call call -t f") == std::vector<std::string>{"framed", "framed+header"});
  // Before the endpoint, as main() reads them, the call's options.
  CHECK(bash_complete("thrift-call -p ''") == std::vector<std::string>{"binary", "compact", "json", "auto"});
  CHECK(bash_complete("thrift-call --pro") == std::vector<std::string>{"--protocol"});
  CHECK(has(bash_complete("thrift-call call x:1 M -o ''"), "ndjson"));
  CHECK(bash_complete("thrift-call serve --transport h") == std::vector<std::string>{"header", "http"});
  CHECK(bash_complete("thrift-call completion ''") == std::vector<std::string>{"bash", "zsh", "fish"});
  // --flag=value: bash breaks words at '=', so the reply is what follows it,
  // with bash-completion loaded or not (then COMP_WORDS holds "=" alone).
  CHECK(bash_complete("thrift-call call --protocol=c", true) == std::vector<std::string>{"compact"});
  CHECK(bash_complete("thrift-call call --protocol = c") == std::vector<std::string>{"compact"});
  CHECK(bash_complete("thrift-call call --protocol =") == std::vector<std::string>{"binary", "compact", "json", "auto"});
  CHECK(bash_complete("thrift-call list --idl=examples/calc", true) == std::vector<std::string>{"examples/calculator.thrift"});
  CHECK(bash_complete("thrift-call call x:1 --idl = examples/person.thrift Pe") ==
        std::vector<std::string>{"PersonService.getPerson", "PersonService.savePerson"});
}

TEST_CASE("bash completes files where a file is due", "[completion][bash]") {
  auto reply = bash_complete("thrift-call schema examples/pe");
  CHECK(has(reply, "examples/person.thrift"));
  CHECK(has(reply, "examples/person.responses.json"));
  reply = bash_complete("thrift-call list --idl examples/calc");
  CHECK(reply == std::vector<std::string>{"examples/calculator.thrift"});
  reply = bash_complete("thrift-call list -I exam");
  CHECK(reply == std::vector<std::string>{"examples"});
}

TEST_CASE("bash completes Service.method names from the IDL the line names", "[completion][bash]") {
  auto reply = bash_complete("thrift-call localhost:9090 --idl examples/person.thrift ''");
  CHECK(reply == std::vector<std::string>{"PersonService.getPerson", "PersonService.savePerson"});
  reply = bash_complete("thrift-call --idl examples/person.thrift -p binary localhost:9090 ''");
  CHECK(reply == std::vector<std::string>{"PersonService.getPerson", "PersonService.savePerson"});
  reply = bash_complete("thrift-call call localhost:9090 --idl examples/person.thrift PersonService.s");
  CHECK(reply == std::vector<std::string>{"PersonService.savePerson"});
  // bash-completion keeps host:port one word; the method is still the second positional.
  reply = bash_complete("thrift-call localhost:9090 --idl=examples/calculator.thrift Calculator.a", true);
  CHECK(reply == std::vector<std::string>{"Calculator.add"});
  // No --idl: discovery as for the call itself (THRIFT_CALL_IDL, else ./*.thrift).
  reply = bash_complete("thrift-call template Calc", true);
  CHECK(reply.empty());  // the source tree has no *.thrift of its own
}

TEST_CASE("bash completes type names for encode and decode --type, describe targets", "[completion][bash]") {
  auto reply = bash_complete("thrift-call encode --idl examples/person.thrift ''");
  CHECK(reply == std::vector<std::string>{"raw", "Person", "PersonNotFound"});
  reply = bash_complete("thrift-call decode --idl examples/person.thrift --type Person");
  CHECK(reply == std::vector<std::string>{"Person", "PersonNotFound"});
  reply = bash_complete("thrift-call describe --idl examples/person.thrift P");
  CHECK(reply == std::vector<std::string>{"Person", "PersonNotFound", "PersonService", "PersonService.getPerson",
                                          "PersonService.savePerson"});
  reply = bash_complete("thrift-call serve examples/calculator.thrift --service ''");
  CHECK(reply == std::vector<std::string>{"Calculator"});  // serve's IDL: its positionals
}

TEST_CASE("__complete answers nothing, quietly, for a broken or missing IDL", "[completion]") {
  auto r = run_cli("__complete describe --idl no-such.thrift ''");
  CHECK(r.exit_code == 0);
  CHECK(r.out == ":words\n");
  CHECK(r.err.empty());
  r = run_cli("__complete");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("list\n") != std::string::npos);
}

TEST_CASE("completion SHELL prints the scripts of completions/, one copy of each", "[completion]") {
  for (auto [shell, file] : {std::pair{"bash", "thrift-call.bash"}, {"zsh", "_thrift-call"}, {"fish", "thrift-call.fish"}}) {
    auto r = run_cli(std::string("completion ") + shell);
    CHECK(r.exit_code == 0);
    CHECK(r.out == slurp(kSource + "/completions/" + file));
  }
  auto r = run_cli("completion tcsh");
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("thrift-call: ", 0) == 0);
}

TEST_CASE("zsh loads its completion script, sourced and from fpath", "[completion][zsh]") {
  auto r = run_shell("zsh -f",
                     "autoload -U compinit && compinit -u -D\n"
                     "source <(thrift-call completion zsh)\n"
                     "[[ ${_comps[thrift-call]} == _thrift-call ]] || exit 3\n"
                     "fpath=(completions $fpath); unfunction _thrift-call; autoload -U _thrift-call\n"
                     "(( $+functions[_thrift-call] )) || exit 4\n");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
}

TEST_CASE("fish loads its completion script and completes verbs and methods", "[completion][fish]") {
  auto r = run_shell("fish --no-config",
                     "source completions/thrift-call.fish\n"
                     "complete -C 'thrift-call li'\n"
                     "complete -C 'thrift-call localhost:9090 --idl examples/person.thrift PersonService.g'\n"
                     "complete -C 'thrift-call call --protocol '\n");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  auto reply = lines(r.out);
  CHECK(has(reply, "list"));
  CHECK(has(reply, "PersonService.getPerson"));
  CHECK(has(reply, "compact"));
}
