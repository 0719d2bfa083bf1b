// Packets from libpcap: a capture file (pcap or pcapng, any link type
// libpcap knows) or a live interface. libpcap is opened when first needed
// (core/platform/dynamic_library.h), so other verbs never load it.
#pragma once

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace thrift_call::capture {

struct Packet {
  int64_t time_us = 0;
  int link_type = 0;       // a DLT_* value, as pcap_datalink() returns it
  std::string_view data;   // the bytes captured (valid until the next call)
  uint32_t wire_length = 0;
};

class PcapSource {
 public:
  // A capture file; `file` is taken over (it may be stdin). `where` names it
  // in errors. `filter` is BPF text ("" for none). Throws Error (Input) for a
  // file libpcap cannot read, with libpcap's reason.
  static std::unique_ptr<PcapSource> open_file(FILE* file, const std::string& where, const std::string& filter);
  // A live capture on `interface`. Throws Error (Transport) with a clear
  // reason when the capture cannot start (no permission, no such interface).
  static std::unique_ptr<PcapSource> open_live(const std::string& interface, const std::string& filter);

  virtual ~PcapSource() = default;
  // The next packet; false at the end of a file. A live capture returns
  // false only after stop(). Throws Error (Input) for a damaged file, with
  // the packet number; the packets before it have been returned.
  virtual bool next(Packet& packet) = 0;
  // For a live capture: makes next() return false (from a signal handler too).
  virtual void stop() = 0;
  // For a file still being written: makes next() wait for more at the end
  // instead of returning false.
  virtual void set_follow(bool follow) = 0;
};

// While it lives, SIGINT and SIGTERM stop `source` (sniff's Ctrl-C); its
// end, by an exception too, puts back the handlers there were before and
// forgets the source. One at a time.
class StopOnSignals {
 public:
  explicit StopOnSignals(PcapSource& source);
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  struct sigaction* saved_;  // SIGINT's and SIGTERM's
};

// A record's time in microseconds since the epoch, saturated at the ends of
// int64_t (a pcapng file with a coarse resolution can hold seconds whose
// microseconds do not fit).
int64_t pcap_time_us(int64_t seconds, int64_t microseconds);

// Whether the first bytes of a file are a pcap or pcapng magic number.
bool is_pcap_magic(std::string_view first_bytes);

}  // namespace thrift_call::capture
