#include "core/transport/connection.h"

#include "core/hex.h"
#include "core/transport/errors.h"
#include "core/transport/http.h"
#include "core/protocol/ttype.h"
#include "idl/error.h"

namespace thrift_call::transport {

std::optional<Framing> parse_framing(std::string_view name) {
  if (name == "buffered") return Framing::Buffered;
  if (name == "framed") return Framing::Framed;
  if (name == "header") return Framing::Header;
  return std::nullopt;
}

const char* to_string(Framing framing) {
  switch (framing) {
    case Framing::Buffered: return "buffered";
    case Framing::Framed: return "framed";
    case Framing::Header: return "header";
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
    case Framing::Framed: {
      uint32_t n = static_cast<uint32_t>(message.size());
      std::string framed{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                         static_cast<char>(n)};
      framed.append(message);
      return framed;
    }
    case Framing::Buffered: break;
  }
  return std::string(message);
}

namespace {

std::string preview(std::string_view bytes) {
  return to_hex(bytes.substr(0, 16)) + (bytes.size() > 16 ? "..." : "");
}

class SocketConnection : public Connection {
 public:
  SocketConnection(Socket socket, const ConnectOptions& options) : socket_(std::move(socket)), options_(options) {}

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
    std::string frame = frame_message(message, options_.framing, options_.theader);
    trace_bytes("sent", frame);
    socket_.write_all(frame, deadline);
  }

  void queue(std::string_view message, bool) override {
    size_t before = queued_.size();
    if (options_.framing == Framing::Buffered) {
      queued_.append(message);
    } else {
      queued_ += frame_message(message, options_.framing, options_.theader);
    }
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
      if (options_.framing != Framing::Buffered) {
        receive_frame(decode, deadline);
      } else {
        receive_stream(decode, deadline);
      }
    } catch (const TimedOut& e) {
      if (!buffer_.empty()) throw;
      // Not one byte back: a server that reads another framing or protocol
      // may still be waiting for the rest of what it thinks the call is.
      throw TimedOut(e.message() +
                         " (no byte of a reply; a server speaking another framing or protocol can wait like this: "
                         "try --transport " +
                         (options_.framing == Framing::Framed ? "buffered" : "framed") + " or another --protocol)",
                     e.where());
    }
  }

  const std::string& peer() const override { return socket_.peer(); }
  std::string_view unread() const override { return buffer_; }
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

  // Reads until `buffer_` holds at least `n` bytes; false if the peer closed first.
  bool fill(size_t n, Clock::time_point deadline) {
    while (buffer_.size() < n) {
      size_t before = buffer_.size();
      if (!socket_.read_some(buffer_, deadline)) return false;
      trace_bytes("received", std::string_view(buffer_).substr(before));
    }
    return true;
  }

  [[noreturn]] void closed(size_t received, Framing framing) {
    std::string hint = guess_mismatch(buffer_, framing);
    if (received == 0)
      throw ClosedWithoutReply(
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
                    " bytes of the reply" + (hint.empty() ? "" : ": " + hint) + " [" + preview(buffer_) + "]",
                peer());
  }

  void receive_frame(FunctionRef<size_t(std::string_view)> decode, Clock::time_point deadline) {
    if (!fill(4, deadline)) closed(buffer_.size(), options_.framing);
    uint32_t size = frame_length(buffer_);
    if (size > options_.max_message_bytes || size == 0) {
      std::string hint = guess_mismatch(buffer_, options_.framing);
      throw Error(ErrorKind::Protocol,
                  "frame size " + std::to_string(size) + " is not plausible (limit " +
                      std::to_string(options_.max_message_bytes) + ")" + (hint.empty() ? "" : ": " + hint) + " [" +
                      preview(buffer_) + "]",
                  peer());
    }
    if (!fill(4 + size, deadline)) closed(buffer_.size(), options_.framing);
    std::string_view frame = std::string_view(buffer_).substr(4, size);
    THeaderReply header;
    if (options_.framing == Framing::Header) {
      header = parse_theader(frame, options_.max_message_bytes);
      for (const auto& [k, v] : header.headers) trace("THeader header " + printable(k) + ": " + printable(v));
      frame = header.payload;
    }
    size_t used;
    try {
      used = decode(frame);
    } catch (const protocol::InputEnded& e) {
      throw Error(ErrorKind::Protocol, "the frame of " + std::to_string(size) + " bytes ends inside the message: " +
                                           e.message(), e.where());
    }
    if (used != frame.size() && options_.trace) trace(std::to_string(frame.size() - used) + " bytes after the message in its frame");
    buffer_.erase(0, 4 + size);
  }

  void receive_stream(FunctionRef<size_t(std::string_view)> decode, Clock::time_point deadline) {
    for (;;) {
      if (!buffer_.empty()) {
        try {
          size_t used = decode(buffer_);
          buffer_.erase(0, used);
          return;
        } catch (const protocol::InputEnded&) {
          // Not all there yet: read on.
        } catch (const Error& e) {
          std::string hint = guess_mismatch(buffer_, Framing::Buffered);
          if (hint.empty()) throw;
          throw Error(e.kind(), e.message() + ": " + hint, e.where());
        }
      }
      if (buffer_.size() > options_.max_message_bytes)
        throw Error(ErrorKind::Protocol,
                    "the reply is larger than the limit of " + std::to_string(options_.max_message_bytes) + " bytes",
                    peer());
      size_t before = buffer_.size();
      if (!fill(before + 1, deadline)) closed(before, Framing::Buffered);
    }
  }

  Socket socket_;
  ConnectOptions options_;
  std::string buffer_;  // received, not yet consumed
  std::string queued_;  // framed calls waiting for flush()
};

}  // namespace

bool looks_like_http_response(std::string_view b) {
  // An HTTP server answers a request line it cannot read with a status line,
  // or (Python's, taking it for HTTP/0.9) with the bare HTML of an error page.
  for (std::string_view http : {"HTTP/1.", "<!DOCTYPE", "<!doctype", "<html", "<HTML", "<head", "<HEAD"}) {
    if (b.substr(0, http.size()) == http) return true;
  }
  return false;
}

bool looks_like_tls_alert(std::string_view b) {
  return b.size() >= 3 && static_cast<uint8_t>(b[0]) == 0x15 && b[1] == 0x03;
}

std::string guess_mismatch(std::string_view b, Framing expected) {
  if (looks_like_http_response(b)) return "this is an HTTP server: use http://HOST:PORT/PATH";
  if (b.size() >= 6 && static_cast<uint8_t>(b[4]) == 0x0f && static_cast<uint8_t>(b[5]) == 0xff)
    return "the server answered with THeader framing: try --transport header";
  if (looks_like_tls_alert(b)) return "the server answered with a TLS alert: try --tls";
  if (expected == Framing::Buffered && b.size() >= 6 && frame_length(b) < (64u << 20) &&
      ((static_cast<uint8_t>(b[4]) == 0x80 && b[5] == 0x01) || static_cast<uint8_t>(b[4]) == 0x82 || b[4] == '['))
    return "the reply is framed: try --transport framed";
  if (expected == Framing::Framed && b.size() >= 2 &&
      ((static_cast<uint8_t>(b[0]) == 0x80 && b[1] == 0x01) || static_cast<uint8_t>(b[0]) == 0x82 || b[0] == '['))
    return "the reply is not framed: try --transport buffered";
  return "";
}

std::unique_ptr<Connection> connect(const Endpoint& endpoint, const ConnectOptions& options) {
  if (endpoint.kind == EndpointKind::Http) return connect_http(endpoint, options);
  if (options.deadline && Clock::now() >= *options.deadline)
    throw TimedOut("timed out before connecting (--timeout)", endpoint.text);
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
