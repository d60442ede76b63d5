#include <map>
#include <tuple>

#include "engine/phases.hpp"

namespace m2msim::engine {

Links build_links(const scenario::Scenario& s, const Simulation& sim, const Placement& p, const ReceivedPower& power,
                  std::span<const technology::GroupLink> groups, unsigned threads) {
  const std::size_t total = p.positions.size();
  const std::size_t n_sites = s.gateways.size();
  Links out;
  // Shadowing: independent per link, or one correlated field per site (a
  // pure function of position, named by the site). Sites at the same place
  // and height (the sectors of one site) share one field, or one draw per
  // device, the first one's: shadowing belongs to the path from that place,
  // fully correlated between the sectors of a site (TR 36.942 §4.3, TR
  // 38.901 Table 7.5-6).
  const double sigma = s.propagation.shadowing_sigma_dB;
  std::vector<std::size_t>& field_of = out.field_of;
  field_of.resize(n_sites);
  {
    std::map<std::tuple<double, double, double>, std::size_t> first_at;
    for (std::size_t k = 0; k < n_sites; ++k) {
      const auto& g = s.gateways[k];
      field_of[k] = first_at.try_emplace({g.x_m, g.y_m, g.height_m}, k).first->second;
    }
  }
  if (sigma > 0.0 && s.propagation.shadowing_decorrelation_m > 0.0) {
    for (std::size_t k = 0; k < n_sites; ++k) {
      const std::size_t f = field_of[k];
      out.fields.emplace_back(sigma, s.propagation.shadowing_decorrelation_m,
                              derive_stream_seed(s.seed, s.replication, f, "shadowing/" + s.gateways[f].name));
    }
  }
  std::vector<std::string> los_purpose, shadowing_purpose, indoor_purpose;
  for (const auto& g : s.groups) {
    indoor_purpose.push_back("indoor/" + g.name);
    los_purpose.push_back("los/" + g.name);
    shadowing_purpose.push_back("shadowing/" + g.name);
  }
  // Every link whose median received power is within kCutOffSigmas·σ of the
  // weakest signal that matters to the group's technology (with σ = 0: at
  // or above it) is stored, sparse; the rest could not matter even with
  // that much shadowing, so they take no memory and no work during the run.
  // Every link is a pure function of named streams and positions, so the
  // devices are split between threads without changing any number; a
  // device's streams are named by its index within its group.
  // serves[g·sites + k]: site k is of group g's technology (computed once,
  // not compared per link).
  std::vector<char> serves(s.groups.size() * n_sites);
  for (std::size_t g = 0; g < s.groups.size(); ++g)
    for (std::size_t k = 0; k < n_sites; ++k)
      serves[g * n_sites + k] = s.gateways[k].technology == s.groups[g].technology;
  out.best.resize(total);
  out.penetration_dB.assign(total, 0.0);
  out.budget = propagation::LinkBudget::build(total, n_sites, threads, [&](std::size_t d, auto& row) {
    const auto gi = p.group_of[d];
    const std::size_t in_group = d - p.first_of_group[gi];
    const auto& indoor = s.groups[gi].indoor;
    // Building / vehicle penetration loss: one draw per device (it belongs
    // to where the device is), the same at every site.
    if (indoor.kind != propagation::PenetrationModel::Kind::None) {
      RandomStream rng = sim.stream(in_group, indoor_purpose[gi]);
      out.penetration_dB[d] = indoor.draw_dB(groups[gi].carrier_hz / 1e9, rng);
    }
    Links::Best best;
    std::size_t last_field = SIZE_MAX;
    double last_value = 0.0;
    for (std::size_t k = 0; k < n_sites; ++k) {
      // A device is heard only by the sites of its own technology.
      if (!serves[gi * n_sites + k]) continue;
      // LOS/NLOS and independent shadowing per link, from streams named by
      // the link (device within its group, site; the sectors of a site share
      // the first one's: one path from that place).
      double los_draw = 0.0;
      if (power.random_los()) los_draw = sim.stream((in_group << 16) | field_of[k], los_purpose[gi]).uniform();
      const double median =
          power.median_dBm(gi, p.positions[d].x_m, p.positions[d].y_m, k, los_draw, out.penetration_dB[d]);
      double rx = median;
      if (median >= groups[gi].weakest_dBm[k] - kCutOffSigmas * sigma) {
        if (!out.fields.empty()) {
          // A co-located site's field was just evaluated here: reuse it.
          if (field_of[k] != k && last_field == field_of[k]) {
            rx -= last_value;
          } else {
            last_value = out.fields[k].at(p.positions[d].x_m, p.positions[d].y_m);
            last_field = field_of[k];
            rx -= last_value;
          }
        } else if (sigma > 0.0) {
          RandomStream rng = sim.stream((in_group << 16) | field_of[k], shadowing_purpose[gi]);
          rx -= rng.normal(0.0, sigma);
        }
        row.add(k, static_cast<float>(rx), static_cast<float>(median));
      }
      if (static_cast<float>(rx) > best.rx_dBm)
        best = Links::Best{static_cast<std::uint32_t>(k), static_cast<float>(rx)};
    }
    out.best[d] = best;
  });
  return out;
}

}  // namespace m2msim::engine
