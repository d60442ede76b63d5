#include "models/cellular/nbiot_technology.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "models/cellular/nbiot_network.hpp"
#include "models/cellular/scenario_settings.hpp"

namespace m2msim::cellular {

namespace {

using scenario::Scenario;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// The NB-IoT reference signal is spread over the carrier's 12 subcarriers:
/// NRSRP is the carrier power less 10·log10(12) dB per subcarrier, less the
/// coupling loss (TS 36.214 §5.1.26).
const double kPerSubcarrier_dB = 10.0 * std::log10(12.0);
/// Coupling losses at which CE levels 1 and 2 begin by default (TR 45.820's
/// coverage classes: 144 dB "normal", 154 dB "robust", 164 dB "extreme").
constexpr double kLevel1From_dB = 144.0, kLevel2From_dB = 154.0;
/// Links this far below the maximum coupling loss still matter, as
/// downlink interference.
constexpr double kInterferenceMargin_dB = 20.0;

/// ra-ResponseWindowSize per CE level and mac-ContentionResolutionTimer, in
/// NPDCCH periods: pp10, pp5, pp5 and pp32, a commercial network's
/// SIB2-NB (band 5, 2019; docs/models/cellular.md §3.2).
constexpr std::array<int, kLevels> kResponseWindowPeriods{10, 5, 5};
constexpr int kContentionResolutionPeriods = 32;

LevelConfig level_config(const CeLevelSettings& s, std::size_t level) {
  LevelConfig c;
  c.response_window_periods = kResponseWindowPeriods[level];
  c.contention_resolution_periods = kContentionResolutionPeriods;
  c.nprach_period = s.nprach_period;
  c.nprach_repetitions = s.nprach_repetitions;
  c.nprach_subcarriers = s.nprach_subcarriers;
  c.max_attempts = s.max_attempts;
  c.npdcch_repetitions = s.npdcch_repetitions;
  c.npdsch_repetitions = s.npdsch_repetitions;
  c.npusch_repetitions = s.npusch_repetitions;
  c.npusch_subcarriers = s.npusch_subcarriers;
  c.npusch_spacing = s.npusch_spacing;
  c.npusch_itbs = s.npusch_itbs;
  c.npdsch_itbs = s.npdsch_itbs;
  c.sync_time = s.sync_time;
  return c;
}

GroupConfig group_config(const NetworkSettings& net, const scenario::DeviceGroupSpec& g) {
  const RadioSettings& radio = radio_of(g);
  GroupConfig c;
  c.traffic = technology::traffic_pattern(g.traffic);
  c.profile = &g.hardware.radio;
  c.board = g.hardware.model();
  c.battery = g.battery.battery;
  c.tx_power_dBm = radio.tx_power_dBm;
  c.tx_mA = c.profile->tx_mA(radio.tx_power_dBm);
  c.header_overhead_bytes = radio.header_overhead_bytes;
  c.release_assistance = radio.release_assistance;
  c.application_ack = radio.application_ack;
  c.active_timer = radio.active_timer;
  c.periodic_tau = radio.periodic_tau;
  c.inactivity_timer = net.inactivity_timer;
  c.backoff = net.backoff;
  for (std::size_t l = 0; l < kLevels; ++l) {
    c.levels[l] = level_config(net.levels[l], l);
    c.timing[l] = level_timing(c.levels[l]);
  }
  if (g.downlink) {
    c.downlinks = true;
    c.downlink = technology::traffic_pattern(*g.downlink);
    c.downlink_bits = 8 * static_cast<int>(g.downlink->payload_bytes + radio.header_overhead_bytes);
  }
  c.paging_cycle = radio.paging_cycle;
  // The application's acknowledgement carries no payload: its headers only.
  if (radio.application_ack) {
    c.ack_bits = 8 * static_cast<int>(std::max(1U, radio.header_overhead_bytes));
  }
  return c;
}

/// A device's serving site (the strongest link), coupling loss, NRSRP,
/// downlink SINR, CE level, uplink SNR and the allocation of its data
/// (`data_bits`, one report with its headers).
DeviceLink device_link(const Scenario& s, const NetworkSettings& net, const RadioSettings& radio, int data_bits,
                       std::span<const std::int32_t> sites, std::span<const float> rx) {
  DeviceLink l;
  l.coupling_loss_dB = std::numeric_limits<float>::infinity();
  l.nrsrp_dBm = l.sinr_dB = static_cast<float>(kNaN);
  l.level = kLevels - 1;
  if (sites.empty()) return l;
  const auto best = static_cast<std::size_t>(std::max_element(rx.begin(), rx.end()) - rx.begin());
  const auto cell = static_cast<std::size_t>(sites[best]);
  // The link budget's received power is at the device's EIRP: the coupling
  // loss is between the device's and the site's connectors, antennas included.
  const double cl = radio.tx_power_dBm - rx[best];
  const double p_re = site_of(s.gateways[cell]).tx_power_dBm - kPerSubcarrier_dB;
  const double nrsrp = p_re - cl;
  // Other sites' reference and data subcarriers, at their load, interfere.
  double interference_mW = 0.0;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if (i == best) continue;
    const auto& site = s.gateways[static_cast<std::size_t>(sites[i])];
    const double cl_i = radio.tx_power_dBm - rx[i];
    interference_mW +=
        site_of(site).load * std::pow(10.0, (site_of(site).tx_power_dBm - kPerSubcarrier_dB - cl_i) / 10.0);
  }
  const double noise_mW = std::pow(10.0, (-174.0 + 10.0 * std::log10(15e3) + radio.noise_figure_dB) / 10.0);
  l.cell = static_cast<std::uint32_t>(cell);
  l.coupling_loss_dB = static_cast<float>(cl);
  l.nrsrp_dBm = static_cast<float>(nrsrp);
  l.sinr_dB = static_cast<float>(nrsrp - 10.0 * std::log10(interference_mW + noise_mW));
  const std::array<double, 2> th =
      net.rsrp_thresholds_dBm.value_or(std::array<double, 2>{p_re - kLevel1From_dB, p_re - kLevel2From_dB});
  l.level = nrsrp >= th[0] ? 0 : nrsrp >= th[1] ? 1 : 2;
  l.covered = cl <= net.max_coupling_loss_dB;
  // The uplink: one 15 kHz subcarrier with the whole power, over the
  // serving site's noise floor.
  const double noise15_dBm = -174.0 + 10.0 * std::log10(15e3) + s.gateways[cell].noise_figure_dB;
  l.uplink_snr_dB = static_cast<float>(radio.tx_power_dBm - cl - noise15_dBm);
  if (net.link_adaptation) {
    const bool narrow = net.levels[l.level].npusch_spacing == nbiot::Spacing::Khz3_75;
    l.data = nbiot::adapt_uplink(l.uplink_snr_dB, data_bits, narrow, net.repetition_gain_dB);
    l.msg3 = nbiot::adapt_uplink(l.uplink_snr_dB, kMsg3Bits, narrow, net.repetition_gain_dB);
    l.tau = nbiot::adapt_uplink(l.uplink_snr_dB, kTauRequestBits, narrow, net.repetition_gain_dB);
  }
  return l;
}

class NbiotNetworkModel final : public technology::Network {
 public:
  NbiotNetworkModel(Simulation& sim, const technology::Deployment& d) {
    const Scenario& s = d.scenario;
    const NetworkSettings& net = network_of(s);
    configs_.resize(s.groups.size());
    for (auto gi : d.groups) configs_[gi] = group_config(net, s.groups[gi]);
    NbiotNetworkConfig nc;
    nc.sites = s.gateways.size();
    nc.backhaul = &d.backhaul;
    nc.latency = &d.latency;
    net_ = std::make_unique<NbiotNetwork>(sim, nc);
    std::vector<std::string> traffic_purpose, mac_purpose, downlink_purpose;
    for (const auto& g : s.groups) {
      traffic_purpose.push_back("traffic/" + g.name);
      mac_purpose.push_back("mac/" + g.name);
      downlink_purpose.push_back("downlink/" + g.name);
    }
    local_.assign(d.positions.size(), kNone);
    std::size_t count = 0;
    for (auto gi : d.groups) count += s.groups[gi].count;
    net_->reserve(count);
    for (std::size_t dev = 0; dev < d.positions.size(); ++dev) {
      const auto gi = d.group_of[dev];
      if (!std::binary_search(d.groups.begin(), d.groups.end(), gi)) continue;
      const std::size_t in_group = dev - d.first_of_group[gi];
      const int bits = 8 * static_cast<int>(s.groups[gi].traffic.payload_bytes + configs_[gi].header_overhead_bytes);
      const DeviceLink link =
          device_link(s, net, radio_of(s.groups[gi]), bits, d.links.gateways_of(dev), d.links.rx_of(dev));
      local_[dev] = static_cast<std::uint32_t>(net_->devices().size());
      net_->add_device(configs_[gi], gi, link, sim.stream(in_group, traffic_purpose[gi]),
                       sim.stream(in_group, mac_purpose[gi]), sim.stream(in_group, downlink_purpose[gi]));
    }
    duration_ = s.duration;
  }

  void start(Time end) override { net_->start(end); }
  void finish() override { net_->finish(); }

  std::span<const std::uint64_t> record_device(std::size_t device, results::DeviceRecord& r,
                                               std::span<double> values) const override {
    const auto& dev = net_->devices()[local_[device]];
    const auto& cfg = *dev.config;
    const bool linked = std::isfinite(dev.link.coupling_loss_dB);
    values[0] = linked ? dev.link.coupling_loss_dB : kNaN;
    values[1] = linked ? dev.link.nrsrp_dBm : kNaN;
    values[2] = linked ? dev.link.sinr_dB : kNaN;
    values[3] = dev.link.level;
    values[4] = static_cast<double>(dev.preambles);
    values[5] = static_cast<double>(dev.collisions);
    values[6] = static_cast<double>(dev.tracking_area_updates);
    values[7] = linked ? dev.link.uplink_snr_dB : kNaN;
    // The data allocation: link adaptation's, or the CE level's.
    const auto& lc = cfg.levels[dev.link.level];
    const bool narrow = dev.link.data ? dev.link.data->spacing == nbiot::Spacing::Khz3_75
                                      : lc.npusch_spacing == nbiot::Spacing::Khz3_75;
    values[8] = dev.link.data ? dev.link.data->tones : lc.npusch_subcarriers;
    values[9] = narrow ? 3.75 : 15.0;
    values[10] = dev.link.data ? dev.link.data->itbs : lc.npusch_itbs;
    values[11] = dev.link.data ? dev.link.data->repetitions : lc.npusch_repetitions;
    r.generated = dev.counters.generated;
    r.sent = dev.counters.sent;
    r.transmissions = dev.preambles;
    r.delivered = dev.counters.delivered();
    r.downlinks_generated = net_->downlinks()[local_[device]].generated;
    r.downlinks_delivered = net_->downlinks()[local_[device]].delivered;
    technology::record_energy(r, energy::device_energy(dev.energy, duration_, cfg.idle_mA(), cfg.board, cfg.battery,
                                                       dev.battery_empty_at, kEnergyStateParts));
    return dev.counters.fates;
  }
  energy::ChargeState charge_state(std::size_t device, Time now) const override {
    const auto& dev = net_->devices()[local_[device]];
    const auto& cfg = *dev.config;
    return energy::charge_state(dev.energy, std::min(now, dev.battery_empty_at), cfg.idle_mA(), cfg.board, cfg.battery);
  }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<GroupConfig> configs_;  ///< [scenario group]; the devices point into it
  std::unique_ptr<NbiotNetwork> net_;
  std::vector<std::uint32_t> local_;  ///< [device] its index in net_, kNone for another technology's
  Time duration_{};
};

constexpr std::array<results::ColumnSpec, 12> kColumns{{
    {"coupling_loss_dB", "coupling loss to the serving NB-IoT site, antennas included, dB", 1},
    {"nrsrp_dBm", "NB-IoT reference signal received power from the serving site, dBm", 1},
    {"downlink_sinr_dB", "downlink SINR, with the other sites' load as interference, dB", 1},
    {"ce_level", "NB-IoT coverage-enhancement level chosen by NRSRP (0, 1, 2)", 0, 3},
    {"preambles", "NPRACH preambles sent", 0},
    {"preamble_collisions", "preambles that collided with another device's", 0},
    {"tracking_area_updates", "periodic tracking area updates (T3412)", 0},
    {"uplink_snr_dB", "uplink SNR at the serving site, one 15 kHz subcarrier with the device's whole power, dB", 1},
    {"data_subcarriers", "subcarriers of the data's NPUSCH allocation", 0},
    {"data_spacing_kHz", "subcarrier spacing of the data's NPUSCH allocation, kHz", 2},
    {"data_itbs", "transport-block-size index of the data", 0},
    {"data_repetitions", "repetitions of each data block", 0},
}};

class Nbiot final : public technology::Technology {
 public:
  std::string_view name() const override { return kNbiot; }
  std::span<const results::FateSpec> fates() const override { return kFates; }
  std::span<const results::ColumnSpec> device_columns() const override { return kColumns; }
  std::span<const std::string_view> energy_states() const override { return kEnergyStateNames; }
  const scenario::TechnologyFormat& format() const override { return nbiot_format(); }

  technology::GroupLink group_link(const Scenario& s, std::size_t group) const override {
    const RadioSettings& radio = radio_of(s.groups[group]);
    const NetworkSettings& net = network_of(s);
    technology::GroupLink l;
    l.carrier_hz = radio.frequency_hz;
    l.eirp_dBm = radio.tx_power_dBm + radio.antenna_gain_dBi;
    l.noise_bandwidth_hz = 180e3;
    for (const auto& site : s.gateways) {
      if (!is_site(site)) {  // another technology's site: never an NB-IoT device's link
        l.sensitivity_dBm.push_back(std::numeric_limits<float>::infinity());
        l.weakest_dBm.push_back(std::numeric_limits<double>::infinity());
        continue;
      }
      // Covered: coupling loss at most the maximum, i.e. received power at
      // least tx_power − max_coupling_loss.
      const double floor = radio.tx_power_dBm - net.max_coupling_loss_dB;
      l.sensitivity_dBm.push_back(static_cast<float>(floor));
      l.weakest_dBm.push_back(floor - kInterferenceMargin_dB);
    }
    return l;
  }

  std::unique_ptr<technology::Network> build(Simulation& sim, const technology::Deployment& d) const override {
    return std::make_unique<NbiotNetworkModel>(sim, d);
  }
};

}  // namespace

const technology::Technology& nbiot_technology() {
  static const Nbiot t;
  return t;
}

}  // namespace m2msim::cellular
