#include "core/capture/traffic_output.h"

#include <ctime>

#include "core/codec/json_text.h"

namespace thrift_call::capture {

using codec::AnyMessage;
using codec::ReplyKind;
using protocol::MessageType;

namespace {

const char* color(bool on, const char* code) { return on ? code : ""; }

}  // namespace

void printed_method(const AnyMessage& message, std::string& out) {
  out.clear();
  if (message.fn && message.fn->service) {
    out.append(message.fn->service->name);
    out.push_back('.');
    out.append(message.fn->name);
  } else {
    out.append(message.header.name);
  }
}

std::string escape_wire(std::string_view bytes, size_t max) {
  static const char kHex[] = "0123456789abcdef";
  bool cut = max > 0 && bytes.size() > max;
  if (cut) bytes = bytes.substr(0, max);
  std::string out;
  out.reserve(bytes.size() + 3);
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      out.append("\\\\");
    } else if (u >= 0x20 && u < 0x7f) {
      out.push_back(c);
    } else {
      out.append("\\x");
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0f]);
    }
  }
  if (cut) out.append("...");
  return out;
}

TrafficOutput::TrafficOutput(OutputOptions options, FILE* out) : options_(options), out_(out) {
  buffer_.reserve(size_t{1} << 17);
}

TrafficOutput::~TrafficOutput() { flush(); }

void TrafficOutput::flush() {
  if (!buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
  buffer_.clear();
  std::fflush(out_);
}

void TrafficOutput::write_time(int64_t time_us) {
  int64_t second = time_us / 1000000;
  if (second != cached_second_) {
    cached_second_ = second;
    std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_time_prefix_ = text;
  }
  // Six digits and the Z by hand: snprintf showed in profiles at a million lines a second.
  char micro[7];
  int64_t fraction = time_us % 1000000;
  for (int i = 5; i >= 0; --i) {
    micro[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  micro[6] = 'Z';
  buffer_.append(cached_time_prefix_);
  buffer_.append(micro, sizeof micro);
}

void TrafficOutput::write_line_start(const MessageRecord& r) {
  const AnyMessage& m = *r.message;
  buffer_.append("{\"time\":");
  if (r.time_us > 0) {
    buffer_.push_back('"');
    write_time(r.time_us);
    buffer_.push_back('"');
  } else {
    buffer_.append("null");
  }
  codec::JsonText json(buffer_);
  buffer_.append(",\"flow\":");
  if (r.connection->quoted_name.empty()) {
    json.string(r.connection->name);
  } else {
    buffer_.append(r.connection->quoted_name);
  }
  bool from_client = r.side_known ? r.from == Side::Client
                                  : m.header.type == MessageType::Call || m.header.type == MessageType::Oneway;
  buffer_.append(from_client ? ",\"from\":\"client\"" : ",\"from\":\"server\"");
  buffer_.append(",\"framing\":\"");
  buffer_.append(r.framing);
  buffer_.append("\",\"protocol\":\"");
  buffer_.append(codec::to_string(r.protocol));
  buffer_.append("\",\"type\":\"");
  buffer_.append(protocol::to_string(m.header.type));
  buffer_.append("\",\"seqid\":");
  buffer_.append(std::to_string(m.header.seqid));
  buffer_.append(",\"method\":");
  if (m.fn) {  // IDL identifiers: nothing to escape
    buffer_.push_back('"');
    buffer_.append(method_);
    buffer_.push_back('"');
  } else {
    json.string(method_);
  }
  if (m.header.name.find(':') != std::string::npos) {
    buffer_.append(",\"service\":");
    json.string(std::string_view(m.header.name).substr(0, m.header.name.find(':')));
  }
}

void TrafficOutput::write_reply_json(const AnyMessage& m) {
  switch (m.reply_kind) {
    case ReplyKind::Success:
      buffer_.append("{\"return\":");
      buffer_.append(m.json.empty() ? std::string_view("null") : std::string_view(m.json));
      buffer_.push_back('}');
      break;
    case ReplyKind::DeclaredException:
      buffer_.append("{\"throw\":");
      buffer_.append(m.json);
      buffer_.push_back('}');
      break;
    case ReplyKind::ApplicationException: {
      codec::JsonText json(buffer_);
      buffer_.append("{\"error\":{\"type\":");
      buffer_.append(std::to_string(m.application_exception.type));
      buffer_.append(",\"name\":\"");
      buffer_.append(codec::application_exception_type_name(m.application_exception.type));
      buffer_.append("\",\"message\":");
      json.string(m.application_exception.message);
      buffer_.append("}}");
      break;
    }
  }
}

void TrafficOutput::write_pretty(const MessageRecord& r) {
  const AnyMessage& m = *r.message;
  bool c = options_.color;
  if (r.time_us > 0) {
    write_time(r.time_us);
    buffer_.erase(buffer_.size() - 1);  // the Z
    buffer_.push_back(' ');
  }
  buffer_.append(r.connection->name);
  bool is_call = m.header.type == MessageType::Call || m.header.type == MessageType::Oneway;
  buffer_.append(is_call ? "  --> " : "  <-- ");
  buffer_.append(color(c, is_call ? "\033[1;36m" : "\033[1;32m"));
  buffer_.append(protocol::to_string(m.header.type));
  buffer_.push_back(' ');
  if (m.fn) {  // an IDL identifier
    buffer_.append(method_);
  } else {     // the wire's: no escape sequences or newlines reach the terminal
    buffer_.append(escape_wire(method_));
  }
  buffer_.append(color(c, "\033[0m"));
  buffer_.append(" #");
  buffer_.append(std::to_string(m.header.seqid));
  buffer_.push_back(' ');
  if (is_call) {
    buffer_.append(m.json);
  } else {
    bool failed = m.reply_kind != ReplyKind::Success;
    buffer_.append(color(c && failed, "\033[1;31m"));
    write_reply_json(m);
    buffer_.append(color(c && failed, "\033[0m"));
  }
  buffer_.push_back('\n');
}

void TrafficOutput::message(const MessageRecord& r) {
  ++messages_;
  const AnyMessage& m = *r.message;
  printed_method(m, method_);
  bool is_call = m.header.type == MessageType::Call || m.header.type == MessageType::Oneway;
  if (options_.mode == OutputMode::Messages) {
    if (options_.pretty) {
      write_pretty(r);
    } else {
      write_line_start(r);
      if (is_call) {
        buffer_.append(",\"args\":");
        buffer_.append(m.json.empty() ? std::string_view("{}") : std::string_view(m.json));
      } else {
        buffer_.append(",\"reply\":");
        write_reply_json(m);
      }
      buffer_.append("}\n");
    }
    maybe_flush();
    return;
  }

  // Pairs and stats: calls wait for their reply.
  std::deque<PendingCall>& pending = pending_[r.connection->id];
  if (is_call) {
    PendingCall call;
    call.seqid = m.header.seqid;
    call.time_us = r.time_us;
    if (options_.mode == OutputMode::Stats) call.method.assign(method_, 0, kMaxStatsKey);  // its row, as stats_for cuts it
    if (options_.mode == OutputMode::Pairs) {
      std::string saved;
      saved.swap(buffer_);
      if (options_.pretty) {
        write_pretty(r);
      } else {
        write_line_start(r);
        buffer_.append(",\"args\":");
        buffer_.append(m.json.empty() ? std::string_view("{}") : std::string_view(m.json));
      }
      call.text.swap(buffer_);
      buffer_.swap(saved);
    }
    if (m.header.type == MessageType::Oneway) {
      if (options_.mode == OutputMode::Stats) {
        ++stats_for(method_).calls;
      } else {
        buffer_.append(call.text);
        if (!options_.pretty) buffer_.append(",\"reply\":null,\"latency_us\":null}\n");
      }
      maybe_flush();
      return;
    }
    if (pending.size() >= options_.max_pending_calls) {
      unanswered(pending.front());
      pending.pop_front();
    }
    pending.push_back(std::move(call));
    return;
  }

  auto match = pending.begin();
  while (match != pending.end() && match->seqid != m.header.seqid) ++match;
  int64_t latency = match != pending.end() && match->time_us > 0 && r.time_us > 0 ? r.time_us - match->time_us : -1;
  if (options_.mode == OutputMode::Stats) {
    MethodStats& s = stats_for(match != pending.end() ? match->method : method_);
    ++s.calls;
    if (m.reply_kind == ReplyKind::ApplicationException) ++s.errors;
    if (m.reply_kind == ReplyKind::DeclaredException) ++s.exceptions;
    if (latency >= 0) s.latency.add(latency);
  } else if (match == pending.end()) {
    // A reply to a call the capture does not hold: printed on its own.
    if (options_.pretty) {
      write_pretty(r);
    } else {
      write_line_start(r);
      buffer_.append(",\"args\":null,\"reply\":");
      write_reply_json(m);
      buffer_.append(",\"latency_us\":null}\n");
    }
  } else if (options_.pretty) {
    buffer_.append(match->text);
    write_pretty(r);
    if (latency >= 0) {
      buffer_.erase(buffer_.size() - 1);
      buffer_.append("  (" + std::to_string(latency) + " us)\n");
    }
  } else {
    buffer_.append(match->text);
    buffer_.append(",\"reply\":");
    write_reply_json(m);
    buffer_.append(",\"latency_us\":");
    buffer_.append(latency >= 0 ? std::to_string(latency) : std::string("null"));
    buffer_.append("}\n");
  }
  if (match != pending.end()) pending.erase(match);
  maybe_flush();
}

TrafficOutput::MethodStats& TrafficOutput::stats_for(const std::string& method) {
  std::string_view key = std::string_view(method).substr(0, kMaxStatsKey);
  auto found = stats_.find(key);
  if (found != stats_.end()) return found->second;
  if (stats_.size() >= kMaxStatsMethods) return stats_["(other methods)"];
  return stats_[std::string(key)];
}

void TrafficOutput::unanswered(const PendingCall& call) {
  if (options_.mode == OutputMode::Stats) {
    MethodStats& s = stats_for(call.method);
    ++s.calls;
    ++s.unanswered;
    return;
  }
  buffer_.append(call.text);
  if (options_.pretty) {
    buffer_.append("  (no reply)\n");
  } else {
    buffer_.append(",\"reply\":null,\"latency_us\":null}\n");
  }
}

void TrafficOutput::connection_closed(const ConnectionInfo& connection) {
  auto found = pending_.find(connection.id);
  if (found == pending_.end()) return;
  for (const PendingCall& call : found->second) unanswered(call);
  pending_.erase(found);
  maybe_flush();
}

void TrafficOutput::finish() {
  if (options_.mode == OutputMode::Stats) {
    for (const auto& [method, s] : stats_) {
      codec::JsonText json(buffer_);
      buffer_.append("{\"method\":");
      json.string(method);
      buffer_.append(",\"count\":" + std::to_string(s.calls) + ",\"errors\":" + std::to_string(s.errors) +
                     ",\"exceptions\":" + std::to_string(s.exceptions) +
                     ",\"unanswered\":" + std::to_string(s.unanswered) + ",\"latency_us\":{\"p50\":" +
                     std::to_string(s.latency.percentile(50)) + ",\"p90\":" + std::to_string(s.latency.percentile(90)) +
                     ",\"p99\":" + std::to_string(s.latency.percentile(99)) +
                     ",\"p99.9\":" + std::to_string(s.latency.percentile(99.9)) +
                     ",\"max\":" + std::to_string(s.latency.max()) + "}}\n");
    }
  }
  flush();
}

}  // namespace thrift_call::capture
