#include "sim/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace m2msim {

double quantile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  p = std::clamp(p, 0.0, 1.0);
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double f = h - static_cast<double>(lo);
  // Exactly on a sample, or between equal ones (two infinite battery lives,
  // say, whose difference is not a number): that value.
  if (f == 0.0 || sorted[hi] == sorted[lo]) return sorted[lo];
  return sorted[lo] + f * (sorted[hi] - sorted[lo]);
}

double SampleCollector::mean() const {
  if (values_.empty()) return std::numeric_limits<double>::quiet_NaN();
  double s = 0.0;
  for (double v : values_) s += v;
  return s / static_cast<double>(values_.size());
}

double SampleCollector::quantile(double p) {
  if (!sorted_) {
    std::sort(values_.begin(), values_.end());
    sorted_ = true;
  }
  return quantile_sorted(values_, p);
}

}  // namespace m2msim
