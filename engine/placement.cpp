#include "engine/phases.hpp"

namespace m2msim::engine {

namespace {

// A group's placement stream is named by the group's index above this base
// and the group's name, so that adding devices to one group does not change
// another group's positions.
constexpr std::uint64_t kGroupEntityBase = 1ULL << 40;

std::vector<geo::Position> place_group(const scenario::Scenario& s, const scenario::DeviceGroupSpec& g, std::size_t gi,
                                       const Simulation& sim) {
  RandomStream rng = sim.stream(kGroupEntityBase + gi, "placement/" + g.name);
  const auto& a = s.area;
  switch (g.placement.kind) {
    case scenario::PlacementSpec::Kind::List: {
      std::vector<geo::Position> out;
      for (const auto& [x, y] : g.placement.points_m) out.push_back({x, y, g.height_m});
      return out;
    }
    case scenario::PlacementSpec::Kind::Grid:
      return geo::place_grid(g.count, geo::Rectangle{0.0, 0.0, a.width_m, a.height_m}, g.height_m);
    case scenario::PlacementSpec::Kind::Uniform:
      if (a.shape == scenario::AreaSpec::Shape::Disc) {
        return geo::place_uniform(g.count, geo::Disc{a.radius_m, a.radius_m, a.radius_m}, g.height_m, rng);
      }
      return geo::place_uniform(g.count, geo::Rectangle{0.0, 0.0, a.width_m, a.height_m}, g.height_m, rng);
  }
  return {};
}

}  // namespace

Placement place_devices(const scenario::Scenario& s, const Simulation& sim) {
  Placement p;
  std::size_t total = 0;
  for (const auto& g : s.groups) total += g.count;
  p.positions.reserve(total);
  p.group_of.reserve(total);
  p.first_of_group.assign(s.groups.size(), 0);
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    p.first_of_group[gi] = p.positions.size();
    for (const auto& q : place_group(s, s.groups[gi], gi, sim)) {
      p.positions.push_back(q);
      p.group_of.push_back(static_cast<std::uint32_t>(gi));
    }
  }
  return p;
}

}  // namespace m2msim::engine
