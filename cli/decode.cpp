// thrift-call decode: wire dumps back to JSON.
//
// Two modes, chosen from the command line and the input:
//  - value mode, `--type TYPE` (or --type raw): the input is ONE serialized
//    value, as TDeserializer reads it (issue 3);
//  - message mode, without --type: the input is a capture (pcap, pcapng) or
//    a dump of Thrift messages (raw bytes, hex, hex dumps, base64), decoded
//    to one NDJSON line per message, or per call with --pairs, or a table
//    with --stats. When the input is neither a capture nor starts with a
//    message (an envelope, a frame, THeader or HTTP), it is read as one value
//    in raw notation, as before message mode existed; --messages forces
//    message mode.
#include <iostream>
#include <memory>

#include "cli/options.h"
#include "cli/traffic_options.h"
#include "core/codec/codec.h"
#include "core/capture/traffic_input.h"
#include "core/user_input/json_input.h"
#include "base/error.h"

namespace thrift_call::cli {

namespace {

struct DecodeOptions {
  std::string type;  // empty: message mode (or a raw value, see above)
  std::vector<std::string> files{"-"};
  std::string protocol = "auto";
  std::string input = "auto";
  bool messages = false;
  bool follow = false;
  TrafficOptions traffic;
};

void decode_value(const GlobalOptions& global, const DecodeOptions& options, const std::string& type_name,
                  std::string bytes, const std::string& file) {
  idl::Schema schema;
  const idl::Type* type = find_type_or_raw(global, type_name, schema);
  std::optional<codec::ProtocolKind> kind = codec::parse_protocol_kind(options.protocol);
  if (!kind) {
    kind = codec::detect_struct_protocol(bytes, type);
    if (!kind)
      throw Error(ErrorKind::Protocol,
                  "the input decodes as none of binary, compact and json" +
                      std::string(type ? " for this type" : "") + "; try --protocol to see where it fails",
                  file);
  }
  // Text past a block goes out as it is made, so memory stays near the
  // input's size: a value that fails after that leaves its start on stdout
  // (and the exit code says so); a smaller one is printed whole or not at all.
  constexpr size_t kOutputBlock = size_t{8} << 20;
  codec::Deserialized result =
      codec::deserialize(*kind, bytes, type, value_decode_options(options.traffic), kOutputBlock,
                         [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); });
  if (result.consumed < bytes.size() && !global.quiet)
    std::cerr << "thrift-call: warning: " << bytes.size() - result.consumed
              << " bytes after the value were not read (from byte " << result.consumed << ")\n";
  print(result.json);
}

}  // namespace

void add_decode_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand(
      "decode", "Decode captured traffic (pcap, pcapng, hex dumps, base64, raw) or one serialized value to JSON");
  auto options = std::make_shared<DecodeOptions>();
  command->add_option("FILE", options->files, "captures or dumps, or - for stdin")
      ->type_name(value_name::kFile)
      ->capture_default_str();
  command->add_option("-t,--type", options->type,
                      "value mode: the input is one value of this type (raw: no IDL needed)")
      ->type_name(value_name::kType);
  command->add_flag("--messages", options->messages, "message mode even when the input does not start as messages do");
  command->add_option("-p,--protocol", options->protocol, "value mode: binary, compact, json or auto")
      ->check(CLI::IsMember({"binary", "compact", "json", "auto"}))
      ->capture_default_str();
  command->add_option("--input", options->input, "auto, pcap, raw, hex, hexdump or xxd (xxd, hexdump -C, tcpdump -X/-xx, Wireshark) or base64; with --type too")
      ->check(CLI::IsMember({"auto", "pcap", "raw", "hex", "hexdump", "xxd", "base64"}))
      ->capture_default_str();
  command->add_flag("-f,--follow", options->follow, "keep reading a capture file that is still being written");
  add_traffic_options(*command, options->traffic);
  add_idl_options(*command, global);
  command->footer(
      "Without --type the input is captured traffic: one NDJSON line per message (--pairs: per call,\n"
      "with its reply and latency_us; --stats: per method; --pretty: for people).\n"
      "Examples:\n"
      "  thrift-call decode examples/person.pcap --pairs --idl examples/person.thrift\n"
      "  thrift-call decode examples/person.pcap --stats\n"
      "  thrift-call encode Person '{\"name\":\"Ann\",\"age\":30}' --idl examples/person.thrift |\n"
      "    thrift-call decode --type Person --idl examples/person.thrift\n"
      "  thrift-call encode raw '{\"1:string\":\"Ann\"}' --protocol compact | xxd | thrift-call decode --type raw --protocol compact\n"
      "examples/person.pcap is a tcpdump capture of calls to `thrift-call serve examples/person.thrift`.\n"
      "To watch live traffic: thrift-call sniff, or tcpdump -U -w - port 9090 | thrift-call decode - --follow");
  command->callback([&global, options] {
    if (!options->type.empty()) {
      if (options->files.size() != 1) throw Error(ErrorKind::Usage, "value mode (--type) reads one input");
      decode_value(global, *options, options->type,
                   capture::value_bytes(read_input_bytes(options->files[0]), options->input, options->files[0]),
                   options->files[0]);
      return;
    }
    // Each input on its own: what is not a capture and not messages is a raw value (one input only).
    idl::Schema holder;
    std::unique_ptr<capture::TrafficDecoder> decoder;
    auto traffic = [&]() -> capture::TrafficDecoder& {
      if (!decoder)
        decoder = std::make_unique<capture::TrafficDecoder>(load_optional_schema(global, holder),
                                                            decoder_options(options->traffic), stdout,
                                                            warning_printer(global));
      return *decoder;
    };
    capture::TrafficInputOptions input;
    input.input = options->input;
    input.messages = options->messages;
    input.follow = options->follow;
    input.flush_each = options->follow && !options->traffic.stats;  // lines as they come
    input.filter = port_filter(options->traffic, "");
    for (const std::string& file : options->files) {
      std::optional<std::string> value = capture::feed_traffic_input(file, input, traffic);
      if (!value) continue;
      if (options->files.size() != 1)
        throw Error(ErrorKind::Input, "neither a capture nor Thrift messages (for one value, use --type)", file);
      decode_value(global, *options, "raw", std::move(*value), file);
      return;
    }
    if (decoder) decoder->finish();
  });
}

}  // namespace thrift_call::cli
