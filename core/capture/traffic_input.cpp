#include "core/capture/traffic_input.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "core/capture/dump_format.h"
#include "core/user_input/json_input.h"

namespace thrift_call::capture {

namespace {

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

}  // namespace

void pump(PcapSource& source, TrafficDecoder& decoder, bool flush_each, uint64_t max_messages) {
  Packet packet;
  try {
    while (source.next(packet)) {
      decoder.packet(packet);
      if (flush_each) decoder.flush();
      if (max_messages && decoder.messages() >= max_messages) break;
    }
  } catch (const Error&) {
    decoder.finish();  // what was read before the damage is printed
    throw;
  }
}

std::optional<std::string> feed_traffic_input(const std::string& file, const TrafficInputOptions& options,
                                              FunctionRef<TrafficDecoder&()> decoder) {
  std::string head;
  FILE* input = open_input(file, head);
  if (options.input == "pcap" || (options.input == "auto" && is_pcap_magic(head))) {
    std::unique_ptr<PcapSource> source = PcapSource::open_file(input, file, options.filter);
    source->set_follow(options.follow);
    pump(*source, decoder(), options.flush_each);
    return std::nullopt;
  }
  std::string name = file == "-" ? "stdin" : file;
  std::string text = read_whole(input, name);
  std::optional<DumpFormat> format = parse_dump_format(options.input);
  if (!format) format = detect_dump_format(text);
  Dump dump = parse_dump(*format, text);
  if (dump.packets.empty() && !options.messages && !starts_as_messages(dump.stream)) return std::move(dump.stream);
  TrafficDecoder& traffic = decoder();
  for (const DumpPacket& p : dump.packets) {
    Packet packet;
    packet.time_us = p.time_us;
    packet.link_type = p.link_type;
    packet.data = p.frame;
    packet.wire_length = static_cast<uint32_t>(p.frame.size());
    traffic.packet(packet);
  }
  if (!dump.stream.empty()) traffic.byte_stream(name, dump.stream);
  return std::nullopt;
}

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

}  // namespace thrift_call::capture
