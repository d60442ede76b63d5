#include "models/propagation/penetration.hpp"

#include <algorithm>
#include <cmath>

namespace m2msim::propagation {

namespace {
double mix_dB(double share_a, double loss_a_dB, double loss_b_dB) {
  return 5.0 - 10.0 * std::log10(share_a * std::pow(10.0, -loss_a_dB / 10.0) +
                                 (1.0 - share_a) * std::pow(10.0, -loss_b_dB / 10.0));
}
// TR 38.901 Table 7.4.3-2, σ_P.
constexpr double kSigmaLow_dB = 4.4;
constexpr double kSigmaHigh_dB = 6.5;
// §7.4.3.2: car penetration loss mean and σ_P.
constexpr double kCarMean_dB = 9.0, kCarMetallizedMean_dB = 20.0, kCarSigma_dB = 5.0;
// Table 7.4.3-3: the backward-compatible wall loss.
constexpr double kLegacyWall_dB = 20.0;
}  // namespace

double wall_loss_low_dB(double f) { return mix_dB(0.3, glass_loss_dB(f), concrete_loss_dB(f)); }
double wall_loss_high_dB(double f) { return mix_dB(0.7, irr_glass_loss_dB(f), concrete_loss_dB(f)); }

double PenetrationModel::draw_dB(double f_GHz, RandomStream& rng) const {
  // Five draws, always: affected?, high-loss?, two depths, one normal.
  const double u_affected = rng.uniform();
  const double u_high = rng.uniform();
  const double u1 = rng.uniform(), u2 = rng.uniform();
  const double z = rng.normal(0.0, 1.0);
  switch (kind) {
    case Kind::None: return 0.0;
    case Kind::Fixed: return u_affected < indoor_share ? fixed_dB : 0.0;
    case Kind::ThreeGpp: {
      if (u_affected >= indoor_share) return 0.0;
      const bool high = u_high < high_loss_share;
      // PL_in = 0.5 dB/m · d_2D-in, d_2D-in the minimum of two uniforms.
      const double depth_m = std::min(u1, u2) * max_depth_m;
      return (high ? wall_loss_high_dB(f_GHz) : wall_loss_low_dB(f_GHz)) + 0.5 * depth_m +
             z * (high ? kSigmaHigh_dB : kSigmaLow_dB);
    }
    case Kind::ThreeGppLegacy:
      if (u_affected >= indoor_share) return 0.0;
      return kLegacyWall_dB + 0.5 * u1 * max_depth_m;  // σ_P = 0
    case Kind::Car:
      if (u_affected >= indoor_share) return 0.0;
      return (metallized_windows ? kCarMetallizedMean_dB : kCarMean_dB) + z * kCarSigma_dB;
  }
  return 0.0;
}

double PenetrationModel::mean_affected_dB(double f_GHz) const {
  switch (kind) {
    case Kind::None: return 0.0;
    case Kind::Fixed: return fixed_dB;
    case Kind::ThreeGpp:
      // E[min(U1, U2)] = max/3.
      return high_loss_share * wall_loss_high_dB(f_GHz) + (1.0 - high_loss_share) * wall_loss_low_dB(f_GHz) +
             0.5 * max_depth_m / 3.0;
    case Kind::ThreeGppLegacy: return kLegacyWall_dB + 0.5 * max_depth_m / 2.0;
    case Kind::Car: return metallized_windows ? kCarMetallizedMean_dB : kCarMean_dB;
  }
  return 0.0;
}

}  // namespace m2msim::propagation
