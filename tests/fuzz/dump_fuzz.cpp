// Dump fuzzer: text as `decode` reads a dump that is not a capture (xxd,
// hexdump -C, tcpdump -X/-xx, Wireshark's hex dump, plain hex, base64, raw).
// The first byte picks the format or leaves it to detection; parse_dump
// gives bytes or packets, or an Error of kind Input; the hex and base64
// codecs give back what they were given.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/codec/base64.h"
#include "core/capture/dump_format.h"
#include "base/hex.h"
#include "base/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace thrift_call;
  if (size < 1) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  static const DumpFormat formats[] = {DumpFormat::Raw, DumpFormat::Hex, DumpFormat::OffsetHex, DumpFormat::Base64};
  DumpFormat format = data[0] < 128 ? detect_dump_format(text) : formats[data[0] % 4];
  constexpr size_t kMaxBytes = 1 << 20;  // an offset dump's "*" lines expand up to here, no further
  try {
    Dump dump = parse_dump(format, text, kMaxBytes);
    size_t total = dump.stream.size();
    for (const DumpPacket& p : dump.packets) total += p.frame.size();
    if (format == DumpFormat::OffsetHex && total > kMaxBytes) std::abort();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Input) std::abort();
  }
  // The codecs under the formats: a decode is undone by the encode.
  if (std::optional<std::string> bytes = from_hex(text)) {
    if (from_hex(to_hex(*bytes)) != bytes) std::abort();
  }
  if (std::optional<std::string> bytes = base64_decode(text)) {
    if (base64_decode(base64_encode(*bytes)) != bytes) std::abort();
  }
  std::string raw(text);
  if (from_hex(to_hex(raw)) != raw || base64_decode(base64_encode(raw)) != raw) std::abort();
  return 0;
}
