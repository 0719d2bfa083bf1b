#include "core/transport/connection.h"

#include "base/error.h"
#include "base/hex.h"
#include "core/protocol/ttype.h"
#include "core/transport/framing.h"
#include "core/transport/http.h"
#include "core/transport/input_buffer.h"
#include "core/transport/wire_detect.h"
#include "core/transport/zlib_stream.h"

namespace thrift_call::transport {

std::optional<Framing> parse_framing(std::string_view name) {
  if (name == "buffered") return Framing::Buffered;
  if (name == "framed") return Framing::Framed;
  if (name == "header") return Framing::Header;
  if (name == "framed+header") return Framing::FramedHeader;
  if (name == "zlib") return Framing::Zlib;
  return std::nullopt;
}

const char* to_string(Framing framing) {
  switch (framing) {
    case Framing::Buffered: return "buffered";
    case Framing::Framed: return "framed";
    case Framing::Header: return "header";
    case Framing::FramedHeader:
      return "framed+header";
    case Framing::Zlib:
      return "zlib";
  }
  return "buffered";
}

uint32_t frame_length(std::string_view b) {
  return (uint32_t{static_cast<uint8_t>(b[0])} << 24) | (uint32_t{static_cast<uint8_t>(b[1])} << 16) |
         (uint32_t{static_cast<uint8_t>(b[2])} << 8) | uint32_t{static_cast<uint8_t>(b[3])};
}

std::string frame_message(std::string_view message, Framing framing, const THeaderOptions& theader) {
  switch (framing) {
    case Framing::Header: return theader_frame(message, theader);
    case Framing::FramedHeader:
      return frame_message(theader_frame(message, theader), Framing::Framed);
    case Framing::Framed: {
      uint32_t n = static_cast<uint32_t>(message.size());
      std::string framed{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                         static_cast<char>(n)};
      framed.append(message);
      return framed;
    }
    case Framing::Buffered:
    case Framing::Zlib:
      break;
  }
  return std::string(message);
}

namespace {

// Past this, a buffer is given back once empty.
constexpr size_t kKeepCapacity = 64 * 1024;
// What one read takes at most (Socket::read_some).
constexpr size_t kReadSize = 64 * 1024;

std::string preview(std::string_view bytes) {
  return to_hex(bytes.substr(0, 16)) + (bytes.size() > 16 ? "..." : "");
}

class SocketConnection : public Connection {
 public:
  SocketConnection(Socket socket, const ConnectOptions& options) : socket_(std::move(socket)), options_(options) {
    if (options_.framing == Framing::Zlib) {
      zlib_out_ = std::make_unique<ZlibWriter>();
      zlib_in_ = std::make_unique<ZlibReader>();
    }
  }

  bool peer_closed() const override { return socket_.peer_closed(); }
  void set_deadline(std::optional<Clock::time_point> deadline) override { options_.deadline = deadline; }
  bool reply_within(std::chrono::milliseconds wait) const override {
    return !buffer_.empty() || socket_.readable_within(wait);
  }

  void send(std::string_view message) override {
    flush();
    auto deadline = wait_until(options_, options_.timeout);
    if (options_.framing == Framing::Buffered) {
      trace_bytes("sent", message);
      socket_.write_all(message, deadline);
      return;
    }
    std::string bytes;
    append_framed(message, bytes);
    trace_bytes("sent", bytes);
    socket_.write_all(bytes, deadline);
  }

  void queue(std::string_view message, bool) override {
    size_t before = queued_.size();
    append_framed(message, queued_);
    trace_bytes("queued", std::string_view(queued_).substr(before));
  }

  void flush() override {
    if (queued_.empty()) return;
    std::string out;
    out.swap(queued_);
    trace("sending " + std::to_string(out.size()) + " queued bytes");
    socket_.write_all(out, wait_until(options_, options_.timeout));
  }

  void receive(FunctionRef<size_t(std::string_view)> decode) override {
    flush();  // the reply may be to a call still queued
    auto deadline = wait_until(options_, options_.timeout);
    try {
      receive_message(decode, deadline);
    } catch (const Error& e) {
      if (e.failure() != TransportFailure::TimedOut || !buffer_.empty()) throw;
      // Not one byte back: a server that reads another framing or protocol
      // may still be waiting for the rest of what it thinks the call is.
      throw Error(TransportFailure::TimedOut,
                  e.message() +
                      " (no byte of a reply; a server speaking another framing or protocol can wait like this: "
                      "try --transport " +
                      (options_.framing == Framing::Framed ? "buffered" : "framed") + " or another --protocol)",
                  e.where());
    }
  }

  const std::string& peer() const override { return socket_.peer(); }
  std::string_view unread() const override { return buffer_.view(); }
  void finish_sending() override {
    flush();
    socket_.shutdown_sending();
  }

 private:
  void trace(const std::string& line) {
    if (options_.trace) options_.trace(line);
  }
  // The hex of every message costs a call's time: only with -v.
  void trace_bytes(const char* what, std::string_view bytes) {
    if (options_.trace) options_.trace(std::string(what) + " " + std::to_string(bytes.size()) + " bytes: " + to_hex(bytes));
  }

  // `message` as it goes on the wire: framed, or compressed (Zlib).
  void append_framed(std::string_view message, std::string& out) {
    if (zlib_out_) {
      if (options_.trace) trace_bytes("compressing", message);
      zlib_out_->write(message, out);
    } else if (options_.framing == Framing::Buffered) {
      out.append(message);
    } else {
      out += frame_message(message, options_.framing, options_.theader);
    }
  }

  // Reads what comes next; false if the peer closed first.
  bool read_more(Clock::time_point deadline) {
    if (zlib_in_) return read_compressed(deadline);
    std::string& back = buffer_.back();
    size_t before = back.size();
    // A large reply gets room for the largest message at once: pages are
    // taken only as bytes arrive, and doubling would hold two copies.
    if (before > kKeepCapacity * 16 && back.capacity() < options_.max_message_bytes)
      back.reserve(options_.max_message_bytes + kReadSize);
    if (!socket_.read_some(back, deadline)) return false;
    trace_bytes("received", std::string_view(back).substr(before));
    return true;
  }

  // Under Zlib: what arrives is inflated into buffer_, at most a message's
  // limit past what it holds (a small stream may inflate to gigabytes).
  bool read_compressed(Clock::time_point deadline) {
    if (!zlib_in_->has_pending()) {
      compressed_.clear();
      if (!socket_.read_some(compressed_, deadline)) return false;
      trace_bytes("received", compressed_);
      zlib_in_->feed(compressed_);
    }
    size_t held = buffer_.size();
    size_t room = held < options_.max_message_bytes + kReadSize ? options_.max_message_bytes + kReadSize - held : 0;
    try {
      zlib_in_->inflate_into(buffer_.back(), room);
    } catch (const Error& e) {
      throw Error(ErrorKind::Protocol,
                  e.message() + " (" + e.where() + "): the server may not use zlib (try --transport buffered)", peer());
    }
    return true;
  }

  [[noreturn]] void closed(size_t received, Framing framing) {
    std::string hint = guess_mismatch(buffer_.view(), framing);
    if (received == 0)
      throw Error(TransportFailure::ClosedWithoutReply,
                  "the server closed the connection without replying" +
                      (!hint.empty() ? ": " + hint
                       : framing == Framing::Buffered
                           ? std::string(": it most likely expects framed messages (try --transport framed), "
                                         "another protocol (--protocol compact or json), or TLS (--tls)")
                           : std::string(": it most likely expects unframed messages (try --transport buffered), "
                                         "another protocol (--protocol compact or json), or TLS (--tls)")),
                  peer());
    throw Error(ErrorKind::Transport,
                "the server closed the connection after " + std::to_string(received) +
                    " bytes of the reply" + (hint.empty() ? "" : ": " + hint) + " [" + preview(buffer_.view()) + "]",
                peer());
  }

  // One message, whatever the framing (framing.h): the frame reader says
  // how much is missing; the message is decoded once, when all there.
  void receive_message(FunctionRef<size_t(std::string_view)> decode, Clock::time_point deadline) {
    FrameReader frames(options_.framing, options_.max_message_bytes);
    for (;;) {
      std::string_view input = buffer_.view();
      switch (frames.next(input)) {
        case FrameStatus::Ready: {
          const Frame& frame = frames.frame();
          if (frame.header)
            for (const auto& [k, v] : frame.header->headers) trace("THeader header " + printable(k) + ": " + printable(v));
          framed_protocol_ = frame.header ? std::optional(frame.protocol) : std::nullopt;
          size_t used;
          try {
            used = decode(frame.message);
          } catch (const protocol::InputEnded& e) {
            throw Error(ErrorKind::Protocol, "the frame of " + std::to_string(frame.size - 4) +
                                                 " bytes ends inside the message: " + e.message(), e.where());
          }
          if (used != frame.message.size() && options_.trace)
            trace(std::to_string(frame.message.size() - used) + " bytes after the message in its frame");
          buffer_.consume(frame.size);
          buffer_.release_if_empty(kKeepCapacity);
          return;
        }
        case FrameStatus::Implausible: {
          std::string hint = input.size() > options_.max_message_bytes ? "--max-message raises it"
                                                                       : guess_mismatch(input, options_.framing);
          throw Error(ErrorKind::Protocol,
                      frames.why() + (hint.empty() ? "" : ": " + hint) + " [" + preview(input) + "]", peer());
        }
        case FrameStatus::NeedMore:
          if (!read_more(deadline)) closed(input.size(), options_.framing);
          break;
      }
    }
  }

  Socket socket_;
  ConnectOptions options_;
  InputBuffer buffer_;  // received (inflated, under Zlib), not yet consumed
  std::string queued_;  // framed calls waiting for flush()
  std::unique_ptr<ZlibWriter> zlib_out_;  // Zlib: the stream each way
  std::unique_ptr<ZlibReader> zlib_in_;
  std::string compressed_;  // Zlib: the last bytes read, before inflating
};

}  // namespace

std::string guess_mismatch(std::string_view b, Framing expected) {
  WireGuess reply = detect_wire(b);
  switch (reply.wire) {
    case Wire::Http:
      if (looks_like_http_response(b)) return "this is an HTTP server: use http://HOST:PORT/PATH";
      break;
    case Wire::Header: return "the server answered with THeader framing: try --transport header";
    case Wire::FramedHeader:
      return "the server answered with THeader frames inside frames: try --transport framed+header";
    case Wire::Zlib:
      return "the server answered with a zlib stream (TZlibTransport): try --transport zlib";
    case Wire::Tls:
      if (looks_like_tls_alert(b)) return "the server answered with a TLS alert: try --tls";
      break;
    case Wire::Framed:
      if (expected == Framing::Buffered) return "the reply is framed: try --transport framed";
      break;
    case Wire::Buffered:
      if (expected == Framing::Framed) return "the reply is not framed: try --transport buffered";
      break;
    case Wire::NeedMore:
    case Wire::Unknown: break;
  }
  return "";
}

std::unique_ptr<Connection> connect(const Endpoint& endpoint, const ConnectOptions& options) {
  if (endpoint.kind == EndpointKind::Http) return connect_http(endpoint, options);
  if (options.deadline && Clock::now() >= *options.deadline)
    throw Error(TransportFailure::TimedOut, "timed out before connecting (--timeout)", endpoint.text);
  Socket socket = Socket::connect(endpoint, within_deadline(options, options.connect_timeout));
  if (options.trace) options.trace("connected to " + socket.peer() + " (" + to_string(options.framing) + ")");
  if (options.tls.enabled) {
    std::string name = !options.tls.servername.empty() ? options.tls.servername : endpoint.host;
    socket.start_tls(options.tls.insecure, options.tls.cacert, options.tls.cert, options.tls.key, name,
                     wait_until(options, options.handshake_timeout.value_or(options.connect_timeout)));
    if (options.trace) options.trace("TLS: " + socket.tls_info());
  }
  return std::make_unique<SocketConnection>(std::move(socket), options);
}

}  // namespace thrift_call::transport
