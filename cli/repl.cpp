// thrift-call repl [ENDPOINT]: the call path in a loop. The logic is in
// core/repl/; this file is the terminal glue: libedit (opened when the REPL
// starts, see core/platform/dynamic_library.h), history, Tab, Ctrl-C.
#include <histedit.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/options.h"
#include "core/platform/dynamic_library.h"
#include "core/user_input/json_input.h"
#include "core/repl/completion.h"
#include "core/repl/engine.h"
#include "core/repl/input.h"
#include "core/transport/errors.h"
#include "base/error.h"

namespace thrift_call::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void on_sigint(int) { g_interrupted = 1; }

// Ctrl-C sets the flag; without SA_RESTART a blocking recv or connect
// returns EINTR and the call ends as "cancelled" (core/transport/errors.h).
void install_sigint_handler() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  transport::set_cancel_flag(&g_interrupted);
}

struct LibEdit {
  DynamicLibrary library{"libedit.so.2", "libedit2", "the REPL's line editing", ErrorKind::Usage};
  THRIFT_CALL_DYNAMIC_FUNCTION(el_init);
  THRIFT_CALL_DYNAMIC_FUNCTION(el_end);
  THRIFT_CALL_DYNAMIC_FUNCTION(el_gets);
  THRIFT_CALL_DYNAMIC_FUNCTION(el_set);
  THRIFT_CALL_DYNAMIC_FUNCTION(el_get);
  THRIFT_CALL_DYNAMIC_FUNCTION(el_line);
  THRIFT_CALL_DYNAMIC_FUNCTION(el_insertstr);
  THRIFT_CALL_DYNAMIC_FUNCTION(el_deletestr);
  THRIFT_CALL_DYNAMIC_FUNCTION(el_reset);
  THRIFT_CALL_DYNAMIC_FUNCTION(history_init);
  THRIFT_CALL_DYNAMIC_FUNCTION(history_end);
  THRIFT_CALL_DYNAMIC_FUNCTION(history);
};

// $XDG_STATE_HOME/thrift-call/repl_history, default ~/.local/state/...
std::string history_path() {
  std::filesystem::path base;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    base = state;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".local" / "state";
  } else {
    return "";
  }
  std::error_code ignored;
  std::filesystem::create_directories(base / "thrift-call", ignored);
  return (base / "thrift-call" / "repl_history").string();
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

// One line of stdin without its newline; false at the end. A line that
// never ends stops at the whole-input limit instead of taking all memory.
bool read_script_line(std::string& line) {
  line.clear();
  for (int c; (c = getchar_unlocked()) != EOF;) {
    if (c == '\n') return true;
    line += static_cast<char>(c);
    if (line.size() > kMaxWholeInput)
      throw Error(ErrorKind::Input, "a line over " + std::to_string(kMaxWholeInput >> 20) + " MiB", "stdin");
  }
  return !line.empty();
}

// Script mode: stdin is not a terminal. No prompt; the exit code is the worst.
int run_script(repl::Engine& engine) {
  repl::InputAssembler input;
  std::string line, last;
  int worst = 0;
  auto run = [&](std::string entry) {
    if (trim(entry) == "!!") entry = last;
    if (!trim(entry).empty()) last = entry;
    worst = std::max(worst, engine.run(entry));
  };
  while (!engine.quit_requested() && read_script_line(line)) {
    if (input.add(line)) run(input.take());
  }
  if (input.pending() && !engine.quit_requested()) run(input.take());  // unbalanced: the JSON error says where
  return worst;
}

// The interactive side: libedit, history, completion.
class Terminal {
 public:
  Terminal(repl::Engine& engine) : engine_(engine) {
    edit_ = api_.el_init("thrift-call", stdin, stdout, stderr);
    history_ = api_.history_init();
    if (!edit_ || !history_) throw Error(ErrorKind::Usage, "libedit could not start", "repl");
    HistEvent event;
    api_.history(history_, &event, H_SETSIZE, 1000);
    api_.history(history_, &event, H_SETUNIQUE, 1);
    history_file_ = history_path();
    if (!history_file_.empty()) api_.history(history_, &event, H_LOAD, history_file_.c_str());
    api_.el_set(edit_, EL_CLIENTDATA, this);
    api_.el_set(edit_, EL_EDITOR, "emacs");
    api_.el_set(edit_, EL_PROMPT, &Terminal::prompt);
    api_.el_set(edit_, EL_HIST, api_.history, history_);
    api_.el_set(edit_, EL_ADDFN, "thrift-call-complete", "complete from the IDL", &Terminal::complete);
    api_.el_set(edit_, EL_BIND, "^I", "thrift-call-complete", nullptr);
    // While editing, Ctrl-C is a key (no SIGINT, whose EINTR libedit may
    // retry): it ends the line unsent. During a call the terminal is back
    // in its own mode and Ctrl-C raises SIGINT, which cancels the call.
    api_.el_set(edit_, EL_SETTY, "-d", "-isig", nullptr);
    api_.el_set(edit_, EL_ADDFN, "thrift-call-interrupt", "drop the line", &Terminal::interrupt);
    api_.el_set(edit_, EL_BIND, "^C", "thrift-call-interrupt", nullptr);
  }
  ~Terminal() {
    api_.history_end(history_);
    api_.el_end(edit_);
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  int run() {
    int worst = 0;
    while (!engine_.quit_requested()) {
      g_interrupted = 0;
      line_dropped_ = false;
      int count = 0;
      const char* got = api_.el_gets(edit_, &count);
      if (!got || count <= 0) {
        if (line_dropped_ || g_interrupted) {  // Ctrl-C at the prompt: a fresh line
          std::fputs("^C\n", stdout);
          input_.clear();
          api_.el_reset(edit_);
          continue;
        }
        std::fputc('\n', stdout);  // Ctrl-D
        break;
      }
      std::string line(got, static_cast<size_t>(count));
      if (!line.empty() && line.back() == '\n') line.pop_back();
      if (!input_.add(line)) continue;
      std::string entry = input_.take();
      if (trim(entry) == "!!") {
        HistEvent event;
        if (api_.history(history_, &event, H_FIRST) != 0) continue;
        entry = event.str;
        while (!entry.empty() && entry.back() == '\n') entry.pop_back();
        std::printf("%s\n", entry.c_str());
      }
      if (trim(entry).empty()) continue;
      remember(entry);
      g_interrupted = 0;
      int code = engine_.run(entry);
      worst = std::max(worst, code);
    }
    return worst;
  }

 private:
  static Terminal& self(EditLine* edit, const LibEdit& api) {
    void* data = nullptr;
    api.el_get(edit, EL_CLIENTDATA, &data);
    return *static_cast<Terminal*>(data);
  }
  static const LibEdit& any_api() { return *s_api; }

  static char* prompt(EditLine* edit) {
    Terminal& t = self(edit, any_api());
    t.prompt_ = t.input_.pending() ? "... " : t.engine_.prompt();
    return t.prompt_.data();
  }

  static unsigned char interrupt(EditLine* edit, int) {
    self(edit, any_api()).line_dropped_ = true;
    return CC_EOF;
  }

  static unsigned char complete(EditLine* edit, int) {
    Terminal& t = self(edit, any_api());
    const LineInfo* info = t.api_.el_line(edit);
    std::string current(info->buffer, static_cast<size_t>(info->cursor - info->buffer));
    // The lines of an unfinished JSON entry come first.
    std::string held;
    if (t.input_.pending()) {
      held = t.input_.take();
      t.input_.add(held);
      held += '\n';
    }
    repl::Completion c = repl::complete(t.engine_.schema(), t.engine_.service(), held + current);
    if (c.candidates.empty() || c.start < held.size()) return CC_ERROR;
    size_t typed = held.size() + current.size() - c.start;
    std::string common = c.candidates.front();
    for (const std::string& s : c.candidates) {
      size_t n = 0;
      while (n < common.size() && n < s.size() && common[n] == s[n]) ++n;
      common.resize(n);
    }
    if (common.size() > typed) {
      t.api_.el_deletestr(edit, static_cast<int>(typed));
      t.api_.el_insertstr(edit, common.c_str());
      if (c.candidates.size() == 1) return CC_REFRESH;
    }
    if (c.candidates.size() == 1) return CC_REFRESH;
    std::string list = "\n";
    for (const std::string& s : c.candidates) list += s + "  ";
    list += "\n";
    std::fputs(list.c_str(), stdout);
    return CC_REDISPLAY;
  }

  void remember(const std::string& entry) {
    std::string one_line = entry;
    std::replace(one_line.begin(), one_line.end(), '\n', ' ');
    HistEvent event;
    api_.history(history_, &event, H_ENTER, one_line.c_str());
    if (!history_file_.empty()) {
      // Only the user may read it: entries can hold `.header Authorization ...`.
      mode_t previous = ::umask(077);
      api_.history(history_, &event, H_SAVE, history_file_.c_str());
      ::umask(previous);
      ::chmod(history_file_.c_str(), 0600);  // also a file an older version wrote
    }
  }

  friend int run_terminal(repl::Engine& engine);
  static inline const LibEdit* s_api = nullptr;

  LibEdit api_;
  repl::Engine& engine_;
  repl::InputAssembler input_;
  EditLine* edit_ = nullptr;
  History* history_ = nullptr;
  std::string history_file_;
  std::string prompt_;
  bool line_dropped_ = false;
};

int run_terminal(repl::Engine& engine) {
  Terminal terminal(engine);
  Terminal::s_api = &terminal.api_;
  return terminal.run();
}

}  // namespace

void add_repl_command(CLI::App& app, GlobalOptions& global, int& exit_status) {
  auto* command = app.add_subcommand("repl", "Interactive shell: calls, IDL-aware completion, history");
  auto settings = std::make_shared<CallSettings>();
  auto output = std::make_shared<std::string>("auto");
  command->add_option("ENDPOINT", settings->endpoint,
                      "host:port, [::1]:9090, unix:/path, http://host:port/path or https://host:port/path");
  add_connection_options(*command, *settings);
  command->add_option("-o,--output", *output,
                      "pretty (indented), compact (one line), or envelope: one line per call, "
                      "{\"return\":V}, {\"throw\":{\"Type\":{...}}} or {\"error\":{\"kind\":...,\"message\":...}}; "
                      "auto: pretty on a terminal, compact otherwise")
      ->check(CLI::IsMember({"auto", "pretty", "compact", "envelope"}))
      ->capture_default_str();
  add_i64_as_string_flag(*command, settings->i64_as_string);
  add_idl_options(*command, global);
  command->footer(
      "Examples:\n"
      "  thrift-call repl localhost:9090 --idl examples/calculator.thrift\n"
      "  printf 'Calculator.add {\"a\":1,\"b\":2}\\n.use Calculator\\nmultiply {\"a\":3,\"b\":4}\\n' | thrift-call repl localhost:9090 --idl examples/calculator.thrift\n"
      "The first is interactive on a terminal; plain `thrift-call localhost:9090` with no method starts it too.\n"
      "The second is a script (stdin not a terminal): no prompt, and the exit code is the worst outcome.\n"
      "Type .help inside for the commands.");
  command->callback([&global, settings, output, &exit_status] {
    bool interactive = isatty(STDIN_FILENO);
    // The config file's endpoint aliases and headers apply, as for `call`.
    if (!settings->endpoint.empty()) settings->endpoint = resolve_alias(global.config, settings->endpoint);
    settings->headers = merge_headers(settings->headers, global.config);
    PrintStyle style;
    style.envelope = *output == "envelope";
    style.pretty = *output == "pretty" || (*output == "auto" && isatty(STDOUT_FILENO));
    repl::Engine engine(*settings, global.idl, global.config, style, global.quiet);
    if (!interactive) {
      exit_status = run_script(engine);
      return;
    }
    install_sigint_handler();
    run_terminal(engine);  // errors were shown as they came: leaving is a success
  });
}

}  // namespace thrift_call::cli
