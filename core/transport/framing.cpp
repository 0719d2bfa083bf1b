#include "core/transport/framing.h"

#include "base/hex.h"
#include "core/transport/wire_detect.h"
#include "base/error.h"

namespace thrift_call::transport {

using codec::ProtocolKind;

namespace {

// An unframed message's protocol from its first byte: what serve detects,
// plus the old (non-strict) binary envelope, which starts with the high
// byte of its name's length.
std::optional<ProtocolKind> unframed_protocol(std::string_view bytes) {
  if (auto kind = detect_message_protocol(bytes)) return kind;
  if (!bytes.empty() && bytes[0] == 0) return ProtocolKind::Binary;
  return std::nullopt;
}

std::string first_byte_text(std::string_view bytes) { return "0x" + to_hex(bytes.substr(0, 1)); }

}  // namespace

FrameReader::FrameReader(Framing framing, size_t max_message, std::optional<ProtocolKind> protocol, int max_depth)
    : framing_(framing), max_message_(max_message), protocol_(protocol) {
  limits_.max_depth = max_depth;
  if (limits_.string_limit > static_cast<int64_t>(max_message)) limits_.string_limit = static_cast<int64_t>(max_message);
}

size_t FrameReader::progress() const {
  return std::visit(
      [](const auto& skipper) -> size_t {
        if constexpr (std::is_same_v<std::decay_t<decltype(skipper)>, std::monostate>) return 0;
        else return skipper.committed();
      },
      skipper_);
}

FrameStatus FrameReader::need(size_t n) {
  needed_ = n;
  return FrameStatus::NeedMore;
}

FrameStatus FrameReader::implausible(std::string why) {
  why_ = std::move(why);
  fresh_ = true;
  skipper_ = std::monostate{};
  return FrameStatus::Implausible;
}

FrameStatus FrameReader::ready(size_t size, std::string_view message, ProtocolKind protocol, bool theader) {
  frame_.size = size;
  frame_.message = message;
  frame_.protocol = protocol;
  frame_.header = theader ? &header_ : nullptr;
  fresh_ = true;
  skipper_ = std::monostate{};
  return FrameStatus::Ready;
}

FrameStatus FrameReader::next(std::string_view input) {
  // Under Zlib the messages are unframed (in the inflated stream).
  bool unframed = framing_ == Framing::Buffered || framing_ == Framing::Zlib;
  if (input.empty()) return need(unframed ? 1 : 4);
  if (framing_ == Framing::Zlib && fresh_ && static_cast<uint8_t>(input[0]) < 0x80) {
    // THeaderProtocol over TZlibTransport (TestServer.py --protocol header
    // --transport zlib) puts THeader frames in the inflated stream. A first
    // byte below 0x80 could also start an old binary or a JSON message,
    // both longer than 6 bytes: the magic at bytes 4 and 5 tells.
    if (input.size() < 6) return need(6 - input.size());
    if (is_theader_frame(input)) return next_frame(input, true);
  }
  return unframed ? next_unframed(input) : next_frame(input, framing_ == Framing::Header);
}

FrameStatus FrameReader::theader_ready(size_t size, std::string_view body) {
  try {
    header_ = parse_theader(body, max_message_);
  } catch (const Error& e) {
    return implausible("a bad THeader frame: " + e.message() + (e.where().empty() ? "" : " (" + e.where() + ")"));
  }
  if (header_.payload.empty()) return ready(size, {}, ProtocolKind::Binary, true);
  std::optional<ProtocolKind> kind = theader_protocol(header_.protocol_id);
  if (!kind)
    return implausible("THeader protocol id " + std::to_string(header_.protocol_id) +
                       " is neither binary (0) nor compact (2)");
  return ready(size, header_.payload, *kind, true);
}

FrameStatus FrameReader::next_whole(std::string_view bytes) {
  switch (next(bytes)) {
    case FrameStatus::Ready:
      if (frame_.size == bytes.size()) return FrameStatus::Ready;
      return implausible(std::to_string(bytes.size() - frame_.size) + " bytes follow the frame of " +
                         std::to_string(frame_.size) + " bytes (byte " + std::to_string(frame_.size) + ")");
    case FrameStatus::NeedMore:
      return implausible("it ends inside its frame, " + std::to_string(needed_) + " bytes short (byte " +
                         std::to_string(bytes.size()) + ")");
    case FrameStatus::Implausible:
      break;
  }
  return FrameStatus::Implausible;
}

FrameStatus FrameReader::next_unframed(std::string_view input) {
  if (fresh_) {
    // 0x80 alone is binary only if 0x01 follows: decided on one byte, a
    // message that arrived in pieces was read otherwise than the same bytes
    // whole (found by tests/fuzz/framing_fuzz.cpp).
    if (!protocol_ && input.size() < 2 && static_cast<uint8_t>(input[0]) == protocol::binary::kFirstByte) return need(1);
    std::optional<ProtocolKind> kind = protocol_ ? protocol_ : unframed_protocol(input);
    if (!kind) return implausible("not the start of a binary, compact or JSON message: " + first_byte_text(input) + " (byte 0)");
    skipping_ = *kind;
    switch (*kind) {
      case ProtocolKind::Binary: skipper_.emplace<protocol::ResumableSkip<protocol::BinaryReader>>(limits_); break;
      case ProtocolKind::Compact: skipper_.emplace<protocol::ResumableSkip<protocol::CompactReader>>(limits_); break;
      case ProtocolKind::Json: skipper_.emplace<protocol::JsonMessageEnd>(limits_); break;
    }
    fresh_ = false;
  }
  std::optional<size_t> end;
  try {
    end = std::visit(
        [&](auto& skipper) -> std::optional<size_t> {
          if constexpr (std::is_same_v<std::decay_t<decltype(skipper)>, std::monostate>) return std::nullopt;
          else return skipper.feed(input);
        },
        skipper_);
  } catch (const Error& e) {
    return implausible(e.message() + (e.where().empty() ? "" : " (" + e.where() + ")"));
  }
  if (!end) {
    if (input.size() > max_message_)
      return implausible("the message is longer than the limit of " + std::to_string(max_message_) + " bytes");
    return need(1);
  }
  if (*end > max_message_)
    return implausible("the message is longer than the limit of " + std::to_string(max_message_) + " bytes");
  return ready(*end, input.substr(0, *end), skipping_);
}

FrameStatus FrameReader::next_frame(std::string_view input, bool theader) {
  if (input.size() < 4) return need(4 - input.size());
  uint32_t length = frame_length(input);
  if (length == 0 || length > max_message_)
    return implausible("frame size " + std::to_string(length) + " is not plausible (limit " +
                       std::to_string(max_message_) + ")");
  if (input.size() < size_t{4} + length) return need(size_t{4} + length - input.size());
  std::string_view body = input.substr(4, length);
  size_t size = size_t{4} + length;
  if (theader) return theader_ready(size, body);
  // Framed or FramedHeader: a frame that holds one whole THeader frame is
  // Apache's THeaderTransport over TFramedTransport (TestServer.py's
  // --protocol header --transport framed). No message starts like one.
  if (is_theader_frame(body) && frame_length(body) == body.size() - 4) return theader_ready(size, body.substr(4));
  std::optional<ProtocolKind> kind = protocol_ ? protocol_ : unframed_protocol(body);
  if (!kind) return implausible("the frame holds no binary, compact or JSON message: " + first_byte_text(body) + " (byte 4)");
  return ready(size, body, *kind);
}

}  // namespace thrift_call::transport
