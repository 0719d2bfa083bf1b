// HttpFrameReader: HTTP requests and responses carrying Thrift, taken off a
// captured stream whatever pieces it comes in: Content-Length, chunks, and
// HTTP/1.0 bodies that end with the connection.
#include <catch2/catch.hpp>

#include "core/codec/message.h"
#include "core/transport/http_framing.h"

using namespace thrift_call;
using transport::FrameStatus;
using transport::HttpFrameReader;

namespace {

const std::string kCall = codec::encode_raw_call(codec::ProtocolKind::Compact, "ping", false, codec::Json::object(), 7);

std::string chunked(const std::string& body, size_t chunk) {
  std::string out = "POST /thrift HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (size_t at = 0; at < body.size(); at += chunk) {
    std::string part = body.substr(at, chunk);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", part.size());
    out += std::string(size) + "\r\n" + part + "\r\n";
  }
  return out + "0\r\nX-Trailer: yes\r\n\r\n";
}

// Feeds `stream` one byte at a time; the messages read, then what the end of
// the stream gave.
std::vector<std::string> read_all(const std::string& stream) {
  HttpFrameReader http(1 << 20);
  std::vector<std::string> bodies;
  size_t start = 0;
  for (size_t end = 1; end <= stream.size(); ++end) {
    std::string_view input = std::string_view(stream).substr(start, end - start);
    FrameStatus status = http.next(input);
    REQUIRE(status != FrameStatus::Implausible);
    if (status == FrameStatus::Ready) {
      bodies.emplace_back(http.frame().message);
      start += http.frame().size;
    }
  }
  if (http.finish(std::string_view(stream).substr(start)) == FrameStatus::Ready) bodies.emplace_back(http.frame().message);
  return bodies;
}

}  // namespace

TEST_CASE("HTTP messages carrying Thrift are read whole, byte by byte", "[core][transport][framing][http]") {
  std::string with_length = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kCall.size()) + "\r\n\r\n" + kCall;
  CHECK(read_all(with_length + with_length) == std::vector<std::string>{kCall, kCall});
  CHECK(read_all(chunked(kCall, 3) + with_length) == std::vector<std::string>{kCall, kCall});
  // An empty answer (to a oneway call), then HTTP/1.0 without a length.
  std::string empty = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  CHECK(read_all(empty + "HTTP/1.0 200 OK\r\n\r\n" + kCall) == std::vector<std::string>{"", kCall});
}

TEST_CASE("HTTP messages that cannot be read are refused with why", "[core][transport][framing][http]") {
  auto why = [](const std::string& stream, size_t limit = 1 << 20) {
    HttpFrameReader http(limit);
    return http.next(stream) == FrameStatus::Implausible ? http.why() : std::string("(not refused)");
  };
  CHECK(why("POST / HTTP/1.1\r\nContent-Length: 10000000000\r\n\r\n") ==
        "an HTTP body of 10000000000 bytes, over --max-message");
  CHECK(why("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd") == "the HTTP body holds no Thrift message");
  CHECK(why("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == "a bad HTTP chunk size \"zz\"");
  CHECK(why(chunked(kCall + std::string(100, 'x'), 16), 64) == "a chunked HTTP body over --max-message (64)");
  CHECK(why("garbage\r\n\r\n") == "not an HTTP request or response");
  CHECK(why("POST / HTTP/1.1\r\n" + std::string(70000, 'h')) == "an HTTP header longer than 64 KB");
}

TEST_CASE("an HTTP body that is a THeader frame gives the message in it, with the frame's protocol",
          "[core][transport][framing][http][theader]") {
  transport::THeaderOptions options;
  options.protocol = codec::ProtocolKind::Compact;
  options.zlib = true;
  std::string frame = transport::theader_frame(kCall, options);
  std::string request = "POST / HTTP/1.1\r\nContent-Length: " + std::to_string(frame.size()) + "\r\n\r\n" + frame;
  CHECK(read_all(request + chunked(frame, 5)) == std::vector<std::string>{kCall, kCall});
  HttpFrameReader http(1 << 20);
  REQUIRE(http.next(request) == FrameStatus::Ready);
  CHECK(http.frame().protocol == codec::ProtocolKind::Compact);
  REQUIRE(http.frame().header != nullptr);
  CHECK(http.frame().header->zlib);

  // Cut short, or with bytes after it, the frame is refused, saying where.
  std::string cut = frame.substr(0, frame.size() - 2);
  CHECK(http.next("POST / HTTP/1.1\r\nContent-Length: " + std::to_string(cut.size()) + "\r\n\r\n" + cut) ==
        FrameStatus::Implausible);
  CHECK(http.why() ==
        "the HTTP body is a THeader frame that cannot be read: it ends inside its frame, 2 bytes short "
        "(byte " +
            std::to_string(cut.size()) + ")");
  std::string longer = frame + "xy";
  CHECK(http.next("POST / HTTP/1.1\r\nContent-Length: " + std::to_string(longer.size()) + "\r\n\r\n" + longer) ==
        FrameStatus::Implausible);
  CHECK(http.why() == "the HTTP body is a THeader frame that cannot be read: 2 bytes follow the frame of " +
                          std::to_string(frame.size()) + " bytes (byte " + std::to_string(frame.size()) + ")");
}
