#include "sim/statistics.hpp"

#include <gtest/gtest.h>

#include <limits>

#include <cmath>
#include <thread>
#include <vector>

#include "sim/simulation.hpp"

namespace m2msim {
namespace {

TEST(Quantile, MatchesRType7) {
  // Values from R: quantile(c(1,2,3,4), 0.5) = 2.5;
  // quantile(1:10, 0.95) = 9.55; quantile(c(10,20), 0.25) = 12.5.
  const std::vector<double> a{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile_sorted(a, 0.5), 2.5);
  std::vector<double> b;
  for (int i = 1; i <= 10; ++i) b.push_back(i);
  EXPECT_DOUBLE_EQ(quantile_sorted(b, 0.95), 9.55);
  EXPECT_DOUBLE_EQ(quantile_sorted(std::vector<double>{10, 20}, 0.25), 12.5);
  EXPECT_TRUE(std::isnan(quantile_sorted(std::vector<double>{}, 0.5)));
}

TEST(Quantile, InfiniteValuesAreQuantilesToo) {
  // R: quantile(c(1, Inf, Inf), c(0, 0.5, 0.75)) = 1, Inf, Inf (an
  // energy-neutral device's battery life is infinite).
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> v{1.0, inf, inf};
  EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.0), 1.0);
  EXPECT_EQ(quantile_sorted(v, 0.5), inf);
  EXPECT_EQ(quantile_sorted(v, 0.75), inf);
  EXPECT_EQ(quantile_sorted(v, 0.25), inf);
}

TEST(SampleCollector, SortsOnDemand) {
  SampleCollector c;
  for (double v : {5.0, 1.0, 3.0}) c.add(v);
  EXPECT_DOUBLE_EQ(c.quantile(0.5), 3.0);
  EXPECT_DOUBLE_EQ(c.mean(), 3.0);
}

// A hold model: every event schedules one successor after an exponential
// delay; the sum of event times is a fingerprint of the whole trajectory.
double hold_fingerprint(std::uint64_t seed) {
  Simulation sim(seed, 0);
  RandomStream rng = sim.stream(0, "hold");
  struct State {
    Simulation* sim;
    RandomStream* rng;
    double sum = 0;
    void fire() {
      sum += sim->now().to_seconds();
      sim->schedule_in(Time::from_seconds(rng->exponential(1.0)), [this] { fire(); });
    }
  } st{&sim, &rng};
  for (int i = 0; i < 100; ++i) sim.schedule_in(Time::from_seconds(rng.exponential(1.0)), [&st] { st.fire(); });
  sim.run_until(Time::seconds(2000));
  return st.sum;
}

TEST(Simulation, TwoSimulationsInTwoThreadsEqualTheSameRunsInSequence) {
  const double seq1 = hold_fingerprint(1), seq2 = hold_fingerprint(2);
  double par1 = 0, par2 = 0;
  std::thread t1([&] { par1 = hold_fingerprint(1); });
  std::thread t2([&] { par2 = hold_fingerprint(2); });
  t1.join();
  t2.join();
  EXPECT_EQ(seq1, par1);
  EXPECT_EQ(seq2, par2);
  EXPECT_NE(seq1, seq2);
}

}  // namespace
}  // namespace m2msim
