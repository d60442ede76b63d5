#include "models/propagation/shadowing.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "sim/random.hpp"

namespace m2msim::propagation {

CorrelatedShadowing::CorrelatedShadowing(double sigma_db, double decorrelation_m, std::uint64_t seed,
                                         std::size_t components)
    : sigma_(sigma_db), dc_(decorrelation_m) {
  if (!(sigma_db >= 0.0)) throw std::invalid_argument("shadowing: sigma must be >= 0 dB");
  if (!(decorrelation_m > 0.0)) throw std::invalid_argument("shadowing: decorrelation distance must be > 0 m");
  if (components == 0) throw std::invalid_argument("shadowing: at least one component");
  amplitude_ = sigma_db * std::sqrt(2.0 / static_cast<double>(components));
  RandomStream rng(seed);
  kx_.reserve(components);
  ky_.reserve(components);
  phase_.reserve(components);
  for (std::size_t i = 0; i < components; ++i) {
    const double u = rng.uniform();  // [0, 1)
    const double one_minus = 1.0 - u;
    const double r = std::sqrt(1.0 / (one_minus * one_minus) - 1.0) / decorrelation_m;
    const double theta = 2.0 * std::numbers::pi * rng.uniform();
    kx_.push_back(r * std::cos(theta));
    ky_.push_back(r * std::sin(theta));
    phase_.push_back(2.0 * std::numbers::pi * rng.uniform());
  }
  // |k_x·x + k_y·y + φ| ≤ k_max·(|x| + |y|) + 2π: below 2^50 turns
  // wherever |x| + |y| is at most this (at() then rounds without the
  // library). Wavenumbers are heavy-tailed (u near 1), so a rare field
  // has a small range and takes the library's rounding everywhere else.
  double k_max = 0.0;
  for (std::size_t i = 0; i < components; ++i) k_max = std::max({k_max, std::abs(kx_[i]), std::abs(ky_[i])});
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  const double limit = 0x1p50 * kTwoPi - kTwoPi;
  small_turns_within_m_ = k_max > 0.0 ? limit / k_max : std::numeric_limits<double>::infinity();
}

void CorrelatedShadowing::on_grid(double x0_m, double y0_m, double step_m, std::size_t nx, std::size_t ny,
                                  std::vector<float>& out) const {
  const auto m = static_cast<Eigen::Index>(kx_.size());
  const auto enx = static_cast<Eigen::Index>(nx), eny = static_cast<Eigen::Index>(ny);
  // A(i, m) = cos(kx_m x_i + φ_m), B(i, m) = sin(kx_m x_i + φ_m);
  // C(m, j) = cos(ky_m y_j),        D(m, j) = sin(ky_m y_j).
  Eigen::MatrixXd a(enx, m), b(enx, m), c(m, eny), d(m, eny);
  for (Eigen::Index k = 0; k < m; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    for (Eigen::Index i = 0; i < enx; ++i) {
      const double arg = kx_[kk] * (x0_m + static_cast<double>(i) * step_m) + phase_[kk];
      a(i, k) = std::cos(arg);
      b(i, k) = std::sin(arg);
    }
    for (Eigen::Index j = 0; j < eny; ++j) {
      const double arg = ky_[kk] * (y0_m + static_cast<double>(j) * step_m);
      c(k, j) = std::cos(arg);
      d(k, j) = std::sin(arg);
    }
  }
  const Eigen::MatrixXd field = amplitude_ * (a * c - b * d);  // nx × ny
  out.resize(nx * ny);
  for (Eigen::Index j = 0; j < eny; ++j)
    for (Eigen::Index i = 0; i < enx; ++i) out[static_cast<std::size_t>(j * enx + i)] = static_cast<float>(field(i, j));
}

namespace {
// cos(x) for any finite x: reduce to y in [−π, π] by whole turns, then the
// Taylor series of cos to y^16 (Horner). Truncation error ≤ π^18/18! =
// 1.4·10⁻⁷ per term, i.e. below 10⁻⁴ dB on a 512-term field of sigma 8 dB;
// about 5× faster than std::cos, which matters for 10^5 devices × 50
// gateways × 512 terms. `Round` rounds the turns to the nearest whole
// number, ties to even.
template <typename Round>
inline double fast_cos(double x, Round round) {
  constexpr double kInvTwoPi = 0.5 / std::numbers::pi;
  const double turns = x * kInvTwoPi;
  const double y = (turns - round(turns)) * (2.0 * std::numbers::pi);
  const double z = y * y;
  // 1 − z/2! + z²/4! − ... + z⁸/16!, by Horner from z⁸ (written out, so
  // that a loop over terms vectorises)
  double r = 1.0 / 20922789888000.0;
  r = r * z + -1.0 / 87178291200.0;
  r = r * z + 1.0 / 479001600.0;
  r = r * z + -1.0 / 3628800.0;
  r = r * z + 1.0 / 40320.0;
  r = r * z + -1.0 / 720.0;
  r = r * z + 1.0 / 24.0;
  r = r * z + -1.0 / 2.0;
  r = r * z + 1.0;
  return r;
}

// Rounding by the library (any magnitude; a call on x86-64 without SSE4.1).
inline double round_any(double t) { return std::nearbyint(t); }
// Rounding by adding and subtracting 1.5·2^52: for |t| < 2^51 the sum lies
// in [2^52, 2^53), where doubles are the whole numbers, so the addition
// rounds t to the nearest one, ties to even, as nearbyint does in the
// default rounding mode; the same value, in two additions that vectorise.
inline double round_small(double t) {
  constexpr double kMagic = 6755399441055744.0;  // 1.5 · 2^52
  return (t + kMagic) - kMagic;
}
}  // namespace

double CorrelatedShadowing::at(double x_m, double y_m) const {
  const std::size_t n = kx_.size();
  double sum = 0.0;
  if (std::abs(x_m) + std::abs(y_m) <= small_turns_within_m_) {
    // Every term's argument is below 2^50 turns: round_small is exact.
    // The cosines of a chunk are computed side by side, then added in
    // order, so the sum is the same, bit for bit, as term by term.
    constexpr std::size_t kChunk = 64;
    double v[kChunk];
    std::size_t i0 = 0;
    for (; i0 + kChunk <= n; i0 += kChunk) {
      for (std::size_t j = 0; j < kChunk; ++j)
        v[j] = fast_cos(kx_[i0 + j] * x_m + ky_[i0 + j] * y_m + phase_[i0 + j], round_small);
      for (std::size_t j = 0; j < kChunk; ++j) sum += v[j];
    }
    for (; i0 < n; ++i0) sum += fast_cos(kx_[i0] * x_m + ky_[i0] * y_m + phase_[i0], round_small);
    return amplitude_ * sum;
  }
  for (std::size_t i = 0; i < n; ++i) sum += fast_cos(kx_[i] * x_m + ky_[i] * y_m + phase_[i], round_any);
  return amplitude_ * sum;
}

}  // namespace m2msim::propagation
