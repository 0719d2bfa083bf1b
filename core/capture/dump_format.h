// Text and binary dumps that `decode` reads besides pcap files, told apart
// from their first bytes:
//   hex dumps with offsets  xxd, hexdump -C, Wireshark's "copy as hex dump",
//                           tcpdump -X and -xx (one block per packet)
//   plain hex               hex digits, whitespace anywhere
//   base64                  one blob
//   raw                     anything else: the bytes themselves
// A block of an offset dump that holds an Ethernet frame or an IP packet
// (tcpdump, Wireshark) is a packet; any other is bytes of one stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/user_input/json_input.h"

namespace thrift_call {

enum class DumpFormat { Raw, Hex, OffsetHex, Base64 };

const char* to_string(DumpFormat format);
std::optional<DumpFormat> parse_dump_format(std::string_view name);  // "raw", "hex", "hexdump" (or "xxd"), "base64"

DumpFormat detect_dump_format(std::string_view text);

struct DumpPacket {
  int64_t time_us = 0;  // from tcpdump's line before the block (time of day), else 0
  int link_type = 0;    // DLT_EN10MB or DLT_RAW
  std::string frame;
};

struct Dump {
  std::string stream;               // bytes of one stream
  std::vector<DumpPacket> packets;  // or packets
};

// Throws Error (Input) with the line number for text that is not of `format`,
// and for an offset dump whose bytes ("*" repeats expanded) pass `max_bytes`.
Dump parse_dump(DumpFormat format, std::string_view text, size_t max_bytes = kMaxWholeInput);

}  // namespace thrift_call
