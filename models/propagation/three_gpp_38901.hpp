// 3GPP TR 38.901 path loss (Table 7.4.1-1) and LOS probability
// (Table 7.4.2-1) for the rural macro, urban macro and urban micro street
// canyon scenarios, as implemented in ns-3
// (src/propagation/model/three-gpp-propagation-loss-model.cc and
// channel-condition-model.cc): fc in GHz, distances in m, 3D distances in
// the path-loss formulas, 2D distances for the breakpoint test and the LOS
// probability, c = 3.0e8 m/s (TR 38.901 Table 7.4.1-1, note 1).
//
// Median loss only: no shadow fading, no O2I penetration loss. Like ns-3 with
// EnforceParameterRanges = false, the formulas are evaluated outside the
// applicability ranges without complaint; they need positive antenna heights
// and frequency. Applicability (Table 7.4.1-1): RMa hBS 10-150 m, hUT 1-10 m,
// d2D 10 m-10 km (LOS) or 5 km (NLOS), fc 0.5-30 GHz; UMa hBS 25 m, hUT
// 1.5-22.5 m, d2D 10 m-5 km; UMi street canyon hBS 10 m, hUT 1.5-22.5 m
// (ns-3 further assumes hUT < hBS), d2D 10 m-5 km; UMa/UMi fc 0.5-100 GHz.
#pragma once

#include <cstdint>
#include <string>

#include "models/propagation/path_loss.hpp"

namespace m2msim::propagation {

enum class ThreeGppScenario : std::uint8_t { RMa, UMa, UMiStreetCanyon };
enum class LosCondition : std::uint8_t { Los, Nlos };

/// Rural-macro environment parameters of Table 7.4.1-1, with ns-3's defaults
/// (AvgBuildingHeight, AvgStreetWidth). Both must lie in the table's
/// applicability range 5-50 m.
struct RmaEnvironment {
  double building_height_m = 5.0;
  double street_width_m = 20.0;
};

/// Median path loss of TR 38.901 Table 7.4.1-1 for one scenario and a fixed
/// LOS/NLOS condition (draw the condition with three_gpp_los_probability).
/// NLOS is max(PL_LOS, PL'_NLOS), as the table specifies.
///
/// UMa uses the effective environment height hE = 1 m. Note 1 of the table
/// makes hE random when hUT >= 13 m (1 m with probability 1/(1 + C(d2D, hUT)),
/// otherwise drawn from {12, 15, ..., hUT − 1.5} m); this deterministic model
/// keeps hE = 1 m there as well, which is exact below 13 m where C = 0.
class ThreeGppLoss final : public GeometricPathLossModel {
 public:
  /// Throws std::invalid_argument if an RMa parameter is outside 5-50 m
  /// (checked for every scenario, although only RMa uses them).
  ThreeGppLoss(ThreeGppScenario scenario, LosCondition condition, RmaEnvironment rma = {});

  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] ThreeGppScenario scenario() const { return scenario_; }
  [[nodiscard]] LosCondition condition() const { return condition_; }
  [[nodiscard]] const RmaEnvironment& rma_environment() const { return rma_; }

 private:
  [[nodiscard]] double do_link_loss_db(const LinkGeometry& link) const override;
  ThreeGppScenario scenario_;
  LosCondition condition_;
  RmaEnvironment rma_;
};

/// LOS probability of TR 38.901 Table 7.4.2-1 (outdoor users). height_ut_m is
/// used by UMa only (through C'(hUT), which is zero up to 13 m); the table
/// defines UMa for hUT <= 23 m and, like ns-3, the same expression is used
/// above.
[[nodiscard]] double three_gpp_los_probability(ThreeGppScenario scenario, double distance_2d_m, double height_ut_m);

}  // namespace m2msim::propagation
