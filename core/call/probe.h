// What a server speaks, found without running anything on it.
//
// The probe is a call of a method no server has, "thrift_call_probe" (as
// "Service:thrift_call_probe" when the service is known), with no
// arguments. Every Apache Thrift processor answers a method it lacks with a
// TApplicationException (UNKNOWN_METHOD) instead of running a handler, and a
// multiplexed one strips the service name first, so its answer carries the
// bare name: that tells a multiplexed server apart in the same round trip.
// Because nothing runs, a probe may be sent in every protocol and framing,
// given up after a short wait (the probe window) and sent again: silence
// only means "not this one". Bytes that begin a reply in the setting probed
// end the search there, whatever follows them (a bad seqid, a cut, garbage):
// the server speaks that setting. No probe waits past the call's deadline. The call itself then goes out once, in the
// setting that answered.
//
// Typical use (the call path's auto mode):
//   ProbeResult found = probe_server(options);
//   if (found.setting) { ... send the call with *found.setting ... }
//   else throw Error(ErrorKind::Transport, found.summary() + ...);
//
// The order: binary unframed first (the commonest server), framed and
// compact next, THeader, then JSON. When a probe meets silence or an HTTP
// page on a TCP endpoint, the same probe is POSTed to http://HOST:PORT/;
// when nothing answers at all, a TLS handshake tells whether --tls is
// missing. thrift-call serve does not record a probe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/codec/codec.h"
#include "core/transport/connection.h"
#include "core/transport/endpoint.h"

namespace thrift_call::call {

inline constexpr const char* kProbeMethod = "thrift_call_probe";

// A protocol and framing a server answered in.
struct ServerSetting {
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;
  transport::Framing framing = transport::Framing::Buffered;
  // It answered "Service:thrift_call_probe" with the bare name: calls must
  // be named "Service:method" (TMultiplexedProtocol).
  bool multiplexed = false;

  bool same_wire(const ServerSetting& other) const { return protocol == other.protocol && framing == other.framing; }
  std::string to_string() const;  // "compact/framed", "binary/buffered, multiplexed"
};

struct ProbeOptions {
  transport::Endpoint endpoint;
  transport::ConnectOptions connect;  // TLS, headers, trace; framing and timeout are set per probe
  std::string service;                // empty: the probe names no service
  // Settings the user fixed: tried first; the others are tried only to say
  // what the server speaks instead.
  std::optional<codec::ProtocolKind> protocol;
  std::optional<transport::Framing> framing;
  // Tried before all others (the setting a call went out with).
  std::optional<ServerSetting> first;
  // How long a probe waits for the first byte of an answer; stretched to
  // four times the connect time for far servers.
  std::chrono::milliseconds window{400};
  // The server accepted a connection already: a probe whose connection is
  // not made within the window meets a busy server (a full accept queue),
  // which counts as silence, not as "nothing listens".
  bool known_reachable = false;
  // Stop after this many probes met silence (0: never): a server that is
  // busy with another connection of ours answers none of them.
  int max_silent = 0;
  // The bytes a call got back read as an HTTP page: probe HTTP first.
  bool http_first = false;
  // Met silence already (an earlier search): not probed again.
  std::optional<ServerSetting> skip;
  bool skip_http = false;
  // Asked between probes: true ends the search (the call it diagnoses got
  // its reply meanwhile).
  std::function<bool()> stop;
};

struct ProbeResult {
  // The first setting, in the order above, that answered; `allowed` says
  // whether it fits what the user fixed.
  std::optional<ServerSetting> setting;
  bool allowed = false;
  // A TCP endpoint that is an HTTP server: the URL probed and what it said
  // ("a Thrift reply in binary", "HTTP status 404").
  std::string http_url;
  std::string http_answer;
  std::optional<codec::ProtocolKind> http_protocol;  // the protocol that got a Thrift reply over HTTP
  // An HTTP endpoint answered a status other than 2xx: the search ends there.
  long http_status = 0;
  std::string http_status_error;  // "HTTP status 404: <the body's start>"
  bool speaks_tls = false;   // plain probes failed and a TLS handshake worked
  bool refuses_tls = false;  // with --tls the handshake failed, and `setting` answered without TLS
  bool stopped = false;     // `stop` said so
  // The call's deadline (connect.deadline) passed before a setting answered.
  bool out_of_time = false;
  // `setting` answered with the start of a reply in its own protocol and
  // framing that then failed (another seqid, cut short, too deep, too
  // large): the server speaks it, so the search ends there. What failed:
  std::string broken_reply;
  bool http_probed = false; // the HTTP probe ran (and found what http_url says)
  std::string tried;        // "binary/buffered: closed, binary/framed: no answer in 400 ms, ..."

  // What the user should do, from what was found: "the server answers
  // compact/framed: use --protocol compact --transport framed", "this is an
  // HTTP server: use http://127.0.0.1:9090/", ... Empty when nothing was found.
  std::string advice(const std::optional<codec::ProtocolKind>& user_protocol,
                     const std::optional<transport::Framing>& user_framing, bool user_multiplexed,
                     bool user_tls) const;
};

// Whether `bytes` (what came back, or its start) begin a reply in
// `setting`'s protocol and framing: from then on a failure is that reply's,
// not a sign of another setting.
bool starts_reply_in(const ServerSetting& setting, std::string_view bytes);

// Probes the server in the order above. Throws Error (Transport) when
// nothing listens (no setting could help), and Cancelled on Ctrl-C.
ProbeResult probe_server(const ProbeOptions& options);

}  // namespace thrift_call::call
