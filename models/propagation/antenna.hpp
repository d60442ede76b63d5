// A site's antenna pattern in the horizontal plane: omnidirectional, or a
// sector antenna with the parabolic pattern of 3GPP TR 36.942 §4.5 and
// TR 38.901 Table 7.3-1:
//   A(θ) = −min(12·(θ/θ3dB)², Am)
// θ the angle between the direction to the device and the antenna's
// azimuth, θ3dB the half-power beamwidth (65° in both reports), Am the
// front-to-back ratio (20 dB in TR 36.942, 30 dB in TR 38.901). The
// antenna's gain (gateways[].antenna_gain) is its boresight gain; the
// vertical pattern and tilt are not modelled (docs/models/propagation.md).
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

namespace m2msim::propagation {

/// Bearing of (dx, dy) in degrees clockwise from north (+y), in [0, 360).
inline double bearing_deg(double dx_m, double dy_m) {
  const double b = std::atan2(dx_m, dy_m) * 180.0 / std::numbers::pi;
  return b < 0.0 ? b + 360.0 : b;
}

struct SectorAntenna {
  bool directional = false;  ///< false: omnidirectional, no attenuation
  double azimuth_deg = 0.0;  ///< boresight, clockwise from north
  double beamwidth_deg = 65.0;
  double front_to_back_dB = 20.0;

  /// Attenuation (≥ 0 dB) towards bearing `b` (degrees clockwise from north).
  [[nodiscard]] double attenuation_dB(double b) const {
    if (!directional) return 0.0;
    double theta = std::fmod(b - azimuth_deg, 360.0);
    if (theta > 180.0) theta -= 360.0;
    if (theta < -180.0) theta += 360.0;
    const double r = theta / beamwidth_deg;
    return std::min(12.0 * r * r, front_to_back_dB);
  }
};

}  // namespace m2msim::propagation
