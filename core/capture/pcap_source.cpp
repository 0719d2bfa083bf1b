#include "core/capture/pcap_source.h"

#include <pcap/pcap.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <limits>
#include <thread>

#include "core/platform/dynamic_library.h"
#include "base/error.h"

namespace thrift_call::capture {

namespace {

struct Pcap {
  DynamicLibrary library{"libpcap.so.0.8", "libpcap0.8", "reading captures (decode, sniff)", ErrorKind::Input};
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_fopen_offline_with_tstamp_precision);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_create);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_set_snaplen);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_set_promisc);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_set_timeout);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_set_immediate_mode);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_set_tstamp_precision);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_activate);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_statustostr);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_next_ex);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_datalink);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_geterr);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_close);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_compile);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_setfilter);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_freecode);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_file);
  THRIFT_CALL_DYNAMIC_FUNCTION(pcap_breakloop);
};

const Pcap& pcap() {
  static const Pcap instance;
  return instance;
}

class LibpcapSource : public PcapSource {
 public:
  LibpcapSource(pcap_t* handle, std::string where, bool live, ErrorKind kind)
      : handle_(handle), where_(std::move(where)), live_(live), kind_(kind) {
    link_type_ = pcap().pcap_datalink(handle_);
  }
  ~LibpcapSource() override { pcap().pcap_close(handle_); }

  void apply_filter(const std::string& filter) {
    if (filter.empty()) return;
    bpf_program program{};
    if (pcap().pcap_compile(handle_, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      throw Error(ErrorKind::Usage, std::string("bad filter: ") + pcap().pcap_geterr(handle_), filter);
    int rc = pcap().pcap_setfilter(handle_, &program);
    pcap().pcap_freecode(&program);
    if (rc != 0) throw Error(ErrorKind::Usage, std::string("cannot apply the filter: ") + pcap().pcap_geterr(handle_), filter);
  }

  bool next(Packet& packet) override {
    for (;;) {
      if (stopped_) return false;
      FILE* file = follow_ ? pcap().pcap_file(handle_) : nullptr;
      long position = file ? std::ftell(file) : -1;
      pcap_pkthdr* header = nullptr;
      const u_char* data = nullptr;
      int rc = pcap().pcap_next_ex(handle_, &header, &data);
      if (rc == 1) {
        ++count_;
        packet.time_us = pcap_time_us(header->ts.tv_sec, header->ts.tv_usec);
        packet.link_type = link_type_;
        packet.data = std::string_view(reinterpret_cast<const char*>(data), header->caplen);
        packet.wire_length = header->len;
        return true;
      }
      if (rc == 0) continue;  // a live capture's timeout: no packet yet
      bool at_end = rc == PCAP_ERROR_BREAK;
      // A record cut by the end of the file (libpcap's read hit it): the
      // writer has not finished it yet. Any other error is damage: reported.
      bool cut_at_end = file && rc == PCAP_ERROR && std::feof(file);
      if (follow_ && file && position >= 0 && (at_end || cut_at_end)) {
        // Read it again later.
        std::clearerr(file);
        std::fseek(file, position, SEEK_SET);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      if (at_end) return false;
      throw Error(kind_, std::string(pcap().pcap_geterr(handle_)),
                  where_ + ", after packet " + std::to_string(count_));
    }
  }

  void stop() override {
    stopped_ = true;
    if (live_) pcap().pcap_breakloop(handle_);
  }
  void set_follow(bool follow) override { follow_ = follow; }

 private:
  pcap_t* handle_;
  std::string where_;
  bool live_;
  ErrorKind kind_;
  int link_type_ = 0;
  uint64_t count_ = 0;
  bool follow_ = false;
  std::atomic<bool> stopped_{false};
};

}  // namespace

namespace {

std::atomic<PcapSource*> g_stopped_by_signal{nullptr};
struct sigaction g_saved_actions[2];

extern "C" void stop_on_signal(int) {
  if (PcapSource* source = g_stopped_by_signal.load()) source->stop();
}

}  // namespace

StopOnSignals::StopOnSignals(PcapSource& source) : saved_(g_saved_actions) {
  g_stopped_by_signal = &source;
  struct sigaction action{};
  action.sa_handler = stop_on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &saved_[0]);
  sigaction(SIGTERM, &action, &saved_[1]);
}

StopOnSignals::~StopOnSignals() {
  sigaction(SIGINT, &saved_[0], nullptr);
  sigaction(SIGTERM, &saved_[1], nullptr);
  g_stopped_by_signal = nullptr;
}

int64_t pcap_time_us(int64_t seconds, int64_t microseconds) {
  int64_t us = 0;
  if (__builtin_mul_overflow(seconds, int64_t{1000000}, &us) || __builtin_add_overflow(us, microseconds, &us))
    return seconds < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  return us;
}

bool is_pcap_magic(std::string_view b) {
  if (b.size() < 4) return false;
  static const char* const magics[] = {"\xa1\xb2\xc3\xd4", "\xd4\xc3\xb2\xa1", "\xa1\xb2\x3c\x4d", "\x4d\x3c\xb2\xa1",
                                       "\x0a\x0d\x0d\x0a"};
  for (const char* m : magics)
    if (std::memcmp(b.data(), m, 4) == 0) return true;
  return false;
}

std::unique_ptr<PcapSource> PcapSource::open_file(FILE* file, const std::string& where, const std::string& filter) {
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_t* handle = pcap().pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, error);
  if (!handle) {
    std::fclose(file);
    throw Error(ErrorKind::Input, std::string("not a capture libpcap can read: ") + error, where);
  }
  auto source = std::make_unique<LibpcapSource>(handle, where, false, ErrorKind::Input);
  source->apply_filter(filter);
  return source;
}

std::unique_ptr<PcapSource> PcapSource::open_live(const std::string& interface, const std::string& filter) {
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_t* handle = pcap().pcap_create(interface.c_str(), error);
  if (!handle) throw Error(ErrorKind::Transport, std::string("cannot capture: ") + error, interface);
  pcap().pcap_set_snaplen(handle, 262144);
  pcap().pcap_set_promisc(handle, 0);
  pcap().pcap_set_timeout(handle, 100);
  pcap().pcap_set_immediate_mode(handle, 1);
  pcap().pcap_set_tstamp_precision(handle, PCAP_TSTAMP_PRECISION_MICRO);
  int rc = pcap().pcap_activate(handle);
  if (rc < 0) {
    std::string reason = rc == PCAP_ERROR_PERM_DENIED
                             ? "permission denied: capturing needs root or the cap_net_raw capability "
                               "(setcap cap_net_raw,cap_net_admin=eip thrift-call)"
                         : rc == PCAP_ERROR_NO_SUCH_DEVICE ? "no such interface"
                                                           : std::string(pcap().pcap_geterr(handle));
    if (reason.empty()) reason = pcap().pcap_statustostr(rc);
    pcap().pcap_close(handle);
    throw Error(ErrorKind::Transport, "cannot capture: " + reason, interface);
  }
  auto source = std::make_unique<LibpcapSource>(handle, interface, true, ErrorKind::Transport);
  source->apply_filter(filter);
  return source;
}

}  // namespace thrift_call::capture
