// One direction of a connection (or a bare dump of bytes) read as Thrift:
// the framing found from the first bytes (unframed, framed, THeader, HTTP
// request and response bodies), the protocol of each message (binary strict
// and old, compact, JSON), each message decoded with the IDL when it names a
// known method, raw otherwise.
//
// Bytes that are not Thrift (garbage, a message cut by a capture gap) are
// skipped until the next place a message decodes; a warning says how many
// bytes were skipped and from which stream offset. The buffer never holds
// more than one message (at most --max-message bytes) past what is decoded.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/capture/tcp_reassembly.h"
#include "core/capture/traffic_output.h"
#include "core/codec/message.h"
#include "idl/schema.h"

namespace thrift_call::capture {

// Functions by the name a message carries: "Service:method" (multiplexed)
// or a bare "method" when only one service of the IDL has it.
class MethodIndex {
 public:
  explicit MethodIndex(const idl::Schema* schema);
  const idl::Function* find(const std::string& name) const;

 private:
  std::unordered_map<std::string, const idl::Function*> by_name_;  // nullptr: ambiguous
};

struct DecoderOptions {
  codec::DecodeOptions decode;
  size_t max_message = size_t{16} << 20;
  OutputOptions output;
  ReassemblyOptions reassembly;
};

// The whole pipeline: packets (or a bare byte stream) in, output lines out.
class TrafficDecoder {
 public:
  using Warn = std::function<void(const std::string&)>;
  TrafficDecoder(const idl::Schema* schema, DecoderOptions options, FILE* out, Warn warn);
  ~TrafficDecoder();

  void packet(const Packet& packet);
  // A dump of Thrift messages without packets (raw bytes, hex, base64): one
  // stream named `name`; calls and replies tell themselves apart.
  void byte_stream(const std::string& name, std::string_view bytes);
  // Ends every connection and prints what is left.
  void finish();
  void flush() { output_.flush(); }

  uint64_t messages() const { return output_.messages(); }
  uint64_t packets() const { return reassembler_.packets(); }

  class Connection;
  class Stream;

 private:
  MethodIndex index_;
  DecoderOptions options_;
  Warn warn_;
  TrafficOutput output_;
  TcpReassembler reassembler_;
  codec::AnyMessage scratch_;  // shared by every stream: one message at a time
};

// Whether a byte stream (a dump that is not a capture) starts as Thrift
// messages do, in any framing: decode reads it as traffic, else as one value.
bool starts_as_messages(std::string_view bytes);

}  // namespace thrift_call::capture
