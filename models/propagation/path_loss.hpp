// Path-loss models: median loss in dB between two antennas at distance d.
// Public non-virtual entry point, private virtual hook (as ns-3's
// PropagationLossModel does), so argument checks live in one place.
#pragma once

#include <memory>
#include <string>

namespace m2msim::propagation {

inline constexpr double kSpeedOfLight_m_per_s = 299'792'458.0;

/// Friis free-space loss, 20·log10(4π·d·f / c) dB (Friis, Proc. IRE 1946).
double free_space_loss_db(double distance_m, double frequency_hz);

class PathLossModel {
 public:
  virtual ~PathLossModel() = default;
  /// Median path loss in dB. Distances below 1 mm are treated as 1 mm.
  [[nodiscard]] double loss_db(double distance_m) const;
  [[nodiscard]] virtual std::string describe() const = 0;

 private:
  [[nodiscard]] virtual double do_loss_db(double distance_m) const = 0;
};

/// Log-distance model: PL(d) = PL(d0) + 10·n·log10(d/d0) for d >= d0, and
/// PL(d0) for d < d0 (Rappaport, "Wireless Communications", 2nd ed., eq. 4.68).
class LogDistanceLoss final : public PathLossModel {
 public:
  LogDistanceLoss(double reference_distance_m, double reference_loss_db, double exponent);
  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] double reference_distance_m() const { return d0_; }
  [[nodiscard]] double reference_loss_db() const { return pl0_; }
  [[nodiscard]] double exponent() const { return n_; }

 private:
  [[nodiscard]] double do_loss_db(double distance_m) const override;
  double d0_, pl0_, n_;
};

}  // namespace m2msim::propagation
