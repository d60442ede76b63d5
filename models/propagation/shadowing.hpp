// Log-normal shadowing: independent per link, or a spatially correlated field.
#pragma once

#include <cstdint>
#include <vector>

namespace m2msim::propagation {

/// A zero-mean Gaussian random field of shadowing (dB) over the plane with
/// standard deviation sigma and the exponential autocorrelation of
/// Gudmundson ("Correlation model for shadow fading in mobile radio
/// systems", Electronics Letters, 1991):  R(d) = sigma² · exp(−d / d_c).
///
/// It is a pure function of (seed, position): every device, gateway link and
/// coverage-map pixel that asks for the same point gets the same value, with
/// no grid and no state. Construction: a sum of M random cosines ("random
/// Fourier features"; Rahimi & Recht, NIPS 2007; the spectral method of
/// Shinozuka, 1971):
///   s(x) = sigma · sqrt(2/M) · Σ_i cos(k_i · x + φ_i),
/// with φ_i ~ U[0, 2π) and wave vectors k_i drawn from the normalised 2-D
/// spectral density of exp(−|d|/d_c),
///   p(k) = d_c² / (2π (1 + d_c²|k|²)^{3/2}),
/// whose radial CDF is F(r) = 1 − 1/sqrt(1 + d_c² r²), so
/// |k| = sqrt(1/(1−u)² − 1) / d_c for u ~ U[0, 1) and a uniform direction.
/// Then E[s(x) s(x+d)] = sigma² E[cos(k·d)] = sigma² exp(−|d|/d_c) exactly
/// (over realisations), and s is close to Gaussian for large M (central limit).
class CorrelatedShadowing {
 public:
  static constexpr std::size_t kDefaultComponents = 512;
  CorrelatedShadowing(double sigma_db, double decorrelation_m, std::uint64_t seed,
                      std::size_t components = kDefaultComponents);
  /// Shadowing in dB at (x, y) metres.
  [[nodiscard]] double at(double x_m, double y_m) const;
  /// The field on the grid x_i = x0 + i·step (i < nx), y_j = y0 + j·step
  /// (j < ny), as out[j·nx + i]. Uses cos(a + b) = cos a cos b − sin a sin b
  /// to turn nx·ny·M cosines into two matrix products (Eigen), so a
  /// 1000 × 1000 map costs seconds, not minutes. Same values as at(), to
  /// rounding.
  void on_grid(double x0_m, double y0_m, double step_m, std::size_t nx, std::size_t ny, std::vector<float>& out) const;
  [[nodiscard]] double sigma_db() const { return sigma_; }
  [[nodiscard]] double decorrelation_m() const { return dc_; }

 private:
  double sigma_, dc_, amplitude_;
  std::vector<double> kx_, ky_, phase_;
  double small_turns_within_m_ = 0.0;  ///< |x| + |y| up to which every term is below 2^50 turns
};

}  // namespace m2msim::propagation
