// The options decode (capture and message mode) and sniff share, turned
// into the traffic decoder's (core/capture/traffic_input.h reads the input).
#pragma once

#include <memory>
#include <string>

#include "cli/options.h"
#include "core/capture/pcap_source.h"
#include "core/capture/stream_decoder.h"

namespace thrift_call::cli {

struct TrafficOptions {
  int port = 0;
  std::string filter;
  bool pairs = false;
  bool stats = false;
  bool pretty = false;
  std::string color = "auto";
  size_t max_message = size_t{16} << 20;
  int max_depth = protocol::ReadLimits{}.max_depth;
  std::string invalid_utf8 = "replace";
  bool i64_as_string = false;
};

void add_traffic_options(CLI::App& command, TrafficOptions& options);

// The IDL if one is found (names), else nullptr (raw mode). Only an IDL
// given with --idl that cannot be loaded is an error.
const idl::Schema* load_optional_schema(const GlobalOptions& global, idl::Schema& holder);

capture::DecoderOptions decoder_options(const TrafficOptions& options);
// The value decoder's part of it: --max-depth and --invalid-utf8.
codec::DecodeOptions value_decode_options(const TrafficOptions& options);

// --filter and --port (and `extra`, sniff's BPF words) as one BPF expression.
std::string port_filter(const TrafficOptions& options, const std::string& extra);

// Prints a warning on stderr unless --quiet.
capture::TrafficDecoder::Warn warning_printer(const GlobalOptions& global);

}  // namespace thrift_call::cli
