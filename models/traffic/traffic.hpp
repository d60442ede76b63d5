// When devices have something to send.
#pragma once

#include <cstdint>

#include "sim/random.hpp"
#include "sim/time.hpp"

namespace m2msim::traffic {

struct TrafficPattern {
  enum class Kind : std::uint8_t { Periodic, Poisson };
  Kind kind = Kind::Periodic;
  /// Periodic: the period. Poisson: the mean inter-arrival time.
  Time interval = Time::hours(1);
  /// Periodic only: each packet is generated U[0, jitter) after its nominal
  /// instant offset + k·period. Nominal instants do not drift.
  Time jitter = Time::zero();
  std::uint32_t payload_bytes = 0;
};

/// Generates one device's packet instants. The first nominal instant is
/// uniform in [0, interval) (periodic) or one exponential draw (Poisson), so
/// devices do not start in lock step.
class TrafficSource {
 public:
  TrafficSource() = default;
  TrafficSource(const TrafficPattern& p, RandomStream rng);
  /// The next generation instant (non-decreasing across calls).
  Time next();

 private:
  TrafficPattern pattern_{};
  RandomStream rng_{};
  Time nominal_{};
  Time last_{};
  bool started_ = false;
};

}  // namespace m2msim::traffic
