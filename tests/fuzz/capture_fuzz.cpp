// Capture fuzzer: a pcap or pcapng file read as `decode` reads it (libpcap,
// TCP reassembly, the stream decoders, the output), or, when the input is
// not a capture, one byte stream of messages in any framing. Damage is an
// Error of kind Input or a warning of one printable line; never a crash, a
// hang or a leak. Each NDJSON output line is one JSON value.
//
// Byte mutations of a capture mostly break its record lengths, so the
// mutator below edits classic pcap files record by record: a record's
// bytes changed (lengths kept true), records duplicated (retransmissions),
// swapped (reordering), dropped (gaps) and split in two TCP segments.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/capture/pcap_source.h"
#include "core/capture/stream_decoder.h"
#include "idl/loader.h"
#include "base/error.h"

namespace {

using namespace thrift_call;

// What decode printed, checked when the decoder is done.
class Output {
 public:
  Output() : file_(open_memstream(&text_, &size_)) {}
  ~Output() { std::free(text_); }
  FILE* file() { return file_; }
  void check(bool ndjson) {
    std::fclose(file_);
    if (!ndjson) return;
    std::string_view text(text_, size_);
    while (!text.empty()) {
      size_t end = text.find('\n');
      if (end == std::string_view::npos) std::abort();  // every line ends
      if (!nlohmann::json::accept(text.substr(0, end))) std::abort();
      text.remove_prefix(end + 1);
    }
  }

 private:
  char* text_ = nullptr;
  size_t size_ = 0;
  FILE* file_;
};

void check_warning(const std::string& warning) {
  for (char c : warning)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) std::abort();  // one line, escaped
}

capture::DecoderOptions options_for(uint8_t selector) {
  capture::DecoderOptions options;
  options.max_message = 1 << 20;
  options.decode.limits.string_limit = 1 << 20;
  options.output.mode = static_cast<capture::OutputMode>(selector % 3);
  options.output.pretty = selector & 4;
  options.output.max_pending_calls = 64;
  options.reassembly.max_pending_bytes = 1 << 16;
  options.reassembly.max_pending_segments = 64;
  options.reassembly.max_connections = 16;
  options.reassembly.server_port = selector & 8 ? 9090 : 0;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  auto warn = check_warning;
  // The IDL of the captures the tests make (tests/integration/make_capture.py).
  static const idl::Schema person = idl::load_schema({THRIFT_CALL_FUZZ_CAPTURE_IDL});
  const idl::Schema* schema = &person;
  if (!capture::is_pcap_magic(bytes)) {
    uint8_t selector = size ? data[size - 1] : 0;
    Output output;
    {
      capture::TrafficDecoder decoder(selector & 16 ? nullptr : schema, options_for(selector), output.file(), warn);
      (void)capture::starts_as_messages(bytes);
      decoder.byte_stream("fuzz", bytes);
      decoder.finish();
    }
    output.check(!options_for(selector).output.pretty);
    return 0;
  }
  // A pcap header's "thiszone" (bytes 8..11) means nothing to libpcap: it picks the options.
  uint8_t selector = size > 8 ? data[8] : 0;
  Output output;
  {
  capture::TrafficDecoder decoder(schema, options_for(selector), output.file(), warn);
  try {
    FILE* file = fmemopen(bytes.data(), bytes.size(), "rb");
    if (!file) return 0;
    std::unique_ptr<capture::PcapSource> source = capture::PcapSource::open_file(file, "fuzz.pcap", "");
    capture::Packet packet;
    while (source->next(packet)) decoder.packet(packet);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Input) std::abort();
  }
  decoder.finish();
  }
  output.check(!options_for(selector).output.pretty);
  return 0;
}

// ---- The structure-aware mutator (classic pcap, either byte order) ----

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

struct PcapFile {
  bool swapped = false;  // the file's byte order is not the machine's
  uint32_t link_type = 0;
  std::string header;
  std::vector<std::string> records;  // each: 16-byte record header, then the frame

  uint32_t u32(const char* p) const {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return swapped ? __builtin_bswap32(v) : v;
  }
  void put_u32(char* p, uint32_t v) const {
    if (swapped) v = __builtin_bswap32(v);
    std::memcpy(p, &v, 4);
  }

  bool parse(std::string_view bytes) {
    if (bytes.size() < 24) return false;
    uint32_t magic;
    std::memcpy(&magic, bytes.data(), 4);
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) swapped = false;
    else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) swapped = true;
    else return false;
    header.assign(bytes.substr(0, 24));
    link_type = u32(header.data() + 20) & 0xffff;
    size_t at = 24;
    while (at + 16 <= bytes.size()) {
      uint32_t length = u32(bytes.data() + at + 8);
      if (length > bytes.size() - at - 16) break;
      records.emplace_back(bytes.substr(at, 16 + length));
      at += 16 + length;
    }
    return true;
  }

  void set_length(std::string& record) const {
    put_u32(record.data() + 8, static_cast<uint32_t>(record.size() - 16));
    put_u32(record.data() + 12, static_cast<uint32_t>(record.size() - 16));
  }

  std::string bytes() const {
    std::string out = header;
    for (const std::string& r : records) out += r;
    return out;
  }
};

// Where a frame's IPv4 header starts (Ethernet, or raw IP), else npos.
size_t ipv4_offset(uint32_t link_type, const std::string& frame) {
  size_t at = link_type == 1 ? 14 : (link_type == 101 || link_type == 228) ? 0 : std::string::npos;
  if (at == std::string::npos || frame.size() < at + 20 || (static_cast<uint8_t>(frame[at]) >> 4) != 4 ||
      frame[at + 9] != 6)
    return std::string::npos;
  return at;
}

// One TCP segment as two: the payload cut at a random point, the second
// half's sequence number moved on, the IP total length made true again.
bool split_segment(const PcapFile& pcap, std::string& record, std::string& second, std::minstd_rand& rng) {
  std::string frame = record.substr(16);
  size_t ip = ipv4_offset(pcap.link_type, frame);
  if (ip == std::string::npos) return false;
  size_t tcp = ip + (frame[ip] & 0x0f) * 4;
  if (frame.size() < tcp + 20) return false;
  size_t payload = tcp + (static_cast<uint8_t>(frame[tcp + 12]) >> 4) * 4;
  if (frame.size() <= payload + 1) return false;
  size_t cut = payload + 1 + rng() % (frame.size() - payload - 1);
  auto total = [&](std::string& f) {
    size_t n = f.size() - ip;
    f[ip + 2] = static_cast<char>(n >> 8);
    f[ip + 3] = static_cast<char>(n);
  };
  std::string head = frame.substr(0, cut), tail = frame.substr(0, payload) + frame.substr(cut);
  uint32_t seq;
  std::memcpy(&seq, tail.data() + tcp + 4, 4);
  seq = __builtin_bswap32(__builtin_bswap32(seq) + static_cast<uint32_t>(cut - payload));
  std::memcpy(tail.data() + tcp + 4, &seq, 4);
  total(head);
  total(tail);
  record = record.substr(0, 16) + head;
  second = record.substr(0, 16) + tail;
  pcap.set_length(record);
  pcap.set_length(second);
  return true;
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  std::minstd_rand rng(seed);
  PcapFile pcap;
  if (rng() % 5 == 0 || !pcap.parse(std::string_view(reinterpret_cast<const char*>(data), size)) ||
      pcap.records.empty())
    return LLVMFuzzerMutate(data, size, max_size);
  auto& records = pcap.records;
  size_t i = rng() % records.size();
  switch (rng() % 6) {
    case 0:
    case 1: {  // the frame's bytes
      std::string& r = records[i];
      size_t frame = r.size() - 16;
      size_t room = frame + 64;
      r.resize(16 + room);
      r.resize(16 + LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(r.data() + 16), frame, room));
      pcap.set_length(r);
      break;
    }
    case 2: records.insert(records.begin() + static_cast<long>(rng() % (records.size() + 1)), records[i]); break;
    case 3: std::swap(records[i], records[rng() % records.size()]); break;
    case 4:
      if (records.size() > 1) records.erase(records.begin() + static_cast<long>(i));
      break;
    default: {
      std::string second;
      if (split_segment(pcap, records[i], second, rng))
        records.insert(records.begin() + static_cast<long>(i) + 1, std::move(second));
      else
        pcap.header[8] = static_cast<char>(rng());  // the options (see LLVMFuzzerTestOneInput)
    }
  }
  std::string out = pcap.bytes();
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
