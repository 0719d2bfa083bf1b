#include "core/call/session.h"

#include <cstdio>
#include <utility>
#include <vector>

#include "core/transport/endpoint_cache.h"
#include "core/transport/wire_detect.h"
#include "base/error.h"

namespace thrift_call {

using codec::ProtocolKind;
using transport::Framing;

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", std::chrono::duration<double>(d).count());
  return buf;
}

// A failure that a different protocol or framing might not have.
bool is_mismatch(const Error& e) {
  return (e.kind() == ErrorKind::Protocol || e.kind() == ErrorKind::Transport) && !e.unreachable();
}

}  // namespace

CallSession::CallSession(CallOptions options)
    : options_(std::move(options)),
      user_protocol_(options_.protocol),
      user_framing_(options_.framing),
      user_multiplexed_(!options_.multiplex.empty()) {
  set_observer(options_.observer);
  if (options_.use_cache && (!options_.protocol || !options_.framing)) {
    if (auto cached = transport::load_cached_setting(options_.endpoint.text)) {
      auto protocol = codec::parse_protocol_kind(cached->protocol);
      auto framing = transport::parse_framing(cached->transport);
      // A cached answer only fills what the user left open, and only if it
      // agrees with what they fixed.
      if (protocol && framing && (!options_.protocol || *options_.protocol == *protocol) &&
          (!options_.framing || *options_.framing == *framing)) {
        adopt(call::ServerSetting{*protocol, *framing, cached->multiplexed});
        from_cache_ = true;
      }
    }
  }
}

CallSession::~CallSession() = default;

CallObserver* CallSession::set_observer(CallObserver* observer) {
  CallObserver* before = std::exchange(options_.observer, observer);
  // The transport's and the probe's trace lines go the same way, to the
  // observer of the moment: a connection keeps the function it was opened
  // with, and may outlive this observer. The session outlives its connections.
  options_.connect.trace = nullptr;
  measure_time_ = observer && (observer->tracing() || observer->timing());
  if (observer && observer->tracing())
    options_.connect.trace = [this](const std::string& line) {
      if (options_.observer) options_.observer->trace(line);
    };
  return before;
}

// A first call in a setting the server turned out not to read (it answered
// a probe in another): nothing ran, so the call may go out again.
class CallSession::Misdirected : public Error {
 public:
  Misdirected(call::ProbeResult found, const Error& error)
      : Error(error.kind(), error.message(), error.where()), found(std::move(found)) {}
  call::ProbeResult found;
};

call::ServerSetting CallSession::current_setting() const {
  return call::ServerSetting{*options_.protocol, *options_.framing, !options_.multiplex.empty()};
}

void CallSession::adopt(const call::ServerSetting& setting) {
  options_.protocol = setting.protocol;
  options_.framing = setting.framing;
  if (!user_multiplexed_) options_.multiplex = setting.multiplexed ? options_.service : std::string();
}

void CallSession::use_user_setting() {
  options_.protocol = user_protocol_;
  options_.framing = user_framing_;
}

void CallSession::forget_cached_setting() {
  if (!from_cache_) return;
  transport::store_cached_setting(options_.endpoint.text, std::nullopt);
  from_cache_ = false;
}

call::ProbeResult CallSession::probe_server(std::optional<call::ServerSetting> first, std::function<bool()> stop,
                                           int max_silent) const {
  call::ProbeOptions probe;
  probe.endpoint = options_.endpoint;
  probe.connect = options_.connect;
  probe.service = user_multiplexed_ ? options_.multiplex : options_.service;
  probe.protocol = user_protocol_;
  probe.framing = user_framing_;
  probe.first = first;
  probe.window = options_.probe_window;
  probe.known_reachable = connection_number_ > 0;
  probe.max_silent = max_silent;
  probe.http_first = reply_looked_http_;
  probe.skip = silent_setting_;
  probe.skip_http = silent_http_;
  probe.stop = std::move(stop);
  return call::probe_server(probe);
}

// Encoded before anything is sent, so an input error sends nothing, and
// with the protocol and seqid the call most likely goes out with (those of
// the session's next call), so the bytes are used as they are; probing or
// a resend encodes again.
class CallSession::EncodedUpFront {
 public:
  using Encode = FunctionRef<void(ProtocolKind, int32_t seqid, std::string& out)>;
  // `made`: the bytes made before the call (nullptr: made now).
  EncodedUpFront(const CallSession& session, Encode encode, const EncodedCall* made)
      : session_(session), encode_(encode), made_(made ? made : &own_) {
    if (!made) session.next_call_bytes(encode, own_);
  }
  // made_ may point into this object.
  EncodedUpFront(const EncodedUpFront&) = delete;
  EncodedUpFront& operator=(const EncodedUpFront&) = delete;

  std::string_view operator()(ProtocolKind kind, int32_t seqid) {
    // Probing may have found the server multiplexed since the bytes were made.
    if (made_->fits(kind, seqid, !session_.multiplex().empty())) return made_->bytes;
    encode_(kind, seqid, other_);
    return other_;
  }

 private:
  const CallSession& session_;
  Encode encode_;
  EncodedCall own_;
  const EncodedCall* made_;
  std::string other_;
};

void CallSession::next_call_bytes(EncodedUpFront::Encode encode, EncodedCall& into) const {
  into.kind = options_.protocol.value_or(ProtocolKind::Binary);
  into.seqid = seqid_ + 1;
  into.multiplexed = !options_.multiplex.empty();
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
  call_undecoded(&fn, fn.name, args, ahead, reply);
  return decode(reply);
}

CallOutcome CallSession::call_raw(std::string_view method, bool oneway, const codec::Json& args) {
  UndecodedReply reply;
  call_raw_undecoded(method, oneway, args, reply);
  return decode(reply);
}

void CallSession::call_undecoded(const idl::Function* fn, std::string_view method, const codec::Json& args,
                                 const EncodedCall* ahead, UndecodedReply& into) {
  if (!fn) return call_raw_undecoded(method, false, args, into);
  auto encode = [&](ProtocolKind kind, int32_t seqid, std::string& out) {
    codec::encode_call_into(kind, *fn, args, seqid, options_.multiplex, out);
  };
  EncodedUpFront up_front(*this, encode, ahead);
  into.fn = fn;
  exchange(up_front, fn->name, fn->oneway, into);
}

void CallSession::call_raw_undecoded(std::string_view method, bool oneway, const codec::Json& args,
                                     UndecodedReply& into) {
  // Named when encoded: probing may find the server multiplexed.
  auto encode = [&](ProtocolKind kind, int32_t seqid, std::string& out) {
    std::string name =
        options_.multiplex.empty() ? std::string(method) : options_.multiplex + ":" + std::string(method);
    out = codec::encode_raw_call(kind, name, oneway, args, seqid);
  };
  EncodedUpFront up_front(*this, encode, nullptr);
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
  outcome.undeclared = std::move(decoded.undeclared);
  return outcome;
}

void CallSession::start_deadline() {
  options_.connect.deadline = transport::Clock::now() + options_.connect.timeout;
  if (connection_) connection_->set_deadline(options_.connect.deadline);
}

void CallSession::exchange(Encoder encode, std::string_view method, bool oneway, UndecodedReply& into) {
  start_deadline();
  waiting_hook_due_ = options_.observer != nullptr;
  try {
    exchange_or_probe(encode, method, oneway, into);
  } catch (const Error& e) {
    // Python's TMultiplexedProcessor answers an unknown service name by
    // closing the connection, which reads like a framing mismatch.
    if (e.failure() != TransportFailure::ClosedWithoutReply || !user_multiplexed_) throw;
    throw Error(TransportFailure::ClosedWithoutReply,
                e.message() + "; or the server has no service \"" + options_.multiplex +
                    "\" (a Python multiplexed server closes the connection for an unknown service)",
                e.where());
  }
}

void CallSession::exchange_or_probe(Encoder encode, std::string_view method, bool oneway, UndecodedReply& into) {
  if (!options_.protocol || !options_.framing) return probe(encode, method, oneway, into);
  try {
    exchange_once(encode, method, oneway, options_.connect.timeout, into);
  } catch (const Misdirected& m) {
    // No reply within the probe window, and the server answers in another
    // setting: it never read the call.
    forget_cached_setting();
    if (!m.found.setting || !m.found.allowed || m.found.refuses_tls || (user_protocol_ && user_framing_)) throw;
    adopt(*m.found.setting);
    confirmed_ = true;
    if (options_.use_cache) store_setting();
    exchange_once(encode, method, oneway, options_.connect.timeout, into);
  } catch (const Error& e) {
    if (e.failure() == TransportFailure::TlsHandshakeFailed) {
      // Given the probe window for its handshake: a plain server, or a slow TLS one?
      if (confirmed_ || options_.endpoint.kind != transport::EndpointKind::Tcp) throw;
      call::ProbeResult found = probe_server(current_setting());
      if (found.refuses_tls) {
        forget_cached_setting();
        throw Error(ErrorKind::Transport,
                    e.message() + "; " +
                        found.advice(user_protocol_, user_framing_, user_multiplexed_, options_.connect.tls.enabled),
                    e.where());
      }
      if (tls_patient_) throw;
      tls_patient_ = true;
      // Once it answers, the setting is confirmed below, as after any call that worked.
      exchange_once(encode, method, oneway, options_.connect.timeout, into);
    } else {
      // A failure before any reply, in a setting not seen to work yet: find
      // out whether the server speaks another.
      if (confirmed_ || reply_arrived_ || reply_started_ || !is_mismatch(e) ||
          e.failure() == TransportFailure::TimedOut || e.failure() == TransportFailure::Cancelled)
        throw;
      call::ServerSetting used = current_setting();
      call::ProbeResult found = probe_server(silent_setting_ ? std::nullopt : std::optional(used));
      if (found.setting && found.setting->same_wire(used) && found.setting->multiplexed == used.multiplexed) throw;
      if (from_cache_) {
        forget_cached_setting();
        use_user_setting();
        if (found.setting && found.allowed && !found.refuses_tls) {
          adopt(*found.setting);
          confirmed_ = true;
          if (options_.use_cache) store_setting();
          exchange_once(encode, method, oneway, options_.connect.timeout, into);
          return;
        }
        adopt(used);
      }
      std::string advice = found.advice(user_protocol_, user_framing_, user_multiplexed_, options_.connect.tls.enabled);
      if (advice.empty()) throw;
      // What the probe found replaces the guess the failure's bytes allowed.
      if (!found.http_url.empty())
        throw Error(ErrorKind::Transport, "the server answered with HTTP, not Thrift: " + advice,
                    options_.endpoint.text);
      std::string what = e.failure() == TransportFailure::ClosedWithoutReply
                             ? std::string("the server closed the connection without replying")
                             : e.message();
      throw Error(e.kind(), what + "; " + advice, e.where());
    }
  }
  if (!oneway) confirmed_ = true;
}

bool CallSession::starts_reply_in_use(std::string_view bytes) const {
  return call::starts_reply_in(current_setting(), bytes);
}

void CallSession::store_setting() const {
  transport::store_cached_setting(
      options_.endpoint.text, transport::CachedSetting{codec::to_string(*options_.protocol),
                                                       transport::to_string(*options_.framing),
                                                       !user_multiplexed_ && !options_.multiplex.empty()});
}

void CallSession::wait_or_diagnose() {
  // Half the window: a reply slower than that costs a probe that finds the
  // setting right, while a mismatch is found sooner.
  if (connection_->reply_within(transport::within_deadline(options_.connect, options_.probe_window / 2))) return;
  call::ServerSetting used = current_setting();
  // Two silences (this setting, and HTTP or the next) are enough to tell a
  // server that serves one connection at a time and is busy with this one.
  call::ProbeResult found =
      probe_server(used, [this] { return connection_->reply_within(std::chrono::milliseconds(0)); }, 2);
  // Out of time: the reply's wait ends at once, with a timeout.
  if (found.stopped || found.out_of_time) return;
  // The server reads this setting and is slow: wait on.
  if (found.setting && found.setting->same_wire(used)) return;
  std::string advice = found.advice(user_protocol_, user_framing_, user_multiplexed_, options_.connect.tls.enabled);
  if (advice.empty()) {
    // Nothing answered: a server that does one connection at a time is
    // busy with this one, running the call or waiting for more of it (an
    // HTTP server waits for a line end). The call is all sent: telling it
    // so lets a waiting server answer what it has, while a running call
    // still replies. This connection then carries no other call.
    connection_->finish_sending();
    finished_sending_ = true;
    silent_setting_ = used;
    silent_http_ = found.http_probed;
    return;
  }
  throw Misdirected(found, Error(ErrorKind::Transport,
                                 "no reply, and the server answers another setting; " + advice,
                                 connection_->peer()));
}

void CallSession::ensure_connected(std::chrono::milliseconds timeout) {
  if (connection_) return;
  transport::ConnectOptions connect = options_.connect;
  connect.framing = *options_.framing;
  connect.timeout = timeout;
  if (!confirmed_ && !tls_patient_) connect.handshake_timeout = options_.probe_window;
  if (transport::carries_theader(connect.framing)) {
    transport::theader_protocol_id(*options_.protocol);  // throws for json, before connecting
    connect.theader.protocol = *options_.protocol;
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
    into.protocol = connection_->framed_protocol().value_or(*options_.protocol);
    into.extent = codec::find_reply_end(into.protocol, bytes, options_.decode);
    into.message.assign(bytes.data(), into.extent.consumed);
    return into.extent.consumed;
  });
  reply_arrived_ = true;
  codec::check_reply_header(into.extent.header, method, seqid);
}

void CallSession::drop_connection(const Error& why) {
  if (why.kind() != ErrorKind::Transport && why.kind() != ErrorKind::Protocol) return;
  connection_.reset();
  finished_sending_ = false;
  last_drop_ = why.diagnostic();
}

void CallSession::exchange_once(Encoder encode, std::string_view method, bool oneway,
                                std::chrono::milliseconds timeout, UndecodedReply& into) {
  using std::chrono::steady_clock;
  // The clock is only read for an observer that wants the timings.
  CallObserver* observer = options_.observer;
  auto now = [&] { return measure_time_ ? steady_clock::now() : steady_clock::time_point(); };
  auto start = now();
  auto ms = [](steady_clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f ms", std::chrono::duration<double, std::milli>(d).count());
    return std::string(buf);
  };
  reply_arrived_ = reply_started_ = false;
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
          if (e.failure() == TransportFailure::Cancelled || e.failure() == TransportFailure::TimedOut) throw;
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
    if (std::exchange(waiting_hook_due_, false)) {
      auto hook_start = now();
      observer->while_waiting();
      aside = now() - hook_start;
    }
    if (!confirmed_ && options_.endpoint.kind != transport::EndpointKind::Http) wait_or_diagnose();
    receive_reply(method, *seqid, into);
    if (std::exchange(finished_sending_, false)) connection_.reset();
    if (measure_time_) {
      auto done = now() - aside;
      CallTimings timings{connected - start, done - connected};
      observer->timed(timings);
      if (options_.connect.trace)
        options_.connect.trace("timings: connect " + ms(timings.connect) + " (TLS included), reply " +
                               ms(timings.reply) + ", total " + ms(timings.connect + timings.reply));
    }
  } catch (const Error& e) {
    std::string_view got = connection_ ? connection_->unread() : std::string_view();
    reply_looked_http_ = transport::looks_like_http_response(got);
    reply_started_ = !got.empty() && starts_reply_in_use(got);
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
  if (!ahead || !ahead->fits(*options_.protocol, seqid, !options_.multiplex.empty()))
    codec::encode_call_into(*options_.protocol, fn, args, seqid, options_.multiplex, encoded_now);
  std::string_view message = encoded_now.empty() ? std::string_view(ahead->bytes) : std::string_view(encoded_now);
  start_deadline();
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
  start_deadline();  // each reply within --timeout of its turn
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
  call::ProbeResult found = probe_server(std::nullopt);
  if (!found.setting || !found.allowed) {
    use_user_setting();
    if (found.out_of_time && !found.setting && found.http_url.empty())
      throw Error(TransportFailure::TimedOut,
                  "timed out (--timeout " + seconds_text(options_.connect.timeout) +
                      ") before any protocol and framing got a reply (tried " + found.tried + ")",
                  options_.endpoint.text);
    if (!found.http_status_error.empty())
      throw Error::with_http_status(found.http_status, found.http_status_error, options_.endpoint.text);
    if (found.refuses_tls)
      throw Error(ErrorKind::Transport,
                  "TLS handshake failed: " +
                      found.advice(user_protocol_, user_framing_, user_multiplexed_, options_.connect.tls.enabled),
                  options_.endpoint.text);
    std::string advice = found.advice(user_protocol_, user_framing_, user_multiplexed_, options_.connect.tls.enabled);
    bool http = options_.endpoint.kind == transport::EndpointKind::Http;
    if (advice.empty())
      advice = http ? "see the failures with -v"
                    : "the server may speak HTTP or TLS (an http:// endpoint or --tls), see the failures with -v";
    // Python's TMultiplexedProcessor closes the connection on a service name it lacks.
    if (user_multiplexed_)
      advice += "; or the server has no service \"" + options_.multiplex +
                "\" (a Python multiplexed server closes the connection for an unknown service)";
    throw Error(ErrorKind::Transport, "no protocol and framing got a reply (tried " + found.tried + "); " + advice,
                options_.endpoint.text);
  }
  adopt(*found.setting);
  confirmed_ = true;
  if (options_.connect.trace)
    options_.connect.trace("auto: the server speaks " + found.setting->to_string() +
                           (found.broken_reply.empty() ? "" : " (" + found.broken_reply + ")"));
  // A setting whose answer to the probe failed is kept once a call works in it.
  bool keep = options_.use_cache && found.broken_reply.empty();
  if (keep) store_setting();
  exchange_once(encode, method, oneway, options_.connect.timeout, into);
  if (options_.use_cache && !keep && !oneway) store_setting();
}

}  // namespace thrift_call
