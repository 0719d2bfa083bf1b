// The zlib stream of TZlibTransport (zlib_stream.h): what ZlibWriter writes
// inflates back whatever pieces it arrives in, message by message; inflating
// stops at the room given (a bomb costs no more); a stream that is not zlib
// is refused with where.
#include "core/transport/zlib_stream.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/error.h"

using thrift_call::Error;
using thrift_call::ErrorKind;
using thrift_call::transport::looks_like_zlib;
using thrift_call::transport::ZlibReader;
using thrift_call::transport::ZlibWriter;

TEST_CASE("each message written to the zlib stream inflates whole as soon as its bytes arrive",
          "[core][transport][zlib]") {
  ZlibWriter writer;
  std::string first, second;
  writer.write("the first message", first);
  writer.write(std::string(100000, 'x'), second);
  CHECK(looks_like_zlib(first));
  ZlibReader reader;
  std::string out;
  // Byte by byte: each flush ends a message, so all of it is there at its last byte.
  for (char c : first) {
    reader.feed(std::string_view(&c, 1));
    reader.inflate_into(out, 1 << 20);
  }
  CHECK(out == "the first message");
  reader.feed(second);
  reader.inflate_into(out, 1 << 20);
  CHECK(out == "the first message" + std::string(100000, 'x'));
  CHECK_FALSE(reader.has_pending());
}

TEST_CASE("inflating stops at the room given and goes on from there", "[core][transport][zlib][bad-input]") {
  ZlibWriter writer;
  std::string bomb;
  writer.write(std::string(size_t{8} << 20, '\0'), bomb);
  CHECK(bomb.size() < 64 * 1024);
  ZlibReader reader;
  reader.feed(bomb);
  std::string out;
  CHECK(reader.inflate_into(out, 1000) == 1000);
  CHECK(reader.has_pending());
  CHECK(out.size() == 1000);
  size_t total = out.size();
  while (reader.has_pending()) {
    out.clear();
    total += reader.inflate_into(out, 1 << 20);
  }
  CHECK(total == size_t{8} << 20);
}

TEST_CASE("a stream that is not zlib is refused, saying where", "[core][transport][zlib][bad-input]") {
  CHECK_FALSE(looks_like_zlib("\x78\x00"));
  CHECK_FALSE(looks_like_zlib("\x80\x01"));
  ZlibReader reader;
  reader.feed(std::string("\x78\x9c", 2) + "not deflate data");
  std::string out;
  try {
    reader.inflate_into(out, 1 << 20);
    FAIL("inflated");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::Protocol);
    CHECK_THAT(e.message(), Catch::StartsWith("the zlib stream is corrupt: "));
    CHECK_THAT(e.where(), Catch::EndsWith("of the compressed stream"));
  }
}
