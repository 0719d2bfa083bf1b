// One connection that carries Thrift messages: a socket plus its framing.
//
//   Buffered  messages follow each other on the stream as they are; the end
//             of a reply is found by decoding it (the reader's InputEnded
//             means "read on").
//   Framed    each message is preceded by its length as a 4-byte big-endian
//             integer (TFramedTransport).
//   Header    THeader frames (core/transport/theader.h): binary or compact
//             inside, key-value headers, optional zlib.
//   FramedHeader  each THeader frame inside a TFramedTransport frame, as
//             Apache's THeaderTransport over TFramedTransport writes them.
//   Zlib      unframed messages in one zlib stream each way (TZlibTransport,
//             zlib_stream.h).
//
// Mismatches are the commonest failure Thrift users meet ("TSocket read 0
// bytes"). Where the bytes tell what the server speaks, the error says so
// and names the flag to use.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/function_ref.h"
#include "core/transport/endpoint.h"
#include "core/transport/socket.h"
#include "core/transport/theader.h"

namespace thrift_call::transport {

enum class Framing { Buffered, Framed, Header, FramedHeader, Zlib };
// "buffered", "framed", "header", "framed+header", "zlib"
std::optional<Framing> parse_framing(std::string_view name);
// Whether the messages travel in THeader frames (and THeaderOptions apply).
inline bool carries_theader(Framing framing) { return framing == Framing::Header || framing == Framing::FramedHeader; }
const char* to_string(Framing framing);

struct TlsOptions {
  bool enabled = false;   // --tls (https:// endpoints always)
  std::string cacert;     // verify the server against this CA file instead of the system's
  std::string cert, key;  // a client certificate
  bool insecure = false;  // no verification at all
  std::string servername; // SNI and the name verified; default: the endpoint's host
};

struct ConnectOptions {
  Framing framing = Framing::Buffered;
  std::chrono::milliseconds connect_timeout{5000};
  // For the TLS handshake alone, when shorter (a first call that has not
  // seen the server speak TLS yet).
  std::optional<std::chrono::milliseconds> handshake_timeout;
  std::chrono::milliseconds timeout{30000};  // for each reply
  // When the whole call must be over (--timeout from its start): no
  // connect, handshake, send or read waits past it, whatever the peer does
  // (a reply that drips in, one probe after another). None: each wait
  // gets its own timeout.
  std::optional<Clock::time_point> deadline;
  size_t max_message_bytes = size_t{64} << 20;
  TlsOptions tls;
  std::vector<std::string> http_headers;  // "Name: value", for HTTP endpoints
  THeaderOptions theader;                 // for Framing::Header and FramedHeader
  // Called with a line for -v: what was sent and received, and when.
  std::function<void(const std::string&)> trace;
};

// now + `wait`, but not past `options.deadline`.
inline Clock::time_point wait_until(const ConnectOptions& options, Clock::duration wait) {
  Clock::time_point until = Clock::now() + wait;
  return options.deadline && *options.deadline < until ? *options.deadline : until;
}
// `wait`, or what is left before `options.deadline` when that is less (zero once it passed).
inline std::chrono::milliseconds within_deadline(const ConnectOptions& options, std::chrono::milliseconds wait) {
  if (!options.deadline) return wait;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*options.deadline - Clock::now());
  return std::max(std::chrono::milliseconds(0), std::min(wait, left));
}

class Connection {
 public:
  virtual ~Connection() = default;
  // The deadline of the call under way (ConnectOptions::deadline): a kept
  // connection carries one call after another, each with its own.
  virtual void set_deadline(std::optional<Clock::time_point> deadline) = 0;
  virtual void send(std::string_view message) = 0;
  // Sends a oneway call, for which no reply comes. Only HTTP differs: a
  // server may answer the POST or not (Apache's C++ THttpServer does not).
  virtual void send_oneway(std::string_view message) { send(message); }
  // Pipelining: `queue` frames a message to go out with the next flush(),
  // send() or receive(), so that many calls cost one system call. Where
  // messages cannot wait (HTTP), it sends at once.
  virtual void queue(std::string_view message, bool oneway) { oneway ? send_oneway(message) : send(message); }
  virtual void flush() {}
  // Receives one message: `decode` is called on the bytes received so far and
  // returns how many form the message; it throws protocol::InputEnded while
  // they are not all there yet. Throws Error (Transport) when the peer closes
  // or the timeout passes first.
  virtual void receive(FunctionRef<size_t(std::string_view)> decode) = 0;
  virtual const std::string& peer() const = 0;
  // Whether the peer closed the connection since it was last used (a
  // restarted server). False when it cannot tell (HTTP opens its own).
  virtual bool peer_closed() const { return false; }
  // Whether a reply (its first bytes, or the peer's close) arrives within
  // `wait`; nothing is read. True when it cannot tell: HTTP has read the
  // response in send().
  virtual bool reply_within(std::chrono::milliseconds) const { return true; }
  // Tells the server that nothing more follows (a TCP half-close), so a
  // server still waiting for the rest of what it thinks the call is stops
  // waiting. The reply can still be read; no call may follow. No-op for
  // HTTP and TLS.
  virtual void finish_sending() {}
  // What arrived and was not taken as a message: after a failed receive(),
  // the bytes that failed (for an HTTP connection, the response body).
  virtual std::string_view unread() const = 0;
  // While receive() runs `decode`: the protocol the message's frame names
  // (a THeader frame's protocol id), else nullopt. A server may answer in
  // another protocol than the call's: Python's THttpServer under
  // THeaderProtocol answers binary to a compact call.
  std::optional<codec::ProtocolKind> framed_protocol() const { return framed_protocol_; }

 protected:
  std::optional<codec::ProtocolKind> framed_protocol_;
};

// The bytes that carry `message` with this framing (`theader` for Header);
// shared by the client's connections and serve's. Zlib: the message as it
// is (the connection's zlib stream compresses it).
std::string frame_message(std::string_view message, Framing framing, const THeaderOptions& theader = {});
// The big-endian length that starts a frame (`bytes` holds at least 4).
uint32_t frame_length(std::string_view bytes);

// Connects to a TCP or Unix endpoint with the framing in `options`.
std::unique_ptr<Connection> connect(const Endpoint& endpoint, const ConnectOptions& options);

// What the first bytes of a reply say about the server (wire_detect.h), when
// they do not fit what was expected: "this is an HTTP server", "... framed",
// ... Empty when they say nothing.
std::string guess_mismatch(std::string_view first_bytes, Framing expected);

}  // namespace thrift_call::transport
