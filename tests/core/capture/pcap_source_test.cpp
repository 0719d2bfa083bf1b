// libpcap sources on odd files: times that do not fit, a damaged record
// in a file being followed.
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <memory>
#include <cstdio>
#include <future>
#include <limits>
#include <string>

#include "core/capture/pcap_source.h"
#include "idl/error.h"

using namespace thrift_call;

TEST_CASE("a capture time past int64_t microseconds saturates", "[core][capture][bad-input]") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  CHECK(capture::pcap_time_us(1796308008, 123456) == int64_t{1796308008123456});
  CHECK(capture::pcap_time_us(kMax / 1000, 999999) == kMax);
  CHECK(capture::pcap_time_us(kMax / 1000000, 999999) == kMax);
  CHECK(capture::pcap_time_us(kMin / 1000, 0) == kMin);
}

namespace {

struct FakeSource : capture::PcapSource {
  bool stopped = false;
  bool next(capture::Packet&) override { throw Error(ErrorKind::Input, "damaged"); }
  void stop() override { stopped = true; }
  void set_follow(bool) override {}
};

volatile std::sig_atomic_t g_before_handler_calls = 0;
extern "C" void count_signal(int) { g_before_handler_calls = g_before_handler_calls + 1; }

}  // namespace

TEST_CASE("Ctrl-C stops the source only while sniff reads it, an error ending that too", "[core][capture][bad-input]") {
  struct sigaction before{}, saved{};
  before.sa_handler = count_signal;
  sigemptyset(&before.sa_mask);
  sigaction(SIGINT, &before, &saved);
  {
    auto source = std::make_unique<FakeSource>();
    try {
      capture::StopOnSignals guard(*source);
      std::raise(SIGINT);
      CHECK(source->stopped);
      capture::Packet p;
      source->next(p);  // throws, as a damaged capture does
    } catch (const Error&) {
    }
    source.reset();  // a signal now must not reach the destroyed source
  }
  std::raise(SIGINT);
  CHECK(g_before_handler_calls == 1);
  sigaction(SIGINT, &saved, nullptr);
}
