#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "engine/phases.hpp"

namespace m2msim::engine {

namespace {

/// The pixels [i0, i1) × [j0, j1) where site k's link could be heard: the
/// box around the range at which its median falls below the weakest signal
/// that matters (path loss grows with distance in every model here).
struct Box {
  std::size_t i0 = 0, i1 = 0, j0 = 0, j1 = 0;
};

Box reach_box(const results::CoverageMap& m, const ReceivedPower& power, std::size_t gi, double site_x, double site_y,
              std::size_t k, double penetration_dB, double floor_dBm) {
  // Along the site's strongest direction (a sector antenna's boresight).
  const auto [ux, uy] = power.boresight(k);
  double r_max = 1.0;
  while (r_max < 1e7 &&
         power.median_dBm(gi, site_x + ux * r_max, site_y + uy * r_max, k, 0.5, penetration_dB) >= floor_dBm)
    r_max *= 2.0;
  auto index_of = [&](double v, double v0, std::size_t n) {
    const double t = std::floor((v - v0) / m.resolution_m);
    return static_cast<std::size_t>(std::clamp(t, 0.0, static_cast<double>(n)));
  };
  return Box{index_of(site_x - r_max, m.x0_m, m.nx), std::min(m.nx, index_of(site_x + r_max, m.x0_m, m.nx) + 2),
             index_of(site_y - r_max, m.y0_m, m.ny), std::min(m.ny, index_of(site_y + r_max, m.y0_m, m.ny) + 2)};
}

/// Site k's contribution to rows [j0, j1) of the map: where its margin is
/// the best so far, the pixel takes it.
void map_site_rows(results::CoverageMap& m, const ReceivedPower& power, const Links& links, std::size_t gi,
                   const technology::GroupLink& group, std::size_t k, double penetration_dB, double floor_dBm,
                   const Box& box, std::size_t j0, std::size_t j1) {
  std::vector<float> field;
  const std::size_t fj0 = std::clamp(j0, box.j0, box.j1), fj1 = std::clamp(j1, box.j0, box.j1);
  const bool shadowed = !links.fields.empty();
  if (shadowed && box.i1 > box.i0 && fj1 > fj0) {
    links.fields[k].on_grid(m.x0_m + static_cast<double>(box.i0) * m.resolution_m,
                            m.y0_m + static_cast<double>(fj0) * m.resolution_m, m.resolution_m, box.i1 - box.i0,
                            fj1 - fj0, field);
  }
  for (std::size_t j = j0; j < j1; ++j) {
    for (std::size_t i = 0; i < m.nx; ++i) {
      const std::size_t p = j * m.nx + i;
      const double x = m.x0_m + static_cast<double>(i) * m.resolution_m;
      const double y = m.y0_m + static_cast<double>(j) * m.resolution_m;
      double rx = power.median_dBm(gi, x, y, k, 0.5, penetration_dB);
      if (shadowed && rx >= floor_dBm && i >= box.i0 && i < box.i1 && j >= fj0 && j < fj1) {
        rx -= field[(j - fj0) * (box.i1 - box.i0) + (i - box.i0)];
      }
      const auto margin = static_cast<float>(rx - group.sensitivity_dBm[k]);
      if (margin > m.margin_dB[p]) {
        m.margin_dB[p] = margin;
        m.rx_dBm[p] = static_cast<float>(rx);
        m.best[p] = static_cast<std::uint16_t>(k);
      }
    }
  }
}

}  // namespace

// The same link budget on a grid of pixel centres, for one group's radio.
// With a correlated shadowing field the pixel includes the field's value
// there (so map and devices agree); independent shadowing has no value at a
// point, so the map shows the median. Under `condition: random` a pixel
// takes the more probable condition. Site by site: the field on the site's
// reach box at once (two matrix products), then the budget per pixel; rows
// are split between two threads, and every pixel is a pure function, so the
// result does not depend on the split.
std::optional<results::CoverageMap> draw_coverage_map(const scenario::Scenario& s, const ReceivedPower& power,
                                                      const Links& links, std::span<const technology::GroupLink> groups,
                                                      unsigned threads) {
  if (!s.outputs.coverage_map) return std::nullopt;
  const auto& spec = *s.outputs.coverage_map;
  std::size_t gi = 0;
  while (s.groups[gi].name != spec.group) ++gi;
  // A group with a penetration model is mapped for a device that is indoors
  // (or in a car) at the model's mean loss.
  const double penetration_dB = s.groups[gi].indoor.mean_affected_dB(groups[gi].carrier_hz / 1e9);
  results::CoverageMap m;
  m.group = spec.group;
  m.resolution_m = spec.resolution_m;
  const bool disc = s.area.shape == scenario::AreaSpec::Shape::Disc;
  const double w = disc ? 2 * s.area.radius_m : s.area.width_m, h = disc ? 2 * s.area.radius_m : s.area.height_m;
  m.nx = static_cast<std::size_t>(std::ceil(w / spec.resolution_m));
  m.ny = static_cast<std::size_t>(std::ceil(h / spec.resolution_m));
  m.x0_m = spec.resolution_m / 2;
  m.y0_m = spec.resolution_m / 2;
  m.with_shadowing = !links.fields.empty();
  m.margin_dB.assign(m.nx * m.ny, -std::numeric_limits<float>::infinity());
  m.rx_dBm.resize(m.nx * m.ny);
  m.best.resize(m.nx * m.ny);
  for (const auto& g : s.gateways) {
    m.gateway_names.push_back(g.name);
    m.gateway_xy_m.emplace_back(g.x_m, g.y_m);
    m.gateway_serves.push_back(g.technology == s.groups[gi].technology);
  }
  const double sigma = s.propagation.shadowing_sigma_dB;
  for (std::size_t k = 0; k < s.gateways.size(); ++k) {
    if (s.gateways[k].technology != s.groups[gi].technology) continue;  // not a site of the mapped group's technology
    const double floor_dBm = groups[gi].weakest_dBm[k] - kCutOffSigmas * sigma;
    const double sx = s.gateways[k].x_m, sy = s.gateways[k].y_m;
    const Box box = links.fields.empty() ? Box{} : reach_box(m, power, gi, sx, sy, k, penetration_dB, floor_dBm);
    auto rows = [&](std::size_t j0, std::size_t j1) {
      map_site_rows(m, power, links, gi, groups[gi], k, penetration_dB, floor_dBm, box, j0, j1);
    };
    if (threads > 1) {
      std::thread helper(rows, std::size_t{0}, m.ny / 2);
      rows(m.ny / 2, m.ny);
      helper.join();
    } else {
      rows(0, m.ny);
    }
  }
  return m;
}

}  // namespace m2msim::engine
