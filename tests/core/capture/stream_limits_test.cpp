// The stream decoder on hostile streams: every buffer it keeps is bounded,
// and what the wire says reaches a warning escaped and short.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "../../idl/idl_test_util.h"
#include "core/capture/stream_decoder.h"
#include "core/codec/message.h"
#include "base/error.h"

using namespace thrift_call;
using codec::Json;
using codec::ProtocolKind;

namespace {

const char* const kIdl = "service Echo { string say(1: string text) }";

struct Result {
  std::string out;
  std::vector<std::string> warnings;
};

Result run(const std::string& bytes, size_t max_message, capture::OutputMode mode = capture::OutputMode::Messages) {
  idl::Schema schema = test::load_text(kIdl);
  char* text = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  Result r;
  {
    capture::DecoderOptions options;
    options.max_message = max_message;
    options.output.mode = mode;
    capture::TrafficDecoder decoder(&schema, options, out, [&](const std::string& w) { r.warnings.push_back(w); });
    decoder.byte_stream("test", bytes);
    decoder.finish();
  }
  std::fclose(out);
  r.out.assign(text, size);
  std::free(text);
  return r;
}

bool any_warning(const Result& r, const std::string& part) {
  for (const std::string& w : r.warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("chunked HTTP trailers that never end stop at 64 KB", "[core][capture][bad-input]") {
  std::string bytes = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n";
  for (int i = 0; i < 20000; ++i) bytes += "X-T: y\r\n";
  Result r = run(bytes, 1 << 20);
  CHECK(any_warning(r, "HTTP trailers longer than 64 KB"));
}

TEST_CASE("a chunked HTTP message past twice --max-message is a warning", "[core][capture][bad-input]") {
  // 1-byte chunks with long extensions: the body stays small, the buffer does not.
  std::string bytes = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunk = "1;" + std::string(1000, 'e') + "\r\nx\r\n";
  while (bytes.size() < 2 * 4096 + 70000) bytes += chunk;
  Result r = run(bytes, 4096);
  CHECK(any_warning(r, "longer than twice --max-message"));
}

TEST_CASE("an HTTP/1.0 body read until close is bounded by --max-message", "[core][capture][bad-input]") {
  idl::Schema schema = test::load_text(kIdl);
  const idl::Function* say = schema.find_function("Echo.say");
  std::string call = codec::encode_call(ProtocolKind::Binary, *say, Json{{"text", std::string(10000, 'a')}}, 1, "Echo");
  Result r = run("POST / HTTP/1.0\r\n\r\n" + call.substr(0, call.size() - 10), 4096);
  CHECK(any_warning(r, "an HTTP body longer than --max-message (4096 bytes)"));
}

namespace {

// A strict binary call with any name and no arguments.
std::string raw_call(const std::string& name, int32_t seqid) {
  std::string b("\x80\x01\x00\x01", 4);
  for (int shift : {24, 16, 8, 0}) b.push_back(static_cast<char>((name.size() >> shift) & 0xff));
  b += name;
  for (int shift : {24, 16, 8, 0}) b.push_back(static_cast<char>((static_cast<uint32_t>(seqid) >> shift) & 0xff));
  b.push_back('\0');
  return b;
}

}  // namespace

TEST_CASE("a bad chunk size reaches the warning escaped and cut to 64 bytes", "[core][capture][bad-input]") {
  std::string size_line = "\x1b[2J\n" + std::string(1000, 'z');
  Result r = run("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + size_line + "\r\n", 1 << 20);
  REQUIRE(any_warning(r, "a bad HTTP chunk size \"\\u001b[2J\\nzzz"));
  for (const std::string& w : r.warnings) {
    CHECK(w.find('\x1b') == std::string::npos);
    CHECK(w.find('\n') == std::string::npos);
    CHECK(w.size() < 200);
  }
}

TEST_CASE("a method name from the wire is escaped in --pretty", "[core][capture][bad-input]") {
  idl::Schema schema = test::load_text(kIdl);
  char* text = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  {
    capture::DecoderOptions options;
    options.output.pretty = true;
    capture::TrafficDecoder decoder(&schema, options, out, [](const std::string&) {});
    decoder.byte_stream("test", raw_call("a\x1b]0;x\x07\nb\\", 1));
    decoder.finish();
  }
  std::fclose(out);
  std::string printed(text, size);
  std::free(text);
  CHECK(printed.find("a\\x1b]0;x\\x07\\x0ab\\\\ #1") != std::string::npos);
  CHECK(printed.find('\x1b') == std::string::npos);
  CHECK(std::count(printed.begin(), printed.end(), '\n') == 1);
  CHECK(capture::escape_wire(std::string(100, 'm'), 64) == std::string(64, 'm') + "...");
}

TEST_CASE("decode --stats keeps at most 10,000 methods and cuts long names", "[core][capture][bad-input]") {
  std::string bytes;
  for (int i = 0; i < 10005; ++i) bytes += raw_call("m" + std::to_string(i), i);
  bytes += raw_call(std::string(5000, 'L'), 1);
  Result r = run(bytes, 1 << 20, capture::OutputMode::Stats);
  size_t rows = 0, other = 0, longest = 0;
  size_t pos = 0;
  while (pos < r.out.size()) {
    size_t end = r.out.find('\n', pos);
    nlohmann::json row = nlohmann::json::parse(r.out.substr(pos, end - pos));
    pos = end + 1;
    ++rows;
    std::string method = row["method"];
    longest = std::max(longest, method.size());
    if (method == "(other methods)") other = row["count"];
  }
  CHECK(rows == capture::TrafficOutput::kMaxStatsMethods + 1);
  CHECK(other == 6);
  CHECK(longest <= capture::TrafficOutput::kMaxStatsKey);
}

namespace {

// A raw IPv4 packet (DLT_RAW) with a TCP segment, 10.0.0.1:5000 <-> 10.0.0.2:9090.
std::string tcp_packet(bool from_client, uint32_t seq, uint8_t flags, const std::string& payload) {
  std::string ip(20, '\0'), tcp(20, '\0');
  size_t total = 40 + payload.size();
  ip[0] = 0x45;
  ip[2] = static_cast<char>(total >> 8);
  ip[3] = static_cast<char>(total & 0xff);
  ip[8] = 64;
  ip[9] = 6;
  std::string client("\x0a\x00\x00\x01", 4), server("\x0a\x00\x00\x02", 4);
  ip.replace(12, 4, from_client ? client : server);
  ip.replace(16, 4, from_client ? server : client);
  uint16_t sport = from_client ? 5000 : 9090, dport = from_client ? 9090 : 5000;
  tcp[0] = static_cast<char>(sport >> 8), tcp[1] = static_cast<char>(sport & 0xff);
  tcp[2] = static_cast<char>(dport >> 8), tcp[3] = static_cast<char>(dport & 0xff);
  for (int i = 0; i < 4; ++i) tcp[4 + i] = static_cast<char>((seq >> (24 - 8 * i)) & 0xff);
  tcp[12] = 0x50;
  tcp[13] = static_cast<char>(flags);
  tcp[14] = '\xff', tcp[15] = '\xff';
  return ip + tcp + payload;
}

}  // namespace

TEST_CASE("a call split into 300 segments is remembered once for its reply", "[core][capture]") {
  idl::Schema schema = test::load_text("service Echo { string say(1: string text) }\nservice Other { i32 say(1: i32 n) }");
  const idl::Function* other = schema.find_function("Other.say");
  const idl::Function* echo = schema.find_function("Echo.say");
  REQUIRE(other);
  REQUIRE(echo);
  std::string first = codec::encode_call(ProtocolKind::Binary, *other, Json{{"n", 5}}, 1, "Other");
  std::string second = codec::encode_call(ProtocolKind::Binary, *echo, Json{{"text", std::string(600, 'a')}}, 2, "Echo");
  std::string answer = codec::encode_reply(ProtocolKind::Binary, *other, "say", 1, Json{{"success", 50}});

  char* text = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  {
    capture::DecoderOptions options;
    capture::TrafficDecoder decoder(&schema, options, out, [](const std::string&) {});
    std::vector<std::string> frames;
    frames.push_back(tcp_packet(true, 0, 0x02, ""));
    frames.push_back(tcp_packet(false, 0, 0x12, ""));
    uint32_t seq = 1;
    frames.push_back(tcp_packet(true, seq, 0x18, first));
    seq += static_cast<uint32_t>(first.size());
    for (size_t at = 0; at < second.size(); at += 2, seq += 2) frames.push_back(tcp_packet(true, seq, 0x18, second.substr(at, 2)));
    frames.push_back(tcp_packet(false, 1, 0x18, answer));
    int64_t t = 1000000;
    for (const std::string& f : frames) {
      capture::Packet p;
      p.time_us = t++;
      p.link_type = 12;
      p.data = f;
      p.wire_length = static_cast<uint32_t>(f.size());
      decoder.packet(p);
    }
    decoder.finish();
  }
  std::fclose(out);
  std::string printed(text, size);
  std::free(text);
  std::vector<nlohmann::json> lines;
  for (size_t pos = 0; pos < printed.size();) {
    size_t end = printed.find('\n', pos);
    lines.push_back(nlohmann::json::parse(printed.substr(pos, end - pos)));
    pos = end + 1;
  }
  REQUIRE(lines.size() == 3);
  CHECK(lines[1]["args"]["text"] == std::string(600, 'a'));
  CHECK(lines[2]["method"] == "Other.say");
  CHECK(lines[2]["reply"] == nlohmann::json::parse(R"({"return":50})"));
}
