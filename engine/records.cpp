#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/phases.hpp"
#include "sim/statistics.hpp"

namespace m2msim::engine {

namespace {

/// The most device columns one technology may declare.
constexpr std::size_t kMaxTechnologyColumns = 32;

/// Counts, ratios and quantiles of a set of device records.
class GroupTally {
 public:
  explicit GroupTally(std::string name, std::size_t fates) {
    g_.name = std::move(name);
    g_.fates.assign(fates, 0);
  }
  void add(const results::DeviceRecord& d) {
    ++g_.devices;
    g_.generated += d.generated;
    g_.sent += d.sent;
    g_.delivered += d.delivered;
    for (std::size_t f = 0; f < g_.fates.size(); ++f) g_.fates[f] += d.fates[f];
    g_.downlinks_generated += d.downlinks_generated;
    g_.downlinks_delivered += d.downlinks_delivered;
    covered_ += d.covered ? 1 : 0;
    coverage_probability_ += d.coverage_probability;
    battery_.push_back(d.battery_life_years);
    for (std::size_t p = 0; p < parts_.size(); ++p) parts_[p] += d.part_mAh[p];
    // Each part's current over the time the device ran (its average current
    // is its charge over that time, which ends early when the battery empties).
    if (d.charge_mAh > 0.0)
      for (std::size_t p = 0; p < parts_.size(); ++p)
        part_currents_[p] += d.part_mAh[p] * d.average_current_mA / d.charge_mAh;
    g_.battery_at_shelf_life += d.battery_life_bound == "shelf_life" ? 1 : 0;
    over_pulse_ += d.over_pulse_rating ? 1 : 0;
    energy_neutral_ += d.battery_life_bound == "energy_neutral" ? 1 : 0;
    peak_mA_ = std::max(peak_mA_, d.peak_current_mA);
    over_continuous_ += d.over_continuous_rating ? 1 : 0;
    max_average_mA_ = std::max(max_average_mA_, d.average_current_mA);
    min_sleep_mA_ = std::min(min_sleep_mA_, d.sleep_current_mA);
  }
  /// A device's values of the run's technology columns: counts its class
  /// in each class column it fills. `part` is its technology's index and
  /// `own_classes` [run column] how many classes that technology declares
  /// (an NB-IoT device has three CE levels where LTE-M has four).
  void add_classes(std::span<const results::ColumnSpec> columns, std::span<const double> values, std::size_t part,
                   std::span<const int> own_classes) {
    if (class_counts_.empty()) {
      for (const auto& c : columns)
        if (c.classes > 0) {
          class_counts_.emplace_back(static_cast<std::size_t>(c.classes) + 1, 0);
          class_fillers_.push_back({});
        }
    }
    std::size_t k = 0;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].classes <= 0) continue;
      auto& filler = class_fillers_[k];
      auto& counts = class_counts_[k++];
      const double v = values[c];
      if (std::isnan(v)) continue;
      ++counts.back();  // devices that fill the column
      const auto i = static_cast<std::size_t>(v);
      if (v >= 0 && i + 1 < counts.size()) ++counts[i];
      filler.classes = std::max(filler.classes, own_classes[c]);
      if (filler.part == kNoPart) filler.part = part;
      if (filler.part != part) filler.mixed = true;
    }
  }
  /// The class shares (after every add_classes).
  void finish_classes(std::span<const results::ColumnSpec> columns) {
    std::size_t k = 0;
    for (const auto& c : columns) {
      if (c.classes <= 0) continue;
      const auto& counts = class_counts_.empty() ? std::vector<std::uint64_t>(static_cast<std::size_t>(c.classes) + 1)
                                                 : class_counts_[k];
      const ClassFiller filler = class_fillers_.empty() ? ClassFiller{} : class_fillers_[k];
      ++k;
      for (int i = 0; i < c.classes; ++i) {
        const double filled = static_cast<double>(counts.back());
        // No share for a class the devices' technology does not have, nor
        // across technologies whose classes mean different things.
        const bool meaningful = filled > 0 && !filler.mixed && i < filler.classes;
        g_.shares.emplace_back(std::string(c.name) + "_" + std::to_string(i),
                               meaningful ? static_cast<double>(counts[static_cast<std::size_t>(i)]) / filled
                                          : std::numeric_limits<double>::quiet_NaN());
      }
    }
  }
  /// What the group's battery life includes, and what a planner must know.
  void describe_battery(const scenario::DeviceGroupSpec& spec, std::vector<std::string> procedure, Time duration,
                        std::vector<std::string> technology_warnings) {
    g_.battery_includes = battery_includes(spec);
    // The technology's procedure goes after the radio's line.
    g_.battery_includes.insert(g_.battery_includes.begin() + 1, std::make_move_iterator(procedure.begin()),
                               std::make_move_iterator(procedure.end()));
    g_.battery_warnings = battery_warnings(spec, duration);
    g_.battery_warnings.insert(g_.battery_warnings.end(), std::make_move_iterator(technology_warnings.begin()),
                               std::make_move_iterator(technology_warnings.end()));
  }
  results::GroupSummary finish(SampleCollector& latency, SampleCollector& downlink_latency) {
    const auto nan = std::numeric_limits<double>::quiet_NaN();
    g_.delivery_ratio = g_.generated ? static_cast<double>(g_.delivered) / static_cast<double>(g_.generated) : nan;
    g_.downlink_delivery_ratio = g_.downlinks_generated ? static_cast<double>(g_.downlinks_delivered) /
                                                              static_cast<double>(g_.downlinks_generated)
                                                        : nan;
    g_.latency_p50_s = latency.quantile(0.50);
    g_.latency_p95_s = latency.quantile(0.95);
    g_.latency_p99_s = latency.quantile(0.99);
    g_.downlink_latency_p50_s = downlink_latency.quantile(0.50);
    g_.downlink_latency_p95_s = downlink_latency.quantile(0.95);
    std::sort(battery_.begin(), battery_.end());
    g_.battery_p5_years = quantile_sorted(battery_, 0.05);
    g_.battery_median_years = quantile_sorted(battery_, 0.50);
    g_.battery_p95_years = quantile_sorted(battery_, 0.95);
    const auto n = static_cast<double>(g_.devices);
    g_.coverage_ratio = static_cast<double>(covered_) / n;
    g_.coverage_probability = coverage_probability_ / n;
    for (std::size_t p = 0; p < parts_.size(); ++p) g_.mean_part_mAh[p] = parts_[p] / n;
    for (std::size_t p = 0; p < parts_.size(); ++p) g_.mean_part_mA[p] = part_currents_[p] / n;
    return g_;
  }

 private:
  results::GroupSummary g_;
  std::size_t covered_ = 0;
  double coverage_probability_ = 0.0;
  std::vector<double> battery_;
  std::array<double, results::kChargeParts.size()> parts_{};
  std::array<double, results::kChargeParts.size()> part_currents_{};
  std::uint64_t over_pulse_ = 0;
  std::uint64_t energy_neutral_ = 0;
  std::uint64_t over_continuous_ = 0;
  double max_average_mA_ = 0.0;
  double peak_mA_ = 0.0;
  double min_sleep_mA_ = std::numeric_limits<double>::infinity();
  /// Per class column: devices in each class, then devices that fill it.
  std::vector<std::vector<std::uint64_t>> class_counts_;
  static constexpr std::size_t kNoPart = SIZE_MAX;
  /// Per class column: which technology filled it (mixed: more than one),
  /// and the most classes a filling technology declares.
  struct ClassFiller {
    std::size_t part = kNoPart;
    bool mixed = false;
    int classes = 0;
  };
  std::vector<ClassFiller> class_fillers_;

  std::vector<std::string> battery_warnings(const scenario::DeviceGroupSpec& spec, Time duration) const {
    std::vector<std::string> w;
    const auto& b = spec.battery;
    const auto devices = std::to_string(g_.devices);
    // The battery life extrapolates the run's charge: in a run shorter than
    // the reporting interval most devices send no report at all, and their
    // lives leave the reports' charge out.
    if (duration < spec.traffic.interval) {
      const bool periodic = spec.traffic.kind == scenario::TrafficSpec::Kind::Periodic;
      w.push_back("the run (" + duration.to_string() + ") is shorter than the group's " +
                  (periodic ? "reporting interval (" : "mean time between reports (") +
                  spec.traffic.interval.to_string() +
                  "): most devices send no report in it, and their battery life leaves the reports' charge out; run "
                  "for several intervals");
    }
    if (g_.battery_at_shelf_life > 0) {
      w.push_back(std::to_string(g_.battery_at_shelf_life) + " of " + devices + " devices: the battery life is the " +
                  b.battery.cell + " cell's shelf life, " + fmt(b.battery.shelf_life_years, 3) +
                  " years; their drain alone would empty it later");
    }
    if (energy_neutral_ > 0) {
      w.push_back(std::to_string(energy_neutral_) + " of " + devices +
                  " devices: the solar harvest keeps the battery from running out within 100 years; the life given "
                  "is the cell's shelf life, or unbounded without one, and leaves out the cell's cycle ageing and "
                  "charge limits");
    }
    if (over_continuous_ > 0) {
      w.push_back(std::to_string(over_continuous_) + " of " + devices + " devices draw " + fmt(max_average_mA_, 4) +
                  " mA on average at most, above the battery's continuous rating of " +
                  fmt(b.battery.max_continuous_mA, 4) + " mA: the cell cannot deliver its capacity at that rate");
    }
    if (over_pulse_ > 0) {
      w.push_back(std::to_string(over_pulse_) + " of " + devices + " devices draw up to " + fmt(peak_mA_, 4) +
                  " mA, above the battery's pulse rating of " + fmt(b.battery.max_pulse_mA, 4) +
                  " mA: its voltage would sag below cut-off under the pulse; a real device needs a buffer capacitor "
                  "or a cell with a higher rating");
    }
    const double floor_mA = energy::lowest_real_sleep_mA(spec.hardware.radio.technology);
    if (min_sleep_mA_ < floor_mA) {
      w.push_back("the device sleeps at " + fmt(min_sleep_mA_ * 1e3, 4) + " uA, below the " + fmt(floor_mA * 1e3, 3) +
                  " uA of the lowest real " + spec.hardware.radio.technology +
                  " device measured (docs/models/energy.md): the battery life is optimistic");
    }
    // The profiles' currents are at their supply voltage; a battery far below
    // it (one 1.5 V cell for a 3.3 V radio) needs a boost converter whose
    // losses the model does not count.
    const double supply_V = spec.hardware.radio.supply_V;
    if (supply_V > 0.0 && b.battery.voltage_V > 0.0 && b.battery.voltage_V < 0.75 * supply_V) {
      w.push_back("the battery's " + fmt(b.battery.voltage_V, 3) + " V is far below the " + fmt(supply_V, 3) +
                  " V at which the " + spec.hardware.radio.name +
                  "'s currents are given: a real device needs a boost converter, whose losses are not counted, "
                  "or cells in series");
    }
    if (b.cell &&
        (b.temperature.min_C() < b.cell->min_temperature_C || b.temperature.max_C() > b.cell->max_temperature_C)) {
      const bool constant = b.temperature.min_C() == b.temperature.max_C();
      w.push_back((constant ? "the temperature is " + fmt(b.temperature.min_C(), 3)
                            : "the temperature reaches " + fmt(b.temperature.min_C(), 3) + " to " +
                                  fmt(b.temperature.max_C(), 3)) +
                  " degC, outside the cell's operating range " + fmt(b.cell->min_temperature_C, 3) + " to " +
                  fmt(b.cell->max_temperature_C, 3) + " degC");
    }
    if (b.cell && b.cell->capacity_vs_temperature.empty() && b.cell->self_discharge_vs_temperature.points.size() <= 1 &&
        (b.temperature.mean_C != energy::TemperatureProfile{}.mean_C || b.temperature.daily_swing_K != 0.0 ||
         b.temperature.seasonal_swing_K != 0.0)) {
      w.push_back("the " + b.cell->name +
                  " cell file gives no temperature dependence (no capacity-versus-temperature curve, self-discharge "
                  "at one temperature at most): the group's temperature changes nothing");
    }
    if (b.cell && b.cell->self_discharge_vs_temperature.empty() && !std::isfinite(b.cell->shelf_life_years) &&
        !b.self_discharge_given) {
      w.push_back("the " + b.cell->name +
                  " cell file gives no self-discharge and no shelf life: the battery life counts neither, though "
                  "every real cell loses charge in storage and ages");
    }
    if (!b.cell) {
      w.push_back(
          "the battery is given by its figures only: an ideal cell, without chemistry, derating by current "
          "or temperature, or shelf life");
    }
    if (spec.hardware.board.empty()) {
      w.push_back(
          "no board (hardware.board: none): only the radio and what the scenario adds are counted; a real "
          "device also draws its regulator, leakage and sensors");
    }
    return w;
  }

  static std::vector<std::string> battery_includes(const scenario::DeviceGroupSpec& spec) {
    std::vector<std::string> v;
    const auto& h = spec.hardware;
    const auto& b = spec.battery;
    v.push_back("radio " + h.radio.name + ": transmit, receive, idle");
    v.push_back(h.mcu ? "microcontroller " + h.mcu->name : std::string("no microcontroller"));
    if (!h.board.empty()) {
      v.push_back("board " + h.board + ": floor " + fmt(h.sleep_floor_mA * 1e3, 4) + " uA, sensors " +
                  fmt(h.sensors_standby_mA * 1e3, 4) + " uA standby and " + fmt(h.sensors_packet_mAs * 1e3, 4) +
                  " uA·s per packet" +
                  (h.mcu_packet_mAs > 0.0
                       ? ", microcontroller events " + fmt(h.mcu_packet_mAs * 1e3, 4) + " uA·s per packet"
                       : std::string()));
    } else if (h.sleep_floor_mA > 0.0) {
      v.push_back("board floor " + fmt(h.sleep_floor_mA * 1e3, 4) + " uA");
    }
    const std::string temperature = b.temperature.daily_swing_K == 0.0 && b.temperature.seasonal_swing_K == 0.0
                                        ? fmt(b.temperature.mean_C, 3) + " degC"
                                        : fmt(b.temperature.mean_C, 3) + " degC mean (" +
                                              fmt(b.temperature.min_C(), 3) + " to " + fmt(b.temperature.max_C(), 3) +
                                              " degC), averaged over a year";
    if (b.cell) {
      v.push_back("battery " + std::to_string(b.parallel * b.series) + " x " + b.cell->name + " (" + b.cell->chemistry +
                  "), " + fmt(b.battery.capacity_mAh, 6) + " mAh, " + fmt(b.battery.usable_fraction * 100.0, 3) +
                  " % usable");
      v.push_back("temperature " + temperature + ": capacity " + fmt(b.battery.temperature_factor * 100.0, 4) +
                  " % of the reference temperature's, self-discharge " +
                  fmt(b.battery.self_discharge_per_year * 100.0, 3) + " %/year" +
                  (b.self_discharge_given ? " (as the scenario gives it)" : ""));
      v.push_back(b.battery.capacity_vs_current.empty()
                      ? std::string("no derating by current (the cell file has no curve)")
                      : std::string("capacity derated by the average current"));
      if (const auto& s = b.battery.solar) {
        v.push_back("solar panel " + fmt(s->peak_power_mW, 4) + " mW peak, " + fmt(s->sun_hours_winter, 3) + " to " +
                    fmt(s->sun_hours_summer, 3) + " peak sun hours a day, " + fmt(s->efficiency * 100.0, 3) +
                    " % to the battery, day by day from full on 1 January");
      }
      v.push_back(std::isfinite(b.battery.shelf_life_years)
                      ? "bounded by the cell's shelf life, " + fmt(b.battery.shelf_life_years, 3) + " years"
                      : std::string("no shelf life given"));
    } else {
      v.push_back("battery " + fmt(b.battery.capacity_mAh, 6) + " mAh as given, " +
                  fmt(b.battery.usable_fraction * 100.0, 3) + " % usable, self-discharge " +
                  fmt(b.battery.self_discharge_per_year * 100.0, 3) + " %/year");
    }
    return v;
  }

  static std::string fmt(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
  }
};

/// The link and coverage columns of device d's record, from the link budget.
void fill_link_columns(results::DeviceRecord& rec, const scenario::Scenario& s, std::size_t d, std::uint32_t gi,
                       const Links& links, const ReceivedPower& power, const technology::GroupLink& group) {
  const auto bk = static_cast<std::size_t>(links.best[d].site);
  rec.best_gateway = s.gateways[bk].name;
  rec.best_rx_dBm = links.best[d].rx_dBm;
  rec.best_margin_dB = rec.best_rx_dBm - group.sensitivity_dBm[bk];
  rec.covered = rec.best_margin_dB >= 0.0;
  // Probability that at least one site hears the device, over shadowing.
  // The sectors of one site share their shadowing (links.field_of), so one
  // of them hears the device when its best sector does: P_f = Φ(max over
  // the place's sectors of median margin / σ). Places are independent.
  // Links beyond the range cut-off have P < Φ(−5) ≈ 2.9e-7 and are left out.
  const double sigma = s.propagation.shadowing_sigma_dB;
  const auto sites = links.budget.gateways_of(d);
  const auto med = links.budget.median_of(d);
  // (place, median margin) of each stored link, grouped by place; the
  // buffer is kept between devices.
  thread_local std::vector<std::pair<std::size_t, double>> margins;
  margins.clear();
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto k = static_cast<std::size_t>(sites[i]);
    margins.emplace_back(links.field_of[k], med[i] - group.sensitivity_dBm[k]);
  }
  std::sort(margins.begin(), margins.end());
  double p_none = 1.0;
  for (std::size_t i = 0; i < margins.size(); ++i) {
    if (i + 1 < margins.size() && margins[i + 1].first == margins[i].first) continue;  // the place's best is last
    const double m = margins[i].second;
    const double pf = sigma > 0.0 ? 0.5 * std::erfc(-m / (sigma * std::sqrt(2.0))) : (m >= 0.0 ? 1.0 : 0.0);
    p_none *= 1.0 - pf;
  }
  rec.coverage_probability = 1.0 - p_none;
  rec.best_path_loss_dB = power.link_gains_dB(gi, bk) - rec.best_rx_dBm;
  rec.penetration_dB = links.penetration_dB[d];
  // Noise floor: thermal noise kT = −174 dBm/Hz at 290 K over the noise
  // bandwidth, plus the receiver's noise figure.
  rec.best_snr_dB =
      rec.best_rx_dBm - (-174.0 + 10.0 * std::log10(group.noise_bandwidth_hz) + s.gateways[bk].noise_figure_dB);
}

/// Device d's record: position, links, and what its technology reports;
/// `values` are its technology columns.
results::DeviceRecord device_record(const results::RunRecord& r, const scenario::Scenario& s, const Placement& p,
                                    const Links& links, const ReceivedPower& power,
                                    std::span<const technology::GroupLink> groups, const TechnologyPart& part,
                                    std::size_t d, std::span<double> values) {
  const auto gi = p.group_of[d];
  results::DeviceRecord rec;
  rec.group = s.groups[gi].name;
  rec.id = d;
  rec.x_m = p.positions[d].x_m;
  rec.y_m = p.positions[d].y_m;
  fill_link_columns(rec, s, d, gi, links, power, groups[gi]);
  // The technology fills its own columns, then they go to the run's.
  std::array<double, kMaxTechnologyColumns> own_values;
  const std::size_t n = part.column_of.size();
  if (n > own_values.size()) throw std::logic_error("a technology has more device columns than the records allow");
  own_values.fill(std::numeric_limits<double>::quiet_NaN());
  const auto own = std::span<double>(own_values.data(), n);
  const auto fates = part.network->record_device(d, rec, own);
  for (std::size_t c = 0; c < n; ++c) values[part.column_of[c]] = own[c];
  rec.fates.assign(r.fate_names.size(), 0);
  for (std::size_t f = 0; f < fates.size(); ++f) rec.fates[part.fate_column[f]] = fates[f];
  return rec;
}

}  // namespace

results::RunRecord assemble_records(const scenario::Scenario& s, const Placement& p, const Links& links,
                                    const ReceivedPower& power, std::span<const technology::GroupLink> groups,
                                    const TechnologyParts& tech, results::LatencyRecorder& latency) {
  results::RunRecord r;
  r.technology_columns = tech.columns;
  r.fate_names = tech.fate_names;
  const std::size_t total = p.positions.size();
  std::vector<GroupTally> tallies;
  for (const auto& g : s.groups) tallies.emplace_back(g.name, r.fate_names.size());
  GroupTally all("all", r.fate_names.size());
  r.devices.reserve(total);
  const std::size_t columns = r.technology_columns.size();
  r.technology_values.assign(total * columns, std::numeric_limits<double>::quiet_NaN());
  // Per technology, the classes it declares for each run column.
  std::vector<std::vector<int>> own_classes(tech.parts.size(), std::vector<int>(columns, 0));
  for (std::size_t t = 0; t < tech.parts.size(); ++t) {
    const auto declared = tech.parts[t].technology->device_columns();
    for (std::size_t j = 0; j < declared.size(); ++j) own_classes[t][tech.parts[t].column_of[j]] = declared[j].classes;
  }
  for (std::size_t d = 0; d < total; ++d) {
    const auto gi = p.group_of[d];
    const std::span<double> values(r.technology_values.data() + d * columns, columns);
    r.devices.push_back(device_record(r, s, p, links, power, groups, tech.parts[tech.part_of_group[gi]], d, values));
    tallies[gi].add(r.devices.back());
    all.add(r.devices.back());
    const std::size_t part = tech.part_of_group[gi];
    tallies[gi].add_classes(r.technology_columns, values, part, own_classes[part]);
    all.add_classes(r.technology_columns, values, part, own_classes[part]);
  }
  SampleCollector all_latency, all_dl_latency;
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    SampleCollector& lat = latency.uplink(gi);
    SampleCollector& dl_lat = latency.downlink(gi);
    for (double v : lat.values()) all_latency.add(v);
    for (double v : dl_lat.values()) all_dl_latency.add(v);
    const auto& part = tech.parts[tech.part_of_group[gi]];
    tallies[gi].describe_battery(s.groups[gi], part.technology->battery_includes(s, gi), s.duration,
                                 part.network->battery_warnings(gi));
    tallies[gi].finish_classes(r.technology_columns);
    r.groups.push_back(tallies[gi].finish(lat, dl_lat));
    std::vector<double> sorted = lat.values();
    std::sort(sorted.begin(), sorted.end());
    r.latency_samples_s.push_back(std::move(sorted));
  }
  all.finish_classes(r.technology_columns);
  r.total = all.finish(all_latency, all_dl_latency);
  // The sites, each with its technology's columns (none when no group runs it).
  r.site_columns = tech.site_columns;
  const std::size_t site_columns = r.site_columns.size();
  r.site_values.assign(s.gateways.size() * site_columns, std::numeric_limits<double>::quiet_NaN());
  std::array<double, kMaxTechnologyColumns> own_values;
  for (std::size_t g = 0; g < s.gateways.size(); ++g) {
    const auto& gw = s.gateways[g];
    r.sites.push_back({gw.name, gw.technology, gw.x_m, gw.y_m});
    for (const auto& part : tech.parts) {
      if (part.technology->name() != gw.technology) continue;
      const std::size_t n = part.site_column_of.size();
      if (n > own_values.size()) throw std::logic_error("a technology has more site columns than the records allow");
      own_values.fill(std::numeric_limits<double>::quiet_NaN());
      const auto own = std::span<double>(own_values.data(), n);
      part.network->record_site(g, own);
      for (std::size_t c = 0; c < n; ++c) r.site_values[g * site_columns + part.site_column_of[c]] = own[c];
    }
  }
  return r;
}

}  // namespace m2msim::engine
