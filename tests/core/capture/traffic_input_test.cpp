// decode's input, read in core: a capture, a dump of messages, or one raw
// value, told apart; the decoder made only when messages come.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "../../idl/idl_test_util.h"
#include "base/error.h"
#include "core/capture/traffic_input.h"

using namespace thrift_call;

namespace {

// A TrafficDecoder made on first use, printing into a temporary file.
struct LazyDecoder {
  FILE* out = std::tmpfile();
  std::unique_ptr<capture::TrafficDecoder> decoder;
  int made = 0;
  capture::TrafficDecoder& operator()() {
    if (!decoder) {
      decoder = std::make_unique<capture::TrafficDecoder>(nullptr, capture::DecoderOptions{}, out,
                                                          [](const std::string&) {});
      ++made;
    }
    return *decoder;
  }
  ~LazyDecoder() { std::fclose(out); }
};

// A strict binary call "getPerson", seqid 1, no arguments.
const std::string kCallHex = "80010001 00000009 67657450 6572736f 6e 00000001 00";

}  // namespace

TEST_CASE("a capture is fed packet by packet to the decoder", "[core][capture]") {
  LazyDecoder decoder;
  auto value = capture::feed_traffic_input(THRIFT_CALL_SOURCE_DIR "/examples/person.pcap", {}, decoder);
  CHECK(!value);
  REQUIRE(decoder.made == 1);
  CHECK(decoder.decoder->packets() > 0);
  decoder.decoder->finish();
  CHECK(decoder.decoder->messages() > 0);
}

TEST_CASE("a hex dump of messages is one stream of them, and bytes that are not messages are a raw value",
          "[core][capture]") {
  test::ScratchDir dir;
  LazyDecoder decoder;
  CHECK(!capture::feed_traffic_input(dir.write("call.hex", kCallHex + "\n"), {}, decoder));
  decoder.decoder->finish();
  CHECK(decoder.decoder->messages() == 1);

  LazyDecoder unused;
  // A struct (field 1, string "Ann"), not a message: handed back to be decoded as one value.
  auto value = capture::feed_traffic_input(dir.write("value.hex", "0b0001 00000003 416e6e 00\n"), {}, unused);
  REQUIRE(value);
  CHECK(*value == std::string("\x0b\x00\x01\x00\x00\x00\x03" "Ann\x00", 11));
  CHECK(unused.made == 0);
  // --messages: read as traffic all the same.
  capture::TrafficInputOptions messages;
  messages.messages = true;
  CHECK(!capture::feed_traffic_input(dir.write("value2.hex", "0b0001 00000003 416e6e 00\n"), messages, unused));
  CHECK(unused.made == 1);
}

TEST_CASE("an input that cannot be opened is a usage error naming it", "[core][capture][bad-input]") {
  LazyDecoder decoder;
  try {
    capture::feed_traffic_input("/nonexistent/x.pcap", {}, decoder);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Usage);
    CHECK(e.message() == "cannot open \"/nonexistent/x.pcap\": No such file or directory");
  }
  CHECK(decoder.made == 0);
}

TEST_CASE("value mode refuses a capture and a dump of packets", "[core][capture][bad-input]") {
  CHECK_THROWS_WITH(capture::value_bytes("x", "pcap", "f"),
                    "a pcap capture holds messages, not one value: drop --type (--input)");
  CHECK(capture::value_bytes("0b00 01", "hex", "f") == std::string("\x0b\x00\x01", 3));
}
