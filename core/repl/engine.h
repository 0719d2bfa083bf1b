// The REPL's engine: runs one entry (a call or a dot-command) at a time over
// a connection that stays open between calls. No terminal handling here:
// cli/repl.cpp feeds it lines (from libedit or a script) and prints.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "core/call/outcome.h"
#include "core/call/session.h"
#include "core/call/settings.h"
#include "core/user_input/config.h"
#include "core/user_input/idl_discovery.h"
#include "idl/schema.h"

namespace thrift_call::repl {

class Engine {
 public:
  // `style`: results printed as `call` prints them (indented on a terminal;
  // with `envelope` a failed call's error too, on `out`). Results go to
  // `out`, diagnostics (one line each) to `err`; `quiet` drops IDL warnings.
  // `config`'s endpoint aliases serve .connect.
  Engine(CallSettings settings, IdlOptions idl, Config config, PrintStyle style, bool quiet, FILE* out = stdout,
         FILE* err = stderr);
  ~Engine();

  // Runs one complete entry; returns its exit code (0-4, as `call`'s). Errors
  // are printed, never thrown.
  int run(const std::string& entry);

  bool quit_requested() const { return quit_; }
  // "127.0.0.1:9090 Calculator> "
  std::string prompt() const;
  const idl::Schema* schema() const { return schema_ ? &*schema_ : nullptr; }
  const std::string& service() const { return service_; }

 private:
  int call(const std::string& target, const std::string& json_text);
  // Returns the exit code: 0, or .send's call's.
  int command(const std::string& name, const std::vector<std::string>& words, const std::string& rest);
  void set(const std::string& setting, const std::string& value);
  void load_schema();
  const idl::Function* function_for(const std::string& name) const;
  void drop_session() { session_.reset(); }
  void say(const std::string& text);

  CallSettings settings_;
  IdlOptions idl_;
  Config config_;
  PrintStyle style_;
  bool quiet_;
  FILE* out_;
  FILE* err_;
  std::optional<idl::Schema> schema_;
  std::string service_;
  std::unique_ptr<CallSession> session_;
  std::string session_service_;  // the service the session's multiplex name was made for
  bool quit_ = false;
};

}  // namespace thrift_call::repl
