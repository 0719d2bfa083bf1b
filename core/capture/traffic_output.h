// What decode and sniff print, from the messages the stream decoders read:
//   messages  NDJSON, one line per message (the default)
//   pairs     NDJSON, one line per call with its reply and latency_us
//   stats     one NDJSON line per method: count, errors, exceptions and
//             latency percentiles (p50, p90, p99, p99.9, max), at the end
// and, for messages and pairs, a human view (--pretty), in colour on a terminal.
//
// Calls pair with replies on the same connection by seqid; among calls with
// the same seqid (Apache's Python clients send 0 every time) the oldest
// unanswered one takes the reply, which is the order a connection answers in.
// JSON text is written straight into an output buffer, flushed in blocks.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/capture/latency_histogram.h"
#include "core/capture/tcp_reassembly.h"
#include "core/codec/message.h"

namespace thrift_call::capture {

enum class OutputMode { Messages, Pairs, Stats };

struct OutputOptions {
  OutputMode mode = OutputMode::Messages;
  bool pretty = false;
  bool color = false;
  size_t max_pending_calls = 4096;  // unanswered calls remembered per connection
};

struct MessageRecord {
  const ConnectionInfo* connection = nullptr;
  Side from = Side::Client;
  bool side_known = true;        // false for a bare byte stream: the message type tells
  int64_t time_us = 0;           // when its first byte was captured (0: unknown)
  const char* framing = "";      // "buffered", "framed", "header", "http", "http+header" (a THeader frame as the body)
  codec::ProtocolKind protocol = codec::ProtocolKind::Binary;
  const codec::AnyMessage* message = nullptr;
};

class TrafficOutput {
 public:
  static constexpr size_t kMaxStatsMethods = 10000;
  static constexpr size_t kMaxStatsKey = 256;

  TrafficOutput(OutputOptions options, FILE* out);
  ~TrafficOutput();

  void message(const MessageRecord& record);
  // The calls of this connection still unanswered are printed without a reply (pairs).
  void connection_closed(const ConnectionInfo& connection);
  // Prints what is left (stats) and flushes.
  void finish();
  void flush();

  uint64_t messages() const { return messages_; }

 private:
  struct PendingCall {
    int32_t seqid = 0;
    int64_t time_us = 0;
    std::string method;  // as printed
    std::string text;    // pairs: the line so far, up to the arguments
  };
  struct MethodStats {
    uint64_t calls = 0, errors = 0, exceptions = 0, unanswered = 0;
    LatencyHistogram latency;
  };

  void write_line_start(const MessageRecord& record);
  void write_reply_json(const codec::AnyMessage& message);
  void write_pretty(const MessageRecord& record);
  void unanswered(const PendingCall& call);
  // The row of a method: names from the wire are cut to kMaxStatsKey bytes,
  // and past kMaxStatsMethods rows the rest share one, "(other methods)".
  MethodStats& stats_for(const std::string& method);
  void maybe_flush() {
    if (buffer_.size() >= (size_t{1} << 16)) flush();
  }
  void write_time(int64_t time_us);

  OutputOptions options_;
  FILE* out_;
  std::string buffer_;
  std::string method_;  // scratch: the method as printed
  uint64_t messages_ = 0;
  std::unordered_map<uint64_t, std::deque<PendingCall>> pending_;  // by connection id
  std::map<std::string, MethodStats, std::less<>> stats_;  // at most kMaxStatsMethods + 1 rows
  int64_t cached_second_ = -1;
  std::string cached_time_prefix_;
};

// "Service.method" for a resolved function, else the name as sent.
void printed_method(const codec::AnyMessage& message, std::string& out);

// Bytes from the wire made safe for a terminal: printable ASCII as is, a
// backslash doubled, any other byte as \xNN; past `max` bytes of input,
// "..." ends it (0: no limit).
std::string escape_wire(std::string_view bytes, size_t max = 0);

}  // namespace thrift_call::capture
