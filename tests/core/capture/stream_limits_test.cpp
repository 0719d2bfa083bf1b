// The stream decoder on hostile streams: every buffer it keeps is bounded,
// and what the wire says reaches a warning escaped and short.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "../../idl/idl_test_util.h"
#include "core/capture/stream_decoder.h"
#include "core/codec/message.h"
#include "idl/error.h"

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
  REQUIRE(any_warning(r, "a bad HTTP chunk size \"\\x1b[2J\\x0azzz"));
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

TEST_CASE("--stats keeps at most 10,000 methods and cuts long names", "[core][capture][bad-input]") {
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
