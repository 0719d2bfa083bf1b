// decode --stats percentiles: observed latencies, less than 1% above the
// exact percentile, in memory that does not grow with the count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/capture/latency_histogram.h"

using thrift_call::capture::LatencyHistogram;

namespace {
// p in tenths of a percent, so that the rank is exact.
int64_t exact_percentile(std::vector<int64_t> values, int p_tenths) {
  std::sort(values.begin(), values.end());
  size_t rank = (values.size() * static_cast<size_t>(p_tenths) + 999) / 1000;
  return values[std::max<size_t>(rank, 1) - 1];
}
}  // namespace

TEST_CASE("latency percentiles are observed values less than 1% above the exact ones", "[capture][stats]") {
  std::mt19937_64 random(7);
  // Spread over microseconds to hours, and a run of equal values.
  std::vector<int64_t> values;
  for (int i = 0; i < 20000; ++i) values.push_back(static_cast<int64_t>(std::exp2(std::uniform_real_distribution<>(0, 33)(random))));
  values.insert(values.end(), 500, 999);
  LatencyHistogram histogram;
  for (int64_t v : values) histogram.add(v);
  for (int p_tenths : {10, 250, 500, 900, 990, 999, 1000}) {
    INFO("p" << p_tenths / 10.0);
    int64_t exact = exact_percentile(values, p_tenths);
    int64_t got = histogram.percentile(p_tenths / 10.0);
    CHECK(std::find(values.begin(), values.end(), got) != values.end());
    CHECK(got >= exact);
    CHECK(static_cast<double>(got) < static_cast<double>(exact) * 1.01 + 1);
    if (exact < 256) CHECK(got == exact);
  }
  CHECK(histogram.max() == *std::max_element(values.begin(), values.end()));
}

TEST_CASE("p99.9 of 1000 latencies is the 999th, not the largest", "[capture][stats]") {
  LatencyHistogram histogram;
  for (int i = 0; i < 999; ++i) histogram.add(10);
  histogram.add(5000);
  CHECK(histogram.percentile(99.9) == 10);
  CHECK(histogram.percentile(100) == 5000);
}

TEST_CASE("latency histograms start empty and count below 256 us exactly", "[capture][stats]") {
  LatencyHistogram histogram;
  CHECK(histogram.percentile(50) == 0);
  for (int64_t v : {5, 127, 128, 129, 255, 256, 257}) histogram.add(v);
  CHECK(histogram.percentile(1) == 5);
  CHECK(histogram.percentile(28) == 127);
  CHECK(histogram.percentile(42) == 128);
  CHECK(histogram.percentile(57) == 129);
  CHECK(histogram.percentile(71) == 255);
  // From 256 up a bucket is 2 wide: 256 is counted with 257, the largest in it.
  CHECK(histogram.percentile(85) == 257);
  CHECK(histogram.percentile(100) == 257);
  CHECK(histogram.max() == 257);

  LatencyHistogram clock_went_back;
  clock_went_back.add(-3);
  CHECK(clock_went_back.percentile(50) == 0);
  CHECK(clock_went_back.max() == 0);
}
