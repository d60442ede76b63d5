// Building and vehicle penetration (outdoor-to-indoor, O2I) loss: a fixed
// value, or the statistical models of 3GPP TR 38.901 §7.4.3 used in 3GPP
// cellular (and cellular-IoT) evaluations. docs/models/propagation.md
// (section "Building penetration") gives every equation and its source.
#pragma once

#include "sim/random.hpp"

namespace m2msim::propagation {

/// TR 38.901 Table 7.4.3-1, material penetration losses in dB, f in GHz
/// (the coefficients of V14–V17, as ns-3 and MATLAB's 5G Toolbox implement
/// them; V19 changes the IRR glass to 25.4 + 0.11·f — see the docs).
inline double glass_loss_dB(double f_GHz) { return 2.0 + 0.2 * f_GHz; }
inline double irr_glass_loss_dB(double f_GHz) { return 23.0 + 0.3 * f_GHz; }
inline double concrete_loss_dB(double f_GHz) { return 5.0 + 4.0 * f_GHz; }
inline double wood_loss_dB(double f_GHz) { return 4.85 + 0.12 * f_GHz; }

/// TR 38.901 Table 7.4.3-2, loss through the external wall PL_tw [dB]:
///   low-loss:  5 − 10·log10(0.3·10^(−L_glass/10) + 0.7·10^(−L_concrete/10))
///   high-loss: 5 − 10·log10(0.7·10^(−L_IRRglass/10) + 0.3·10^(−L_concrete/10))
double wall_loss_low_dB(double f_GHz);
double wall_loss_high_dB(double f_GHz);

/// How a device group's O2I loss is drawn; one draw per device, the same
/// for all its links (it belongs to where the device is, not to the link).
struct PenetrationModel {
  enum class Kind {
    None,            ///< outdoor: 0 dB
    Fixed,           ///< fixed_dB for every device
    ThreeGpp,        ///< TR 38.901 Table 7.4.3-2: low- or high-loss building
    ThreeGppLegacy,  ///< TR 38.901 Table 7.4.3-3 (below 6 GHz): 20 dB + 0.5·d_2D-in
    Car,             ///< TR 38.901 §7.4.3.2: N(9 dB, 5 dB), or 20 dB mean with metallised windows
    Tr45820Ns3,      ///< the model ns-3's lorawan module attributes to TR 45.820 (see the docs)
  };
  Kind kind = Kind::None;
  double fixed_dB = 0.0;
  double indoor_share = 1.0;        ///< devices affected (indoors, or in cars); the rest are outdoor
  double high_loss_share = 0.0;     ///< ThreeGpp: share of indoor devices in high-loss buildings
  double max_depth_m = 25.0;        ///< ThreeGpp: d_2D-in = min(U(0, max), U(0, max)); Legacy: U(0, max)
  bool metallized_windows = false;  ///< Car

  /// The loss of one device [dB] at carrier f (GHz), drawn from `rng`. Always
  /// takes the same draws (six uniforms, one normal), whatever the model.
  [[nodiscard]] double draw_dB(double f_GHz, RandomStream& rng) const;
  /// The mean loss of an affected (indoor / in-car) device [dB].
  [[nodiscard]] double mean_affected_dB(double f_GHz) const;
};

}  // namespace m2msim::propagation
