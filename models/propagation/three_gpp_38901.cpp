#include "models/propagation/three_gpp_38901.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace m2msim::propagation {
namespace {

// TR 38.901 Table 7.4.1-1 note 1: "c = 3.0×10^8 m/s is the propagation
// velocity in free space" (ns-3's M_C). Not the exact speed of light: with
// 299 792 458 m/s the UMa/UMi breakpoint moves by 0.07 % and the loss beyond
// it by about 0.005 dB.
constexpr double kC_m_per_s = 3.0e8;

// Effective environment height hE of note 1 (UMi always; UMa when C = 0).
constexpr double kEnvironmentHeight_m = 1.0;

// RMa applicability range of the average building height and street width
// (Table 7.4.1-1; the range of ns-3's AvgBuildingHeight/AvgStreetWidth).
constexpr double kRmaMinParameter_m = 5.0;
constexpr double kRmaMaxParameter_m = 50.0;

// What the Table 7.4.1-1 formulas take: distances and heights in m, the
// carrier in Hz (breakpoints) and in GHz (fc in the loss formulas).
struct LinkQuantities {
  double d2d_m;
  double d3d_m;
  double hbs_m;
  double hut_m;
  double f_hz;
  double fc_ghz;
};

// RMa PL1 (Table 7.4.1-1):
// 20·log10(40π·d·fc/3) + min(0.03·h^1.72, 10)·log10(d) − min(0.044·h^1.72, 14.77) + 0.002·log10(h)·d
double rma_pl1_db(double d_m, double fc_ghz, double h_m) {
  const double h_172 = std::pow(h_m, 1.72);
  return 20.0 * std::log10(40.0 * std::numbers::pi * d_m * fc_ghz / 3.0) +
         std::min(0.03 * h_172, 10.0) * std::log10(d_m) - std::min(0.044 * h_172, 14.77) +
         0.002 * std::log10(h_m) * d_m;
}

// RMa LOS (Table 7.4.1-1): PL1(d3D) for d2D <= dBP, else PL2 = PL1(dBP) + 40·log10(d3D/dBP),
// with dBP = 2π·hBS·hUT·fc/c, fc in Hz (note 5).
double rma_los_db(const LinkQuantities& l, const RmaEnvironment& env) {
  const double d_bp = 2.0 * std::numbers::pi * l.hbs_m * l.hut_m * l.f_hz / kC_m_per_s;
  if (l.d2d_m <= d_bp) return rma_pl1_db(l.d3d_m, l.fc_ghz, env.building_height_m);
  return rma_pl1_db(d_bp, l.fc_ghz, env.building_height_m) + 40.0 * std::log10(l.d3d_m / d_bp);
}

// RMa NLOS (Table 7.4.1-1): max(PL_RMa-LOS, PL'_RMa-NLOS),
// PL' = 161.04 − 7.1·log10(W) + 7.5·log10(h) − (24.37 − 3.7·(h/hBS)²)·log10(hBS)
//       + (43.42 − 3.1·log10(hBS))·(log10(d3D) − 3) + 20·log10(fc) − (3.2·(log10(11.75·hUT))² − 4.97)
double rma_nlos_db(const LinkQuantities& l, const RmaEnvironment& env) {
  const double h = env.building_height_m;
  const double w = env.street_width_m;
  const double log10_hbs = std::log10(l.hbs_m);
  const double h_ratio = h / l.hbs_m;
  const double log10_hut_term = std::log10(11.75 * l.hut_m);
  const double pl_nlos = 161.04 - 7.1 * std::log10(w) + 7.5 * std::log10(h) -
                         (24.37 - 3.7 * h_ratio * h_ratio) * log10_hbs +
                         (43.42 - 3.1 * log10_hbs) * (std::log10(l.d3d_m) - 3.0) + 20.0 * std::log10(l.fc_ghz) -
                         (3.2 * log10_hut_term * log10_hut_term - 4.97);
  return std::max(rma_los_db(l, env), pl_nlos);
}

// Breakpoint distance d'BP = 4·h'BS·h'UT·fc/c with h' = h − hE and fc in Hz
// (Table 7.4.1-1 note 1).
double effective_breakpoint_m(const LinkQuantities& l) {
  return 4.0 * (l.hbs_m - kEnvironmentHeight_m) * (l.hut_m - kEnvironmentHeight_m) * l.f_hz / kC_m_per_s;
}

// UMa LOS (Table 7.4.1-1): PL1 = 28 + 22·log10(d3D) + 20·log10(fc) for d2D <= d'BP,
// else PL2 = 28 + 40·log10(d3D) + 20·log10(fc) − 9·log10(d'BP² + (hBS − hUT)²).
double uma_los_db(const LinkQuantities& l) {
  const double d_bp = effective_breakpoint_m(l);
  if (l.d2d_m <= d_bp) return 28.0 + 22.0 * std::log10(l.d3d_m) + 20.0 * std::log10(l.fc_ghz);
  const double dh = l.hbs_m - l.hut_m;
  return 28.0 + 40.0 * std::log10(l.d3d_m) + 20.0 * std::log10(l.fc_ghz) - 9.0 * std::log10(d_bp * d_bp + dh * dh);
}

// UMa NLOS (Table 7.4.1-1): max(PL_UMa-LOS, PL'),
// PL' = 13.54 + 39.08·log10(d3D) + 20·log10(fc) − 0.6·(hUT − 1.5).
double uma_nlos_db(const LinkQuantities& l) {
  const double pl_nlos = 13.54 + 39.08 * std::log10(l.d3d_m) + 20.0 * std::log10(l.fc_ghz) - 0.6 * (l.hut_m - 1.5);
  return std::max(uma_los_db(l), pl_nlos);
}

// UMi street canyon LOS (Table 7.4.1-1): PL1 = 32.4 + 21·log10(d3D) + 20·log10(fc) for d2D <= d'BP,
// else PL2 = 32.4 + 40·log10(d3D) + 20·log10(fc) − 9.5·log10(d'BP² + (hBS − hUT)²).
double umi_los_db(const LinkQuantities& l) {
  const double d_bp = effective_breakpoint_m(l);
  if (l.d2d_m <= d_bp) return 32.4 + 21.0 * std::log10(l.d3d_m) + 20.0 * std::log10(l.fc_ghz);
  const double dh = l.hbs_m - l.hut_m;
  return 32.4 + 40.0 * std::log10(l.d3d_m) + 20.0 * std::log10(l.fc_ghz) - 9.5 * std::log10(d_bp * d_bp + dh * dh);
}

// UMi street canyon NLOS (Table 7.4.1-1): max(PL_UMi-LOS, PL'),
// PL' = 22.4 + 35.3·log10(d3D) + 21.3·log10(fc) − 0.3·(hUT − 1.5).
double umi_nlos_db(const LinkQuantities& l) {
  const double pl_nlos = 22.4 + 35.3 * std::log10(l.d3d_m) + 21.3 * std::log10(l.fc_ghz) - 0.3 * (l.hut_m - 1.5);
  return std::max(umi_los_db(l), pl_nlos);
}

void check_rma_parameter(double value_m, const char* what) {
  if (value_m >= kRmaMinParameter_m && value_m <= kRmaMaxParameter_m) return;
  std::ostringstream os;
  os << "3GPP RMa: average " << what << " must be within [" << kRmaMinParameter_m << ", " << kRmaMaxParameter_m
     << "] m (TR 38.901 Table 7.4.1-1), got " << value_m << " m";
  throw std::invalid_argument(os.str());
}

const char* name(ThreeGppScenario s) {
  switch (s) {
    case ThreeGppScenario::RMa: return "RMa";
    case ThreeGppScenario::UMa: return "UMa";
    case ThreeGppScenario::UMiStreetCanyon: return "UMi-Street Canyon";
  }
  return "invalid scenario";
}

}  // namespace

ThreeGppLoss::ThreeGppLoss(ThreeGppScenario scenario, LosCondition condition, RmaEnvironment rma)
    : scenario_(scenario), condition_(condition), rma_(rma) {
  check_rma_parameter(rma_.building_height_m, "building height");
  check_rma_parameter(rma_.street_width_m, "street width");
}

double ThreeGppLoss::do_link_loss_db(const LinkGeometry& link) const {
  const LinkQuantities l{.d2d_m = link.distance_2d_m,
                         .d3d_m = link.distance_3d_m(),
                         .hbs_m = link.height_bs_m,
                         .hut_m = link.height_ut_m,
                         .f_hz = link.frequency_hz,
                         .fc_ghz = link.frequency_hz / 1e9};
  const bool los = condition_ == LosCondition::Los;
  switch (scenario_) {
    case ThreeGppScenario::RMa: return los ? rma_los_db(l, rma_) : rma_nlos_db(l, rma_);
    case ThreeGppScenario::UMa: return los ? uma_los_db(l) : uma_nlos_db(l);
    case ThreeGppScenario::UMiStreetCanyon: return los ? umi_los_db(l) : umi_nlos_db(l);
  }
  throw std::logic_error("3GPP TR 38.901 loss: invalid ThreeGppScenario value");
}

std::string ThreeGppLoss::describe() const {
  std::ostringstream os;
  os << "3GPP TR 38.901 " << name(scenario_) << (condition_ == LosCondition::Los ? " LOS" : " NLOS");
  if (scenario_ == ThreeGppScenario::RMa) {
    os << " (h = " << rma_.building_height_m << " m, W = " << rma_.street_width_m << " m)";
  }
  return os.str();
}

double three_gpp_los_probability(ThreeGppScenario scenario, double distance_2d_m, double height_ut_m) {
  const double d = distance_2d_m;
  switch (scenario) {
    case ThreeGppScenario::RMa:
      // Table 7.4.2-1, RMa: 1 for d2D <= 10 m, else exp(−(d2D − 10)/1000).
      return d <= 10.0 ? 1.0 : std::exp(-(d - 10.0) / 1000.0);
    case ThreeGppScenario::UMa: {
      // Table 7.4.2-1, UMa (outdoor): 1 for d2D <= 18 m, else
      // [18/d2D + exp(−d2D/63)·(1 − 18/d2D)]·[1 + C'(hUT)·(5/4)·(d2D/100)³·exp(−d2D/150)],
      // C'(hUT) = 0 for hUT <= 13 m, ((hUT − 13)/10)^1.5 for 13 m < hUT <= 23 m.
      if (d <= 18.0) return 1.0;
      const double c = height_ut_m <= 13.0 ? 0.0 : std::pow((height_ut_m - 13.0) / 10.0, 1.5);
      const double r = d / 100.0;
      return (18.0 / d + std::exp(-d / 63.0) * (1.0 - 18.0 / d)) *
             (1.0 + c * 5.0 / 4.0 * r * r * r * std::exp(-d / 150.0));
    }
    case ThreeGppScenario::UMiStreetCanyon:
      // Table 7.4.2-1, UMi street canyon: 1 for d2D <= 18 m, else 18/d2D + exp(−d2D/36)·(1 − 18/d2D).
      return d <= 18.0 ? 1.0 : 18.0 / d + std::exp(-d / 36.0) * (1.0 - 18.0 / d);
  }
  throw std::invalid_argument("three_gpp_los_probability: invalid ThreeGppScenario value");
}

}  // namespace m2msim::propagation
