// FrameReader against messages Apache's Python library wrote (calls and
// replies of every ThriftTest method, in binary, compact and JSON), fed as a
// stream arrives: whole, byte by byte, and in odd pieces; and against bytes
// that cannot be a message.
#include <catch2/catch.hpp>

#include "../../idl/idl_test_util.h"
#include "../../support/process.h"
#include "core/codec/codec.h"
#include "base/hex.h"
#include "core/transport/connection.h"
#include "core/transport/framing.h"
#include "core/transport/input_buffer.h"

using namespace thrift_call;
using transport::FrameReader;
using transport::FrameStatus;
using transport::Framing;

namespace {

struct Golden {
  std::string name;
  codec::ProtocolKind protocol;
  std::string bytes;
};

// Every call and reply golden_messages.py writes with Apache's library.
const std::vector<Golden>& golden_messages() {
  static const std::vector<Golden> messages = [] {
    test::ScratchDir dir;
    std::string idl = THRIFT_CALL_SOURCE_DIR "/tests/data/ThriftTest.thrift";
    test::command_output("thrift --gen py -out '" + dir.path().string() + "' '" + idl + "' >/dev/null 2>&1");
    std::string out = test::command_output("/usr/bin/python3 '" THRIFT_CALL_SOURCE_DIR
                                           "/tests/core/codec/golden_messages.py' '" +
                                           dir.path().string() + "'");
    std::vector<Golden> all;
    for (const auto& c : test::json_lines(out)) {
      auto kind = *codec::parse_protocol_kind(c["protocol"].get<std::string>());
      for (const char* which : {"call", "reply"}) {
        std::string bytes = *from_hex(c[which].get<std::string>());
        if (!bytes.empty())
          all.push_back({c["case"].get<std::string>() + " " + which + " (" + c["protocol"].get<std::string>() + ")",
                         kind, bytes});
      }
    }
    return all;
  }();
  return messages;
}

// Feeds `stream` in pieces of `piece` bytes, as a connection would receive
// it, and returns the sizes of the frames read.
std::vector<size_t> read_frames(FrameReader& frames, const std::string& stream, size_t piece) {
  transport::InputBuffer buffer;
  std::vector<size_t> sizes;
  size_t fed = 0;
  for (;;) {
    FrameStatus status = frames.next(buffer.view());
    if (status == FrameStatus::Ready) {
      sizes.push_back(frames.frame().size);
      buffer.consume(frames.frame().size);
      continue;
    }
    REQUIRE(status == FrameStatus::NeedMore);
    if (fed == stream.size()) break;
    size_t n = std::min(piece, stream.size() - fed);
    buffer.append(std::string_view(stream).substr(fed, n));
    fed += n;
  }
  CHECK(buffer.empty());
  return sizes;
}

}  // namespace

TEST_CASE("unframed messages of every kind Apache writes are found whole, however their bytes arrive",
          "[core][transport][framing]") {
  const auto& messages = golden_messages();
  REQUIRE(messages.size() >= 100);  // the reference library ran
  for (const Golden& m : messages) {
    INFO(m.name);
    // Two in a row: the second must start where the first ended.
    std::string stream = m.bytes + m.bytes;
    for (size_t piece : {stream.size(), size_t{1}, size_t{3}, size_t{7}}) {
      // Zlib: the inflated stream of a TZlibTransport, unframed too.
      for (Framing framing : {Framing::Buffered, Framing::Zlib}) {
        FrameReader frames(framing, 1 << 20);
        CHECK(read_frames(frames, stream, piece) == std::vector<size_t>{m.bytes.size(), m.bytes.size()});
      }
    }
  }
}

TEST_CASE("framed and THeader frames, and THeader frames inside frames, are found whole, however their bytes arrive",
          "[core][transport][framing]") {
  for (const Golden& m : golden_messages()) {
    if (m.protocol == codec::ProtocolKind::Json) continue;
    INFO(m.name);
    for (Framing framing : {Framing::Framed, Framing::Header, Framing::FramedHeader}) {
      transport::THeaderOptions theader;
      theader.protocol = m.protocol;
      std::string frame = transport::frame_message(m.bytes, framing, theader);
      for (size_t piece : {frame.size(), size_t{5}}) {
        FrameReader frames(framing, 1 << 20);
        CHECK(read_frames(frames, frame + frame, piece) == std::vector<size_t>{frame.size(), frame.size()});
      }
      FrameReader frames(framing, 1 << 20);
      REQUIRE(frames.next(frame) == FrameStatus::Ready);
      CHECK(frames.frame().message == m.bytes);
      CHECK(frames.frame().protocol == m.protocol);
      CHECK((frames.frame().header != nullptr) == (framing != Framing::Framed));
      // THeaderProtocol over TZlibTransport: THeader frames in the inflated stream.
      if (framing == Framing::Header) {
        for (size_t piece : {frame.size(), size_t{1}}) {
          FrameReader zlib(Framing::Zlib, 1 << 20);
          CHECK(read_frames(zlib, frame + m.bytes + frame, piece) ==
                std::vector<size_t>{frame.size(), m.bytes.size(), frame.size()});
        }
      }
      // A Framed reader finds a THeader frame inside a frame too (serve and decode read with one).
      if (framing == Framing::FramedHeader) {
        FrameReader framed(Framing::Framed, 1 << 20);
        REQUIRE(framed.next(frame) == FrameStatus::Ready);
        CHECK(framed.frame().message == m.bytes);
        CHECK(framed.frame().header != nullptr);
      }
    }
  }
}

TEST_CASE("an unframed message is read on from where its last piece stopped, not from its start",
          "[core][transport][framing]") {
  // The longest golden message, one byte at a time: what the reader has
  // accounted for only grows, and is never behind by more than one value.
  const Golden* longest = nullptr;
  for (const Golden& m : golden_messages())
    if (m.protocol != codec::ProtocolKind::Json && (!longest || m.bytes.size() > longest->bytes.size())) longest = &m;
  REQUIRE(longest != nullptr);
  INFO(longest->name);
  FrameReader frames(Framing::Buffered, 1 << 20);
  size_t last_progress = 0;
  for (size_t n = 1; n < longest->bytes.size(); ++n) {
    REQUIRE(frames.next(std::string_view(longest->bytes).substr(0, n)) == FrameStatus::NeedMore);
    CHECK(frames.progress() >= last_progress);
    CHECK(n - frames.progress() <= 64);  // a string of ThriftTest's values at most
    last_progress = frames.progress();
  }
  CHECK(frames.next(longest->bytes) == FrameStatus::Ready);
}

TEST_CASE("bytes that cannot be a message are refused at once, with why", "[core][transport][framing]") {
  SECTION("not a protocol's first byte") {
    FrameReader frames(Framing::Buffered, 1 << 20);
    REQUIRE(frames.next("<!DOCTYPE HTML>") == FrameStatus::Implausible);
    CHECK(frames.why() == "not the start of a binary, compact or JSON message: 0x3c (byte 0)");
  }
  SECTION("a frame length over the limit, before a byte of it arrives") {
    FrameReader frames(Framing::Framed, 1000);
    REQUIRE(frames.next(std::string("\x7f\xff\xff\xff\x80\x01", 6)) == FrameStatus::Implausible);
    CHECK(frames.why() == "frame size 2147483647 is not plausible (limit 1000)");
  }
  SECTION("a frame says how many bytes it still needs") {
    FrameReader frames(Framing::Framed, 1000);
    REQUIRE(frames.next(std::string("\x00\x00\x00\x10\x80\x01", 6)) == FrameStatus::NeedMore);
    CHECK(frames.needed() == 14);
  }
  SECTION("a string longer than the message limit") {
    // Strict binary call "m", seqid 1, then field 1 string of 2^30 bytes.
    std::string call("\x80\x01\x00\x01\x00\x00\x00\x01m\x00\x00\x00\x01\x0b\x00\x01\x40\x00\x00\x00", 20);
    FrameReader frames(Framing::Buffered, 1 << 20);
    REQUIRE(frames.next(call) == FrameStatus::Implausible);
    CHECK_THAT(frames.why(), Catch::Contains("string size 1073741824 exceeds the limit of 1048576"));
  }
  SECTION("an unframed message that goes on past the limit") {
    // A list of 2^20 i64, each 8 bytes: 8 MiB, over a 1 MiB limit.
    std::string call("\x80\x01\x00\x01\x00\x00\x00\x01m\x00\x00\x00\x01\x0f\x00\x01\x0a\x00\x10\x00\x00", 21);
    FrameReader frames(Framing::Buffered, 1 << 20);
    std::string stream = call + std::string(1 << 20, '\0');
    CHECK(frames.next(std::string_view(stream).substr(0, 4096)) == FrameStatus::NeedMore);
    REQUIRE(frames.next(stream) == FrameStatus::Implausible);
    CHECK(frames.why() == "the message is longer than the limit of 1048576 bytes");
  }
  SECTION("a THeader frame carrying a protocol other than binary (0) and compact (2)") {
    // 258 as a varint (0x82 0x02): it was once cut to a byte, read as 2, compact.
    for (auto [id, varint] : {std::pair{1, std::string("\x01", 1)}, std::pair{258, std::string("\x82\x02", 2)}}) {
      // magic, flags, seqid, 1 header word: the protocol id, no transforms, padding.
      std::string body = std::string("\x0f\xff\x00\x00\x00\x00\x00\x00\x00\x01", 10) + varint + '\0';
      body.append(4 - varint.size() - 1, '\0');
      body += std::string("\x80\x01\x00\x02\x00\x00\x00\x01m\x00\x00\x00\x01\x00", 14);
      std::string frame = std::string("\0\0\0", 3) + static_cast<char>(body.size()) + body;
      INFO(id);
      FrameReader frames(Framing::Header, 1 << 20);
      REQUIRE(frames.next(frame) == FrameStatus::Implausible);
      CHECK(frames.why() == "THeader protocol id " + std::to_string(id) + " is neither binary (0) nor compact (2)");
    }
  }
  SECTION("nesting deeper than the limit, in every protocol") {
    // Compact: a call whose first field is a struct holding a struct ...
    std::string compact("\x82\x21\x01\x01m", 5);
    for (int i = 0; i < 100; ++i) compact += '\x1c';  // field 1, struct
    FrameReader compact_frames(Framing::Buffered, 1 << 20, std::nullopt, 64);
    REQUIRE(compact_frames.next(compact) == FrameStatus::Implausible);
    CHECK_THAT(compact_frames.why(), Catch::Contains("nesting deeper than 64 levels"));
    std::string json = "[1,\"m\",1,1,{\"1\":{\"lst\":[\"lst\",1";
    for (int i = 0; i < 100; ++i) json += ",[\"lst\",1";
    FrameReader json_frames(Framing::Buffered, 1 << 20, std::nullopt, 64);
    REQUIRE(json_frames.next(json) == FrameStatus::Implausible);
    CHECK_THAT(json_frames.why(), Catch::Contains("nesting deeper than 64 levels"));
  }
}

TEST_CASE("0x80 then a byte that is not binary's version is refused whether it comes whole or a byte at a time",
          "[core][transport][framing][bad-input]") {
  // Found by tests/fuzz/framing_fuzz.cpp: 0x80 alone chose binary, and the
  // pieces then read on where the whole bytes were refused.
  const std::string stream("\x80\x03", 2);
  FrameReader whole(Framing::Buffered, 1 << 16);
  REQUIRE(whole.next(stream) == FrameStatus::Implausible);
  FrameReader split(Framing::Buffered, 1 << 16);
  CHECK(split.next(std::string_view(stream).substr(0, 1)) == FrameStatus::NeedMore);
  REQUIRE(split.next(stream) == FrameStatus::Implausible);
  CHECK(split.why() == whole.why());
}

TEST_CASE("consuming messages off the front of a buffer keeps what follows", "[core][transport][framing]") {
  transport::InputBuffer buffer;
  std::string expected;
  for (int i = 0; i < 10000; ++i) {
    std::string piece = "message " + std::to_string(i) + ";";
    buffer.append(piece);
    expected += piece;
    if (i % 3 == 0) {
      size_t n = std::min<size_t>(buffer.size(), 11);
      buffer.consume(n);
      expected.erase(0, n);
    }
    REQUIRE(buffer.view() == expected);
  }
}

TEST_CASE("a THeader frame with an info id nobody defines is refused, naming it",
          "[core][transport][framing][theader]") {
  std::string body = std::string("\x0f\xff\x00\x00\x00\x00\x00\x00\x00\x01", 10) +  // magic, flags, seqid, 1 word
                     std::string("\x00\x00\x07\x00", 4) +  // binary, no transforms, info id 7, padding
                     std::string("\x80\x01\x00\x01", 4);
  std::string frame = transport::frame_message(body, Framing::Framed);
  FrameReader frames(Framing::Header, 1 << 20);
  REQUIRE(frames.next(frame) == FrameStatus::Implausible);
  CHECK_THAT(frames.why(), Catch::StartsWith("a bad THeader frame: unknown THeader info id 7 (1 and 2 are key-value "
                                             "headers, 0 padding)"));
  // Info id 2 (fbthrift's persistent key-values) is read as key-values are.
  body[12] = 2;
  body.replace(13, 1, std::string("\x01\x01k\x01v", 5));
  body[9] = 2;  // two words of headers now
  frame = transport::frame_message(body, Framing::Framed);
  FrameReader again(Framing::Header, 1 << 20);
  REQUIRE(again.next(frame) == FrameStatus::Ready);
  REQUIRE(again.frame().header != nullptr);
  CHECK(again.frame().header->headers == std::vector<std::pair<std::string, std::string>>{{"k", "v"}});
}
