// The call path the call verb, its batch and the REPL share: encode the
// arguments, send them over one connection, read the reply to its end and
// check it, then decode it.
//
// Typical use:
//   CallSession session(options);
//   CallOutcome out = session.call(*fn, args);   // as often as needed
//
// Protocol and framing may be left open (auto). The first call then probes
// (core/call/probe.h): a call of a method no server has is sent in each
// combination in turn until one is answered, which runs nothing on the
// server, so a silent combination is given up after the probe window
// (--detect-timeout) instead of --timeout. The answer also tells whether the
// server is multiplexed. The call itself then goes out once. What was found
// is cached per endpoint.
//
// A setting the user fixed, or one from the cache, is used at once. If its
// first call fails as a mismatch would (closed without a reply, bytes of
// another protocol, no reply within the probe window), the probe finds what
// the server does speak: a cached setting is then replaced and the call sent
// again (the server did not read it), and a fixed one fails with the flags
// that work. A silent server that answers the probe in the setting used is
// slow, not mismatched: the call waits on, up to --timeout.
// A reply counts once it is read to its end and names the call (method and
// seqid): what only decoding it finds is that call's error.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/function_ref.h"
#include "core/call/observer.h"
#include "core/call/probe.h"
#include "core/codec/message.h"
#include "core/transport/connection.h"
#include "core/transport/endpoint.h"
#include "idl/schema.h"

namespace thrift_call {

struct CallOptions {
  transport::Endpoint endpoint;
  std::optional<codec::ProtocolKind> protocol;  // nullopt: auto
  std::optional<transport::Framing> framing;    // nullopt: auto
  transport::ConnectOptions connect;            // its framing is ignored; see `framing`
  // Remember what auto found, per endpoint, in the XDG cache.
  bool use_cache = true;
  // Non-empty: calls are named "Service:method" (TMultiplexedProtocol).
  std::string multiplex;
  // The service called: what the probe names, and the multiplexed name
  // when the probe finds the server multiplexed.
  std::string service;
  // How long a probe, or a first call in a setting not yet seen to work,
  // waits for the first byte of an answer before the probe looks for
  // another setting (--detect-timeout).
  std::chrono::milliseconds probe_window{400};
  // Before reusing the connection, check that the server has not closed it
  // (it restarted) and reconnect if so; and if sending on a reused
  // connection fails, reconnect and send once more. Never after anything of
  // the call may have reached the server. For the REPL, whose calls are far
  // apart; a batch does not pay the check.
  bool reconnect_if_closed = false;
  // How replies become JSON (--i64-as-string, the UTF-8 policy).
  codec::DecodeOptions decode;
  // Watches the calls (core/call/observer.h): -v's trace, timings. Not
  // owned; nullptr: nobody. connect.trace is set from it.
  CallObserver* observer = nullptr;
};

struct CallOutcome {
  codec::ReplyKind kind = codec::ReplyKind::Success;
  std::string json;  // the value (null for void and oneway) or {"Type": {...}}
  codec::ApplicationException application_exception;
  bool oneway = false;
  std::string undeclared;  // codec::Reply::undeclared: a reply field the IDL lacks, shown raw
};

class CallSession {
 public:
  explicit CallSession(CallOptions options);
  ~CallSession();

  // A call's bytes made before its turn, for the protocol and seqid they
  // were made with; the call uses them if those still hold. Reused from
  // call to call, so that its buffer is allocated once.
  struct EncodedCall {
    codec::ProtocolKind kind = codec::ProtocolKind::Binary;
    int32_t seqid = 0;
    bool multiplexed = false;
    std::string bytes;  // empty: none made
    bool fits(codec::ProtocolKind k, int32_t s, bool m) const {
      return !bytes.empty() && k == kind && s == seqid && m == multiplexed;
    }
  };
  // Encodes a call into `into` for the next call to go out: in the protocol
  // in use (binary until one is known), with the next seqid. Throws Error
  // (Input), and `into` then holds none.
  void encode_ahead(const idl::Function& fn, const codec::Json& args, EncodedCall& into) const;

  // Encodes first (an input error sends nothing), unless `ahead` holds the
  // bytes, connects if needed, sends, and for anything but oneway reads the
  // reply to its end, checks its name and seqid, and decodes it. Throws
  // Error: Input, Transport or Protocol. After a transport or protocol error
  // in sending or reading the connection is dropped; the next call
  // reconnects. A reply read to its end whose body does not decode is an
  // error of that call alone: the connection is still in step.
  CallOutcome call(const idl::Function& fn, const codec::Json& args, const EncodedCall* ahead = nullptr);
  // The same without an IDL: `args` and the reply in raw notation.
  CallOutcome call_raw(std::string_view method, bool oneway, const codec::Json& args);

  // A reply read to its end and matched to its call, not decoded yet.
  struct UndecodedReply {
    codec::ProtocolKind protocol = codec::ProtocolKind::Binary;
    const idl::Function* fn = nullptr;  // nullptr: raw
    std::string message;                // the whole reply; its buffer reused from call to call
    codec::ReplyExtent extent;          // its envelope, and where its body starts
    bool oneway = false;                // no reply: the call was oneway
  };
  // A call in two halves, for a batch, which decodes the reply to one call
  // while the next is out (in its observer's while_waiting()):
  // call_undecoded() is call() up to the decoding, and decode() the rest.
  // `fn` nullptr: a two-way call of `method` in raw notation, as call_raw().
  void call_undecoded(const idl::Function* fn, std::string_view method, const codec::Json& args,
                      const EncodedCall* ahead, UndecodedReply& into);
  // Throws Error (Protocol) for a body that does not decode. The JSON is
  // written into `spare`'s buffer (codec::decode_reply).
  CallOutcome decode(const UndecodedReply& reply, std::string spare = {}) const;

  // Pipelining: send() queues a call, and receive() sends whatever is queued
  // before it reads a reply, so a run of send()s costs one system call;
  // replies come back in the order the calls went. Needs the protocol and framing known (given, or
  // found by a first call) and a socket endpoint (HTTP answers each POST
  // before the next). A transport or protocol error while reading drops the
  // connection, and every call still waiting on it fails with that error;
  // a body that does not decode fails its own call only.
  struct Pending {
    const idl::Function* fn = nullptr;  // nullptr: raw
    std::string method;
    int32_t seqid = 0;
    bool oneway = false;
    uint64_t connection = 0;  // which connection it went out on
  };
  bool can_pipeline() const;
  Pending send(const idl::Function& fn, const codec::Json& args, const EncodedCall* ahead = nullptr);
  CallOutcome receive(const Pending& pending);

  // The protocol and framing in use, once known.
  std::optional<codec::ProtocolKind> protocol() const { return options_.protocol; }
  std::optional<transport::Framing> framing() const { return options_.framing; }
  // The multiplexed service name in use ("" for none): given, cached or found.
  const std::string& multiplex() const { return options_.multiplex; }

  // Who watches the calls from now on (nullptr: nobody); returns who did.
  CallObserver* set_observer(CallObserver* observer);
  CallObserver* observer() const { return options_.observer; }

 private:
  // The call's bytes in a protocol, with a seqid; valid until the next use.
  using Encoder = FunctionRef<std::string_view(codec::ProtocolKind, int32_t seqid)>;
  class EncodedUpFront;
  void next_call_bytes(FunctionRef<void(codec::ProtocolKind, int32_t seqid, std::string& out)> encode,
                       EncodedCall& into) const;
  void call_raw_undecoded(std::string_view method, bool oneway, const codec::Json& args, UndecodedReply& into);
  void exchange(Encoder encode, std::string_view method, bool oneway, UndecodedReply& into);
  void exchange_or_probe(Encoder encode, std::string_view method, bool oneway, UndecodedReply& into);
  void exchange_once(Encoder encode, std::string_view method, bool oneway, std::chrono::milliseconds timeout,
                     UndecodedReply& into);
  void probe(Encoder encode, std::string_view method, bool oneway, UndecodedReply& into);
  // What the server speaks, probed; `first`: the setting a call went out with.
  call::ProbeResult probe_server(std::optional<call::ServerSetting> first, std::function<bool()> stop = {},
                                 int max_silent = 0) const;
  call::ServerSetting current_setting() const;
  void adopt(const call::ServerSetting& setting);
  // Back to the protocol and framing the user gave, auto where none.
  void use_user_setting();
  void forget_cached_setting();
  void store_setting() const;
  // Whether bytes that came back start a reply in the protocol and framing
  // in use: a failure after that is the reply's, not a mismatch.
  bool starts_reply_in_use(std::string_view bytes) const;
  // The first reply in a setting not seen to work yet: when none comes within
  // the probe window, probes for what the server speaks, and throws
  // Misdirected if it speaks something else.
  void wait_or_diagnose();
  class Misdirected;
  // The steps of one exchange, also used one at a time when pipelining.
  void ensure_connected(std::chrono::milliseconds timeout);
  int32_t send_message(Encoder encode, bool oneway);
  // Reads the reply to its end, checks its name and seqid, and keeps it undecoded.
  void receive_reply(std::string_view method, int32_t seqid, UndecodedReply& into);
  void drop_connection(const Error& why);
  // --timeout from now is the deadline of the call (or pipelined reply) about to start.
  void start_deadline();

  CallOptions options_;
  // What the user fixed, when auto had to fill the rest.
  std::optional<codec::ProtocolKind> user_protocol_;
  std::optional<transport::Framing> user_framing_;
  bool user_multiplexed_ = false;
  bool from_cache_ = false;
  // The setting in use has answered (a probe or a reply): mismatches are
  // no longer looked for.
  bool confirmed_ = false;
  bool reply_arrived_ = false;  // in the exchange under way, a reply was read to its end
  bool reply_started_ = false;  // ... or what came back began as one
  bool finished_sending_ = false;
  bool reply_looked_http_ = false;  // the last failed exchange got an HTTP page back
  // What a search for the first call's setting met silence from (probed again: no use).
  std::optional<call::ServerSetting> silent_setting_;
  bool silent_http_ = false;
  bool tls_patient_ = false;  // a first TLS handshake outlasted the probe window: the next gets --connect-timeout  // the connection was half-closed: dropped after its reply
  std::unique_ptr<transport::Connection> connection_;
  uint64_t connection_number_ = 0;  // counts connections made
  std::string last_drop_;           // why the previous connection was dropped
  int32_t seqid_ = 0;
  // The call under way has not run its observer's while_waiting() yet.
  bool waiting_hook_due_ = false;
  bool measure_time_ = false;  // the observer traces or times
};

}  // namespace thrift_call
