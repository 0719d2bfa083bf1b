#include "core/capture/dump_format.h"

#include <cctype>
#include <ctime>

#include "core/codec/base64.h"
#include "base/hex.h"
#include "base/error.h"

namespace thrift_call {

namespace {

constexpr int kDltEthernet = 1, kDltRaw = 12;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool all_hex(std::string_view s) {
  for (char c : s)
    if (hex_value(c) < 0) return false;
  return !s.empty();
}

// "0x0010:", "00000010:", "00000010", "0010": the offset that starts a dump line.
std::optional<uint64_t> line_offset(std::string_view line, size_t& after) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (line.substr(i, 2) == "0x") i += 2;
  size_t begin = i;
  while (i < line.size() && hex_value(line[i]) >= 0) ++i;
  size_t digits = i - begin;
  if (digits < 4 || digits > 8) return std::nullopt;
  if (i < line.size() && line[i] == ':') ++i;
  if (i < line.size() && line[i] != ' ' && line[i] != '\t') return std::nullopt;
  after = i;
  return std::stoull(std::string(line.substr(begin, digits)), nullptr, 16);
}

// The bytes of one dump line after its offset: groups of 2 or 4 hex digits
// separated by one or two spaces; three spaces or a non-hex group end them
// (the ASCII column follows), and so do 16 bytes.
std::string line_bytes(std::string_view rest) {
  std::string bytes;
  size_t i = 0;
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
  while (i < rest.size() && bytes.size() < 16) {
    size_t end = i;
    while (end < rest.size() && rest[end] != ' ' && rest[end] != '\t') ++end;
    std::string_view group = rest.substr(i, end - i);
    if (!all_hex(group) || (group.size() != 2 && group.size() != 4)) break;
    for (size_t k = 0; k < group.size(); k += 2)
      bytes.push_back(static_cast<char>(hex_value(group[k]) * 16 + hex_value(group[k + 1])));
    size_t spaces = 0;
    while (end + spaces < rest.size() && rest[end + spaces] == ' ') ++spaces;
    if (spaces >= 3 || (end + spaces < rest.size() && rest[end + spaces] == '\t')) break;
    i = end + spaces;
  }
  return bytes;
}

// tcpdump's "14:26:48.123456 IP ..." line: the time of day in microseconds;
// with -tttt ("2026-12-03 14:26:48.123456 IP ..."), the time since the epoch.
int64_t time_of_day(std::string_view line) {
  if (line.size() < 15 || line[2] != ':' || line[5] != ':' || line[8] != '.') return 0;
  auto num = [&](size_t at, size_t n) { return std::stoll(std::string(line.substr(at, n))); };
  try {
    size_t frac = 9;
    while (frac < line.size() && frac < 15 && std::isdigit(static_cast<unsigned char>(line[frac]))) ++frac;
    std::string micro = std::string(line.substr(9, frac - 9));
    micro.resize(6, '0');
    return ((num(0, 2) * 60 + num(3, 2)) * 60 + num(6, 2)) * 1000000 + std::stoll(micro);
  } catch (const std::exception&) {
    return 0;
  }
}

// The date is parsed once, then the time of day (no recursion: a line of
// dates repeated must not grow the stack).
int64_t tcpdump_time(std::string_view line) {
  if (line.size() > 11 && line[4] == '-' && line[7] == '-' && line[10] == ' ') {
    std::tm tm{};
    try {
      tm.tm_year = std::stoi(std::string(line.substr(0, 4))) - 1900;
      tm.tm_mon = std::stoi(std::string(line.substr(5, 2))) - 1;
      tm.tm_mday = std::stoi(std::string(line.substr(8, 2)));
    } catch (const std::exception&) {
      return 0;
    }
    int64_t t = time_of_day(line.substr(11));
    return t ? int64_t{timegm(&tm)} * 1000000 + t : 0;
  }
  return time_of_day(line);
}

// Whether a block is a captured frame rather than stream bytes: an IP
// packet carrying TCP, or an Ethernet frame holding one.
std::optional<int> frame_link_type(std::string_view b) {
  auto is_ip_tcp = [](std::string_view ip) {
    if (ip.size() < 20) return false;
    uint8_t v = static_cast<uint8_t>(ip[0]) >> 4;
    if (v == 4) return (static_cast<uint8_t>(ip[0]) & 0x0f) >= 5 && ip[9] == 6;
    return v == 6 && ip.size() >= 40;
  };
  if (is_ip_tcp(b)) return kDltRaw;
  if (b.size() >= 34 && ((b[12] == 0x08 && b[13] == 0x00) || (static_cast<uint8_t>(b[12]) == 0x86 && static_cast<uint8_t>(b[13]) == 0xdd)) &&
      is_ip_tcp(b.substr(14)))
    return kDltEthernet;
  return std::nullopt;
}

std::string size_text(size_t bytes) {
  return bytes % (1 << 20) == 0 ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes) + " bytes";
}

bool is_base64_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
}

}  // namespace

const char* to_string(DumpFormat format) {
  switch (format) {
    case DumpFormat::Raw: return "raw";
    case DumpFormat::Hex: return "hex";
    case DumpFormat::OffsetHex: return "hexdump";
    case DumpFormat::Base64: return "base64";
  }
  return "raw";
}

std::optional<DumpFormat> parse_dump_format(std::string_view name) {
  if (name == "xxd") return DumpFormat::OffsetHex;  // what most people call such a dump
  for (DumpFormat f : {DumpFormat::Raw, DumpFormat::Hex, DumpFormat::OffsetHex, DumpFormat::Base64})
    if (name == to_string(f)) return f;
  return std::nullopt;
}

DumpFormat detect_dump_format(std::string_view text) {
  if (text.empty()) return DumpFormat::Raw;
  bool printable = true, hex_only = true, base64_only = true;
  for (char c : text.substr(0, 1 << 16)) {
    unsigned char u = static_cast<unsigned char>(c);
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && (u < 0x20 || u >= 0x7f)) printable = false;
    if (!space && hex_value(c) < 0) hex_only = false;
    if (!space && !is_base64_char(c)) base64_only = false;
  }
  if (!printable) return DumpFormat::Raw;
  if (hex_only) return DumpFormat::Hex;
  // An offset dump: most of its first lines start with an offset and carry bytes.
  size_t lines = 0, dump_lines = 0, pos = 0;
  while (pos < text.size() && lines < 20) {
    size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++lines;
    size_t after = 0;
    if (line_offset(line, after) && !line_bytes(line.substr(after)).empty()) ++dump_lines;
  }
  if (dump_lines > 0 && dump_lines * 2 >= lines) return DumpFormat::OffsetHex;
  if (base64_only) return DumpFormat::Base64;
  if (dump_lines > 0) return DumpFormat::OffsetHex;  // tcpdump -X: a header line before each block
  return DumpFormat::Raw;
}

Dump parse_dump(DumpFormat format, std::string_view text, size_t max_bytes) {
  Dump dump;
  switch (format) {
    case DumpFormat::Raw: dump.stream.assign(text); return dump;
    case DumpFormat::Hex: {
      std::optional<std::string> bytes = from_hex(text);
      if (!bytes) throw Error(ErrorKind::Input, "not hex digits (an odd count, or other characters)", "--input hex");
      dump.stream = std::move(*bytes);
      return dump;
    }
    case DumpFormat::Base64: {
      std::string compact;
      for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) compact.push_back(c == '-' ? '+' : c == '_' ? '/' : c);
      std::optional<std::string> bytes = base64_decode(compact);
      if (!bytes) throw Error(ErrorKind::Input, "not base64", "--input base64");
      dump.stream = std::move(*bytes);
      return dump;
    }
    case DumpFormat::OffsetHex: break;
  }
  // Blocks: a new one starts where the offset goes back to 0.
  std::vector<std::pair<int64_t, std::string>> blocks;
  int64_t time = 0;
  uint64_t expected = 0, total = 0;  // total: the bytes of all blocks, at most max_bytes
  std::string last_line;
  bool repeat = false;
  size_t pos = 0, line_number = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (line == "*") {  // hexdump -C: the line before repeats up to the next offset
      repeat = true;
      continue;
    }
    size_t after = 0;
    std::optional<uint64_t> offset = line_offset(line, after);
    if (!offset) {
      if (int64_t t = tcpdump_time(line)) time = t;
      continue;  // a packet's header line, or a comment
    }
    if (*offset == 0 || blocks.empty()) {
      blocks.emplace_back(time, std::string());
      expected = 0;
      repeat = false;
    }
    std::string& block = blocks.back().second;
    if (repeat) {
      // Checked before growing: a "*" up to offset 0xffffffff is 4 GiB.
      uint64_t copies = last_line.empty() || *offset < expected ? 0 : (*offset - expected) / last_line.size();
      if (copies * last_line.size() > max_bytes - total)
        throw Error(ErrorKind::Input,
                    "the dump's \"*\" repeats expand past " + size_text(max_bytes),
                    "line " + std::to_string(line_number));
      for (uint64_t k = 0; k < copies; ++k) block += last_line;
      expected += copies * last_line.size();
      total += copies * last_line.size();
      repeat = false;
    }
    if (*offset != expected)
      throw Error(ErrorKind::Input,
                  "the dump's offset " + std::to_string(*offset) + " does not follow " + std::to_string(expected),
                  "line " + std::to_string(line_number));
    std::string bytes = line_bytes(line.substr(after));
    if (bytes.size() > max_bytes - total)
      throw Error(ErrorKind::Input, "the dump expands past " + size_text(max_bytes),
                  "line " + std::to_string(line_number));
    total += bytes.size();
    block += bytes;
    expected += bytes.size();
    last_line = std::move(bytes);
  }
  for (auto& [block_time, bytes] : blocks) {
    if (std::optional<int> link = frame_link_type(bytes)) {
      dump.packets.push_back({block_time, *link, std::move(bytes)});
    } else {
      dump.stream += bytes;
    }
  }
  return dump;
}

}  // namespace thrift_call
