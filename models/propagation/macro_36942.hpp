// Macro-cell propagation model for urban and suburban areas of 3GPP TR 36.942
// §4.5.2, the model behind the familiar "128.1 + 37.6·log10(R km)" at 2 GHz.
#pragma once

#include <string>

#include "models/propagation/path_loss.hpp"

namespace m2msim::propagation {

/// TR 36.942 §4.5.2:
///   L = 40·(1 − 4·10⁻³·Δhb)·log10(R) − 18·log10(Δhb) + 21·log10(f) + 80   [dB]
/// with R the base station-UE separation in km, f the carrier in MHz and Δhb
/// the base-station antenna height above the average rooftop level in m. With
/// Δhb = 15 m the TR rounds it to 128.1 + 37.6·log10(R) at 2000 MHz and
/// 120.9 + 37.6·log10(R) at 900 MHz.
///
/// R is taken as the 3D distance of the link (the straight-line separation);
/// the antenna heights of the LinkGeometry enter only through it, since the
/// model's own height parameter is Δhb. Requires frequency_hz > 0.
class Macro36942Loss final : public GeometricPathLossModel {
 public:
  /// Throws std::invalid_argument unless 0 < Δhb < 250 m: log10(Δhb) needs
  /// Δhb > 0, and at 250 m the distance slope 40·(1 − 4·10⁻³·Δhb) vanishes.
  explicit Macro36942Loss(double bs_height_above_rooftop_m = 15.0);

  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] double bs_height_above_rooftop_m() const { return delta_hb_m_; }

 private:
  [[nodiscard]] double do_link_loss_db(const LinkGeometry& link) const override;
  double delta_hb_m_;
};

}  // namespace m2msim::propagation
