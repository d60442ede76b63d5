// The seam between the engine and a radio technology (LoRaWAN today;
// NB-IoT/LTE-M and Wi-Fi next). A technology is a folder models/<name>/ that
// implements `Technology` once, plus one line in the engine's registration
// list (engine/technologies.cpp). Neither the engine nor the scenario core
// knows a technology's name or types beyond this interface.
//
// The engine runs a scenario in phases (docs/architecture.md):
//   place devices → link budget → coverage map → technologies run → records.
// A technology takes part at three points, all at set-up or after the run,
// never per event (virtual calls stop here; its event code is concrete):
//   1. `group_link`: what the shared link budget needs of each of its device
//      groups (carrier, EIRP, per-site sensitivity and the weakest signal that
//      still matters to it);
//   2. `build`: its running network model, from its groups' settings and the
//      shared services of `Deployment` (positions, links, named random streams
//      through the Simulation);
//   3. `Network::record_device` and `record_site`: its part of each
//      device's and each of its sites' record, after the run (latencies go
//      to the shared results::LatencyRecorder as packets are delivered).
// It also declares its packet fates and its devices.csv and gateways.csv columns.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/energy/energy.hpp"
#include "models/geo/position.hpp"
#include "models/network/backhaul.hpp"
#include "models/propagation/link_budget.hpp"
#include "models/traffic/traffic.hpp"
#include "results/packet_fate.hpp"
#include "results/recorder.hpp"
#include "results/run_record.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/technology_format.hpp"
#include "sim/simulation.hpp"
#include "sim/statistics.hpp"

namespace m2msim::technology {

/// A device's energy into its record: the shared columns every technology
/// fills the same way (charge by part, currents, battery life and its bound).
inline void record_energy(results::DeviceRecord& r, const energy::DeviceEnergy& e) {
  static_assert(energy::kParts + 1 == results::kChargeParts.size());
  static_assert(
      [] {
        for (std::size_t p = 0; p < energy::kParts; ++p)
          if (energy::kPartNames[p] != results::kChargeParts[p]) return false;
        return results::kChargeParts[energy::kParts] == "self_discharge";
      }(),
      "devices.csv's charge columns follow energy::Part, then self-discharge");
  for (std::size_t p = 0; p < energy::kParts; ++p) r.part_mAh[p] = e.part_mAh[p];
  r.part_mAh[energy::kParts] = e.self_discharge_mAh;
  r.charge_mAh = e.charge_mAh;
  r.average_current_mA = e.average_current_mA;
  r.peak_current_mA = e.peak_current_mA;
  r.sleep_current_mA = e.sleep_current_mA;
  r.battery_life_years = e.battery_life_years;
  r.battery_life_bound = energy::kLifeBoundNames[static_cast<std::size_t>(e.bound)];
  r.over_pulse_rating = e.over_pulse_rating;
  r.over_continuous_rating = e.over_continuous_rating;
  r.battery_empty = e.battery_empty;
}

/// A group's traffic as the shared traffic model takes it.
inline traffic::TrafficPattern traffic_pattern(const scenario::TrafficSpec& t) {
  traffic::TrafficPattern p;
  p.kind = t.kind == scenario::TrafficSpec::Kind::Poisson ? traffic::TrafficPattern::Kind::Poisson
                                                          : traffic::TrafficPattern::Kind::Periodic;
  p.interval = t.interval;
  p.jitter = t.jitter;
  p.payload_bytes = t.payload_bytes;
  return p;
}

/// One device group's radio as the shared link budget sees it.
struct GroupLink {
  double carrier_hz = 0.0;          ///< path loss and penetration are evaluated at this frequency
  double eirp_dBm = 0.0;            ///< the device's transmit power plus its antenna gain
  double noise_bandwidth_hz = 0.0;  ///< receiver noise bandwidth, for the SNR in the records
  /// [site] The weakest signal the site decodes with the group's initial
  /// settings: a device is covered when its best margin over it is ≥ 0 dB.
  std::vector<float> sensitivity_dBm;
  /// [site] The weakest signal that still matters to the technology (with
  /// any setting a device may switch to, or as an interferer). Links whose
  /// median is more than 5 shadowing σ below it are not stored.
  std::vector<double> weakest_dBm;
};

/// What the engine has computed before the technologies run; read-only.
struct Deployment {
  const scenario::Scenario& scenario;
  std::span<const geo::Position> positions;     ///< [device]
  std::span<const std::uint32_t> group_of;      ///< [device] index into scenario.groups
  std::span<const std::size_t> first_of_group;  ///< [group] its first device
  const propagation::LinkBudget& links;         ///< [device × site], sparse; received power at the group's EIRP
  const network::Backhaul& backhaul;            ///< the delay between each site and the servers
  results::LatencyRecorder& latency;            ///< where delivered packets' latencies go
  std::span<const std::uint32_t> groups;        ///< the groups this technology runs, ascending
};

/// The running network of one technology in one run.
class Network {
 public:
  virtual ~Network() = default;
  /// Schedules the first events; nothing is generated at or after `end`.
  virtual void start(Time end) = 0;
  /// After the run: packets still being handled get their end-of-window fate.
  virtual void finish() = 0;
  /// Device `device`'s part of its record: the packet counters (generated,
  /// sent, transmissions, delivered), join and downlink counts, charge and
  /// battery life into `rec`; its columns into `technology_values` (in the
  /// order of Technology::device_columns()). Returns its fate counts in the
  /// order of Technology::fates(); the engine places them among the run's.
  virtual std::span<const std::uint64_t> record_device(std::size_t device, results::DeviceRecord& rec,
                                                       std::span<double> technology_values) const = 0;
  /// Device `device`'s battery at `now`, during the run (outputs.state_of_charge;
  /// energy::charge_state over its meter).
  [[nodiscard]] virtual energy::ChargeState charge_state(std::size_t device, Time now) const = 0;
  /// Site `site`'s (an index into scenario.gateways, one of this
  /// technology's) columns after the run, in the order of
  /// Technology::site_columns(). Default: none.
  virtual void record_site(std::size_t /*site*/, std::span<double> /*values*/) const {}
  /// After the run: what a planner must know about group `group`'s battery
  /// life that only the technology can tell (devices whose life is a bound,
  /// a periodic cost the run was too short to include). Default: none.
  [[nodiscard]] virtual std::vector<std::string> battery_warnings(std::size_t /*group*/) const { return {}; }
};

class Technology {
 public:
  virtual ~Technology() = default;
  /// The value of `radio.technology` that selects it.
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual std::span<const results::FateSpec> fates() const = 0;
  [[nodiscard]] virtual std::span<const results::ColumnSpec> device_columns() const = 0;
  /// Its columns of gateways.csv, one row per site of this technology (its
  /// load, say). Default: none.
  [[nodiscard]] virtual std::span<const results::ColumnSpec> site_columns() const { return {}; }
  /// The names of its radio's energy states, in the order of the indices its
  /// energy meters count by (energy::StateIndex); the first is the state the
  /// radio is in when nothing is booked.
  [[nodiscard]] virtual std::span<const std::string_view> energy_states() const = 0;
  /// Its part of the scenario format: its parameter tables and the readers
  /// of its top-level section, its site keys and its radio keys.
  [[nodiscard]] virtual const scenario::TechnologyFormat& format() const = 0;
  /// What the link budget needs of group `group` (one of this technology's).
  [[nodiscard]] virtual GroupLink group_link(const scenario::Scenario& s, std::size_t group) const = 0;
  /// What group `group`'s battery life includes of this technology's
  /// procedure beyond the radio's states (the summary's `includes`, after the
  /// radio's line): the waits and timers a planner must know the figure
  /// assumes. Called once per group when the records are assembled.
  [[nodiscard]] virtual std::vector<std::string> battery_includes(const scenario::Scenario& /*s*/,
                                                                  std::size_t /*group*/) const {
    return {};
  }
  /// A device's share of a run's peak memory: its state in the network
  /// model, its link-budget row and its record (measured; the engine's
  /// memory estimate, engine/memory_estimate.hpp).
  [[nodiscard]] virtual std::size_t bytes_per_device() const { return 2048; }
  /// The running network of this technology's groups in `sim`.
  [[nodiscard]] virtual std::unique_ptr<Network> build(Simulation& sim, const Deployment& d) const = 0;
};

}  // namespace m2msim::technology
