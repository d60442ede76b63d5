// Descriptive statistics used by collectors and summaries.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace m2msim {

/// The p-quantile (0 <= p <= 1) of `sorted` (ascending), by linear
/// interpolation between order statistics: definition 7 of Hyndman & Fan,
/// "Sample quantiles in statistical packages", Am. Stat. 50(4), 1996 — the
/// default of R's quantile() and numpy.quantile(). NaN for an empty sample.
double quantile_sorted(std::span<const double> sorted, double p);

/// A sample of values that keeps every observation (for exact quantiles).
class SampleCollector {
 public:
  void add(double v) {
    values_.push_back(v);
    sorted_ = false;
  }
  void reserve(std::size_t n) { values_.reserve(n); }
  [[nodiscard]] std::size_t count() const { return values_.size(); }
  [[nodiscard]] double mean() const;
  /// Sorts the sample on first use after an add().
  double quantile(double p);
  [[nodiscard]] const std::vector<double>& values() const { return values_; }

 private:
  std::vector<double> values_;
  bool sorted_ = true;
};

}  // namespace m2msim
