#include "core/transport/zlib_stream.h"

#include <zlib.h>

#include <algorithm>

#include "base/error.h"

namespace thrift_call::transport {

namespace {

// What one inflate() or deflate() call writes into at most.
constexpr size_t kChunk = 64 * 1024;

}  // namespace

bool looks_like_zlib(std::string_view b) {
  if (b.size() < 2 || static_cast<uint8_t>(b[0]) != 0x78) return false;
  return (0x78 * 256 + static_cast<uint8_t>(b[1])) % 31 == 0;
}

struct ZlibWriter::State {
  z_stream z{};
  ~State() { deflateEnd(&z); }
};

ZlibWriter::ZlibWriter() : state_(std::make_unique<State>()) {
  if (deflateInit(&state_->z, Z_DEFAULT_COMPRESSION) != Z_OK)
    throw Error(ErrorKind::Transport, "zlib could not start compressing");
}

ZlibWriter::~ZlibWriter() = default;

void ZlibWriter::write(std::string_view bytes, std::string& out) {
  z_stream& z = state_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  // Z_SYNC_FLUSH: everything given so far comes out, ending on a byte
  // boundary, as Apache's TZlibTransport flushes after each message.
  do {
    size_t before = out.size();
    out.resize(before + kChunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    z.avail_out = static_cast<uInt>(kChunk);
    int rc = deflate(&z, Z_SYNC_FLUSH);
    out.resize(before + kChunk - z.avail_out);
    if (rc != Z_OK && rc != Z_BUF_ERROR) throw Error(ErrorKind::Transport, "zlib could not compress");
  } while (z.avail_out == 0);
}

struct ZlibReader::State {
  z_stream z{};
  std::string pending;    // fed, not yet given to inflate()
  size_t pending_at = 0;  // where inflate() goes on in `pending`
  uint64_t consumed = 0;  // compressed bytes inflated so far, for error offsets
  bool ended = false;
  bool wants_room = false;
  ~State() { inflateEnd(&z); }
};

ZlibReader::ZlibReader() : state_(std::make_unique<State>()) {
  if (inflateInit(&state_->z) != Z_OK) throw Error(ErrorKind::Transport, "zlib could not start inflating");
}

ZlibReader::~ZlibReader() = default;

void ZlibReader::feed(std::string_view compressed) {
  State& s = *state_;
  if (s.pending_at == s.pending.size()) {
    s.pending.clear();
    s.pending_at = 0;
  }
  s.pending.append(compressed);
}

size_t ZlibReader::inflate_into(std::string& out, size_t room) {
  State& s = *state_;
  z_stream& z = s.z;
  size_t added = 0;
  s.wants_room = false;
  // A call that filled its chunk may have left output inside zlib.
  bool full = false;
  while ((s.pending_at < s.pending.size() || full) && !s.ended) {
    if (added == room) {
      s.wants_room = true;
      break;
    }
    size_t chunk = std::min(kChunk, room - added);
    size_t before = out.size();
    out.resize(before + chunk);
    z.next_in = reinterpret_cast<Bytef*>(s.pending.data() + s.pending_at);
    z.avail_in = static_cast<uInt>(s.pending.size() - s.pending_at);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    z.avail_out = static_cast<uInt>(chunk);
    int rc = inflate(&z, Z_SYNC_FLUSH);
    size_t used = s.pending.size() - s.pending_at - z.avail_in;
    size_t made = chunk - z.avail_out;
    out.resize(before + made);
    s.pending_at += used;
    s.consumed += used;
    added += made;
    full = z.avail_out == 0;
    if (rc == Z_STREAM_END) {
      s.ended = true;
      break;
    }
    if (rc == Z_BUF_ERROR || (used == 0 && made == 0)) break;  // needs more input
    if (rc != Z_OK)
      throw Error(ErrorKind::Protocol, std::string("the zlib stream is corrupt: ") + (z.msg ? z.msg : "inflate failed"),
                  "byte " + std::to_string(s.consumed) + " of the compressed stream");
  }
  return added;
}

bool ZlibReader::has_pending() const { return state_->wants_room; }

bool ZlibReader::ended() const { return state_->ended; }

}  // namespace thrift_call::transport
