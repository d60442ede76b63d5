#include "models/traffic/traffic.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace m2msim::traffic {
namespace {

TEST(TrafficSource, PeriodicWithoutJitterIsExactlyPeriodic) {
  TrafficPattern p{TrafficPattern::Kind::Periodic, Time::minutes(15), Time::zero(), 20};
  TrafficSource s(p, RandomStream(5));
  const Time first = s.next();
  EXPECT_GE(first, Time::zero());
  EXPECT_LT(first, Time::minutes(15));
  Time prev = first;
  for (int i = 0; i < 100; ++i) {
    const Time t = s.next();
    EXPECT_EQ(t - prev, Time::minutes(15));
    prev = t;
  }
}

TEST(TrafficSource, PeriodicJitterStaysWithinItsWindowAndDoesNotDrift) {
  TrafficPattern p{TrafficPattern::Kind::Periodic, Time::minutes(10), Time::seconds(30), 20};
  TrafficSource s(p, RandomStream(6));
  const Time first = s.next();  // nominal offset + jitter
  for (int k = 1; k <= 1000; ++k) {
    const Time t = s.next();
    // Instant k lies in [offset + k·period, offset + k·period + jitter), and
    // first lies in [offset, offset + jitter): so |t − first − k·period| < 30 s.
    const Time d = t - first - Time::minutes(10) * k;
    EXPECT_LT(d, Time::seconds(30));
    EXPECT_GT(d, Time::seconds(-30));
  }
}

TEST(TrafficSource, PoissonInterArrivalsHaveTheMeanAndUnitCoefficientOfVariation) {
  TrafficPattern p{TrafficPattern::Kind::Poisson, Time::seconds(60), Time::zero(), 20};
  TrafficSource s(p, RandomStream(7));
  const int n = 200000;
  Time prev = Time::zero();
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const Time t = s.next();
    const double x = (t - prev).to_seconds();
    prev = t;
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 60.0, 5 * 60.0 / std::sqrt(n));  // 5 standard errors
  const double sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(sd / mean, 1.0, 0.02);  // exponential: sd = mean
}

}  // namespace
}  // namespace m2msim::traffic
