#include "engine/native_engine.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>

#include "engine/phases.hpp"
#include "engine/technologies.hpp"

namespace m2msim::engine {

namespace {

/// The technologies of the scenario's groups, in registration order, each
/// with its groups, and their fates and device columns placed among the run's.
TechnologyParts technology_parts(const scenario::Scenario& s,
                                 std::span<const technology::Technology* const> technologies) {
  TechnologyParts t;
  t.part_of_group.assign(s.groups.size(), 0);
  std::vector<bool> placed(s.groups.size(), false);
  for (const auto* tech : technologies) {
    TechnologyPart part;
    part.technology = tech;
    for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
      if (s.groups[gi].technology != tech->name()) continue;
      part.groups.push_back(static_cast<std::uint32_t>(gi));
      t.part_of_group[gi] = t.parts.size();
      placed[gi] = true;
    }
    if (!part.groups.empty()) t.parts.push_back(std::move(part));
  }
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    if (!placed[gi]) throw std::logic_error("no technology named " + s.groups[gi].technology);
  }
  std::vector<std::span<const results::FateSpec>> lists;
  for (const auto& p : t.parts) lists.push_back(p.technology->fates());
  t.fate_names = results::run_fate_names(lists);
  for (auto& p : t.parts) {
    for (const auto& f : p.technology->fates()) {
      const auto at = std::find(t.fate_names.begin(), t.fate_names.end(), f.name);
      p.fate_column.push_back(static_cast<std::size_t>(at - t.fate_names.begin()));
    }
    for (const auto& c : p.technology->site_columns()) {
      const auto at = std::find_if(t.site_columns.begin(), t.site_columns.end(),
                                   [&](const results::ColumnSpec& x) { return x.name == c.name; });
      p.site_column_of.push_back(static_cast<std::size_t>(at - t.site_columns.begin()));
      if (at == t.site_columns.end()) t.site_columns.push_back(c);
    }
    for (const auto& c : p.technology->device_columns()) {
      const auto at = std::find_if(t.columns.begin(), t.columns.end(),
                                   [&](const results::ColumnSpec& x) { return x.name == c.name; });
      p.column_of.push_back(static_cast<std::size_t>(at - t.columns.begin()));
      if (at == t.columns.end()) {
        t.columns.push_back(c);
      } else {
        at->classes = std::max(at->classes, c.classes);  // the summary counts every technology's classes
        at->decimals = std::max(at->decimals, c.decimals);
      }
    }
  }
  return t;
}

class NativeEngine final : public Engine {
 public:
  std::string_view name() const override { return "native"; }
  results::RunRecord run(const scenario::Scenario& s, const RunOptions& options) const override {
    return run_native(s, options);
  }
};

}  // namespace

results::RunRecord run_native(const scenario::Scenario& s, const RunOptions& options) {
  return run_native(s, options, technologies());
}

results::RunRecord run_native(const scenario::Scenario& s, const RunOptions& options,
                              std::span<const technology::Technology* const> technologies) {
  const unsigned threads = std::max(1U, options.threads);
  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  const auto t_start = Clock::now();
  Simulation sim(s.seed, s.replication);

  TechnologyParts tech = technology_parts(s, technologies);
  auto& parts = tech.parts;
  std::vector<technology::GroupLink> group_links;
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    group_links.push_back(parts[tech.part_of_group[gi]].technology->group_link(s, gi));
  }

  const Placement placement = place_devices(s, sim);
  const ReceivedPower power(s, group_links);
  const Links links = build_links(s, sim, placement, power, group_links, threads);
  const double link_budget_s = seconds_since(t_start);

  const auto t_map = Clock::now();
  auto coverage_map = draw_coverage_map(s, power, links, group_links, threads);
  const double coverage_map_s = seconds_since(t_map);

  const auto t_run = Clock::now();
  std::vector<Time> site_delay;
  for (const auto& g : s.gateways) site_delay.push_back(g.backhaul_delay);
  const network::Backhaul backhaul(std::move(site_delay));
  results::LatencyRecorder latency(s.groups.size());
  for (auto& part : parts) {
    const technology::Deployment d{
        s,       placement.positions, placement.group_of, placement.first_of_group, links.budget, backhaul,
        latency, part.groups};
    part.network = part.technology->build(sim, d);
  }
  sim.scheduler().reserve(placement.positions.size() + 16);
  for (auto& part : parts) part.network->start(s.duration);
  // outputs.state_of_charge: the run stops at each sampling instant (no event
  // of its own, so the event count and every result stay the same).
  std::vector<results::RunRecord::ChargeSample> soc;
  if (const auto& spec = s.outputs.state_of_charge) {
    const std::size_t total = placement.positions.size();
    const auto sample = [&](Time t) {
      for (std::uint64_t k = 0; k < spec->devices; ++k) {
        const std::size_t d = static_cast<std::size_t>(k * total / spec->devices);
        const auto& part = parts[tech.part_of_group[placement.group_of[d]]];
        const auto c = part.network->charge_state(d, t);
        soc.push_back({t.to_seconds(), d, c.drawn_mAh, c.self_discharged_mAh, c.state_of_charge});
      }
    };
    for (Time t = Time::zero(); t <= s.duration; t += spec->every) {
      sim.run_until(t);
      sample(t);
    }
  }
  sim.run_until(s.duration);
  for (auto& part : parts) part.network->finish();
  const double run_s = seconds_since(t_run);

  const auto t_records = Clock::now();
  results::RunRecord r = assemble_records(s, placement, links, power, group_links, tech, latency);
  r.scenario_name = s.name;
  r.scenario_file = s.file;
  r.seed = s.seed;
  r.replication = s.replication;
  r.duration_s = s.duration.to_seconds();
  r.events = sim.scheduler().executed();
  r.coverage_map = std::move(coverage_map);
  r.state_of_charge = std::move(soc);
  r.wall = {link_budget_s, coverage_map_s, run_s, seconds_since(t_records)};
  r.link_budget = {links.budget.links(), links.budget.memory_bytes()};
  return r;
}

std::span<const Engine* const> engines() {
  static const NativeEngine native;
  static const std::array<const Engine*, 1> list{&native};
  return list;
}

const Engine* find_engine(std::string_view name) {
  for (const auto* e : engines()) {
    if (e->name() == name) return e;
  }
  return nullptr;
}

}  // namespace m2msim::engine
