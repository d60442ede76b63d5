// Reads a scenario file into a checked Scenario.
//
// Every error is a ScenarioError whose message starts with FILE:LINE:COLUMN
// (1-based) of the offending node, says what is wrong and what would be
// right; unknown keys name the nearest valid key. Values given with --set
// are reported as "--set PATH=VALUE: ...".
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenarios/reader.hpp"
#include "scenarios/scenario.hpp"
#include "sim/random.hpp"

namespace m2msim::scenario {

/// Loads FILE, applying each override "path=value" (e.g.
/// "devices.meters.count=500", "gateways.0.height=30 m") before checking.
/// `technologies` read their own keys (the engine's registration list:
/// engine::load_scenario_file passes it).
Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides,
                            TechnologyFormats technologies);
/// The same from text already in memory; `file_name` is used in messages.
Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const std::vector<std::string>& overrides, TechnologyFormats technologies);

/// A sweep: the scenario file's `sweep:` section expanded into its grid of
/// points (the cartesian product of every parameter's values, the last
/// parameter varying fastest), each a list of --set overrides.
struct Sweep {
  std::string file;                              ///< the scenario file
  std::string text;                              ///< its text, as read
  std::string name;                              ///< scenario name
  std::vector<std::string> base_sets;            ///< --set overrides given on the command line (every point)
  std::vector<std::string> parameters;           ///< the swept paths, in file order
  std::vector<std::vector<std::string>> points;  ///< [point][parameter] → value text
  std::uint64_t replications = 1;
  std::uint64_t base_seed = 1;
  /// sweep.common_random_numbers: every point's replication r runs with
  /// point 0's seed of replication r, so that points differ only by their
  /// values (docs/sweeps.md section 3).
  bool common_random_numbers = false;
  /// [point] → its expected number of uplinks (devices × duration ÷ traffic
  /// interval, summed over groups): a cost estimate for scheduling only.
  std::vector<double> cost;
  /// [point] → the memory one run of it needs, in bytes, when the caller
  /// gave load_sweep_file a `memory_of` (the engine does); empty otherwise.
  std::vector<double> memory;
  /// The text of every data file the points refer to by path (a region
  /// file, chip profiles), so that editing one makes it another sweep.
  std::string referenced_files;
  /// The seed of run (point p, replication r): sweep_run_seed of (p, r), or
  /// of (0, r) with common random numbers.
  [[nodiscard]] std::uint64_t run_seed(std::uint64_t p, std::uint64_t r) const {
    return sweep_run_seed(base_seed, common_random_numbers ? 0 : p, r);
  }
  /// The overrides that make point p: the base ones, then path=value.
  [[nodiscard]] std::vector<std::string> sets_of(std::size_t p) const {
    std::vector<std::string> v = base_sets;
    for (std::size_t i = 0; i < parameters.size(); ++i) v.push_back(parameters[i] + "=" + points[p][i]);
    return v;
  }
};

/// Reads FILE's sweep: section and checks the base scenario and every
/// point of the grid before anything runs: a bad path or value is a
/// ScenarioError at the FILE:LINE:COLUMN of the sweep entry.
Sweep load_sweep_file(const std::string& path, const std::vector<std::string>& overrides,
                      TechnologyFormats technologies,
                      const std::function<double(const Scenario&)>& memory_of = nullptr);

}  // namespace m2msim::scenario
