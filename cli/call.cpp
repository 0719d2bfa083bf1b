// thrift-call [call] ENDPOINT Service.method [ARGS]: one call, or one per
// stdin line with --batch.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "cli/options.h"
#include "core/call.h"
#include "core/call_settings.h"
#include "core/json_input.h"
#include "idl/error.h"

namespace thrift_call::cli {

namespace {

// The connection settings are shared with the REPL (core/call_settings.h).
struct CallFlags : CallSettings {
  std::string method;
  std::string args = "{}";
  bool batch = false;
  std::string output = "auto";  // pretty on a terminal, compact otherwise
  int pipeline = 1;
  std::string out_file;
};

// What one call printed and how it ended, so --batch can keep going.
struct Printed {
  std::string line;  // for stdout
  int exit_code = 0;
};

// Where results go: stdout, or --out FILE.
class ResultSink {
 public:
  explicit ResultSink(const std::string& path) {
    if (path.empty()) return;
    file_ = std::fopen(path.c_str(), "w");
    if (!file_) throw Error(ErrorKind::Usage, "cannot write \"" + path + "\"", "--out");
  }
  ~ResultSink() {
    if (file_) std::fclose(file_);
  }
  FILE* stream() const { return file_ ? file_ : stdout; }
  // Buffered: a batch flushes when it waits for input (see StdinLines)
  // and at the end, not after each line, which would cost a write per call.
  void line(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stream());
    std::fputc('\n', stream());
  }
  void flush() { std::fflush(stream()); }

 private:
  FILE* file_ = nullptr;
};

class Caller {
 public:
  // `pretty`: indent results (never in batch mode: one line per call).
  Caller(const GlobalOptions& global, const CallFlags& flags, bool pretty) : flags_(flags), pretty_(pretty) {
    size_t dot = flags.method.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == flags.method.size())
      throw Error(ErrorKind::Usage, "the method is Service.method, got \"" + flags.method + "\"");
    service_ = flags.method.substr(0, dot);
    method_ = flags.method.substr(dot + 1);

    // The config file's endpoint aliases and headers apply (core/config.h).
    CallSettings settings = flags;
    settings.endpoint = resolve_alias(global.config, flags.endpoint);
    settings.headers = merge_headers(flags.headers, global.config);
    CallOptions options = make_call_options(settings, service_);

    // Without any IDL the call goes out in raw notation.
    IdlCandidates candidates = discover_idl_files(global.idl);
    if (!candidates.files.empty()) {
      schema_ = load_schema_for(global, service_);
      const idl::Service* service = schema_.find_service(service_);
      if (!service)
        throw Error(ErrorKind::Usage, "no service \"" + service_ + "\" in the IDL", candidates.searched);
      fn_ = service->find_function(method_);
      if (!fn_) {
        std::string names;
        for (const idl::Function* f : service->all_functions()) names += (names.empty() ? "" : ", ") + f->name;
        throw Error(ErrorKind::Usage, "service " + service_ + " has no method \"" + method_ + "\" (methods: " + names + ")");
      }
    }
    session_ = std::make_unique<CallSession>(std::move(options));
  }

  Printed call(const std::string& args_text, const std::string& origin) {
    codec::Json args = parse_json_argument(args_text, origin);
    return print(fn_ ? session_->call(*fn_, args) : session_->call_raw(method_, false, args));
  }

  // For --pipeline: whether the next call may go out before earlier replies are in.
  bool can_pipeline() const { return fn_ && session_->can_pipeline(); }
  CallSession::Pending send(const std::string& args_text, const std::string& origin) {
    return session_->send(*fn_, parse_json_argument(args_text, origin));
  }
  Printed receive(const CallSession::Pending& pending) { return print(session_->receive(pending)); }

 private:
  Printed print(const CallOutcome& out) {
    PrintedOutcome printed = print_outcome(out, pretty_, flags_.endpoint);
    return {std::move(printed.text), printed.exit_code};
  }

  const CallFlags& flags_;
  bool pretty_;
  std::string service_, method_;
  idl::Schema schema_;
  const idl::Function* fn_ = nullptr;
  std::unique_ptr<CallSession> session_;
};

// One input line's result: printed already, or a reply still to read.
struct Slot {
  std::optional<Printed> done;
  CallSession::Pending pending;
};

Printed error_line(const Error& e, const GlobalOptions& global) {
  // One line per input line, errors included, so a script loses nothing.
  nlohmann::ordered_json error = {{"error", {{"kind", to_string(e.kind())}, {"message", e.diagnostic()}}}};
  if (!global.quiet) std::cerr << "thrift-call: " << e.diagnostic() << "\n";
  return {error.dump(), exit_code(e.kind())};
}

// Stdin, one line at a time, read in large blocks. `before_waiting` runs
// whenever the next line is not in yet and reading would block.
class StdinLines {
 public:
  explicit StdinLines(std::function<void()> before_waiting) : before_waiting_(std::move(before_waiting)) {}

  bool next(std::string& line) {
    for (;;) {
      size_t end = buffer_.find('\n', start_);
      if (end != std::string::npos) {
        line.assign(buffer_, start_, end - start_);
        start_ = end + 1;
        return true;
      }
      buffer_.erase(0, start_);
      start_ = 0;
      if (ended_) {
        if (buffer_.empty()) return false;
        line = std::move(buffer_);
        buffer_.clear();
        return true;
      }
      before_waiting_();
      char block[65536];
      ssize_t n = ::read(STDIN_FILENO, block, sizeof block);
      if (n > 0) {
        buffer_.append(block, static_cast<size_t>(n));
      } else if (n == 0) {
        ended_ = true;
      } else if (errno != EINTR) {
        throw Error(ErrorKind::Input, std::string("cannot read stdin: ") + std::strerror(errno));
      }
    }
  }

 private:
  std::function<void()> before_waiting_;
  std::string buffer_;
  size_t start_ = 0;
  bool ended_ = false;
};

// Reads stdin line by line. With `pipeline` > 1, up to that many calls are
// out before their replies are read; output keeps input order either way.
int run_batch(Caller& caller, const GlobalOptions& global, ResultSink& sink, int pipeline) {
  int worst = 0;
  std::deque<Slot> slots;
  size_t in_flight = 0;
  auto flush_front = [&] {
    Slot& front = slots.front();
    if (!front.done) {
      try {
        front.done = caller.receive(front.pending);
      } catch (const Error& e) {
        front.done = error_line(e, global);
      }
      --in_flight;
    }
    sink.line(front.done->line);
    worst = std::max(worst, front.done->exit_code);
    slots.pop_front();
  };
  // Before waiting for more input, answer everything read so far: a caller
  // feeding lines one at a time gets each answer without sending the next.
  StdinLines input([&] {
    while (!slots.empty()) flush_front();
    sink.flush();
  });
  std::string line;
  for (int n = 1; input.next(line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string origin = "stdin line " + std::to_string(n);
    Slot slot;
    try {
      if (pipeline > 1 && caller.can_pipeline()) {
        slot.pending = caller.send(line, origin);
        ++in_flight;
      } else {
        while (!slots.empty()) flush_front();  // a synchronous call goes after those in flight
        slot.done = caller.call(line, origin);
      }
    } catch (const Error& e) {
      slot.done = error_line(e, global);
    }
    slots.push_back(std::move(slot));
    // A full window is drained to half, not by one reply: the next calls
    // are then queued (CallSession::send) and go out together, in one
    // system call, when the next reply is read.
    if (in_flight >= static_cast<size_t>(pipeline))
      while (in_flight > static_cast<size_t>(pipeline) / 2) flush_front();
    while (!slots.empty() && slots.front().done) flush_front();
  }
  while (!slots.empty()) flush_front();
  sink.flush();
  return worst;
}

}  // namespace

void add_call_command(CLI::App& app, GlobalOptions& global, int& exit_status) {
  auto* command = app.add_subcommand("call", "Call a method (the default verb: `call` may be left out)");
  auto flags = std::make_shared<CallFlags>();
  command->add_option("ENDPOINT", flags->endpoint, "host:port, [::1]:port or unix:/path")->required();
  command->add_option("METHOD", flags->method, "Service.method")->required();
  command->add_option("ARGS", flags->args, "arguments as a JSON object, @file, or - for stdin")
      ->capture_default_str();
  add_connection_options(*command, *flags);
  command->add_flag("--batch", flags->batch,
                    "one call per stdin line over one connection; one output line per call, errors included");
  command->add_option("--pipeline", flags->pipeline,
                      "with --batch: send up to N calls before reading their replies (TCP, Unix; not HTTP)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  command->add_option("-o,--output", flags->output,
                      "pretty (indented), compact (one line) or ndjson (one line per call, as --batch always "
                      "writes); auto: pretty on a terminal, compact otherwise")
      ->check(CLI::IsMember({"auto", "pretty", "compact", "ndjson"}))
      ->capture_default_str();
  command->add_option("--out", flags->out_file, "write the results to FILE instead of stdout")
      ->type_name(value_name::kFile);
  add_idl_options(*command, global);
  command->footer(
      "Examples:\n"
      "  thrift-call localhost:9090 PersonService.getPerson '{\"name\":\"Ann\"}' --idl examples/person.thrift\n"
      "  printf '{\"a\":1,\"b\":2}\\n{\"a\":3,\"b\":4}\\n' | thrift-call localhost:9090 Calculator.add --batch --idl examples/calculator.thrift\n"
      "Prints the reply as JSON (null for void). A declared exception prints {\"Type\": {...}}\n"
      "and exits 1; a TApplicationException goes to stderr and exits 4; transport errors exit 3.\n"
      "With --batch the exit code is the worst of the calls.");
  command->callback([&global, flags, &exit_status] {
    bool batch = flags->batch || flags->args == "-";
    ResultSink sink(flags->out_file);
    bool pretty = !batch && (flags->output == "pretty" ||
                             (flags->output == "auto" && flags->out_file.empty() && isatty(fileno(stdout))));
    Caller caller(global, *flags, pretty);
    if (batch) {
      // "-" reads stdin line by line: one line is one call, several a batch.
      exit_status = run_batch(caller, global, sink, flags->pipeline);
      return;
    }
    Printed p = caller.call(read_argument_text(flags->args), "ARGS");
    sink.line(p.line);
    sink.flush();
    exit_status = p.exit_code;
  });
}

}  // namespace thrift_call::cli
