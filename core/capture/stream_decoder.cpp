#include "core/capture/stream_decoder.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "base/error.h"
#include "core/protocol/ttype.h"
#include "core/transport/connection.h"
#include "core/transport/framing.h"
#include "core/transport/http_framing.h"
#include "core/transport/theader.h"
#include "core/transport/wire_detect.h"
#include "core/transport/zlib_stream.h"

namespace thrift_call::capture {

using codec::AnyMessage;
using codec::ProtocolKind;
using protocol::MessageType;

MethodIndex::MethodIndex(const idl::Schema* schema) {
  if (!schema) return;
  for (const auto& program : schema->programs()) {
    for (const auto& service : program->services) {
      for (const idl::Function* fn : service->all_functions()) {
        by_name_[service->name + ":" + fn->name] = fn;
        by_name_[program->name + "." + service->name + ":" + fn->name] = fn;
        auto [it, inserted] = by_name_.emplace(fn->name, fn);
        if (!inserted && it->second != fn) it->second = nullptr;
      }
    }
  }
}

const idl::Function* MethodIndex::find(const std::string& name) const {
  auto found = by_name_.find(name);
  return found == by_name_.end() ? nullptr : found->second;
}

// Outside the anonymous namespace: TrafficDecoder::Stream, which has
// external linkage, holds one.
enum class Mode { Detect, Buffered, Framed, Header, Http };

namespace {

const char* framing_name(Mode mode) {
  switch (mode) {
    case Mode::Buffered: return "buffered";
    case Mode::Framed: return "framed";
    case Mode::Header: return "header";
    case Mode::Http: return "http";
    case Mode::Detect: break;
  }
  return "?";
}

// The protocol of a message at the start of `b`: serve's detection, plus
// the old binary envelope.
std::optional<ProtocolKind> message_protocol(std::string_view b) { return transport::detect_message_protocol(b, true); }

// Where a message could start, when looking for the way back into a stream
// after garbage: a reading of the first bytes sure enough to be a message, a
// frame or THeader frame holding one, or an HTTP request or response line.
bool could_start_message(std::string_view b) {
  if (b.size() < 2) return false;
  transport::WireGuess guess = transport::detect_wire(b);
  switch (guess.wire) {
    case transport::Wire::Buffered:
    case transport::Wire::Framed:
    case transport::Wire::Header:
    case transport::Wire::FramedHeader:
      return guess.score >= transport::kSureStart;
    case transport::Wire::Http: return b.substr(0, 5) == "POST " || b.substr(0, 7) == "HTTP/1.";
    default: return false;
  }
}

}  // namespace

// One direction of a connection.
class TrafficDecoder::Stream {
 public:
  Stream(TrafficDecoder& owner, Connection& connection, Side side) : owner_(owner), connection_(connection), side_(side) {}

  void data(std::string_view bytes, int64_t time);
  void gap(uint64_t missing);
  void finish();

 private:
  // Bytes of the stream as it is read: inflated first under TZlibTransport.
  void plain_data(std::string_view bytes, int64_t time);
  void inflate(std::string_view compressed, int64_t time);
  // Decodes the message `bytes` hold, all of them.
  // `framing`: as the output names it, when not the mode's own name.
  void decode(std::string_view bytes, ProtocolKind kind, const char* framing = nullptr);
  // The next unframed message in `rest`: its size, or 0 while incomplete.
  size_t next_unframed(std::string_view rest, std::optional<ProtocolKind> kind);
  void process();
  bool step();
  void fail(const Error& e, uint64_t at);
  void consume(size_t n);
  uint64_t offset() const { return base_offset_ + start_; }

  TrafficDecoder& owner_;
  Connection& connection_;
  Side side_;
  std::string buffer_;
  size_t start_ = 0;            // bytes of buffer_ already decoded
  uint64_t base_offset_ = 0;    // stream offset of buffer_[0]
  int64_t start_time_ = 0;      // when the byte at start_ was captured
  size_t fresh_from_ = 0;       // buffer_ offset of the bytes of the latest packet
  int64_t fresh_time_ = 0;
  Mode mode_ = Mode::Detect;
  // Where the message being read ends, found as its bytes come.
  std::optional<transport::FrameReader> unframed_;
  std::optional<transport::HttpFrameReader> http_;
  bool resyncing_ = false;
  uint64_t skipped_ = 0;
  uint64_t skipped_from_ = 0;
  // TZlibTransport: from its zlib header on, the stream is inflated before
  // it is read; buffer_ and the offsets then hold and count inflated bytes.
  std::unique_ptr<transport::ZlibReader> zlib_;
  std::string zlib_start_;  // the compressed bytes found at the switch, inflated after it
  bool zlib_broken_ = false;
};

class TrafficDecoder::Connection : public ConnectionHandler {
 public:
  Connection(TrafficDecoder& owner, ConnectionInfo info, bool side_known)
      : owner_(owner), info_(std::move(info)), side_known_(side_known),
        streams_{Stream(owner, *this, Side::Client), Stream(owner, *this, Side::Server)} {
    codec::JsonText(info_.quoted_name).string(info_.name);
  }

  void data(Side from, std::string_view bytes, int64_t time) override { stream(from).data(bytes, time); }
  void gap(Side from, uint64_t missing, int64_t) override { stream(from).gap(missing); }
  void closed(int64_t) override {
    streams_[0].finish();
    streams_[1].finish();
    owner_.output_.connection_closed(info_);
  }

  Stream& stream(Side side) { return streams_[side == Side::Client ? 0 : 1]; }

  // The function a message names. A reply to a multiplexed call carries
  // the bare method name: the call it answers says which service's.
  const idl::Function* resolve(const protocol::MessageHeader& header) {
    bool is_call = header.type == MessageType::Call || header.type == MessageType::Oneway;
    if (!is_call) {
      for (auto it = recent_calls_.rbegin(); it != recent_calls_.rend(); ++it)
        if (it->first == header.seqid && it->second && it->second->name == header.name) return it->second;
    }
    return owner_.index_.find(header.name);
  }

  // A call decoded whole, which a reply may name bare. Only then: a call
  // read again while its bytes come must not fill the list with itself.
  void record_call(int32_t seqid, const idl::Function* fn) {
    if (recent_calls_.size() >= 256) recent_calls_.pop_front();
    recent_calls_.emplace_back(seqid, fn);
  }

  void emit(Side from, int64_t time, const char* framing, ProtocolKind kind, const AnyMessage& message) {
    MessageRecord record;
    record.connection = &info_;
    record.from = from;
    record.side_known = side_known_;
    record.time_us = time;
    record.framing = framing;
    record.protocol = kind;
    record.message = &message;
    owner_.output_.message(record);
  }

  void warn(Side from, uint64_t at, const std::string& what) {
    owner_.warn_(info_.name + (side_known_ ? (from == Side::Client ? " (client)" : " (server)") : "") + ": byte " +
                 std::to_string(at) + ": " + what);
  }

 private:
  TrafficDecoder& owner_;
  ConnectionInfo info_;
  bool side_known_;
  Stream streams_[2];
  std::deque<std::pair<int32_t, const idl::Function*>> recent_calls_;
};

void TrafficDecoder::Stream::data(std::string_view bytes, int64_t time) {
  if (zlib_) {
    inflate(bytes, time);
    return;
  }
  plain_data(bytes, time);
  if (zlib_ && !zlib_start_.empty()) {  // the stream turned out to be zlib
    std::string compressed;
    compressed.swap(zlib_start_);
    inflate(compressed, time);
  }
}

void TrafficDecoder::Stream::inflate(std::string_view compressed, int64_t time) {
  if (zlib_broken_) return;
  zlib_->feed(compressed);
  std::string inflated;
  do {
    inflated.clear();
    try {
      // A message at a time at most: what is read is decoded and dropped
      // before more is inflated (a small stream may inflate to gigabytes).
      zlib_->inflate_into(inflated, owner_.options_.max_message);
    } catch (const Error& e) {
      connection_.warn(side_, offset(), e.message() + " (" + e.where() + "); the rest of this direction is not read");
      zlib_broken_ = true;
      return;
    }
    if (!inflated.empty()) plain_data(inflated, time);
  } while (zlib_->has_pending());
}

void TrafficDecoder::Stream::plain_data(std::string_view bytes, int64_t time) {
  if (start_ == buffer_.size()) {
    base_offset_ += buffer_.size();
    buffer_.clear();
    start_ = 0;
    start_time_ = time;
  } else if (start_ > (size_t{1} << 16) && start_ * 2 > buffer_.size()) {
    buffer_.erase(0, start_);
    base_offset_ += start_;
    start_ = 0;
  }
  fresh_from_ = buffer_.size();
  fresh_time_ = time;
  buffer_.append(bytes);
  process();
}

void TrafficDecoder::Stream::consume(size_t n) {
  start_ += n;
  // The next message started in the latest packet, or in the one before.
  if (start_ >= fresh_from_) start_time_ = fresh_time_;
  if (start_ == buffer_.size()) {
    base_offset_ += buffer_.size();
    buffer_.clear();
    start_ = 0;
    fresh_from_ = 0;
  }
}

void TrafficDecoder::Stream::gap(uint64_t missing) {
  size_t partial = buffer_.size() - start_;
  connection_.warn(side_, base_offset_ + buffer_.size(),
                   std::to_string(missing) + " bytes were not captured" +
                       (partial ? "; the " + std::to_string(partial) + " bytes of the message they cut are dropped"
                                : std::string()));
  base_offset_ += buffer_.size() + missing;
  buffer_.clear();
  start_ = 0;
  fresh_from_ = 0;
  unframed_.reset();
  http_.reset();
  if (mode_ != Mode::Detect) {
    resyncing_ = true;
    skipped_ = 0;
    skipped_from_ = base_offset_;
    mode_ = Mode::Detect;
  }
}

void TrafficDecoder::Stream::finish() {
  size_t left = buffer_.size() - start_;
  if (mode_ == Mode::Http && http_ && left > 0) {
    // An HTTP/1.0 body that ends with the connection.
    try {
      if (http_->finish(std::string_view(buffer_).substr(start_)) == transport::FrameStatus::Ready) {
        decode(http_->frame().message, http_->frame().protocol);
        left = 0;
      }
    } catch (const Error&) {
    }
  }
  unframed_.reset();
  http_.reset();
  if (resyncing_ && skipped_ + left > 0) {
    connection_.warn(side_, skipped_from_, "no message found in the last " + std::to_string(skipped_ + left) + " bytes");
  } else if (left > 0) {
    connection_.warn(side_, offset(), "the stream ends inside a message (" + std::to_string(left) + " bytes)");
  }
  buffer_.clear();
  start_ = 0;
}

size_t TrafficDecoder::Stream::next_unframed(std::string_view rest, std::optional<ProtocolKind> kind) {
  if (!unframed_) unframed_.emplace(transport::Framing::Buffered, owner_.options_.max_message, kind,
                                    owner_.options_.decode.limits.max_depth);
  switch (unframed_->next(rest)) {
    case transport::FrameStatus::NeedMore: return 0;
    case transport::FrameStatus::Implausible: {
      std::string why = unframed_->why();
      unframed_.reset();
      if (rest.size() > owner_.options_.max_message)
        why = "a message longer than --max-message (" + std::to_string(owner_.options_.max_message) + " bytes)";
      throw Error(ErrorKind::Protocol, why);
    }
    case transport::FrameStatus::Ready: break;
  }
  const transport::Frame& frame = unframed_->frame();
  size_t size = frame.size;
  decode(frame.message, frame.protocol);
  unframed_.reset();
  return size;
}

void TrafficDecoder::Stream::decode(std::string_view bytes, ProtocolKind kind, const char* framing) {
  AnyMessage& m = owner_.scratch_;
  codec::decode_any_message(kind, bytes, [this](const protocol::MessageHeader& h) { return connection_.resolve(h); },
                            owner_.options_.decode, m);
  if (resyncing_) {
    // An envelope with no method name is what zeros after a stray 0x80 0x01
    // look like: not taken as the way back into the stream.
    if (m.header.name.empty()) throw Error(ErrorKind::Protocol, "a message without a method name");
    if (skipped_ > 0)
      connection_.warn(side_, skipped_from_,
                       "skipped " + std::to_string(skipped_) + " bytes that are not Thrift, up to byte " +
                           std::to_string(offset()));
    resyncing_ = false;
    skipped_ = 0;
  }
  if (m.header.type == MessageType::Call) connection_.record_call(m.header.seqid, m.fn);
  connection_.emit(side_, start_time_, framing ? framing : zlib_ ? "zlib" : framing_name(mode_), kind, m);
}

void TrafficDecoder::Stream::fail(const Error& e, uint64_t at) {
  if (!resyncing_) {
    connection_.warn(side_, at, e.message() + (e.where().empty() ? "" : " (" + e.where() + " of the message)"));
    resyncing_ = true;
    skipped_ = 0;
    skipped_from_ = offset();
  }
  // Look for the next place a message could start.
  std::string_view rest = std::string_view(buffer_).substr(start_);
  size_t next = 1;
  while (next < rest.size() && !could_start_message(rest.substr(next))) ++next;
  // Keep a short tail: a message start may be cut across packets.
  if (next >= rest.size() && rest.size() > 8) next = rest.size() - 7;
  if (next > rest.size()) next = rest.size();
  skipped_ += next;
  consume(next);
  mode_ = Mode::Detect;
  unframed_.reset();
  http_.reset();
}

void TrafficDecoder::Stream::process() {
  for (;;) {
    if (start_ >= buffer_.size()) return;
    uint64_t at = offset();
    try {
      if (!step()) return;
    } catch (const Error& e) {
      size_t before = start_;
      fail(e, at);
      if (start_ == before) return;  // only a short tail left: wait for more
    }
  }
}

// One decoding step; false when more bytes are needed.
bool TrafficDecoder::Stream::step() {
  std::string_view rest = std::string_view(buffer_).substr(start_);
  const size_t max = owner_.options_.max_message;
  switch (mode_) {
    case Mode::Detect: {
      if (resyncing_ && !could_start_message(rest)) {
        if (rest.size() < 8) return false;
        throw Error(ErrorKind::Protocol, "not Thrift");
      }
      transport::WireGuess guess = transport::detect_wire(rest);
      switch (guess.wire) {
        case transport::Wire::NeedMore: return false;
        case transport::Wire::Buffered: mode_ = Mode::Buffered; break;
        case transport::Wire::Framed:
        case transport::Wire::FramedHeader:
          mode_ = Mode::Framed;
          break;
        case transport::Wire::Header: mode_ = Mode::Header; break;
        case transport::Wire::Http: mode_ = Mode::Http; break;
        case transport::Wire::Zlib:
          // Only a direction's first bytes: inflating needs the stream from its start.
          if (zlib_ || offset() != 0) throw Error(ErrorKind::Protocol, "a zlib header where a stream cannot start one");
          // The rest is inflated once this pass over buffer_ ends (data()).
          zlib_ = std::make_unique<transport::ZlibReader>();
          zlib_start_.assign(rest);
          consume(rest.size());
          base_offset_ = 0;
          return false;
        default:
          if (rest.size() >= 6 && (transport::detect_message_protocol(rest.substr(4)) || transport::is_theader_frame(rest)))
            throw Error(ErrorKind::Protocol, "frame length " + std::to_string(transport::frame_length(rest)) +
                                                 " is over --max-message (" + std::to_string(max) + ")");
          throw Error(ErrorKind::Protocol, "not a Thrift message, frame or HTTP exchange");
      }
      return true;
    }
    case Mode::Buffered: {
      std::optional<ProtocolKind> kind;
      if (!unframed_ || !unframed_->mid_message()) {
        kind = message_protocol(rest);
        if (!kind) {
          mode_ = Mode::Detect;  // the next message may be framed differently
          return true;
        }
      }
      size_t n = next_unframed(rest, kind);
      if (n == 0) return false;
      consume(n);
      return true;
    }
    case Mode::Framed:
    case Mode::Header: {
      // Before waiting for a whole frame: is this one?
      if (rest.size() >= 6 && rest.size() < size_t{4} + transport::frame_length(rest) &&
          transport::detect_wire(rest).wire == transport::Wire::Unknown)
        throw Error(ErrorKind::Protocol, "not a Thrift frame");
      // A stream may change from framed to THeader: each frame says.
      bool header = transport::is_theader_frame(rest);
      transport::FrameReader frames(header ? transport::Framing::Header : transport::Framing::Framed, max);
      switch (frames.next(rest)) {
        case transport::FrameStatus::NeedMore: return false;
        case transport::FrameStatus::Implausible: throw Error(ErrorKind::Protocol, frames.why());
        case transport::FrameStatus::Ready: break;
      }
      mode_ = header ? Mode::Header : Mode::Framed;
      const transport::Frame& frame = frames.frame();
      // An empty THeader frame is what a C++ THeader server sends after a oneway call.
      if (!frame.message.empty())
        decode(frame.message, frame.protocol, frame.header && !header ? "framed+header" : nullptr);
      consume(frame.size);
      return true;
    }
    case Mode::Http: {
      if (!http_) http_.emplace(max);
      switch (http_->next(rest)) {
        case transport::FrameStatus::NeedMore: return false;
        case transport::FrameStatus::Implausible: {
          std::string why = http_->why();
          http_.reset();
          throw Error(ErrorKind::Protocol, why);
        }
        case transport::FrameStatus::Ready: break;
      }
      const transport::Frame& frame = http_->frame();
      if (!frame.message.empty()) decode(frame.message, frame.protocol, frame.header ? "http+header" : nullptr);
      consume(frame.size);
      return true;
    }
  }
  return false;
}

TrafficDecoder::TrafficDecoder(const idl::Schema* schema, DecoderOptions options, FILE* out, Warn warn)
    : index_(schema),
      options_(options),
      warn_(std::move(warn)),
      output_(options.output, out),
      reassembler_(
          options.reassembly,
          [this](const ConnectionInfo& info) { return std::make_unique<Connection>(*this, info, true); },
          [this](const std::string& w) { warn_(w); }) {}

TrafficDecoder::~TrafficDecoder() = default;

void TrafficDecoder::packet(const Packet& packet) { reassembler_.packet(packet); }

void TrafficDecoder::byte_stream(const std::string& name, std::string_view bytes) {
  ConnectionInfo info;
  info.id = 0;
  info.name = name;
  Connection connection(*this, info, false);
  connection.data(Side::Client, bytes, 0);
  connection.closed(0);
}

void TrafficDecoder::finish() {
  reassembler_.finish();
  output_.finish();
}

bool starts_as_messages(std::string_view bytes) {
  transport::WireGuess guess = transport::detect_wire(bytes);
  return guess.wire == transport::Wire::Buffered || guess.wire == transport::Wire::Framed ||
         guess.wire == transport::Wire::Header || guess.wire == transport::Wire::FramedHeader ||
         (guess.wire == transport::Wire::Http && (bytes.substr(0, 5) == "POST " || bytes.substr(0, 5) == "HTTP/"));
}

}  // namespace thrift_call::capture
