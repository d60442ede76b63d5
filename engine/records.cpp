#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/phases.hpp"
#include "sim/statistics.hpp"

namespace m2msim::engine {

namespace {

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
    return g_;
  }

 private:
  results::GroupSummary g_;
  std::size_t covered_ = 0;
  double coverage_probability_ = 0.0;
  std::vector<double> battery_;
};

/// The link and coverage columns of device d's record, from the link budget.
void fill_link_columns(results::DeviceRecord& rec, const scenario::Scenario& s, std::size_t d, std::uint32_t gi,
                       const Links& links, const ReceivedPower& power, const technology::GroupLink& group) {
  const auto bk = static_cast<std::size_t>(links.best[d].site);
  rec.best_gateway = s.gateways[bk].name;
  rec.best_rx_dBm = links.best[d].rx_dBm;
  rec.best_margin_dB = rec.best_rx_dBm - group.sensitivity_dBm[bk];
  rec.covered = rec.best_margin_dB >= 0.0;
  // Probability that at least one site hears the device, over shadowing:
  // links independent with P_k = Φ(median margin_k / σ) (for correlated
  // fields the links of one device are still drawn from independent
  // per-site fields). Links beyond the range cut-off have P_k < Φ(−5) ≈
  // 2.9e-7 and are left out.
  const double sigma = s.propagation.shadowing_sigma_dB;
  double p_none = 1.0;
  const auto sites = links.budget.gateways_of(d);
  const auto med = links.budget.median_of(d);
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const double m = med[i] - group.sensitivity_dBm[static_cast<std::size_t>(sites[i])];
    const double pk = sigma > 0.0 ? 0.5 * std::erfc(-m / (sigma * std::sqrt(2.0))) : (m >= 0.0 ? 1.0 : 0.0);
    p_none *= 1.0 - pk;
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
  const auto own = std::span<double>(values).subspan(part.first_column, part.technology->device_columns().size());
  const auto fates = part.network->record_device(d, rec, own);
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
  for (std::size_t d = 0; d < total; ++d) {
    const auto gi = p.group_of[d];
    const std::span<double> values(r.technology_values.data() + d * columns, columns);
    r.devices.push_back(device_record(r, s, p, links, power, groups, tech.parts[tech.part_of_group[gi]], d, values));
    tallies[gi].add(r.devices.back());
    all.add(r.devices.back());
  }
  SampleCollector all_latency, all_dl_latency;
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    SampleCollector& lat = latency.uplink(gi);
    SampleCollector& dl_lat = latency.downlink(gi);
    for (double v : lat.values()) all_latency.add(v);
    for (double v : dl_lat.values()) all_dl_latency.add(v);
    r.groups.push_back(tallies[gi].finish(lat, dl_lat));
    std::vector<double> sorted = lat.values();
    std::sort(sorted.begin(), sorted.end());
    r.latency_samples_s.push_back(std::move(sorted));
  }
  r.total = all.finish(all_latency, all_dl_latency);
  return r;
}

}  // namespace m2msim::engine
