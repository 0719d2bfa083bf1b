// LogThrottle: serve's per-connection log lines, at most a few per second.
// A flood of bad connections (a scanner, a client in a loop, a descriptor
// shortage) must not fill a disk with one line each: past the rate, lines
// are counted, and one line says how many were not shown.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace thrift_call::serve {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LogThrottle(int lines_per_second = 20) : per_second_(lines_per_second) {}

  void line(const std::string& text) {
    auto now = Clock::now();
    if (now - window_start_ >= std::chrono::seconds(1)) {
      report_dropped();
      window_start_ = now;
      shown_ = 0;
    }
    if (shown_ >= per_second_) {
      ++dropped_;
      return;
    }
    ++shown_;
    std::fprintf(stderr, "thrift-call: %s\n", text.c_str());
  }

  // Says how many lines were not shown, if any (also when serve stops).
  void report_dropped() {
    if (dropped_ == 0) return;
    std::fprintf(stderr, "thrift-call: %llu more log lines in the last second were not shown\n",
                 static_cast<unsigned long long>(dropped_));
    dropped_ = 0;
  }

 private:
  int per_second_;
  int shown_ = 0;
  unsigned long long dropped_ = 0;
  Clock::time_point window_start_{};
};

}  // namespace thrift_call::serve
