// Hata's empirical macro-cell models: Okumura-Hata (150-1500 MHz) and its
// COST-231 extension (1500-2000 MHz).
//
// Both use f in MHz, antenna heights in m and the distance in km, and both
// take the 3D distance between the antennas, as ns-3's
// OkumuraHataPropagationLossModel does (a->GetDistanceFrom(b)); at the
// kilometre distances the formulas are meant for, it differs from the
// horizontal distance by a few thousandths of a dB. The models are evaluated
// outside their validity ranges without complaint, like ns-3; they need
// height_bs_m > 0, height_ut_m > 0 and frequency_hz > 0 (they take logarithms
// of them).
#pragma once

#include <cstdint>
#include <string>

#include "models/propagation/path_loss.hpp"

namespace m2msim::propagation {

/// Okumura-Hata with the COST-231 extension, following ns-3's
/// OkumuraHataPropagationLossModel (src/propagation/model/
/// okumura-hata-propagation-loss-model.cc @ 028f18e6):
///  - f <= 1.5 GHz: Hata's urban formula, COST 231 final report eq. 4.4.1,
///    with Hata's suburban (−2·(log10(f/28))² − 5.4 dB) and open-area
///    (−4.78·(log10 f)² + 18.33·log10 f − 40.94 dB) corrections (M. Hata,
///    "Empirical formula for propagation loss in land mobile radio
///    services", IEEE Trans. Veh. Technol. VT-29(3), 1980);
///  - f > 1.5 GHz: COST-231-Hata, COST 231 final report eq. 4.4.3; the
///    environment is ignored in this branch, as in ns-3.
/// CitySize::Medium uses the small-city mobile-antenna correction, as ns-3
/// does (Hata gives one correction for "small and medium" cities).
class OkumuraHataLoss final : public GeometricPathLossModel {
 public:
  enum class Environment : std::uint8_t { Urban, Suburban, Open };
  enum class CitySize : std::uint8_t { Small, Medium, Large };

  OkumuraHataLoss(Environment environment, CitySize city_size) : environment_(environment), city_size_(city_size) {}

  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] Environment environment() const { return environment_; }
  [[nodiscard]] CitySize city_size() const { return city_size_; }

 private:
  [[nodiscard]] double do_link_loss_db(const LinkGeometry& link) const override;
  Environment environment_;
  CitySize city_size_;
};

/// COST-231-Hata alone (COST 231 final report, eq. 4.4.3):
///   L = 46.3 + 33.9·log10 f − 13.82·log10 hb − a(hm)
///       + (44.9 − 6.55·log10 hb)·log10 d + Cm                     [dB]
/// with f in MHz, d in km, the small/medium-city a(hm) of Hata,
///   a(hm) = (1.1·log10 f − 0.7)·hm − (1.56·log10 f − 0.8),
/// and Cm = 0 dB for medium-sized cities and suburban centres, 3 dB for
/// metropolitan centres. Nominal validity: f 1500-2000 MHz, hb 30-200 m,
/// hm 1-10 m, d 1-20 km.
///
/// This is the textbook formula, not ns-3's Cost231PropagationLossModel, which
/// uses 1.11 for 1.1 in a(hm), always adds a 10 dB "shadowing" term, has no
/// metropolitan term and takes the heights from attributes.
class Cost231HataLoss final : public GeometricPathLossModel {
 public:
  enum class Area : std::uint8_t {
    MediumCityOrSuburban,  // Cm = 0 dB
    Metropolitan,          // Cm = 3 dB
  };

  explicit Cost231HataLoss(Area area) : area_(area) {}

  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] Area area() const { return area_; }

 private:
  [[nodiscard]] double do_link_loss_db(const LinkGeometry& link) const override;
  Area area_;
};

}  // namespace m2msim::propagation
