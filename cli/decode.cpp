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
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <memory>

#include "cli/options.h"
#include "cli/traffic_options.h"
#include "core/codec/codec.h"
#include "core/capture/dump_format.h"
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

// stdin with the bytes already read to look at it put back in front, for
// libpcap, which reads a FILE*.
struct PrefixedStdin {
  std::string prefix;
  size_t used = 0;
};

ssize_t prefixed_read(void* cookie, char* buffer, size_t size) {
  auto* p = static_cast<PrefixedStdin*>(cookie);
  if (p->used < p->prefix.size()) {
    size_t n = std::min(size, p->prefix.size() - p->used);
    std::memcpy(buffer, p->prefix.data() + p->used, n);
    p->used += n;
    return static_cast<ssize_t>(n);
  }
  return ::read(STDIN_FILENO, buffer, size);
}

int prefixed_close(void* cookie) {
  delete static_cast<PrefixedStdin*>(cookie);
  return 0;
}

// The input as a FILE*, and its first bytes (to tell its format).
FILE* open_input(const std::string& path, std::string& head) {
  head.assign(8, '\0');
  if (path == "-") {
    size_t got = 0;
    while (got < head.size()) {
      ssize_t n = ::read(STDIN_FILENO, head.data() + got, head.size() - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    head.resize(got);
    auto* cookie = new PrefixedStdin{head, 0};
    cookie_io_functions_t io{prefixed_read, nullptr, nullptr, prefixed_close};
    FILE* file = fopencookie(cookie, "r", io);
    if (!file) {
      delete cookie;
      throw Error(ErrorKind::Input, "cannot read stdin");
    }
    return file;
  }
  FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw Error(ErrorKind::Usage, "cannot open \"" + path + "\": " + std::strerror(errno));
  head.resize(std::fread(head.data(), 1, head.size(), file));
  std::rewind(file);
  return file;
}

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
  codec::Deserialized result = codec::deserialize(*kind, bytes, type, value_decode_options(options.traffic));
  if (result.consumed < bytes.size() && !global.quiet)
    std::cerr << "thrift-call: warning: " << bytes.size() - result.consumed
              << " bytes after the value were not read (from byte " << result.consumed << ")\n";
  print(result.json);
}

// Value mode's bytes: a dump read as message mode reads it (--input, else
// told from the text), but of one stream: a value is not a packet.
std::string value_bytes(std::string text, const std::string& input, const std::string& file) {
  if (input == "pcap") throw Error(ErrorKind::Usage, "a pcap capture holds messages, not one value: drop --type", "--input");
  std::optional<DumpFormat> format = parse_dump_format(input);
  if (!format) format = detect_dump_format(text);
  if (*format == DumpFormat::Raw) return text;
  Dump dump = parse_dump(*format, text);
  if (!dump.packets.empty())
    throw Error(ErrorKind::Input, "the dump holds network packets, not one value: drop --type to decode its messages",
                file);
  return std::move(dump.stream);
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
                   value_bytes(read_input_bytes(options->files[0]), options->input, options->files[0]),
                   options->files[0]);
      return;
    }
    // Each input on its own: what is not a capture and not messages is a raw value (one input only).
    idl::Schema holder;
    const idl::Schema* schema = nullptr;
    bool schema_loaded = false;
    std::unique_ptr<capture::TrafficDecoder> decoder;
    auto traffic = [&]() -> capture::TrafficDecoder& {
      if (!schema_loaded) {
        schema = load_optional_schema(global, holder);
        schema_loaded = true;
      }
      if (!decoder)
        decoder = std::make_unique<capture::TrafficDecoder>(schema, decoder_options(options->traffic), stdout,
                                                            warning_printer(global));
      return *decoder;
    };
    for (const std::string& file : options->files) {
      std::string head;
      FILE* input = open_input(file, head);
      bool is_pcap = options->input == "pcap" || (options->input == "auto" && capture::is_pcap_magic(head));
      if (is_pcap) {
        std::unique_ptr<capture::PcapSource> source =
            capture::PcapSource::open_file(input, file, port_filter(options->traffic, ""));
        source->set_follow(options->follow);
        capture::TrafficDecoder& decoder_ref = traffic();
        capture::Packet packet;
        try {
          while (source->next(packet)) {
            decoder_ref.packet(packet);
            if (options->follow && !options->traffic.stats) decoder_ref.flush();  // lines as they come
          }
        } catch (const Error&) {
          decoder_ref.finish();  // what was read before the damage is printed
          throw;
        }
        continue;
      }
      std::string text = read_whole(input, file == "-" ? "stdin" : file);
      std::optional<DumpFormat> format = parse_dump_format(options->input);
      if (!format) format = detect_dump_format(text);
      Dump dump = parse_dump(*format, text);
      if (dump.packets.empty() && !options->messages && !capture::starts_as_messages(dump.stream)) {
        if (options->files.size() != 1)
          throw Error(ErrorKind::Input, "neither a capture nor Thrift messages (for one value, use --type)", file);
        decode_value(global, *options, "raw", std::move(dump.stream), file);
        return;
      }
      capture::TrafficDecoder& decoder_ref = traffic();
      for (const DumpPacket& p : dump.packets) {
        capture::Packet packet;
        packet.time_us = p.time_us;
        packet.link_type = p.link_type;
        packet.data = p.frame;
        packet.wire_length = static_cast<uint32_t>(p.frame.size());
        decoder_ref.packet(packet);
      }
      if (!dump.stream.empty()) decoder_ref.byte_stream(file == "-" ? "stdin" : file, dump.stream);
    }
    if (decoder) decoder->finish();
  });
}

}  // namespace thrift_call::cli
