// Framing fuzzer: any bytes, taken off as a stream by FrameReader (the
// framing layer the client, serve and decode share) and by HttpFrameReader,
// must give the same frames whether they arrive whole or in pieces (the
// first bytes choose the framing and the piece sizes), never a crash, a
// hang, a leak, or a frame past the bytes given.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/transport/framing.h"
#include "core/transport/http_framing.h"
#include "base/error.h"

namespace {

using thrift_call::transport::FrameStatus;

struct Read {
  std::vector<size_t> sizes;
  std::vector<std::string> messages;
  bool refused = false;
};

// Feeds `stream` in pieces (each piece size from `pieces`, cycled; 0 means
// all that is left) to `reader`, as a connection would.
template <class Reader>
Read read_stream(Reader& reader, std::string_view stream, std::string_view pieces) {
  Read out;
  size_t start = 0, fed = 0, turn = 0;
  for (;;) {
    std::string_view input = stream.substr(start, fed - start);
    FrameStatus status = reader.next(input);
    if (status == FrameStatus::Implausible) {
      out.refused = true;
      return out;
    }
    if (status == FrameStatus::Ready) {
      if (reader.frame().size == 0 || reader.frame().size > input.size()) std::abort();
      out.sizes.push_back(reader.frame().size);
      out.messages.emplace_back(reader.frame().message);
      start += reader.frame().size;
      continue;
    }
    if (fed == stream.size()) return out;
    size_t piece = pieces.empty() ? 0 : static_cast<uint8_t>(pieces[turn++ % pieces.size()]);
    fed = piece == 0 ? stream.size() : std::min(stream.size(), fed + piece);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace thrift_call::transport;
  if (size < 2) return 0;
  uint8_t how = data[0];
  size_t piece_count = (data[1] & 0x07) + 1;
  if (size < 2 + piece_count) return 0;
  std::string_view pieces(reinterpret_cast<const char*>(data + 2), piece_count);
  std::string_view stream(reinterpret_cast<const char*>(data + 2 + piece_count), size - 2 - piece_count);
  const size_t max_message = 1 << 16;
  if ((how & 0x03) == 3) {
    HttpFrameReader whole(max_message), split(max_message);
    Read a = read_stream(whole, stream, {});
    Read b = read_stream(split, stream, pieces);
    if (!a.refused && !b.refused && a.sizes != b.sizes) std::abort();
    return 0;
  }
  Framing framing = static_cast<Framing>(how & 0x03);
  std::optional<thrift_call::codec::ProtocolKind> protocol;
  if (how & 0x04) protocol = static_cast<thrift_call::codec::ProtocolKind>((how >> 3) % 3);
  FrameReader whole(framing, max_message, protocol, 16), split(framing, max_message, protocol, 16);
  Read a = read_stream(whole, stream, {});
  Read b = read_stream(split, stream, pieces);
  // Frames are where they are, whatever pieces brought them.
  if (a.sizes != b.sizes || a.messages != b.messages || a.refused != b.refused) std::abort();
  return 0;
}
