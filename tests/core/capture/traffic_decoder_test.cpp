// The capture pipeline below the CLI: hex dump formats, and the stream
// decoder on byte streams of every protocol and framing, with pairing by
// seqid (reused seqids in order) and a multiplexed reply read with its call's function.
#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "../../idl/idl_test_util.h"
#include "core/capture/stream_decoder.h"
#include "core/codec/message.h"
#include "core/capture/dump_format.h"
#include "core/transport/connection.h"
#include "base/error.h"

using namespace thrift_call;
using codec::Json;
using codec::ProtocolKind;

namespace {

const char* const kIdl = R"(
service Echo { string say(1: string text) }
service Other { i32 say(1: i32 n) }
)";

// Runs `bytes` through a TrafficDecoder and returns its output lines and warnings.
struct Decoded {
  std::vector<nlohmann::json> lines;
  std::vector<std::string> warnings;
};

Decoded decode_stream(const idl::Schema& schema, const std::string& bytes, capture::OutputMode mode) {
  char* text = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&text, &size);
  Decoded d;
  {
    capture::DecoderOptions options;
    options.output.mode = mode;
    capture::TrafficDecoder decoder(&schema, options, out, [&](const std::string& w) { d.warnings.push_back(w); });
    decoder.byte_stream("test", bytes);
    decoder.finish();
  }
  std::fclose(out);
  std::string all(text, size);
  std::free(text);
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find('\n', pos);
    d.lines.push_back(nlohmann::json::parse(all.substr(pos, end - pos)));
    pos = end + 1;
  }
  return d;
}

std::string reply(ProtocolKind kind, const idl::Function& fn, const std::string& name, int32_t seqid, const Json& result) {
  return codec::encode_reply(kind, fn, name, seqid, result);
}

}  // namespace

TEST_CASE("hex dump formats are told apart from their first lines", "[core][capture][dump]") {
  CHECK(detect_dump_format("80010001 0000\n") == DumpFormat::Hex);
  CHECK(detect_dump_format("00000000: 8001 0001 0000 0009 6765 7450 6572 736f  ........getPerso\n") ==
        DumpFormat::OffsetHex);
  CHECK(detect_dump_format("00000000  80 01 00 01 00 00 00 09  67 65 74 50 65 72 73 6f  |........getPerso|\n") ==
        DumpFormat::OffsetHex);
  CHECK(detect_dump_format("gAEAAQAAAAlnZXRQZXJzb24=\n") == DumpFormat::Base64);
  CHECK(detect_dump_format(std::string("\x80\x01\x00\x01", 4)) == DumpFormat::Raw);
}

TEST_CASE("hexdump -C repeated lines are expanded and a broken offset names its line", "[core][capture][dump]") {
  Dump d = parse_dump(DumpFormat::OffsetHex,
                      "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
                      "*\n"
                      "00000030  ff                                                |.|\n"
                      "00000031\n");
  REQUIRE(d.stream.size() == 49);
  CHECK(d.stream.substr(16, 16) == d.stream.substr(0, 16));
  CHECK(static_cast<uint8_t>(d.stream[48]) == 0xff);
  try {
    parse_dump(DumpFormat::OffsetHex, "0000: 8001 0001\n0020: 0000 0000\n");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.where() == "line 2");
  }
}

TEST_CASE("a stream of every protocol and framing decodes with names", "[core][capture]") {
  idl::Schema schema = test::load_text(kIdl);
  const idl::Function* say = schema.find_function("Echo.say");
  REQUIRE(say);
  for (auto kind : {ProtocolKind::Binary, ProtocolKind::Compact, ProtocolKind::Json}) {
    for (auto framing : {transport::Framing::Buffered, transport::Framing::Framed, transport::Framing::Header}) {
      if (framing == transport::Framing::Header && kind == ProtocolKind::Json) continue;  // THeader carries binary or compact
      INFO(codec::to_string(kind) << " " << transport::to_string(framing));
      transport::THeaderOptions header;
      header.protocol = kind;
      std::string bytes =
          transport::frame_message(codec::encode_call(kind, *say, Json::parse(R"({"text":"hi"})"), 7, "Echo"), framing, header) +
          transport::frame_message(reply(kind, *say, "say", 7, Json::parse(R"({"success":"hi back"})")), framing, header);
      Decoded d = decode_stream(schema, bytes, capture::OutputMode::Messages);
      CHECK(d.warnings.empty());
      REQUIRE(d.lines.size() == 2);
      CHECK(d.lines[0]["method"] == "Echo.say");
      CHECK(d.lines[0]["service"] == "Echo");
      CHECK(d.lines[0]["args"] == Json::parse(R"({"text":"hi"})"));
      CHECK(d.lines[0]["protocol"] == codec::to_string(kind));
      CHECK(d.lines[0]["framing"] == transport::to_string(framing));
      // The bare name of the reply is ambiguous (Other.say): its call says which.
      CHECK(d.lines[1]["method"] == "Echo.say");
      CHECK(d.lines[1]["reply"] == Json::parse(R"({"return":"hi back"})"));
    }
  }
}

TEST_CASE("calls reusing one seqid pair with replies in order", "[core][capture]") {
  idl::Schema schema = test::load_text(kIdl);
  const idl::Function* say = schema.find_function("Echo.say");
  auto kind = ProtocolKind::Binary;
  std::string bytes = codec::encode_call(kind, *say, Json::parse(R"({"text":"one"})"), 0, "Echo") +
                      codec::encode_call(kind, *say, Json::parse(R"({"text":"two"})"), 0, "Echo") +
                      reply(kind, *say, "say", 0, Json::parse(R"({"success":"1"})")) +
                      codec::encode_application_exception(kind, "say", 0, {6, "boom"});
  Decoded d = decode_stream(schema, bytes, capture::OutputMode::Pairs);
  REQUIRE(d.lines.size() == 2);
  CHECK(d.lines[0]["args"]["text"] == "one");
  CHECK(d.lines[0]["reply"] == Json::parse(R"({"return":"1"})"));
  CHECK(d.lines[1]["args"]["text"] == "two");
  CHECK(d.lines[1]["reply"]["error"]["name"] == "INTERNAL_ERROR");
  CHECK(d.lines[1]["reply"]["error"]["message"] == "boom");

  Decoded stats = decode_stream(schema, bytes, capture::OutputMode::Stats);
  REQUIRE(stats.lines.size() == 1);
  CHECK(stats.lines[0]["count"] == 2);
  CHECK(stats.lines[0]["errors"] == 1);
}

TEST_CASE("a message cut short at the end of a stream is a warning with its offset", "[core][capture][bad-input]") {
  idl::Schema schema = test::load_text(kIdl);
  const idl::Function* say = schema.find_function("Echo.say");
  std::string call = codec::encode_call(ProtocolKind::Compact, *say, Json::parse(R"({"text":"hello"})"), 1, "Echo");
  Decoded d = decode_stream(schema, call + call.substr(0, call.size() - 3), capture::OutputMode::Messages);
  CHECK(d.lines.size() == 1);
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0] == "test: byte " + std::to_string(call.size()) + ": the stream ends inside a message (" +
                             std::to_string(call.size() - 3) + " bytes)");
}
