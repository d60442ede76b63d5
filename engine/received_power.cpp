#include <cmath>

#include "engine/phases.hpp"
#include "models/propagation/macro_36942.hpp"
#include "models/propagation/okumura_hata.hpp"

namespace m2msim::engine {

ReceivedPower::ReceivedPower(const scenario::Scenario& s, std::span<const technology::GroupLink> groups)
    : s_(s), groups_(groups) {
  namespace pr = propagation;
  for (const auto& g : s.gateways) site_pos_.push_back({g.x_m, g.y_m, g.height_m});
  const auto& p = s.propagation;
  if (p.model == "log-distance") {
    primary_ = std::make_unique<pr::LogDistanceLoss>(p.reference_distance_m, p.reference_loss_dB, p.exponent,
                                                     p.formula_below_reference);
  } else if (p.model == "free-space") {
    primary_ = std::make_unique<pr::FreeSpaceLoss>();
  } else if (p.model == "okumura-hata") {
    const auto env = p.environment == "suburban" ? pr::OkumuraHataLoss::Environment::Suburban
                     : p.environment == "open"   ? pr::OkumuraHataLoss::Environment::Open
                                                 : pr::OkumuraHataLoss::Environment::Urban;
    const auto city = p.city == "large"    ? pr::OkumuraHataLoss::CitySize::Large
                      : p.city == "medium" ? pr::OkumuraHataLoss::CitySize::Medium
                                           : pr::OkumuraHataLoss::CitySize::Small;
    primary_ = std::make_unique<pr::OkumuraHataLoss>(env, city);
  } else if (p.model == "cost231-hata") {
    primary_ = std::make_unique<pr::Cost231HataLoss>(p.area == "metropolitan" ? pr::Cost231HataLoss::Area::Metropolitan
                                                                              : pr::Cost231HataLoss::Area::MediumCityOrSuburban);
  } else if (p.model == "3gpp-36942-macro") {
    primary_ = std::make_unique<pr::Macro36942Loss>(p.rooftop_height_m);
  } else {
    scenario_ = p.model == "3gpp-rma"   ? pr::ThreeGppScenario::RMa
                : p.model == "3gpp-uma" ? pr::ThreeGppScenario::UMa
                                        : pr::ThreeGppScenario::UMiStreetCanyon;
    const pr::RmaEnvironment rma{p.building_height_m, p.street_width_m};
    const auto cond = p.condition == "nlos" ? pr::LosCondition::Nlos : pr::LosCondition::Los;
    primary_ = std::make_unique<pr::ThreeGppLoss>(scenario_, cond, rma);
    if (p.condition == "random") {
      random_los_ = true;
      nlos_ = std::make_unique<pr::ThreeGppLoss>(scenario_, pr::LosCondition::Nlos, rma);
    }
  }
}

ReceivedPower::~ReceivedPower() = default;

double ReceivedPower::link_gains_dB(std::size_t group, std::size_t site) const {
  const auto& gw = s_.gateways[site];
  return groups_[group].eirp_dBm + gw.antenna_gain_dBi - gw.cable_loss_dB;
}

double ReceivedPower::median_dBm(std::size_t group, double x_m, double y_m, std::size_t site, double los_draw,
                                 double penetration_dB) const {
  const double dx = x_m - site_pos_[site].x_m, dy = y_m - site_pos_[site].y_m;
  const propagation::LinkGeometry link{std::sqrt(dx * dx + dy * dy), site_pos_[site].z_m, s_.groups[group].height_m,
                                       groups_[group].carrier_hz};
  const propagation::PathLossModel* model = primary_.get();
  if (random_los_ && los_draw >= propagation::three_gpp_los_probability(scenario_, link.distance_2d_m, link.height_ut_m)) {
    model = nlos_.get();
  }
  return link_gains_dB(group, site) - model->loss_db(link) - penetration_dB;
}

}  // namespace m2msim::engine
