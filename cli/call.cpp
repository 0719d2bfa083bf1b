// thrift-call [call] ENDPOINT Service.method [ARGS]: one call, or one per
// stdin line with --batch.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/options.h"
#include "core/batch.h"
#include "core/call_settings.h"
#include "core/json_input.h"
#include "core/method_caller.h"
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

MethodCaller make_caller(const GlobalOptions& global, const CallFlags& flags, bool pretty) {
  std::string service = service_of(flags.method);
  // The config file's endpoint aliases and headers apply (core/config.h).
  CallSettings settings = flags;
  settings.endpoint = resolve_alias(global.config, flags.endpoint);
  settings.headers = merge_headers(flags.headers, global.config);
  CallOptions options = make_call_options(settings, service);
  // Without any IDL the call goes out in raw notation.
  IdlCandidates candidates = discover_idl_files(global.idl);
  std::optional<idl::Schema> schema;
  if (!candidates.files.empty()) schema = load_schema_for(global, service);
  return MethodCaller(std::move(options), std::move(schema), candidates.searched, flags.method, pretty, flags.endpoint);
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
    MethodCaller caller = make_caller(global, *flags, pretty);
    if (batch) {
      // "-" reads stdin line by line: one line is one call, several a batch.
      exit_status = run_batch(caller, {STDIN_FILENO, "stdin", sink.stream(), global.quiet ? nullptr : stderr}, flags->pipeline);
      return;
    }
    PrintedOutcome printed = caller.call(read_argument_text(flags->args), "ARGS");
    if (!printed.warning.empty() && !global.quiet) std::cerr << "thrift-call: warning: " << printed.warning << "\n";
    std::fwrite(printed.text.data(), 1, printed.text.size(), sink.stream());
    std::fputc('\n', sink.stream());
    exit_status = printed.exit_code;
  });
}

}  // namespace thrift_call::cli
