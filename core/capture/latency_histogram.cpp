#include "core/capture/latency_histogram.h"

#include <algorithm>
#include <bit>

namespace thrift_call::capture {

namespace {

// Integer arithmetic only: a logarithm, or ceil at -O0, would make the
// binary load libm at start, 0.3 ms of every call (README, "Performance").
constexpr int kSubBucketBits = 7;

size_t bucket_of(int64_t v) {
  if (v < (int64_t{1} << kSubBucketBits)) return static_cast<size_t>(v);
  auto u = static_cast<uint64_t>(v);
  int shift = std::bit_width(u) - 1 - kSubBucketBits;
  size_t under_top = (u >> shift) & ((uint64_t{1} << kSubBucketBits) - 1);
  return (static_cast<size_t>(shift + 1) << kSubBucketBits) + under_top;
}

}  // namespace

void LatencyHistogram::add(int64_t v) {
  v = std::max<int64_t>(v, 0);
  size_t b = bucket_of(v);
  if (counts_.size() <= b) {
    counts_.resize(b + 1);
    largest_.resize(b + 1);
  }
  ++counts_[b];
  largest_[b] = std::max(largest_[b], v);
  ++count_;
  max_ = std::max(max_, v);
}

int64_t LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return 0;
  // The rank, ceil(p% of the count), in integers: in doubles 99.9% of 1000
  // is 999.0000000000001, and its ceiling the maximum.
  auto tenths = static_cast<uint64_t>(p * 10 + 0.5);
  uint64_t rank = std::max<uint64_t>((count_ * tenths + 999) / 1000, 1);
  uint64_t seen = 0;
  for (size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) return largest_[b];
  }
  return max_;
}

}  // namespace thrift_call::capture
