// thrift-call sniff -i IFACE [--port N] [BPF]: live capture, decoded as
// decode decodes a capture file.
#include <iostream>

#include "cli/traffic_options.h"
#include "core/capture/traffic_input.h"
#include "base/error.h"

namespace thrift_call::cli {

namespace {

struct SniffOptions {
  std::string interface;
  std::vector<std::string> bpf;
  TrafficOptions traffic;
  uint64_t count = 0;
};

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

void add_sniff_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("sniff", "Capture live Thrift traffic (libpcap) and decode it as `decode` does");
  auto options = std::make_shared<SniffOptions>();
  command->add_option("-i,--interface", options->interface, "the interface to capture on (lo, eth0, any)")->required();
  command->add_option("BPF", options->bpf, "a capture filter, as tcpdump takes it (\"tcp port 9090\")");
  command->add_option("-c,--count", options->count, "stop after this many messages (0: until interrupted)");
  add_traffic_options(*command, options->traffic);
  add_idl_options(*command, global);
  command->footer(
      "Needs root or the capture capabilities (setcap cap_net_raw,cap_net_admin=eip thrift-call).\n"
      "Stops on Ctrl-C (SIGINT) or SIGTERM, printing what is left (--stats: the table).\n"
      "Examples:\n"
      "  thrift-call sniff -i lo --port 9090 --idl examples/person.thrift\n"
      "  thrift-call sniff -i any --pairs 'tcp port 9090 and host 127.0.0.1'\n"
      "Capturing needs root or the CAP_NET_RAW capability (sudo thrift-call sniff ...). It runs until Ctrl-C.");
  command->callback([&global, options] {
    idl::Schema holder;
    const idl::Schema* schema = load_optional_schema(global, holder);
    std::string filter = port_filter(options->traffic, join(options->bpf));
    std::unique_ptr<capture::PcapSource> source = capture::PcapSource::open_live(options->interface, filter);
    capture::TrafficDecoder decoder(schema, decoder_options(options->traffic), stdout, warning_printer(global));
    capture::StopOnSignals stop_on_ctrl_c(*source);  // until the loop ends, by an error too
    if (!global.quiet) std::cerr << "thrift-call: listening on " << options->interface << (filter.empty() ? "" : " (" + filter + ")") << "\n";
    capture::pump(*source, decoder, !options->traffic.stats, options->count);
    decoder.finish();
  });
}

}  // namespace thrift_call::cli
