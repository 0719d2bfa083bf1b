// FrameReader: Thrift messages taken one at a time off a byte stream, in
// one framing, whatever pieces the bytes arrive in. The client's
// connection, serve's connections and decode's streams all read with it.
//
//   Buffered  the end of a message shows only by reading it: the protocol's
//             own readers skip it (ResumableSkip; brackets for JSON),
//             resuming where the last piece ended, never from byte 0.
//   Framed    a 4-byte big-endian length, then the message.
//   Header    a frame whose body is THeader (theader.h): headers, then the
//             message (inflated when zlib).
//   FramedHeader  a frame holding a THeader frame, as Framed reads it too.
//
// Fed the stream from where the last message ended, it says: more bytes are
// needed, a frame is there (its size, the message in it), or the bytes
// cannot be this framing, and why. Nothing is allocated on a claimed size
// before the bytes arrive.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/codec/codec.h"
#include "core/protocol/binary.h"
#include "core/protocol/compact.h"
#include "core/protocol/json_message_end.h"
#include "core/protocol/resumable_skip.h"
#include "core/transport/connection.h"
#include "core/transport/theader.h"

namespace thrift_call::transport {

enum class FrameStatus { NeedMore, Ready, Implausible };

struct Frame {
  size_t size = 0;           // bytes of the stream it takes, framing included
  std::string_view message;  // into the input, or into header->payload; empty: a THeader frame without one
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;
  const THeaderReply* header = nullptr;  // a THeader frame's protocol id, zlib flag and headers
};

class FrameReader {
 public:
  // `protocol`: what the messages are in; nullopt: told by each message's
  // first byte (THeader says its own). `max_depth` bounds the nesting a
  // skipped unframed message may have.
  FrameReader(Framing framing, size_t max_message, std::optional<codec::ProtocolKind> protocol = std::nullopt,
              int max_depth = 64);

  // `input`: the stream from where the last frame ended; between calls it
  // may only grow (the same first bytes). After Ready, the next call starts
  // a new message: the caller drops frame().size bytes first.
  FrameStatus next(std::string_view input);

  // `bytes` must be exactly one frame (an HTTP body holding a THeader
  // frame): Ready, or Implausible when it is cut short or more follows.
  FrameStatus next_whole(std::string_view bytes);

  const Frame& frame() const { return frame_; }     // after Ready, until the next call
  const std::string& why() const { return why_; }   // after Implausible
  // After NeedMore: bytes still missing, when the framing says (a frame's
  // length); 1 when only reading on can tell (an unframed message).
  size_t needed() const { return needed_; }
  // Bytes of the current message read and accounted for: how far an
  // unframed message is known to be well-formed.
  size_t progress() const;
  // Whether the next call continues a message (an unframed one, part read).
  bool mid_message() const { return !fresh_; }

 private:
  using Skipper = std::variant<std::monostate, protocol::ResumableSkip<protocol::BinaryReader>,
                               protocol::ResumableSkip<protocol::CompactReader>, protocol::JsonMessageEnd>;

  FrameStatus next_unframed(std::string_view input);
  // `theader`: the frame is a THeader frame (else a message, or a THeader
  // frame inside a frame).
  FrameStatus next_frame(std::string_view input, bool theader);
  FrameStatus need(size_t n);
  FrameStatus implausible(std::string why);
  FrameStatus ready(size_t size, std::string_view message, codec::ProtocolKind protocol, bool theader = false);
  // `body`: a THeader frame's, after its length.
  FrameStatus theader_ready(size_t size, std::string_view body);

  Framing framing_;
  size_t max_message_;
  std::optional<codec::ProtocolKind> protocol_;
  protocol::ReadLimits limits_;
  Skipper skipper_;
  codec::ProtocolKind skipping_ = codec::ProtocolKind::Binary;
  bool fresh_ = true;  // the next call starts a message
  Frame frame_;
  THeaderReply header_;
  std::string why_;
  size_t needed_ = 0;
};

}  // namespace thrift_call::transport
