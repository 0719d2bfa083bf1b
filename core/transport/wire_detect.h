// What a peer speaks, from the first bytes it sends: how `serve` answers
// every client in kind on one port, as Apache's THeader server does, and how
// `decode` tells the framing of each captured stream.
//
//   0x80 0x01          strict binary, unframed
//   0x82               compact, unframed
//   '['                TJSONProtocol, unframed
//   i32 length, then   0x0F 0xFF: THeader; 0x80 0x01, 0x82 or '[': framed
//   'A'..'Z'           an HTTP request line ("POST / HTTP/1.1")
//   0x16               a TLS ClientHello
#pragma once

#include <string_view>

#include "core/codec/codec.h"

namespace thrift_call::transport {

enum class Wire { NeedMore, Buffered, Framed, Header, Http, Tls, Unknown };

struct WireGuess {
  Wire wire = Wire::NeedMore;
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;  // Buffered and Framed (Header carries its own)
};

WireGuess detect_wire(std::string_view first_bytes);

// The protocol of an unframed message from its first byte (HTTP bodies,
// frames); nullopt when it is none of binary, compact and JSON.
std::optional<codec::ProtocolKind> detect_message_protocol(std::string_view message);

}  // namespace thrift_call::transport
