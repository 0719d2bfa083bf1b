// Latency percentiles in bounded memory, for decode --stats: latencies below
// 256 us are counted exactly; above, in buckets that keep the top 8
// significant bits (HdrHistogram's layout: the top bit's position, then the
// 7 bits under it), at most 1/128 (0.8%) wide: 2 KB per doubling, under
// 64 KB per method whatever the capture's size. Each percentile is a
// latency that occurred (the largest in its bucket), less than 1% above the
// exact one.
#pragma once

#include <cstdint>
#include <vector>

namespace thrift_call::capture {

class LatencyHistogram {
 public:
  void add(int64_t microseconds);  // negative counts as 0
  // The latency at percentile p (0 < p <= 100, rounded to a tenth); 0 when
  // nothing was added.
  int64_t percentile(double p) const;
  int64_t max() const { return max_; }

 private:
  std::vector<uint64_t> counts_;
  std::vector<int64_t> largest_;  // the largest latency counted in each bucket
  uint64_t count_ = 0;
  int64_t max_ = 0;
};

}  // namespace thrift_call::capture
