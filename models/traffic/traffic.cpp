#include "models/traffic/traffic.hpp"

#include <algorithm>

namespace m2msim::traffic {

TrafficSource::TrafficSource(const TrafficPattern& p, RandomStream rng) : pattern_(p), rng_(rng) {}

Time TrafficSource::next() {
  const double interval_s = pattern_.interval.to_seconds();
  if (pattern_.kind == TrafficPattern::Kind::Poisson) {
    nominal_ += Time::from_seconds(rng_.exponential(interval_s));
    last_ = nominal_;
    return last_;
  }
  if (!started_) {
    nominal_ = Time::from_seconds(rng_.uniform() * interval_s);
    started_ = true;
  } else {
    nominal_ += pattern_.interval;
  }
  Time t = nominal_;
  if (pattern_.jitter > Time::zero()) t += Time::from_seconds(rng_.uniform() * pattern_.jitter.to_seconds());
  // Jitter larger than the period could reorder packets; keep them in order.
  last_ = std::max(last_, t);
  return last_;
}

}  // namespace m2msim::traffic
