// The one sniffer of first bytes: what a peer speaks, with how sure the
// bytes make it. serve answers every client in kind on one port with it (as
// Apache's THeader server does), decode tells each captured stream's
// framing and finds its way back into a stream after garbage, and the
// client names the right fix when a reply is not what it asked for.
//
//   0x80 0x01          strict binary, unframed
//   0x82               compact, unframed
//   '['                TJSONProtocol, unframed
//   0 0 0 n, n chars   the old (non-strict) binary envelope, unframed
//   i32 length, then   0x0F 0xFF: THeader; a message as above: framed;
//                      length - 4, 0x0F 0xFF: a THeader frame inside a frame
//   'A'..'Z'           an HTTP request line ("POST / HTTP/1.1")
//   "HTTP/1.", "<html" an HTTP response, or the bare HTML page Python's
//                      http.server sends to a line it takes for HTTP/0.9
//   0x16 0x03          a TLS handshake; 0x15 0x03 a TLS alert
//   0x78 0x01/5e/9c/da a zlib stream: TZlibTransport (zlib_stream.h)
#pragma once

#include <optional>
#include <string_view>

#include "core/codec/codec.h"

namespace thrift_call::transport {

enum class Wire { NeedMore, Buffered, Framed, Header, FramedHeader, Zlib, Http, Tls, Unknown };

struct WireGuess {
  Wire wire = Wire::NeedMore;
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;  // Buffered and Framed (Header carries its own)
  // How sure: 90 and up, every byte there says so (an envelope's version
  // and message type, a request line's method); 70 to 89, the first bytes
  // fit and nothing seen contradicts them; under 70, a first byte alone.
  int score = 0;
};

// Scores of note: a reading at least this sure is a message's start (decode
// takes it as the way back into a stream after garbage).
inline constexpr int kSureStart = 80;

// The likeliest reading of the first bytes of a stream. NeedMore when more
// bytes could change it; Unknown when nothing fits.
WireGuess detect_wire(std::string_view first_bytes);

// The protocol of an unframed message from its first bytes (HTTP bodies,
// frames); nullopt when it is none of binary, compact and JSON. With
// `old_binary`, the non-strict binary envelope counts too.
std::optional<codec::ProtocolKind> detect_message_protocol(std::string_view message, bool old_binary = false);

// Whether the bytes start an HTTP response: a status line, or the bare HTML
// page Python's http.server sends to a request line it takes for HTTP/0.9.
bool looks_like_http_response(std::string_view first_bytes);
// Whether they start a TLS alert record (a TLS server refusing what it read).
bool looks_like_tls_alert(std::string_view first_bytes);

}  // namespace thrift_call::transport
