// thrift-call [call] ENDPOINT Service.method [ARGS]: one call, or one per
// JSON value of stdin with --batch.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "base/error.h"
#include "cli/options.h"
#include "core/call/batch.h"
#include "core/call/method_caller.h"
#include "core/call/outcome.h"
#include "core/call/settings.h"
#include "core/user_input/json_input.h"

namespace thrift_call::cli {

namespace {

// The connection settings are shared with the REPL (core/call/settings.h).
struct CallFlags : CallSettings {
  std::string method;
  std::string args = "{}";
  bool batch = false;
  std::string output = "auto";  // pretty on a terminal, compact otherwise
  int pipeline = 1;
  std::string out_file;
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

 private:
  FILE* file_ = nullptr;
};

MethodCaller make_caller(const GlobalOptions& global, const CallFlags& flags, PrintStyle style) {
  // A bare method name loads every IDL, so the caller can say which service has it.
  std::optional<std::string> service;
  if (flags.method.find('.') != std::string::npos) service = service_of(flags.method);
  // The config file's endpoint aliases and headers apply (core/user_input/config.h).
  CallSettings settings = flags;
  settings.endpoint = resolve_alias(global.config, flags.endpoint);
  settings.headers = merge_headers(flags.headers, global.config);
  CallOptions options = make_call_options(settings, service.value_or(""));
  refuse_headers_nothing_carries(flags.headers, options);
  // Without any IDL the call goes out in raw notation.
  IdlCandidates candidates = discover_idl_files(global.idl);
  std::optional<idl::Schema> schema;
  if (!candidates.files.empty()) schema = load_schema_for(global, service);
  return MethodCaller(std::move(options), std::move(schema), candidates.searched, flags.method, style, flags.endpoint);
}

}  // namespace

void add_call_command(CLI::App& app, GlobalOptions& global, int& exit_status) {
  auto* command = app.add_subcommand("call", "Call a method (the default verb: `call` may be left out)");
  auto flags = std::make_shared<CallFlags>();
  command->add_option("ENDPOINT", flags->endpoint,
                      "host:port, [::1]:9090, unix:/path, http://host:port/path or https://host:port/path")
      ->required();
  command->add_option("METHOD", flags->method, "Service.method")->required();
  command->add_option("ARGS", flags->args,
                      "arguments as a JSON object; @file or - (stdin): JSON values, pretty or compact, one call each")
      ->capture_default_str();
  add_connection_options(*command, *flags);
  command->add_flag("--batch", flags->batch,
                    "one call per JSON value on stdin (a line each, or spread over lines as jq prints them) over "
                    "one connection; one output line per call, errors and blank lines included");
  command->add_option("--pipeline", flags->pipeline,
                      "with --batch: send up to N calls before reading their replies (TCP, Unix; not HTTP)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  command->add_option("-o,--output", flags->output,
                      "pretty (indented), compact (one line), ndjson (one line per call, as --batch always "
                      "writes), or envelope: one line per call, {\"return\":V}, {\"throw\":{\"Type\":{...}}} or "
                      "{\"error\":{\"kind\":...,\"message\":...}}; auto: pretty on a terminal, compact otherwise")
      ->check(CLI::IsMember({"auto", "pretty", "compact", "ndjson", "envelope"}))
      ->capture_default_str();
  add_i64_as_string_flag(*command, flags->i64_as_string);
  command->add_option("--out", flags->out_file, "write the results to FILE instead of stdout")
      ->type_name(value_name::kFile);
  add_idl_options(*command, global);
  command->footer(
      "ENDPOINT: host:port, [::1]:9090, unix:/path/to/socket, http://host:port/path or https://host:port/path\n"
      "  (TLS over TCP with --tls; an alias of the config file works too).\n"
      "The IDL: --idl FILE (repeatable), else $THRIFT_CALL_IDL (files or folders, colon-separated),\n"
      "  else the *.thrift files of the current folder; -I DIR for includes. Without any, raw notation.\n"
      "Examples:\n"
      "  thrift-call localhost:9090 PersonService.getPerson '{\"name\":\"Ann\"}' --idl examples/person.thrift\n"
      "  thrift-call template PersonService.savePerson --idl examples/person.thrift |\n"
      "    thrift-call localhost:9090 PersonService.savePerson - --idl examples/person.thrift\n"
      "  printf '{\"a\":1,\"b\":2}\\n{\"a\":3,\"b\":4}\\n' | thrift-call localhost:9090 Calculator.add --batch --idl examples/calculator.thrift\n"
      "Prints the reply as JSON (null for void). A declared exception prints {\"Type\": {...}}\n"
      "and exits 1; a TApplicationException goes to stderr and exits 4; transport errors exit 3.\n"
      "With --batch the exit code is the worst of the calls.");
  command->callback([&global, flags, &exit_status] {
    ResultSink sink(flags->out_file);
    // ARGS `-` is read as a batch: stdin may be a coprocess feeding calls one
    // at a time. Inline ARGS and @file are read whole: one JSON value is one
    // call; an @file of several values is a batch over the file.
    bool batch = flags->batch || flags->args == "-";
    std::string args_text;
    if (!batch) {
      args_text = read_argument_text(flags->args);
      if (flags->args.rfind('@', 0) == 0) {
        JsonValueExtent first = scan_json_value(args_text);
        batch = first.status == JsonValueExtent::Status::Complete &&
                scan_json_value(args_text, first.end).status != JsonValueExtent::Status::Blank;
      }
    }
    PrintStyle style;
    style.envelope = flags->output == "envelope";
    style.pretty = !batch && (flags->output == "pretty" ||
                              (flags->output == "auto" && flags->out_file.empty() && isatty(fileno(stdout))));
    MethodCaller caller = make_caller(global, *flags, style);
    if (batch) {
      FILE* diagnostics = global.quiet ? nullptr : stderr;
      if (flags->batch || flags->args == "-") {
        exit_status = run_batch(caller, {STDIN_FILENO, "stdin", sink.stream(), diagnostics}, flags->pipeline);
        return;
      }
      std::string path = flags->args.substr(1);
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw Error(ErrorKind::Usage, "cannot open \"" + path + "\": " + std::strerror(errno));
      exit_status = run_batch(caller, {fd, path.c_str(), sink.stream(), diagnostics}, flags->pipeline);
      ::close(fd);
      return;
    }
    PrintedOutcome printed;
    try {
      printed = caller.call(args_text, "ARGS");
    } catch (const Error& e) {
      // The outcome on stdout too, so a reader of the envelopes sees every call.
      if (style.envelope) std::fprintf(sink.stream(), "%s\n", error_envelope(e).c_str());
      throw;
    }
    if (!printed.warning.empty() && !global.quiet) std::cerr << "thrift-call: warning: " << printed.warning << "\n";
    std::fwrite(printed.text.data(), 1, printed.text.size(), sink.stream());
    std::fputc('\n', sink.stream());
    exit_status = printed.exit_code;
  });
}

}  // namespace thrift_call::cli
