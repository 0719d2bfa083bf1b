// Wire fuzzer: the first bytes a peer sends, as serve and decode sniff them
// (core/transport/wire_detect.h), and a THeader frame's header and payload,
// zlib included (core/transport/theader.h). The sniffer's verdict, once it
// has one, does not change as more bytes arrive; parse_theader gives a
// payload within its limit or an Error of kind Protocol.
//
// A zlib payload is opaque to byte mutations, so the mutator below reads the
// frame, changes what it carries (the payload before compression, the
// headers, the transforms, the protocol) and writes it again.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "core/capture/stream_decoder.h"
#include "core/codec/message.h"
#include "core/transport/theader.h"
#include "core/transport/wire_detect.h"
#include "base/error.h"

namespace {

using namespace thrift_call;

constexpr size_t kMaxPayload = 1 << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  transport::WireGuess verdict = transport::detect_wire(bytes);
  for (size_t n = 0; n <= std::min<size_t>(size, 8); ++n) {
    transport::WireGuess early = transport::detect_wire(bytes.substr(0, n));
    if (early.wire != transport::Wire::NeedMore &&
        (early.wire != verdict.wire || early.protocol != verdict.protocol))
      std::abort();
  }
  (void)transport::detect_message_protocol(bytes);
  (void)capture::starts_as_messages(bytes);
  if (size < 4) return 0;
  transport::THeaderReply frame;
  try {
    frame = transport::parse_theader(bytes.substr(4), kMaxPayload);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Protocol) std::abort();
    return 0;
  }
  if (frame.payload.size() > kMaxPayload) std::abort();
  // Written again with what it carries, the frame reads back the same.
  std::optional<codec::ProtocolKind> carried = transport::theader_protocol(frame.protocol_id);
  if (carried) {
    transport::THeaderOptions options;
    options.protocol = *carried;
    options.zlib = frame.zlib;
    options.headers = frame.headers;
    std::string again = transport::theader_frame(frame.payload, options);
    transport::THeaderReply reread = transport::parse_theader(std::string_view(again).substr(4), kMaxPayload);
    if (reread.payload != frame.payload || reread.headers != frame.headers || reread.zlib != frame.zlib ||
        reread.protocol_id != frame.protocol_id)
      std::abort();
  }
  // The message inside, as the client reads a reply from it.
  codec::ProtocolKind kind = carried.value_or(codec::ProtocolKind::Binary);
  codec::AnyMessage message;
  try {
    codec::decode_any_message(kind, frame.payload, [](const protocol::MessageHeader&) { return nullptr; }, {},
                              message);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Protocol) std::abort();
  }
  return 0;
}

// ---- The structure-aware mutator ----

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  std::minstd_rand rng(seed);
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  transport::THeaderReply frame;
  try {
    if (size < 4 || rng() % 4 == 0) return LLVMFuzzerMutate(data, size, max_size);
    frame = transport::parse_theader(bytes.substr(4), kMaxPayload);
  } catch (const Error&) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  transport::THeaderOptions options;
  // An id that is neither binary nor compact is kept only by byte mutations.
  options.protocol = transport::theader_protocol(frame.protocol_id).value_or(codec::ProtocolKind::Binary);
  options.zlib = frame.zlib;
  options.headers = std::move(frame.headers);
  std::string payload = std::move(frame.payload);
  switch (rng() % 5) {
    case 0:
    case 1: {
      size_t n = payload.size();
      payload.resize(n + 64);
      payload.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(payload.data()), n, payload.size()));
      break;
    }
    case 2: options.zlib = !options.zlib; break;
    case 3: options.protocol = rng() % 2 ? codec::ProtocolKind::Binary : codec::ProtocolKind::Compact; break;
    default:
      if (!options.headers.empty() && rng() % 2) options.headers.pop_back();
      else options.headers.push_back({"k" + std::to_string(rng() % 100), std::string(rng() % 300, 'v')});
  }
  std::string out = transport::theader_frame(payload, options);
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
