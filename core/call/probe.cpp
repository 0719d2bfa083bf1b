#include "core/call/probe.h"

#include <vector>

#include "core/codec/message.h"
#include "core/transport/socket.h"
#include "core/transport/wire_detect.h"
#include "base/error.h"

namespace thrift_call::call {

using codec::ProtocolKind;
using transport::Clock;
using transport::Framing;

namespace {

// No byte of it is a line end, so an HTTP server reading a request line
// waits instead of answering half of it.
constexpr int32_t kProbeSeqid = 1;

// Unframed before framed: a framed server refuses an unframed message at
// once (its length reads as absurd), while an unframed server given a frame
// waits for the rest of what it thinks it got. JSON last, framed first: to
// a framed server unframed JSON reads as a 1.5 GB frame.
constexpr ServerSetting kOrder[] = {
    {ProtocolKind::Binary, Framing::Buffered},     {ProtocolKind::Binary, Framing::Framed},
    {ProtocolKind::Compact, Framing::Buffered},    {ProtocolKind::Compact, Framing::Framed},
    {ProtocolKind::Binary, Framing::Header},       {ProtocolKind::Compact, Framing::Header},
    {ProtocolKind::Json, Framing::Framed},         {ProtocolKind::Json, Framing::Buffered},
    {ProtocolKind::Binary, Framing::FramedHeader}, {ProtocolKind::Compact, Framing::FramedHeader},
    {ProtocolKind::Binary, Framing::Zlib},         {ProtocolKind::Compact, Framing::Zlib},
};

// Broken: the start of a reply in the setting probed, and then a failure.
enum class Answer { Replied, Broken, Silent, Closed, Other };

struct Outcome {
  Answer answer = Answer::Other;
  bool multiplexed = false;
  bool looks_http = false;  // the bytes that came back are an HTTP response
  std::string note;         // for `tried`
};

bool past_deadline(const ProbeOptions& options) {
  return options.connect.deadline && Clock::now() >= *options.connect.deadline;
}

std::string ms_text(Clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

Outcome probe_one(const ProbeOptions& options, const transport::Endpoint& endpoint, ProtocolKind protocol,
                  Framing framing) {
  transport::ConnectOptions connect = options.connect;
  connect.framing = framing;
  // A socket waits for the first byte for the window, then longer for the
  // rest of an answer that has begun; libcurl waits for the whole response.
  connect.timeout = endpoint.kind == transport::EndpointKind::Http ? options.window : options.window * 4;
  // A connect that takes this long, to a server that accepted a moment ago,
  // meets a full accept queue: a busy server, silent for the probe.
  if (options.known_reachable) connect.connect_timeout = std::min(connect.connect_timeout, options.window * 4);
  if (connect.tls.enabled) connect.handshake_timeout = options.window;
  if (transport::carries_theader(framing)) connect.theader.protocol = protocol;
  std::string name = options.service.empty() ? std::string(kProbeMethod) : options.service + ":" + kProbeMethod;
  std::string message = codec::encode_raw_call(protocol, name, false, codec::Json::object(), kProbeSeqid);
  std::unique_ptr<transport::Connection> connection;
  auto started = Clock::now();
  const ServerSetting setting{protocol, framing};
  // Bytes of a reply in this setting came, and then something failed.
  auto broken = [&](const std::string& why) -> Outcome {
    return {Answer::Broken, false, false, "a reply that failed: " + why};
  };
  auto began_reply = [&] { return connection && starts_reply_in(setting, connection->unread()); };
  try {
    connection = transport::connect(endpoint, connect);
    auto wait = transport::within_deadline(
        connect, std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::max<Clock::duration>(options.window, 4 * (Clock::now() - started))));
    connection->send(message);
    if (!connection->reply_within(wait)) return {Answer::Silent, false, false, "no answer in " + ms_text(wait)};
    codec::ReplyExtent extent;
    connection->receive([&](std::string_view bytes) {
      extent = codec::find_reply_end(connection->framed_protocol().value_or(protocol), bytes);
      return extent.consumed;
    });
    bool multiplexed = !options.service.empty() && extent.header.name == kProbeMethod;
    if (extent.header.seqid != kProbeSeqid) {
      Outcome out = broken("the reply has seqid " + std::to_string(extent.header.seqid) + ", the probe " +
                           std::to_string(kProbeSeqid));
      out.multiplexed = multiplexed;
      return out;
    }
    return {Answer::Replied, multiplexed, false, "answered"};
  } catch (const Error& e) {
    switch (e.failure()) {
      case TransportFailure::ConnectTimedOut:
        if (!options.known_reachable) throw;
        return {Answer::Silent, false, false, "no connection in " + ms_text(connect.connect_timeout)};
      case TransportFailure::Unreachable:
      case TransportFailure::TlsHandshakeFailed:
      case TransportFailure::Cancelled:
      case TransportFailure::HttpStatus:
        throw;
      case TransportFailure::TimedOut:
        if (began_reply()) return broken(e.message());
        return {Answer::Silent, false, false, "no answer in time"};
      case TransportFailure::ClosedWithoutReply:
        return {Answer::Closed, false, false, "closed"};
      case TransportFailure::Other:
        break;
    }
    if (began_reply()) return broken(e.message());
    std::string_view got = connection ? connection->unread() : std::string_view();
    return {Answer::Other, false, transport::looks_like_http_response(got), e.message()};
  }
}

// The same probe POSTed to http(s)://HOST:PORT/, in each protocol until one
// gets a Thrift reply; any HTTP status tells an HTTP server too. Returns
// whether it met silence.
bool probe_http(const ProbeOptions& options, ProbeResult& result) {
  transport::Endpoint http;
  http.kind = transport::EndpointKind::Http;
  std::string host = options.endpoint.host.find(':') != std::string::npos ? "[" + options.endpoint.host + "]"
                                                                          : options.endpoint.host;
  http.path = std::string(options.connect.tls.enabled ? "https://" : "http://") + host + ":" +
              std::to_string(options.endpoint.port) + "/";
  http.text = http.path;
  for (ProtocolKind protocol : {ProtocolKind::Binary, ProtocolKind::Compact, ProtocolKind::Json}) {
    if (past_deadline(options)) return false;
    Outcome out;
    try {
      out = probe_one(options, http, protocol, Framing::Buffered);
    } catch (const Error& e) {
      if (e.failure() == TransportFailure::HttpStatus) {
        result.http_url = http.path;
        result.http_answer = "POST / answered HTTP status " + std::to_string(e.http_status());
        return false;
      }
      if (e.unreachable()) return false;
      throw;
    }
    result.tried += std::string(result.tried.empty() ? "" : ", ") + "POST " + http.path + " in " +
                    codec::to_string(protocol) + ": " + out.note;
    if (out.answer == Answer::Replied || out.answer == Answer::Broken) {
      result.http_url = http.path;
      result.http_protocol = protocol;
      result.http_answer = std::string("a Thrift reply in ") + codec::to_string(protocol);
      return false;
    }
    // An HTTP server that cannot read this protocol closes without a
    // response: try the next. Silence, or bytes that are no HTTP response,
    // say it is no HTTP server.
    if (out.answer != Answer::Closed) return out.answer == Answer::Silent;
  }
  return false;
}

// A TLS handshake, verifying nothing: whether the server speaks TLS at all.
bool handshake_works(const ProbeOptions& options) {
  if (past_deadline(options)) return false;
  try {
    transport::Socket socket =
        transport::Socket::connect(options.endpoint, transport::within_deadline(options.connect, options.connect.connect_timeout));
    socket.start_tls(true, "", "", "", options.endpoint.host, transport::wait_until(options.connect, options.window));
    return true;
  } catch (const Error& e) {
    if (e.failure() == TransportFailure::Cancelled) throw;
    return false;
  }
}

}  // namespace

bool starts_reply_in(const ServerSetting& setting, std::string_view bytes) {
  transport::WireGuess guess = transport::detect_wire(bytes);
  switch (guess.wire) {
    case transport::Wire::Buffered: return setting.framing == Framing::Buffered && guess.protocol == setting.protocol;
    case transport::Wire::Framed: return setting.framing == Framing::Framed && guess.protocol == setting.protocol;
    case transport::Wire::Header: return setting.framing == Framing::Header;
    case transport::Wire::Zlib:
      return setting.framing == Framing::Zlib;
    case transport::Wire::FramedHeader:
      return setting.framing == Framing::FramedHeader;
    case transport::Wire::NeedMore:
    case transport::Wire::Http:
    case transport::Wire::Tls:
    case transport::Wire::Unknown: return false;
  }
  return false;
}

std::string ServerSetting::to_string() const {
  return std::string(codec::to_string(protocol)) + "/" + transport::to_string(framing) +
         (multiplexed ? ", multiplexed" : "");
}

ProbeResult probe_server(const ProbeOptions& options) {
  ProbeResult result;
  const bool http_endpoint = options.endpoint.kind == transport::EndpointKind::Http;
  const bool tcp = options.endpoint.kind == transport::EndpointKind::Tcp;
  auto allowed = [&](const ServerSetting& s) {
    return (!options.protocol || s.protocol == *options.protocol) && (!options.framing || s.framing == *options.framing);
  };
  std::vector<ServerSetting> order;
  auto add = [&](const ServerSetting& s) {
    // A body is a message or a THeader frame.
    if (http_endpoint && s.framing != Framing::Buffered && s.framing != Framing::Header) return;
    if (options.skip && options.skip->same_wire(s)) return;
    for (const ServerSetting& o : order)
      if (o.same_wire(s)) return;
    order.push_back(s);
  };
  if (options.first) add(*options.first);
  for (const ServerSetting& s : kOrder)
    if (allowed(s)) add(s);
  for (const ServerSetting& s : kOrder) add(s);

  // An HTTP probe that met a server busy with the call is worth repeating
  // once the call's bytes have read as an HTTP page.
  bool http_probed = options.skip_http && !options.http_first;
  bool http_silent = false;
  auto try_http = [&] {
    if (http_probed || !tcp) return false;
    http_probed = result.http_probed = true;
    http_silent = probe_http(options, result);
    return !result.http_url.empty();
  };
  if (options.http_first && try_http()) return result;
  int silent = 0;
  // Settings that met silence before a later probe was answered at once
  // (closed, refused): the server was slow then, not deaf to them.
  std::vector<ServerSetting> silent_while_slow, silent_since;
  // Once one probe connected, a connection not made in the window meets a busy server.
  ProbeOptions reachable = options;
  reachable.known_reachable = true;
  const ProbeOptions* current = &options;
  auto found = [&](const ServerSetting& s, const Outcome& out) {
    result.setting = s;
    result.setting->multiplexed = out.multiplexed;
    result.allowed = allowed(s);
    if (out.answer == Answer::Broken) result.broken_reply = out.note;
  };
  for (const ServerSetting& s : order) {
    if (options.stop && options.stop()) {
      result.stopped = true;
      return result;
    }
    if (past_deadline(options)) {
      result.out_of_time = true;
      return result;
    }
    Outcome out;
    try {
      out = probe_one(*current, options.endpoint, s.protocol, s.framing);
      current = &reachable;
    } catch (const Error& e) {
      if (e.failure() == TransportFailure::HttpStatus) {
        // An HTTP endpoint read the request: no protocol fixes a status.
        result.http_status = e.http_status();
        result.http_status_error = e.message();
        return result;
      }
      if (e.failure() != TransportFailure::TlsHandshakeFailed || !tcp) throw;
      // The TLS handshake failed: is the server plain?
      ProbeOptions plain = options;
      plain.connect.tls = {};
      ProbeResult without_tls = probe_server(plain);
      if (!without_tls.setting) throw;
      without_tls.refuses_tls = true;
      without_tls.allowed = false;
      return without_tls;
    }
    if (options.connect.trace) options.connect.trace("probe " + s.to_string() + ": " + out.note);
    result.tried += std::string(result.tried.empty() ? "" : ", ") + s.to_string() + ": " + out.note;
    if (out.answer == Answer::Replied || out.answer == Answer::Broken) {
      found(s, out);
      return result;
    }
    bool http_was_probed = http_probed;
    if ((out.answer == Answer::Silent || out.looks_http) && try_http()) return result;
    if (out.answer == Answer::Silent) {
      ++silent;
      silent_since.push_back(s);
    } else if (out.answer == Answer::Closed || out.answer == Answer::Other) {
      silent_while_slow.insert(silent_while_slow.end(), silent_since.begin(), silent_since.end());
      silent_since.clear();
    }
    if (http_probed && !http_was_probed && http_silent) ++silent;
    if (options.max_silent > 0 && silent >= options.max_silent) return result;
  }
  if (tcp && !options.connect.tls.enabled) result.speaks_tls = handshake_works(options);
  // Whether the search ran out of time is the first round's verdict: the
  // patient round below only adds a chance.
  result.out_of_time = past_deadline(options);
  // A server that stalled for a moment (a pause, a loaded machine) met the
  // first probes in silence and answered the later ones: those first ones
  // are asked again, with four times the window, before giving up. A
  // server that waits for more bytes of a setting it does not speak is
  // silent again, at the cost of that wait on a search that fails anyway;
  // a TLS server probed without --tls, which waits for a handshake, is not
  // asked again. An error ends the round: the first round's findings stand.
  if (options.max_silent == 0 && !result.speaks_tls) {
    ProbeOptions patient = reachable;
    patient.window = options.window * 4;
    for (const ServerSetting& s : silent_while_slow) {
      if (past_deadline(options)) break;
      Outcome out;
      try {
        out = probe_one(patient, options.endpoint, s.protocol, s.framing);
      } catch (const Error& e) {
        if (e.failure() == TransportFailure::Cancelled) throw;
        break;
      }
      if (options.connect.trace) options.connect.trace("probe " + s.to_string() + " again: " + out.note);
      result.tried += ", " + s.to_string() + " again: " + out.note;
      if (out.answer == Answer::Replied || out.answer == Answer::Broken) {
        found(s, out);
        return result;
      }
    }
  }
  return result;
}

std::string ProbeResult::advice(const std::optional<codec::ProtocolKind>& user_protocol,
                                const std::optional<transport::Framing>& user_framing, bool user_multiplexed,
                                bool user_tls) const {
  if (!http_url.empty())
    return "this is an HTTP server: use " + http_url + (http_protocol ? "" : "PATH") + " as the endpoint (" +
           http_answer + ")";
  if (setting && refuses_tls)
    return "the server does not speak TLS (it answers " + setting->to_string() + " without): drop --tls";
  if (setting) {
    std::string flags;
    auto add = [&](const std::string& flag) { flags += (flags.empty() ? "" : " ") + flag; };
    if (user_protocol && *user_protocol != setting->protocol)
      add(std::string("--protocol ") + codec::to_string(setting->protocol));
    if (user_framing && *user_framing != setting->framing)
      add(std::string("--transport ") + transport::to_string(setting->framing));
    if (setting->multiplexed && !user_multiplexed) add("--multiplex");
    if (flags.empty()) return "";
    return "the server answers " + setting->to_string() + ": use " + flags;
  }
  if (speaks_tls && !user_tls) return "the server speaks TLS: add --tls";
  return "";
}

}  // namespace thrift_call::call
