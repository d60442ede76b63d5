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
// The mean of the ns-3 "TR 45.820" model, by hand (docs/models/propagation.md
// §10.5): E[EWL] = 0.25·7.5 + 0.65·15 + 0.10·21 = 13.725 dB plus
// E[max(internal, depth)] = 10.48926 dB.
constexpr double kTr45820Mean_dB = 24.21426;
// Table 7.4.3-3: the backward-compatible wall loss.
constexpr double kLegacyWall_dB = 20.0;
}  // namespace

double wall_loss_low_dB(double f) { return mix_dB(0.3, glass_loss_dB(f), concrete_loss_dB(f)); }
double wall_loss_high_dB(double f) { return mix_dB(0.7, irr_glass_loss_dB(f), concrete_loss_dB(f)); }

double PenetrationModel::draw_dB(double f_GHz, RandomStream& rng) const {
  // The same draws, always: affected?, high-loss (or wall class)?, four
  // more uniforms, one normal.
  const double u_affected = rng.uniform();
  const double u_high = rng.uniform();
  const double u1 = rng.uniform(), u2 = rng.uniform(), u3 = rng.uniform(), u4 = rng.uniform();
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
    case Kind::Tr45820Ns3: {
      if (u_affected >= indoor_share) return 0.0;
      // ns-3 lorawan, model/building-penetration-loss.cc: external wall loss
      // U(4, 11) dB (25 %), U(11, 19) dB (65 %) or U(19, 23) dB (10 %); 0..3
      // internal walls (thresholds 0.2833, 0.566, 0.85) of U(4, 10) dB each;
      // L = EWL + max(walls · W, 0.6 dB/m · U(0, 15 m)).
      const double ewl = u_high < 0.25 ? 4.0 + 7.0 * u1 : u_high < 0.90 ? 11.0 + 8.0 * u1 : 19.0 + 4.0 * u1;
      const int walls = u2 < 0.2833 ? 0 : u2 < 0.566 ? 1 : u2 < 0.85 ? 2 : 3;
      const double internal = walls * (4.0 + 6.0 * u3);
      const double depth = 0.6 * 15.0 * u4;
      return ewl + std::max(internal, depth);
    }
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
    case Kind::Tr45820Ns3: return kTr45820Mean_dB;
  }
  return 0.0;
}

}  // namespace m2msim::propagation
