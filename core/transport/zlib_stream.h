// Apache's TZlibTransport: all the bytes of a connection, each way, are one
// zlib stream (with its 2-byte header, 0x78 then 0x01, 0x5e, 0x9c or 0xda),
// flushed (Z_SYNC_FLUSH) after each message so that the peer can read it
// whole; the messages inside are unframed. Not THeader's zlib transform,
// which compresses each payload on its own (theader.h).
//
// zlib itself (zlib1g) does the work; these hold a z_stream each and bound
// what inflating may produce, so that a small stream that inflates to
// gigabytes (a zlib bomb) costs no more than the message limit.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace thrift_call::transport {

// Whether the bytes start a zlib stream (its header: 0x78, then a second
// byte that makes the pair a multiple of 31, as every level writes).
bool looks_like_zlib(std::string_view first_bytes);

class ZlibWriter {
 public:
  ZlibWriter();
  ~ZlibWriter();
  ZlibWriter(const ZlibWriter&) = delete;
  ZlibWriter& operator=(const ZlibWriter&) = delete;

  // Appends to `out` what carries `bytes`, flushed so that the peer can
  // inflate all of it now.
  void write(std::string_view bytes, std::string& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class ZlibReader {
 public:
  ZlibReader();
  ~ZlibReader();
  ZlibReader(const ZlibReader&) = delete;
  ZlibReader& operator=(const ZlibReader&) = delete;

  // Takes compressed bytes as they arrive; nothing is inflated yet.
  void feed(std::string_view compressed);
  // Inflates what was fed onto `out`, at most `room` bytes; the rest waits
  // for the next call. Returns the bytes added. Throws Error (Protocol)
  // naming the offset in the compressed stream when it is not zlib.
  size_t inflate_into(std::string& out, size_t room);
  // Whether the last inflate_into() stopped for want of room, with more
  // to give once there is some (not: for want of input).
  bool has_pending() const;
  // The peer ended its stream (Z_STREAM_END): nothing more follows.
  bool ended() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace thrift_call::transport
