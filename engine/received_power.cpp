#include <cmath>
#include <numbers>

#include "engine/phases.hpp"
#include "models/propagation/macro_36942.hpp"
#include "models/propagation/okumura_hata.hpp"

namespace m2msim::engine {

ReceivedPower::ReceivedPower(const scenario::Scenario& s, std::span<const technology::GroupLink> groups)
    : s_(s), groups_(groups) {
  namespace pr = propagation;
  for (const auto& g : s.gateways) site_pos_.push_back({g.x_m, g.y_m, g.height_m});
  const auto& p = s.propagation;
  using M = scenario::PropagationSpec::Model;
  switch (p.kind) {
    case M::LogDistance:
      primary_ = std::make_unique<pr::LogDistanceLoss>(p.reference_distance_m, p.reference_loss_dB, p.exponent,
                                                       p.formula_below_reference);
      return;
    case M::FreeSpace: primary_ = std::make_unique<pr::FreeSpaceLoss>(); return;
    case M::OkumuraHata: primary_ = std::make_unique<pr::OkumuraHataLoss>(p.environment, p.city); return;
    case M::Cost231Hata: primary_ = std::make_unique<pr::Cost231HataLoss>(p.area); return;
    case M::Macro36942: primary_ = std::make_unique<pr::Macro36942Loss>(p.rooftop_height_m); return;
    case M::ThreeGppRma: scenario_ = pr::ThreeGppScenario::RMa; break;
    case M::ThreeGppUma: scenario_ = pr::ThreeGppScenario::UMa; break;
    case M::ThreeGppUmiStreetCanyon: scenario_ = pr::ThreeGppScenario::UMiStreetCanyon; break;
  }
  using C = scenario::PropagationSpec::Condition;
  const pr::RmaEnvironment rma{p.building_height_m, p.street_width_m};
  primary_ = std::make_unique<pr::ThreeGppLoss>(
      scenario_, p.condition == C::Nlos ? pr::LosCondition::Nlos : pr::LosCondition::Los, rma);
  if (p.condition == C::Random) {
    random_los_ = true;
    nlos_ = std::make_unique<pr::ThreeGppLoss>(scenario_, pr::LosCondition::Nlos, rma);
  }
}

ReceivedPower::~ReceivedPower() = default;

double ReceivedPower::link_gains_dB(std::size_t group, std::size_t site) const {
  const auto& gw = s_.gateways[site];
  return groups_[group].eirp_dBm + gw.antenna_gain_dBi - gw.cable_loss_dB;
}

std::pair<double, double> ReceivedPower::boresight(std::size_t site) const {
  const auto& a = s_.gateways[site].antenna;
  if (!a.directional) return {1.0, 0.0};
  const double rad = a.azimuth_deg * std::numbers::pi / 180.0;
  return {std::sin(rad), std::cos(rad)};
}

double ReceivedPower::median_dBm(std::size_t group, double x_m, double y_m, std::size_t site, double los_draw,
                                 double penetration_dB) const {
  const double dx = x_m - site_pos_[site].x_m, dy = y_m - site_pos_[site].y_m;
  const propagation::LinkGeometry link{std::sqrt(dx * dx + dy * dy), site_pos_[site].z_m, s_.groups[group].height_m,
                                       groups_[group].carrier_hz};
  const propagation::PathLossModel* model = primary_.get();
  if (random_los_ &&
      los_draw >= propagation::three_gpp_los_probability(scenario_, link.distance_2d_m, link.height_ut_m)) {
    model = nlos_.get();
  }
  // The site antenna's pattern towards the device (0 dB when omnidirectional).
  const double pattern_dB = s_.gateways[site].antenna.attenuation_dB(propagation::bearing_deg(dx, dy));
  return link_gains_dB(group, site) - model->loss_db(link) - penetration_dB - pattern_dB;
}

}  // namespace m2msim::engine
