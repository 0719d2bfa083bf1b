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
#include "base/error.h"

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

namespace {

std::string le32(uint32_t v) {
  std::string b;
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return b;
}

// Whether reading a followed pcap file of `bytes` ends (false or an error)
// within `wait`; `error` gets the error's text.
bool followed_next_ends(const std::string& bytes, std::string& error, std::chrono::milliseconds wait) {
  FILE* file = std::tmpfile();
  std::fwrite(bytes.data(), 1, bytes.size(), file);
  std::rewind(file);
  std::unique_ptr<capture::PcapSource> source = capture::PcapSource::open_file(file, "test.pcap", "");
  source->set_follow(true);
  auto result = std::async(std::launch::async, [&] {
    capture::Packet p;
    try {
      while (source->next(p)) {
      }
    } catch (const Error& e) {
      error = e.message() + " (" + e.where() + ")";
    }
  });
  bool ended = result.wait_for(wait) == std::future_status::ready;
  source->stop();
  result.wait();
  return ended;
}

}  // namespace

TEST_CASE("a followed capture reports a damaged record instead of waiting forever", "[core][capture][bad-input]") {
  std::string header = le32(0xa1b2c3d4) + std::string("\x02\x00\x04\x00", 4) + le32(0) + le32(0) + le32(65535) + le32(101);
  std::string packet(40, '\x45');
  std::string good = le32(1) + le32(0) + le32(40) + le32(40) + packet;
  // A capture length past the snap length, with bytes after it: damage.
  std::string damaged = le32(2) + le32(0) + le32(0x7fffffff) + le32(40) + std::string(100, 'x');
  std::string error;
  CHECK(followed_next_ends(header + good + damaged, error, std::chrono::milliseconds(1500)));
  CHECK(error.find("after packet 1") != std::string::npos);
  // A record cut by the end of the file is waited for (the writer is still at it).
  error.clear();
  CHECK_FALSE(followed_next_ends(header + good + good.substr(0, 30), error, std::chrono::milliseconds(300)));
  CHECK(error.empty());
}
