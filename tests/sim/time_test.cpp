#include "sim/time.hpp"

#include <gtest/gtest.h>

namespace m2msim {
namespace {

using namespace time_literals;

TEST(Time, UnitConstructorsAreExactNanoseconds) {
  EXPECT_EQ((1_s).ns(), 1'000'000'000);
  EXPECT_EQ((15_min).ns(), 900'000'000'000);
  EXPECT_EQ((1_d).ns(), 86'400'000'000'000);
  EXPECT_EQ(Time::hours(2), 120_min);
}

TEST(Time, SignedSixtyFourBitsCoverTwoHundredNinetyYears) {
  // 2^63 ns = 9.223·10^9 s = 292.27 years of 365.25 days.
  const double years = static_cast<double>(Time::max().ns()) * 1e-9 / (365.25 * 86400.0);
  EXPECT_NEAR(years, 292.27, 0.3);
}

TEST(Time, FromSecondsRoundsToNearestNanosecond) {
  EXPECT_EQ(Time::from_seconds(0.0412160004).ns(), 41'216'000);
  EXPECT_EQ(Time::from_seconds(1e-9 * 0.5).ns(), 1);  // round half away from zero
}

TEST(Time, PrintsWithTheLargestExactUnit) {
  EXPECT_EQ((1_d).to_string(), "1 d");
  EXPECT_EQ((90_min).to_string(), "90 min");
  EXPECT_EQ((1500_ms).to_string(), "1500 ms");
  EXPECT_EQ(Time::zero().to_string(), "0 s");
  EXPECT_EQ((36_h).to_string(), "36 h");
}

}  // namespace
}  // namespace m2msim
