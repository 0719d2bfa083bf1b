// What decode and sniff read, fed to the traffic decoder: a capture (pcap or
// pcapng, a file, stdin or a live interface) packet by packet, or a dump of
// messages (raw bytes, hex, hex dumps, base64) as packets or one stream. The
// verbs only parse their flags and print.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/function_ref.h"
#include "core/capture/pcap_source.h"
#include "core/capture/stream_decoder.h"

namespace thrift_call::capture {

struct TrafficInputOptions {
  std::string input = "auto";  // auto, pcap, raw, hex, hexdump, xxd, base64
  bool messages = false;       // message mode even when the input does not start as messages do
  bool follow = false;         // keep reading a capture file that is still being written
  bool flush_each = false;     // print each packet's lines as it comes (not with --stats)
  std::string filter;          // BPF, for a capture
};

// Reads `file` ("-": stdin) and feeds it to the decoder `decoder()` returns
// (made when first needed, so that an input that is one value loads no
// IDL for messages). Returns the bytes of one raw value instead when the
// input is neither a capture nor starts as messages do, and not
// `options.messages`: the caller decodes them as `decode --type raw` would.
// Throws Error (Usage) for a file that cannot be opened, and whatever the
// capture or the dump's parser throws, after the decoder printed what came
// before the damage.
std::optional<std::string> feed_traffic_input(const std::string& file, const TrafficInputOptions& options,
                                              FunctionRef<TrafficDecoder&()> decoder);

// Value mode's bytes: a dump read as message mode reads it (`input`, else
// told from the text), but of one stream: a value is not a packet.
std::string value_bytes(std::string text, const std::string& input, const std::string& file);

// Feeds `source` to `decoder` until the source ends or, when
// `max_messages` is not 0, that many messages were decoded. With
// `flush_each`, each packet's lines are printed as it comes. What was read
// before an error is printed (decoder.finish()), then the error goes on.
void pump(PcapSource& source, TrafficDecoder& decoder, bool flush_each, uint64_t max_messages = 0);

}  // namespace thrift_call::capture
