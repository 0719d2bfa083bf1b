#include "cli/traffic_options.h"

#include <unistd.h>

#include <cstdlib>

#include <iostream>

#include "core/user_input/idl_discovery.h"
#include "base/error.h"

namespace thrift_call::cli {

void add_traffic_options(CLI::App& command, TrafficOptions& options) {
  command.add_option("--port", options.port, "only connections to or from this TCP port; its side is the server")
      ->check(CLI::Range(1, 65535));
  command.add_option("--filter", options.filter, "a BPF filter, as tcpdump takes it (\"host 10.0.0.7\")");
  auto* pairs = command.add_flag("--pairs", options.pairs, "one line per call with its reply and latency_us");
  command.add_flag("--stats", options.stats, "per method: count, errors, exceptions, latency p50 p90 p99 p99.9 max")
      ->excludes(pairs);
  command.add_flag("--pretty", options.pretty, "a human view instead of NDJSON");
  command.add_option("--color", options.color, "colour in --pretty: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_option("--max-message", options.max_message, "largest message or frame read, in bytes; longer is garbage")
      ->check(CLI::Range(size_t{16}, size_t{1} << 30))
      ->capture_default_str();
  command.add_option("--max-depth", options.max_depth, "deepest nesting of structs and containers accepted")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  command.add_option("--invalid-utf8", options.invalid_utf8,
                     "strings that are not UTF-8: replace (U+FFFD per bad byte) or latin1 (bytes kept as \\u00XX)")
      ->check(CLI::IsMember({"replace", "latin1"}))
      ->capture_default_str();
  add_i64_as_string_flag(command, options.i64_as_string);
}

const idl::Schema* load_optional_schema(const GlobalOptions& global, idl::Schema& holder) {
  if (global.idl.files.empty() && discover_idl_files(global.idl).files.empty()) return nullptr;
  holder = load_schema_for(global);
  return &holder;
}

codec::DecodeOptions value_decode_options(const TrafficOptions& o) {
  codec::DecodeOptions decode;
  decode.limits.max_depth = o.max_depth;
  decode.utf8 = o.invalid_utf8 == "latin1" ? codec::Utf8Policy::Latin1 : codec::Utf8Policy::Replace;
  decode.i64 = o.i64_as_string ? codec::I64Policy::String : codec::I64Policy::Number;
  return decode;
}

capture::DecoderOptions decoder_options(const TrafficOptions& o) {
  capture::DecoderOptions d;
  d.decode = value_decode_options(o);
  d.max_message = o.max_message;
  d.decode.limits.string_limit = static_cast<int64_t>(o.max_message);
  d.output.mode = o.stats ? capture::OutputMode::Stats : o.pairs ? capture::OutputMode::Pairs : capture::OutputMode::Messages;
  d.output.pretty = o.pretty;
  // NO_COLOR (no-color.org): set and not empty turns off the automatic colour.
  const char* no_color = std::getenv("NO_COLOR");
  bool colour_allowed = !(no_color && *no_color);
  d.output.color = o.color == "always" || (o.color == "auto" && o.pretty && colour_allowed && ::isatty(STDOUT_FILENO));
  d.reassembly.server_port = static_cast<uint16_t>(o.port);
  return d;
}

std::string port_filter(const TrafficOptions& options, const std::string& extra) {
  std::string filter = options.filter.empty() ? extra : extra.empty() ? options.filter : "(" + options.filter + ") and (" + extra + ")";
  if (options.port != 0) {
    std::string port = "tcp port " + std::to_string(options.port);
    filter = filter.empty() ? port : "(" + filter + ") and " + port;
  }
  return filter;
}

capture::TrafficDecoder::Warn warning_printer(const GlobalOptions& global) {
  bool quiet = global.quiet;
  return [quiet](const std::string& what) {
    if (!quiet) std::cerr << "thrift-call: warning: " << what << "\n";
  };
}

}  // namespace thrift_call::cli
