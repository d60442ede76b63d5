// Statistical tests of the spatially correlated shadowing field against the
// model it must follow: zero mean, variance sigma², and Gudmundson's
// exponential autocorrelation R(d)/sigma² = exp(−d/d_c) (Electronics Letters
// 1991), in particular 1/e at d = d_c.
#include "models/propagation/shadowing.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/random.hpp"

namespace m2msim::propagation {
namespace {

constexpr double kSigma = 8.0;  // dB
constexpr double kDc = 50.0;    // m
constexpr int kFields = 200;    // independent realisations (seeds)
constexpr int kPairs = 50;      // well-separated point pairs per realisation

// Correlation coefficient of s(x) and s(x + d·(cos a, sin a)) estimated over
// kFields × kPairs pairs; the pairs of one field are 1 km apart (20 d_c), so
// they are practically independent. Standard error ≈ (1 − ρ²)/sqrt(10^4) ≤ 0.01.
double correlation_at(double d) {
  double sxy = 0, sxx = 0, syy = 0;
  for (int f = 0; f < kFields; ++f) {
    const CorrelatedShadowing field(kSigma, kDc, derive_stream_seed(1, 0, static_cast<std::uint64_t>(f), "test"));
    RandomStream rng(static_cast<std::uint64_t>(f) + 1000);
    for (int p = 0; p < kPairs; ++p) {
      const double x = 1000.0 * p, y = 0.0;
      const double a = 2.0 * 3.141592653589793 * rng.uniform();
      const double s1 = field.at(x, y), s2 = field.at(x + d * std::cos(a), y + d * std::sin(a));
      sxy += s1 * s2;
      sxx += s1 * s1;
      syy += s2 * s2;
    }
  }
  return sxy / std::sqrt(sxx * syy);
}

TEST(CorrelatedShadowing, HasZeroMeanAndTheRequestedVariance) {
  double sum = 0, sum2 = 0;
  int n = 0;
  for (int f = 0; f < kFields; ++f) {
    const CorrelatedShadowing field(kSigma, kDc, derive_stream_seed(2, 0, static_cast<std::uint64_t>(f), "test"));
    for (int p = 0; p < kPairs; ++p) {
      const double v = field.at(1000.0 * p, 250.0);
      sum += v;
      sum2 += v * v;
      ++n;
    }
  }
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 5 * kSigma / std::sqrt(n));  // 5 standard errors: 0.4 dB
  EXPECT_NEAR(sd, kSigma, 0.4);                       // sd of the sample sd ≈ 8/sqrt(2·10^4) = 0.04 dB
}

TEST(CorrelatedShadowing, AutocorrelationIsExponentialInDistance) {
  // exp(−d/d_c) at d = d_c/4, d_c/2, d_c, 2 d_c, 4 d_c.
  for (double f : {0.25, 0.5, 1.0, 2.0, 4.0}) {
    EXPECT_NEAR(correlation_at(f * kDc), std::exp(-f), 0.04) << "d = " << f << " d_c";
  }
}

TEST(CorrelatedShadowing, CorrelationCrossesOneOverEAtTheDecorrelationDistance) {
  EXPECT_GT(correlation_at(0.8 * kDc), std::exp(-1.0));
  EXPECT_LT(correlation_at(1.25 * kDc), std::exp(-1.0));
}

TEST(CorrelatedShadowing, IsAPureFunctionOfSeedAndPosition) {
  const CorrelatedShadowing a(kSigma, kDc, 77), b(kSigma, kDc, 77), c(kSigma, kDc, 78);
  EXPECT_EQ(a.at(123.4, -56.7), b.at(123.4, -56.7));
  EXPECT_NE(a.at(123.4, -56.7), c.at(123.4, -56.7));
}

}  // namespace
}  // namespace m2msim::propagation

namespace m2msim::propagation {
namespace {

TEST(CorrelatedShadowing, GridEvaluationEqualsPointEvaluation) {
  // on_grid uses cos(a + b) = cos a cos b − sin a sin b and matrix products;
  // it must agree with at() to float precision.
  const CorrelatedShadowing field(8.0, 50.0, 123);
  std::vector<float> grid;
  field.on_grid(10.0, -20.0, 7.5, 13, 9, grid);
  ASSERT_EQ(grid.size(), 13u * 9u);
  for (std::size_t j = 0; j < 9; ++j)
    for (std::size_t i = 0; i < 13; ++i)
      EXPECT_NEAR(grid[j * 13 + i], field.at(10.0 + 7.5 * static_cast<double>(i), -20.0 + 7.5 * static_cast<double>(j)),
                  1e-3);
}

}  // namespace
}  // namespace m2msim::propagation
