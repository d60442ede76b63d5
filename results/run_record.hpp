// What a run produces, as plain records: the engines fill them, analysis/
// turns them into tables and files. No model types appear here: what a
// technology adds (its fates, its device columns) arrives as names and
// numbers it declares.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace m2msim::results {

/// A device column a technology adds to devices.csv (its radio settings at
/// the end of the run, say). Written after the device's position.
struct ColumnSpec {
  std::string_view name;     ///< the CSV header, with its unit as a suffix (tx_power_dBm)
  std::string_view meaning;  ///< for docs
  int decimals = 0;          ///< digits after the point; 0 writes an integer
  /// A whole-number column with values 0 .. classes − 1 (a coverage level,
  /// say): the summary gives each group's share of devices in each class,
  /// among the devices that fill the column. 0: not summarised.
  int classes = 0;
};

/// Where a device's charge goes (devices.csv's charge_<part>_mAh columns and
/// the report's stacked bars): what the device drew, by part, then what its
/// battery lost to self-discharge over the same window.
inline constexpr std::array<std::string_view, 7> kChargeParts{"tx",      "rx",    "radio_idle",    "mcu",
                                                              "sensors", "floor", "self_discharge"};

struct DeviceRecord {
  std::string group;
  std::uint64_t id = 0;  ///< index in the whole scenario
  double x_m = 0.0, y_m = 0.0;
  std::uint64_t transmissions = 0;                                 ///< uplink attempts, retransmissions included
  std::uint64_t join_attempts = 0;                                 ///< join, attach or association requests sent
  std::uint64_t downlinks_generated = 0, downlinks_delivered = 0;  ///< application downlinks
  double joined_at_s = 0.0;  ///< when it joined; −1 never; 0 when joined from the start
  std::string best_gateway;  ///< by received power, "" if none
  double best_rx_dBm = 0.0;
  double best_margin_dB = 0.0;     ///< best received power − that gateway's sensitivity
  double best_path_loss_dB = 0.0;  ///< path loss incl. penetration and shadowing to the best gateway
  double penetration_dB = 0.0;     ///< building / vehicle penetration loss drawn for the device (in best_path_loss_dB)
  double best_snr_dB = 0.0;        ///< best received power − the best gateway's noise floor
  bool covered = false;            ///< best margin >= 0 dB in this realisation
  double coverage_probability = 0.0;  ///< P(some gateway's margin >= 0) over shadowing
  std::uint64_t generated = 0, sent = 0, delivered = 0;
  std::vector<std::uint64_t> fates;  ///< in RunRecord::fate_names order
  double charge_mAh = 0.0;           ///< drawn over the simulated window: the sum of the device's parts
  std::array<double, kChargeParts.size()> part_mAh{};  ///< by kChargeParts (self-discharge is the battery's)
  double average_current_mA = 0.0;
  double peak_current_mA = 0.0;   ///< the highest current the device draws (radio peak, MCU active, standing draw)
  double sleep_current_mA = 0.0;  ///< with everything asleep
  double battery_life_years = 0.0;
  std::string_view battery_life_bound = "extrapolated";  ///< extrapolated, shelf_life or ran_out
  bool over_pulse_rating = false;                        ///< peak current above the battery's pulse rating
  bool over_continuous_rating = false;  ///< average current above the battery's continuous rating (summary only)
  bool battery_empty = false;
};

/// One site of the run (a gateway, a cell site), in the scenario's order;
/// its technology's site columns are in RunRecord::site_values.
struct SiteRecord {
  std::string name;
  std::string technology;
  double x_m = 0.0, y_m = 0.0;
};

struct GroupSummary {
  std::string name;
  std::uint64_t devices = 0;
  std::uint64_t generated = 0, sent = 0, delivered = 0;
  std::vector<std::uint64_t> fates;
  double delivery_ratio = 0.0;        ///< delivered / generated
  double coverage_ratio = 0.0;        ///< share of devices with best margin >= 0 dB
  double coverage_probability = 0.0;  ///< mean over devices of P(covered) over shadowing
  double latency_p50_s = 0.0, latency_p95_s = 0.0, latency_p99_s = 0.0;  ///< NaN when nothing was delivered
  double battery_p5_years = 0.0, battery_median_years = 0.0, battery_p95_years = 0.0;
  /// What the battery life includes, and what a planner must know about it
  /// (the cell's shelf life reached, a peak above the cell's pulse rating, a
  /// sleep current below any real board's): for summary.json and the report.
  std::vector<std::string> battery_includes;
  std::vector<std::string> battery_warnings;
  std::uint64_t battery_at_shelf_life = 0;  ///< devices whose life is the cell's shelf life
  /// Mean per device of each kChargeParts part over the window (mAh).
  std::array<double, kChargeParts.size()> mean_part_mAh{};
  /// Mean per device of each part's current (mA) over the time the device
  /// ran: the window, or until its battery was empty. They add up to the
  /// mean average_current_mA.
  std::array<double, kChargeParts.size()> mean_part_mA{};
  /// Application downlinks (server to device): generated, delivered, latency.
  std::uint64_t downlinks_generated = 0, downlinks_delivered = 0;
  double downlink_delivery_ratio = 0.0;  ///< NaN without downlinks
  double downlink_latency_p50_s = 0.0, downlink_latency_p95_s = 0.0;
  /// The technologies' class columns (ColumnSpec::classes): ("ce_level_2",
  /// share of the devices that fill ce_level with 2), in column order; NaN
  /// when no device of the group fills the column. Empty when the run has
  /// no such column.
  std::vector<std::pair<std::string, double>> shares;
};

/// Best margin over gateways on a grid of the area, for one device group's
/// radio settings (outputs.coverage_map).
struct CoverageMap {
  std::string group;
  double x0_m = 0.0, y0_m = 0.0;  ///< centre of the first pixel
  double resolution_m = 0.0;
  std::size_t nx = 0, ny = 0;
  std::vector<float> margin_dB;     ///< [j·nx + i]; best received power − sensitivity
  std::vector<float> rx_dBm;        ///< [j·nx + i]; best received power
  std::vector<std::uint16_t> best;  ///< [j·nx + i]; index into gateway_names
  std::vector<std::string> gateway_names;
  std::vector<std::pair<double, double>> gateway_xy_m;
  std::vector<bool> gateway_serves;  ///< [gateway] of the mapped group's technology (drawn on the map)
  bool with_shadowing = false;       ///< correlated field values included (else median)
};

struct RunRecord {
  std::string scenario_name;
  std::string scenario_file;
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;
  double duration_s = 0.0;
  std::uint64_t events = 0;
  std::vector<std::string> fate_names;         ///< the technologies' fates (results/packet_fate.hpp)
  std::vector<ColumnSpec> technology_columns;  ///< the technologies' device columns, in registration order
  /// [device · technology_columns.size() + column]: NaN (an empty cell) for
  /// the columns of another technology. One flat array rather than a vector
  /// per device: a record costs no more than one without these columns.
  std::vector<double> technology_values;
  /// Device d's value of the technology column `name`; NaN when the run has
  /// no such column or d's technology does not fill it.
  [[nodiscard]] double technology_value(const DeviceRecord& d, std::string_view name) const {
    for (std::size_t c = 0; c < technology_columns.size(); ++c) {
      if (technology_columns[c].name == name) return technology_values[d.id * technology_columns.size() + c];
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
  /// The sites (gateways.csv) and the technologies' site columns, as the
  /// device columns: [site · site_columns.size() + column], NaN for the
  /// columns of another technology or of a technology no group runs.
  std::vector<SiteRecord> sites;
  std::vector<ColumnSpec> site_columns;
  std::vector<double> site_values;
  /// Site s's value of the site column `name`; NaN when absent.
  [[nodiscard]] double site_value(std::size_t site, std::string_view name) const {
    for (std::size_t c = 0; c < site_columns.size(); ++c) {
      if (site_columns[c].name == name) return site_values[site * site_columns.size() + c];
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
  /// Index of a fate in fate_names (and in every fates vector); fate_names.size() when absent.
  [[nodiscard]] std::size_t fate_index(std::string_view name) const {
    std::size_t i = 0;
    while (i < fate_names.size() && fate_names[i] != name) ++i;
    return i;
  }
  GroupSummary total;  ///< name "all"
  std::vector<GroupSummary> groups;
  std::vector<DeviceRecord> devices;
  std::optional<CoverageMap> coverage_map;
  /// outputs.state_of_charge: sampled devices' battery, by time then device.
  struct ChargeSample {
    double time_s = 0.0;
    std::uint64_t device = 0;
    double drawn_mAh = 0.0, self_discharged_mAh = 0.0, state_of_charge = 1.0;
  };
  std::vector<ChargeSample> state_of_charge;
  /// Uplink latency of every delivered packet (s), sorted, per group in
  /// group order: for plots and reports (summary.json keeps the quantiles).
  std::vector<std::vector<double>> latency_samples_s;
  /// Wall time of each phase, seconds. Measurements of this process, not
  /// results: never written to summary.json (which must be byte-identical).
  struct PhaseTimes {
    double link_budget_s = 0.0;   ///< placement and every device-gateway link
    double coverage_map_s = 0.0;  ///< outputs.coverage_map
    double run_s = 0.0;           ///< the event loop
    double records_s = 0.0;       ///< per-device records and summaries
  } wall;
  /// Size of the link budget (for benchmarks; like `wall`, never written
  /// to results).
  struct LinkBudgetSize {
    std::size_t links = 0;  ///< stored device-gateway links
    std::size_t bytes = 0;  ///< heap bytes of the sparse budget
  } link_budget;
};

}  // namespace m2msim::results
