// Path-loss models: median loss in dB between two antennas at distance d.
// Public non-virtual entry points, private virtual hooks (as ns-3's
// PropagationLossModel does), so argument checks live in one place.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace m2msim::propagation {

inline constexpr double kSpeedOfLight_m_per_s = 299'792'458.0;

/// Friis free-space loss, 20·log10(4π·d·f / c) dB (Friis, Proc. IRE 1946).
double free_space_loss_db(double distance_m, double frequency_hz);

/// One link as the empirical models see it: horizontal distance, the two
/// antenna heights above ground and the carrier. The roles are explicit (not
/// "the higher node is the base station", as ns-3 infers from positions):
/// the Hata and 3GPP formulas treat the two heights differently.
struct LinkGeometry {
  double distance_2d_m;
  double height_bs_m;
  double height_ut_m;
  double frequency_hz;

  /// Straight-line distance between the two antennas.
  [[nodiscard]] double distance_3d_m() const { return std::hypot(distance_2d_m, height_bs_m - height_ut_m); }
};

class PathLossModel {
 public:
  virtual ~PathLossModel() = default;
  /// Median path loss in dB. Distances below 1 mm are treated as 1 mm.
  [[nodiscard]] double loss_db(double distance_m) const;
  /// Median path loss in dB for a link given by its geometry and carrier.
  /// 2D distances below 1 mm are treated as 1 mm (so the 3D distance is at
  /// least 1 mm too). Nothing else is checked here: the empirical models are
  /// evaluated outside their validity ranges as ns-3 does, and each model
  /// states which inputs must be positive.
  [[nodiscard]] double loss_db(const LinkGeometry& link) const;
  [[nodiscard]] virtual std::string describe() const = 0;

 private:
  [[nodiscard]] virtual double do_loss_db(double distance_m) const = 0;
  // A distinct name rather than a do_loss_db overload: an overload would be
  // hidden in every model that overrides only one of the two, which
  // -Woverloaded-virtual reports. The default serves distance-only models:
  // it evaluates them at the 3D distance.
  [[nodiscard]] virtual double do_link_loss_db(const LinkGeometry& link) const;
};

/// Base of the models that need the antenna heights or the carrier frequency.
/// Their distance-only loss_db(double) cannot be answered without guessing
/// those, so it throws std::logic_error naming the model.
class GeometricPathLossModel : public PathLossModel {
 private:
  [[nodiscard]] double do_loss_db(double distance_m) const final;
  [[nodiscard]] double do_link_loss_db(const LinkGeometry& link) const override = 0;
};

/// Log-distance model: PL(d) = PL(d0) + 10·n·log10(d/d0) for d >= d0, and
/// PL(d0) for d < d0 (Rappaport, "Wireless Communications", 2nd ed., eq. 4.68).
class LogDistanceLoss final : public PathLossModel {
 public:
  /// Inside the reference distance the loss stays PL(d0) (as ns-3's
  /// LogDistancePropagationLossModel), or with `formula_below_reference`
  /// follows the same formula (as LoRaSim and FLoRa).
  LogDistanceLoss(double reference_distance_m, double reference_loss_db, double exponent,
                  bool formula_below_reference = false);
  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] double reference_distance_m() const { return d0_; }
  [[nodiscard]] double reference_loss_db() const { return pl0_; }
  [[nodiscard]] double exponent() const { return n_; }

 private:
  [[nodiscard]] double do_loss_db(double distance_m) const override;
  double d0_, pl0_, n_;
  bool below_;
};

/// A log-distance parameter set of a published LoRa study (docs/models/
/// propagation.md §3.1 gives each one's source and the shadowing σ the study
/// paired it with, which the preset does not set).
struct LogDistancePreset {
  const char* name;
  double reference_distance_m;
  double reference_loss_db;
  double exponent;
  double study_sigma_db;  ///< the shadowing σ of the study (0: none)
  const char* source;
  bool formula_below_reference;  ///< as the study's simulator does inside d0
};
/// The presets, by name ("bor2016", "oulu-ground", "ns3-lorawan"); nullptr if unknown.
const LogDistancePreset* find_log_distance_preset(const std::string& name);
std::vector<std::string> log_distance_preset_names();

/// Free-space loss at the link's 3D distance and carrier frequency (Friis,
/// Proc. IRE 1946; see free_space_loss_db). Requires frequency_hz > 0.
class FreeSpaceLoss final : public GeometricPathLossModel {
 public:
  [[nodiscard]] std::string describe() const override;

 private:
  [[nodiscard]] double do_link_loss_db(const LinkGeometry& link) const override;
};

}  // namespace m2msim::propagation
