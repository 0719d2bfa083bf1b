#include "core/call.h"

#include <cstdio>
#include <utility>
#include <vector>

#include "core/transport/endpoint_cache.h"
#include "core/transport/errors.h"
#include "idl/error.h"

namespace thrift_call {

using codec::ProtocolKind;
using transport::Framing;

namespace {

bool is_timeout(const Error& e) { return dynamic_cast<const transport::TimedOut*>(&e) != nullptr; }

bool is_unreachable(const Error& e) { return dynamic_cast<const transport::Unreachable*>(&e) != nullptr; }

// A failure that a different protocol or framing might not have.
bool is_mismatch(const Error& e) {
  return (e.kind() == ErrorKind::Protocol || e.kind() == ErrorKind::Transport) && !is_unreachable(e);
}

}  // namespace

CallSession::CallSession(CallOptions options)
    : options_(std::move(options)), user_protocol_(options_.protocol), user_framing_(options_.framing) {
  if (options_.use_cache && (!options_.protocol || !options_.framing)) {
    if (auto cached = transport::load_cached_setting(options_.endpoint.text)) {
      auto protocol = codec::parse_protocol_kind(cached->protocol);
      auto framing = transport::parse_framing(cached->transport);
      // A cached answer only fills what the user left open, and only if it
      // agrees with what they fixed.
      if (protocol && framing && (!options_.protocol || *options_.protocol == *protocol) &&
          (!options_.framing || *options_.framing == *framing)) {
        options_.protocol = protocol;
        options_.framing = framing;
        from_cache_ = true;
      }
    }
  }
}

CallSession::~CallSession() = default;

// Encoded before anything is sent, so an input error sends nothing, and
// with the protocol and seqid the call most likely goes out with (those of
// the session's next call), so the bytes are used as they are; probing or
// a resend encodes again.
class CallSession::EncodedUpFront {
 public:
  using Encode = FunctionRef<void(ProtocolKind, int32_t seqid, std::string& out)>;
  // `made`: the bytes made before the call (nullptr: made now).
  EncodedUpFront(const CallSession& session, Encode encode, const EncodedCall* made)
      : encode_(encode), made_(made ? made : &own_) {
    if (!made) session.next_call_bytes(encode, own_);
  }
  // made_ may point into this object.
  EncodedUpFront(const EncodedUpFront&) = delete;
  EncodedUpFront& operator=(const EncodedUpFront&) = delete;

  std::string_view operator()(ProtocolKind kind, int32_t seqid) {
    if (made_->fits(kind, seqid)) return made_->bytes;
    encode_(kind, seqid, other_);
    return other_;
  }

 private:
  Encode encode_;
  EncodedCall own_;
  const EncodedCall* made_;
  std::string other_;
};

// The call's while_waiting, in place for the length of the call.
class CallSession::WhileWaiting {
 public:
  WhileWaiting(CallSession& session, const FunctionRef<void()>* hook) : session_(session) {
    session_.while_waiting_ = hook;
  }
  ~WhileWaiting() { session_.while_waiting_ = nullptr; }
  WhileWaiting(const WhileWaiting&) = delete;
  WhileWaiting& operator=(const WhileWaiting&) = delete;

 private:
  CallSession& session_;
};

void CallSession::next_call_bytes(EncodedUpFront::Encode encode, EncodedCall& into) const {
  into.kind = options_.protocol.value_or(ProtocolKind::Binary);
  into.seqid = seqid_ + 1;
  try {
    encode(into.kind, into.seqid, into.bytes);
  } catch (const Error&) {
    into.bytes.clear();
    throw;
  }
}

void CallSession::encode_ahead(const idl::Function& fn, const codec::Json& args, EncodedCall& into) const {
  next_call_bytes(
      [&](ProtocolKind kind, int32_t seqid, std::string& out) {
        codec::encode_call_into(kind, fn, args, seqid, options_.multiplex, out);
      },
      into);
}

CallOutcome CallSession::call(const idl::Function& fn, const codec::Json& args, const EncodedCall* ahead) {
  UndecodedReply reply;
  call_undecoded(&fn, fn.name, args, ahead, nullptr, reply);
  return decode(reply);
}

CallOutcome CallSession::call_raw(std::string_view method, bool oneway, const codec::Json& args) {
  UndecodedReply reply;
  call_raw_undecoded(method, oneway, args, nullptr, reply);
  return decode(reply);
}

void CallSession::call_undecoded(const idl::Function* fn, std::string_view method, const codec::Json& args,
                                 const EncodedCall* ahead, const FunctionRef<void()>* while_waiting,
                                 UndecodedReply& into) {
  if (!fn) return call_raw_undecoded(method, false, args, while_waiting, into);
  auto encode = [&](ProtocolKind kind, int32_t seqid, std::string& out) {
    codec::encode_call_into(kind, *fn, args, seqid, options_.multiplex, out);
  };
  EncodedUpFront up_front(*this, encode, ahead);
  WhileWaiting hook(*this, while_waiting);
  into.fn = fn;
  exchange(up_front, fn->name, fn->oneway, into);
}

void CallSession::call_raw_undecoded(std::string_view method, bool oneway, const codec::Json& args,
                                     const FunctionRef<void()>* while_waiting, UndecodedReply& into) {
  std::string name = options_.multiplex.empty() ? std::string(method) : options_.multiplex + ":" + std::string(method);
  auto encode = [&](ProtocolKind kind, int32_t seqid, std::string& out) {
    out = codec::encode_raw_call(kind, name, oneway, args, seqid);
  };
  EncodedUpFront up_front(*this, encode, nullptr);
  WhileWaiting hook(*this, while_waiting);
  into.fn = nullptr;
  exchange(up_front, method, oneway, into);
}

CallOutcome CallSession::decode(const UndecodedReply& reply, std::string spare) const {
  CallOutcome outcome;
  if (reply.oneway) {
    outcome.oneway = true;
    outcome.json = "null";
    return outcome;
  }
  codec::Reply decoded = codec::decode_reply(reply.protocol, reply.message, reply.extent, reply.fn, options_.decode,
                                             std::move(spare));
  outcome.kind = decoded.kind;
  outcome.json = std::move(decoded.json);
  outcome.application_exception = std::move(decoded.application_exception);
  return outcome;
}

void CallSession::exchange(Encoder encode, std::string_view method, bool oneway, UndecodedReply& into) {
  try {
    exchange_or_probe(encode, method, oneway, into);
  } catch (const Error& e) {
    // Python's TMultiplexedProcessor answers an unknown service name by
    // closing the connection, which reads like a framing mismatch.
    bool closed = e.message().find("closed the connection without replying") != std::string::npos ||
                  e.message().rfind("no protocol and framing got a reply", 0) == 0;
    if (options_.multiplex.empty() || !closed) throw;
    throw Error(e.kind(),
                e.message() + "; or the server has no service \"" + options_.multiplex +
                    "\" (a Python multiplexed server closes the connection for an unknown service)",
                e.where());
  }
}

void CallSession::exchange_or_probe(Encoder encode, std::string_view method, bool oneway, UndecodedReply& into) {
  if (!options_.protocol || !options_.framing) return probe(encode, method, oneway, into);
  try {
    exchange_once(encode, method, oneway, options_.connect.timeout, into);
  } catch (const Error& e) {
    // A cached setting that no longer works (the server changed): forget it
    // and probe once more; a setting the user gave is used as given.
    if (!from_cache_ || !is_mismatch(e) || dynamic_cast<const transport::Cancelled*>(&e)) throw;
    transport::store_cached_setting(options_.endpoint.text, std::nullopt);
    from_cache_ = false;
    // A silent server may be slow rather than mismatched, and probing would
    // run its handler again: say so instead.
    if (is_timeout(e))
      throw transport::TimedOut(e.message() + " (with the cached " + codec::to_string(*options_.protocol) + "/" +
                                    transport::to_string(*options_.framing) +
                                    "; the cache entry is dropped, the next call probes)",
                                e.where());
    options_.protocol = user_protocol_;
    options_.framing = user_framing_;
    probe(encode, method, oneway, into);
  }
}

void CallSession::ensure_connected(std::chrono::milliseconds timeout) {
  if (connection_) return;
  transport::ConnectOptions connect = options_.connect;
  connect.framing = *options_.framing;
  connect.timeout = timeout;
  if (connect.framing == Framing::Header) {
    if (*options_.protocol == ProtocolKind::Json)
      throw Error(ErrorKind::Usage, "THeader carries the binary or compact protocol, not json", "--transport header");
    connect.theader.protocol = *options_.protocol == ProtocolKind::Compact ? transport::THeaderProtocol::Compact
                                                                          : transport::THeaderProtocol::Binary;
  }
  connection_ = transport::connect(options_.endpoint, connect);
  ++connection_number_;
}

int32_t CallSession::send_message(Encoder encode, bool oneway) {
  int32_t seqid = ++seqid_;
  if (oneway)
    connection_->send_oneway(encode(*options_.protocol, seqid));
  else
    connection_->send(encode(*options_.protocol, seqid));
  return seqid;
}

void CallSession::receive_reply(std::string_view method, int32_t seqid, UndecodedReply& into) {
  connection_->receive([&](std::string_view bytes) {
    into.extent = codec::find_reply_end(*options_.protocol, bytes);
    into.message.assign(bytes.data(), into.extent.consumed);
    return into.extent.consumed;
  });
  codec::check_reply_header(into.extent.header, method, seqid);
  into.protocol = *options_.protocol;
}

void CallSession::drop_connection(const Error& why) {
  if (why.kind() != ErrorKind::Transport && why.kind() != ErrorKind::Protocol) return;
  connection_.reset();
  last_drop_ = why.diagnostic();
}

void CallSession::exchange_once(Encoder encode, std::string_view method, bool oneway,
                                std::chrono::milliseconds timeout, UndecodedReply& into) {
  using std::chrono::steady_clock;
  // Timings are only shown with -v (trace); not read otherwise.
  auto now = [&] { return options_.connect.trace ? steady_clock::now() : steady_clock::time_point(); };
  auto start = now();
  auto ms = [](steady_clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f ms", std::chrono::duration<double, std::milli>(d).count());
    return std::string(buf);
  };
  try {
    std::optional<int32_t> seqid;
    if (options_.reconnect_if_closed && connection_) {
      bool closed = connection_->peer_closed();
      if (closed && options_.connect.trace) options_.connect.trace("the server closed the connection: reconnecting");
      if (closed) connection_.reset();
      if (!closed) {
        try {
          seqid = send_message(encode, oneway);
        } catch (const Error& e) {
          // A dead socket refused the bytes: a fresh connection may take them.
          if (dynamic_cast<const transport::Cancelled*>(&e) || dynamic_cast<const transport::TimedOut*>(&e)) throw;
          if (options_.connect.trace) options_.connect.trace("sending failed (" + e.diagnostic() + "): reconnecting");
          connection_.reset();
        }
      }
    }
    ensure_connected(timeout);
    auto connected = now();
    if (!seqid) seqid = send_message(encode, oneway);
    into.oneway = oneway;
    if (oneway) {
      into.message.clear();
      return;
    }
    // The caller's work while the server runs the call, left out of the timings.
    auto aside = steady_clock::duration::zero();
    if (const FunctionRef<void()>* hook = std::exchange(while_waiting_, nullptr)) {
      auto hook_start = now();
      (*hook)();
      aside = now() - hook_start;
    }
    receive_reply(method, *seqid, into);
    if (options_.connect.trace) {
      auto done = now() - aside;
      options_.connect.trace("timings: connect " + ms(connected - start) + " (TLS included), reply " +
                             ms(done - connected) + ", total " + ms(done - start));
    }
  } catch (const Error& e) {
    drop_connection(e);
    throw;
  }
}

bool CallSession::can_pipeline() const {
  return options_.protocol && options_.framing && options_.endpoint.kind != transport::EndpointKind::Http;
}

CallSession::Pending CallSession::send(const idl::Function& fn, const codec::Json& args, const EncodedCall* ahead) {
  // Encoded before connecting: an input error sends nothing.
  int32_t seqid = seqid_ + 1;
  std::string encoded_now;
  if (!ahead || !ahead->fits(*options_.protocol, seqid))
    codec::encode_call_into(*options_.protocol, fn, args, seqid, options_.multiplex, encoded_now);
  std::string_view message = encoded_now.empty() ? std::string_view(ahead->bytes) : std::string_view(encoded_now);
  try {
    ensure_connected(options_.connect.timeout);
    connection_->queue(message, fn.oneway);
    seqid_ = seqid;
    return Pending{&fn, fn.name, seqid, fn.oneway, connection_number_};
  } catch (const Error& e) {
    drop_connection(e);
    throw;
  }
}

CallOutcome CallSession::receive(const Pending& pending) {
  if (!connection_ || pending.connection != connection_number_)
    throw Error(ErrorKind::Transport, "the connection this call went out on was lost: " + last_drop_);
  UndecodedReply reply;
  reply.fn = pending.fn;
  reply.oneway = pending.oneway;
  try {
    // A oneway call has no reply to wait for, but it must go out.
    if (pending.oneway) {
      connection_->flush();
    } else {
      receive_reply(pending.method, pending.seqid, reply);
    }
  } catch (const Error& e) {
    drop_connection(e);
    throw;
  }
  return decode(reply);
}

void CallSession::probe(Encoder encode, std::string_view method, bool oneway, UndecodedReply& into) {
  // Unframed first: a framed server refuses an unframed binary or compact
  // call at once (the frame length it reads is absurd), while an unframed
  // server given a frame may wait for the rest of what it thinks it got.
  // JSON the other way round: unframed JSON looks like a 1.5 GB frame.
  static const std::pair<ProtocolKind, Framing> kOrder[] = {
      {ProtocolKind::Binary, Framing::Buffered}, {ProtocolKind::Binary, Framing::Framed},
      {ProtocolKind::Compact, Framing::Buffered}, {ProtocolKind::Compact, Framing::Framed},
      {ProtocolKind::Binary, Framing::Header},    {ProtocolKind::Compact, Framing::Header},
      {ProtocolKind::Json, Framing::Framed},      {ProtocolKind::Json, Framing::Buffered},
  };
  if (oneway) {
    // No reply tells whether a oneway call was understood: use the common
    // default rather than send it several times.
    options_.protocol = options_.protocol.value_or(ProtocolKind::Binary);
    options_.framing = options_.framing.value_or(Framing::Buffered);
    return exchange_once(encode, method, oneway, options_.connect.timeout, into);
  }
  std::string tried;
  for (auto [protocol, framing] : kOrder) {
    if ((user_protocol_ && *user_protocol_ != protocol) || (user_framing_ && *user_framing_ != framing)) continue;
    // HTTP carries whole messages: there is no framing to find.
    if (options_.endpoint.kind == transport::EndpointKind::Http && framing != Framing::Buffered) continue;
    options_.protocol = protocol;
    options_.framing = framing;
    std::string name = std::string(codec::to_string(protocol)) + "/" + transport::to_string(framing);
    try {
      exchange_once(encode, method, oneway, options_.connect.timeout, into);
      if (options_.connect.trace) options_.connect.trace("auto: the server speaks " + name);
      if (options_.use_cache)
        transport::store_cached_setting(options_.endpoint.text,
                                        transport::CachedSetting{codec::to_string(protocol), transport::to_string(framing)});
      return;
    } catch (const Error& e) {
      // Nothing listens, or the user gave up: no combination will help.
      if (is_unreachable(e) || dynamic_cast<const transport::Cancelled*>(&e)) throw;
      // The server took the call and is silent: it may be running the
      // handler, and another try could run it twice. Stop here.
      if (is_timeout(e)) {
        options_.protocol = user_protocol_;
        options_.framing = user_framing_;
        throw transport::TimedOut(e.message() + " for " + name +
                                      " (auto stops here rather than risk running the call twice: if the method is "
                                      "slow, raise --timeout; else give --protocol and --transport)",
                                  e.where());
      }
      if (options_.connect.trace) options_.connect.trace("auto: " + name + " failed: " + e.diagnostic());
      tried += (tried.empty() ? "" : ", ") + name;
    }
  }
  options_.protocol = user_protocol_;
  options_.framing = user_framing_;
  bool http = options_.endpoint.kind == transport::EndpointKind::Http;
  throw Error(ErrorKind::Transport,
              "no protocol and framing got a reply (tried " + tried + ")" +
                  (http ? std::string("; see the failures with -v")
                        : std::string("; the server may speak HTTP, THeader or TLS (an http:// endpoint, "
                                      "--transport header or --tls), see the failures with -v")),
              options_.endpoint.text);
}

}  // namespace thrift_call
