// The phases of a native run (docs/architecture.md, "A run in phases"):
//   place devices → link budget → coverage map → technologies run → records.
// Each phase is a function of the scenario and of what the phases before it
// returned; none knows a technology by name. What a technology needs of the
// link budget arrives as one technology::GroupLink per device group.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/geo/position.hpp"
#include "models/propagation/link_budget.hpp"
#include "models/propagation/path_loss.hpp"
#include "models/propagation/shadowing.hpp"
#include "models/propagation/three_gpp_38901.hpp"
#include "models/technology/technology.hpp"
#include "results/run_record.hpp"
#include "scenarios/scenario.hpp"
#include "sim/simulation.hpp"

namespace m2msim::engine {

/// Links whose median received power is more than this many shadowing
/// standard deviations below the weakest signal that matters are treated as
/// out of range (P(N(0,1) > 5) = 2.9·10⁻⁷).
inline constexpr double kCutOffSigmas = 5.0;

// ---- 1. place devices (engine/placement.cpp)

struct Placement {
  std::vector<geo::Position> positions;     ///< [device], groups one after another
  std::vector<std::uint32_t> group_of;      ///< [device]
  std::vector<std::size_t> first_of_group;  ///< [group]
};
Placement place_devices(const scenario::Scenario& s, const Simulation& sim);

// ---- the shared propagation model (engine/received_power.cpp)

/// Median received power (no shadowing) of a device of a group at a site:
/// the group's EIRP, the site's antenna gain less its cable loss and its
/// pattern's attenuation towards the device, the scenario's path-loss model
/// at the group's carrier, less penetration.
class ReceivedPower {
 public:
  ReceivedPower(const scenario::Scenario& s, std::span<const technology::GroupLink> groups);
  ~ReceivedPower();
  /// `los_draw` in [0, 1) picks LOS or NLOS under `condition: random` (LOS
  /// when below the TR 38.901 LOS probability).
  [[nodiscard]] double median_dBm(std::size_t group, double x_m, double y_m, std::size_t site, double los_draw,
                                  double penetration_dB) const;
  /// EIRP plus the site's antenna gain less its cable loss.
  [[nodiscard]] double link_gains_dB(std::size_t group, std::size_t site) const;
  [[nodiscard]] bool random_los() const { return random_los_; }
  /// The unit vector (east, north) of the site's strongest direction: its
  /// antenna's boresight (east when omnidirectional).
  [[nodiscard]] std::pair<double, double> boresight(std::size_t site) const;

 private:
  const scenario::Scenario& s_;
  std::span<const technology::GroupLink> groups_;
  std::vector<geo::Position> site_pos_;
  std::unique_ptr<propagation::PathLossModel> primary_;  ///< or the LOS model under random_los
  std::unique_ptr<propagation::PathLossModel> nlos_;
  bool random_los_ = false;
  propagation::ThreeGppScenario scenario_ = propagation::ThreeGppScenario::UMa;
};

// ---- 2. link budget (engine/link_budget_phase.cpp)

struct Links {
  /// Each device's strongest link over all sites, stored or not, so that an
  /// uncovered device still reports how far short it is.
  struct Best {
    std::uint32_t site = 0;
    float rx_dBm = -std::numeric_limits<float>::infinity();
  };
  propagation::LinkBudget budget;
  std::vector<Best> best;              ///< [device]
  std::vector<double> penetration_dB;  ///< [device] building / vehicle loss drawn for it
  /// One correlated shadowing field per site, or none (independent
  /// shadowing per link, or no shadowing).
  std::vector<propagation::CorrelatedShadowing> fields;
  /// [site] the first site at the same place and height (the sectors of one
  /// site): whose shadowing, a field or a device's draw, the site shares.
  std::vector<std::size_t> field_of;
};
Links build_links(const scenario::Scenario& s, const Simulation& sim, const Placement& p, const ReceivedPower& power,
                  std::span<const technology::GroupLink> groups, unsigned threads);

// ---- 3. coverage map (engine/coverage_map_phase.cpp)

std::optional<results::CoverageMap> draw_coverage_map(const scenario::Scenario& s, const ReceivedPower& power,
                                                      const Links& links, std::span<const technology::GroupLink> groups,
                                                      unsigned threads);

// ---- 5. records (engine/records.cpp)

/// One technology's part of the run, for the records.
struct TechnologyPart {
  const technology::Technology* technology = nullptr;
  std::unique_ptr<technology::Network> network;
  std::vector<std::uint32_t> groups;     ///< ascending
  std::vector<std::size_t> fate_column;  ///< [its fate] column in the run's fate list
  /// [its device column] the run's column it fills: technologies share a
  /// column of the same name (coupling_loss_dB of two cellular technologies).
  std::vector<std::size_t> column_of;
  /// [its site column] the run's site column it fills.
  std::vector<std::size_t> site_column_of;
};
/// The technologies of a run and the layout of its results: the run's fate
/// names and device columns, each technology's place among them.
struct TechnologyParts {
  std::vector<TechnologyPart> parts;              ///< the technologies in use, in registration order
  std::vector<std::size_t> part_of_group;         ///< [group] the part running it
  std::vector<std::string> fate_names;            ///< every part's fates, each name once
  std::vector<results::ColumnSpec> columns;       ///< every part's device columns, in order
  std::vector<results::ColumnSpec> site_columns;  ///< every part's site columns, in order
};
/// The run's device records and summaries (per group and overall).
results::RunRecord assemble_records(const scenario::Scenario& s, const Placement& p, const Links& links,
                                    const ReceivedPower& power, std::span<const technology::GroupLink> groups,
                                    const TechnologyParts& tech, results::LatencyRecorder& latency);

}  // namespace m2msim::engine
