#include "models/lorawan/lorawan_technology.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "models/energy/energy.hpp"
#include "models/lorawan/lora_network.hpp"
#include "models/lorawan/scenario_settings.hpp"
#include "models/lorawan/sensitivity.hpp"

namespace m2msim::lora {

namespace {

using scenario::Scenario;

ReceptionRules reception_rules(const NetworkSettings& spec) {
  ReceptionRules r;
  r.interference = spec.interference;
  if (spec.isolation == NetworkSettings::Isolation::Croce) {
    r.threshold_dB = croce_isolation();
  } else if (spec.isolation == NetworkSettings::Isolation::Ideal) {
    r.orthogonal = true;
    for (std::size_t i = 0; i < 6; ++i) r.threshold_dB[i][i] = spec.capture_threshold_dB;
  }
  r.lock_symbols = spec.lock_symbols;
  return r;
}

/// A signal a gateway cannot receive can still destroy one it can: with a
/// same-SF threshold T, an interferer down to T below the sensitivity
/// matters (not under aloha, where only heard transmissions interfere).
double interference_margin_dB(const ReceptionRules& rules) {
  double m = 0.0;
  if (rules.interference != ReceptionRules::Interference::Aloha) {
    for (std::size_t i = 0; i < 6; ++i) m = std::max(m, rules.threshold_dB[i][i]);
  }
  return m;
}

Modulation modulation_of(const RadioSettings& r) {
  Modulation m;
  m.spreading_factor = r.spreading_factor;
  m.bandwidth_hz = r.bandwidth_hz;
  m.coding_rate = r.coding_rate;
  m.explicit_header = r.explicit_header;
  m.crc = r.crc;
  m.ldro = r.low_data_rate_optimize;
  m.preamble_symbols = r.preamble_symbols;
  return m;
}

const SensitivityTable& gateway_table(const scenario::GatewaySpec& g) {
  const auto* t = find_sensitivity_table(gateway_of(g).sensitivity);
  if (t == nullptr) throw std::logic_error("unknown sensitivity table " + gateway_of(g).sensitivity);
  return *t;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using ChannelKey = std::pair<std::uint64_t, std::uint32_t>;  ///< (centre frequency, bandwidth)

/// The uplink channels of a group: its fixed frequency, or the region's
/// default channels that carry its bandwidth and data rate.
std::vector<ChannelKey> group_channels(const Region& region, const RadioSettings& radio) {
  std::vector<ChannelKey> v;
  if (radio.fixed_frequency) {
    v.emplace_back(radio.frequency_hz, radio.bandwidth_hz);
  } else {
    for (const auto& ch : region.uplink_channels) {
      if (ch.bandwidth_hz == radio.bandwidth_hz && radio.data_rate >= ch.min_dr && radio.data_rate <= ch.max_dr) {
        v.emplace_back(ch.frequency_hz, ch.bandwidth_hz);
      }
    }
  }
  return v;
}

/// What every device of group `g` shares; `channels` are the network's.
LoraGroupConfig group_config(const Region& region, const scenario::DeviceGroupSpec& g,
                             const std::vector<ChannelKey>& channels) {
  const RadioSettings& radio = radio_of(g);
  LoraGroupConfig c;
  c.modulation = modulation_of(radio);
  c.data_rate = radio.data_rate;
  if (!radio.fixed_frequency) {
    c.min_dr = 15;
    for (const auto& ch : region.uplink_channels) {
      if (ch.bandwidth_hz == radio.bandwidth_hz && radio.data_rate >= ch.min_dr && radio.data_rate <= ch.max_dr) {
        c.min_dr = std::min(c.min_dr, ch.min_dr);
      }
    }
  }
  for (const auto& ch : group_channels(region, radio)) {
    c.channels.push_back(
        static_cast<std::uint32_t>(std::lower_bound(channels.begin(), channels.end(), ch) - channels.begin()));
  }
  c.tx_power_dBm = radio.tx_power_dBm;
  c.traffic = technology::traffic_pattern(g.traffic);
  c.profile = &g.hardware.radio;
  c.board = g.hardware.model();
  c.battery = g.battery.battery;
  c.receive_windows = radio.receive_windows;
  c.rx_window_symbols = radio.rx_window_symbols;
  c.region = &region;
  c.confirmed = radio.confirmed;
  c.max_transmissions = radio.max_transmissions;
  c.retry_step_down = radio.confirmed && radio.retry_step_down && radio.data_rate >= 0;
  c.adr = radio.adr;
  c.duty_cycle = radio.duty_cycle;
  c.otaa = radio.otaa;
  c.class_c = radio.device_class == 'C';
  c.class_b = radio.device_class == 'B';
  c.ping_nb = 1 << (7 - radio.ping_slot_periodicity);
  if (g.downlink) {
    c.downlinks = true;
    c.downlink = technology::traffic_pattern(*g.downlink);
  }
  if (radio.device_class == 'B') {
    // Each beacon period: the beacon (implicit header, no CRC, its own
    // preamble) and 2^(7 − periodicity) ping slots of rx_window_symbols
    // symbols at the ping-slot data rate (TS001-1.0.4 §13–15; RP002).
    const auto& cb = region.class_b;
    const DataRate* bdr = region.data_rate(cb.beacon_dr);
    const DataRate* pdr = region.data_rate(cb.ping_slot_dr);
    const Modulation beacon{bdr->spreading_factor,     bdr->bandwidth_hz,         1, false, false,
                            LowDataRateOptimize::Auto, cb.beacon_preamble_symbols};
    const double beacon_s = time_on_air_s(beacon, cb.beacon_bytes);
    const double ping_s = c.ping_nb * radio.rx_window_symbols * symbol_time_s(pdr->spreading_factor, pdr->bandwidth_hz);
    c.class_b_rx_fraction = (beacon_s + ping_s) / cb.beacon_period.to_seconds();
  }
  return c;
}

/// The network-wide settings: gateways, channels, reception rules, the
/// sensitivity and noise floor of every modulation, the network server.
LoraNetworkConfig network_config(const Scenario& s, const std::vector<ChannelKey>& channels, std::size_t max_links) {
  const std::size_t n_gw = s.gateways.size();
  const NetworkSettings& lora = network_of(s);
  LoraNetworkConfig net;
  net.region = &lora.region;
  // Every site has an entry (site indices are the scenario's); another
  // technology's site gets no link from a LoRaWAN device (the link budget
  // keeps a device's links to the sites of its technology only), so its
  // entries are placeholders: infinite sensitivity, one demodulator.
  for (const auto& g : s.gateways) {
    net.demodulators.push_back(is_gateway(g) ? gateway_of(g).demodulators : 1);
    net.gateway_tx_power_dBm.push_back(is_gateway(g) ? gateway_of(g).tx_power_dBm.value_or(kNaN) : kNaN);
    net.gateway_gain_dB.push_back(g.antenna_gain_dBi - g.cable_loss_dB);
  }
  for (const auto& [f, bw] : channels) net.channels.push_back(Channel{f, bw});
  net.rules = reception_rules(lora);
  net.max_links = max_links;
  // Gateway sensitivity and noise floor for every modulation; the end
  // device's sensitivity (SX1276 datasheet table) for downlinks.
  net.sensitivity.assign(18, std::vector<float>(n_gw, 0.0F));
  net.noise_floor_dBm.resize(n_gw);
  const auto* device_table = find_sensitivity_table("sx1276");
  for (int sf = 7; sf <= 12; ++sf) {
    for (std::uint32_t bw : {125'000U, 250'000U, 500'000U}) {
      const std::size_t mi = static_cast<std::size_t>(sf - 7) * 3 + bandwidth_index(bw);
      for (std::size_t k = 0; k < n_gw; ++k) {
        net.sensitivity[mi][k] = is_gateway(s.gateways[k])
                                     ? static_cast<float>(*sensitivity_dBm(gateway_table(s.gateways[k]), sf, bw))
                                     : std::numeric_limits<float>::infinity();
      }
      net.device_sensitivity_dBm[mi] = static_cast<float>(*sensitivity_dBm(*device_table, sf, bw));
    }
  }
  for (std::size_t k = 0; k < n_gw; ++k) {
    for (std::uint32_t bw : {125'000U, 250'000U, 500'000U}) {
      // Thermal noise kT = −174 dBm/Hz at 290 K over the bandwidth, plus the noise figure.
      net.noise_floor_dBm[k][bandwidth_index(bw)] =
          -174.0 + 10.0 * std::log10(static_cast<double>(bw)) + s.gateways[k].noise_figure_dB;
    }
  }
  net.deduplication_window = lora.deduplication_window;
  net.adr_margin_dB = lora.adr_margin_dB;
  return net;
}

/// A LoRaWAN network of one run: the group configurations it points to and
/// the LoraNetwork that runs them.
class LorawanNetwork final : public technology::Network {
 public:
  LorawanNetwork(Simulation& sim, const technology::Deployment& d) {
    const Scenario& s = d.scenario;
    // Channels: the distinct (centre frequency, bandwidth) pairs in use, in
    // ascending order.
    std::vector<ChannelKey> channels;
    const Region& region = network_of(s).region;
    for (auto gi : d.groups)
      for (const auto& ch : group_channels(region, radio_of(s.groups[gi]))) channels.push_back(ch);
    std::sort(channels.begin(), channels.end());
    channels.erase(std::unique(channels.begin(), channels.end()), channels.end());
    configs_.resize(s.groups.size());
    for (auto gi : d.groups) configs_[gi] = group_config(region, s.groups[gi], channels);

    LoraNetworkConfig net = network_config(s, channels, d.links.max_links_per_device());
    net.backhaul = &d.backhaul;
    net.latency = &d.latency;
    net_ = std::make_unique<LoraNetwork>(sim, std::move(net), s.groups.size());
    std::vector<std::string> traffic_purpose, mac_purpose, downlink_purpose;
    for (const auto& g : s.groups) {
      downlink_purpose.push_back("downlink/" + g.name);
      mac_purpose.push_back("mac/" + g.name);
      traffic_purpose.push_back("traffic/" + g.name);
    }
    local_.assign(d.positions.size(), kNone);
    std::size_t count = 0;
    for (auto gi : d.groups) count += s.groups[gi].count;
    net_->reserve(count);
    for (std::size_t dev = 0; dev < d.positions.size(); ++dev) {
      const auto gi = d.group_of[dev];
      if (!std::binary_search(d.groups.begin(), d.groups.end(), gi)) continue;
      // Streams named by (group, index within the group): resizing one
      // group does not change another group's traffic.
      const std::size_t in_group = dev - d.first_of_group[gi];
      const auto gws = d.links.gateways_of(dev);
      const LinkSet links{gws.data(), d.links.rx_of(dev).data(), static_cast<std::uint32_t>(gws.size())};
      local_[dev] = static_cast<std::uint32_t>(net_->devices().size());
      net_->add_device(configs_[gi], gi, links, sim.stream(in_group, traffic_purpose[gi]),
                       sim.stream(in_group, mac_purpose[gi]), sim.stream(in_group, downlink_purpose[gi]));
    }
    duration_ = s.duration;
  }

  void start(Time end) override { net_->start(end); }
  void finish() override { net_->finish(); }

  std::span<const std::uint64_t> record_device(std::size_t device, results::DeviceRecord& r,
                                               std::span<double> values) const override {
    const auto& dev = net_->devices()[local_[device]];
    const auto& extra = net_->extras()[local_[device]];
    const auto& cfg = *dev.config;
    // Radio settings at the end of the run (ADR or retransmissions may have
    // changed them).
    values[0] = dev.spreading_factor;
    values[1] = dev.tx_power_dBm;
    r.generated = dev.counters.generated;
    r.sent = dev.counters.sent;
    r.transmissions = dev.transmissions;
    r.delivered = dev.counters.delivered();
    r.join_attempts = extra.join_attempts;
    r.joined_at_s = cfg.otaa ? (dev.joined ? extra.joined_at.to_seconds() : -1.0) : 0.0;
    r.downlinks_generated = extra.dl_generated;
    r.downlinks_delivered = extra.dl_delivered;
    technology::record_energy(r, energy::device_energy(dev.energy, duration_, cfg.idle_mA(), cfg.board, cfg.battery,
                                                       dev.battery_empty_at, kEnergyStateParts));
    return dev.counters.fates;
  }
  void record_site(std::size_t site, std::span<double> values) const override {
    const auto& load = net_->gateway_load(site);
    values[0] = static_cast<double>(load.received);
    values[1] = static_cast<double>(load.lost);
    values[2] = static_cast<double>(load.downlinks);
    values[3] = 100.0 * static_cast<double>(load.downlink_airtime.ns()) / static_cast<double>(duration_.ns());
  }
  std::vector<std::string> battery_warnings(std::size_t group) const override {
    // Below the profile's lowest measured power a transmission is charged
    // that point's current (docs/models/lorawan.md §4.3): the saving ADR's
    // lower power would bring is not counted.
    std::vector<std::string> w;
    const LoraGroupConfig& cfg = configs_[group];
    if (cfg.profile == nullptr || cfg.profile->tx_mA_by_dBm.empty()) return w;
    std::uint64_t n = 0, below = 0;
    for (const auto& dev : net_->devices()) {
      if (dev.config != &cfg) continue;
      ++n;
      if (dev.tx_power_dBm < cfg.profile->min_tx_dBm()) ++below;
    }
    if (below > 0) {
      char lowest[32];
      std::snprintf(lowest, sizeof lowest, "%g", cfg.profile->min_tx_dBm());
      w.push_back(std::to_string(below) + " of " + std::to_string(n) +
                  " devices end the run transmitting below the radio profile's lowest measured power (" + lowest +
                  " dBm, " + cfg.profile->name +
                  "): their transmissions are charged that power's current, so the saving of the lower power is "
                  "not counted (their transmit charge is an upper bound; docs/models/lorawan.md §4.3)");
    }
    return w;
  }
  energy::ChargeState charge_state(std::size_t device, Time now) const override {
    const auto& dev = net_->devices()[local_[device]];
    const auto& cfg = *dev.config;
    // An empty battery feeds nothing more: its state stays where it was found empty.
    return energy::charge_state(dev.energy, std::min(now, dev.battery_empty_at), cfg.idle_mA(), cfg.board, cfg.battery);
  }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<LoraGroupConfig> configs_;  ///< [scenario group]; the devices point into it
  std::unique_ptr<LoraNetwork> net_;
  std::vector<std::uint32_t> local_;  ///< [device] its index in net_, kNone for another technology's
  Time duration_{};
};

// gateways.csv: each gateway's load.
constexpr std::array<results::ColumnSpec, 4> kSiteColumns{{
    {"uplinks_received",
     "uplink transmissions (joins included) it received, counted at the gateway that received each strongest", 0},
    {"uplinks_lost",
     "uplink transmissions it heard strongest that no gateway received (interference, no free demodulator, or it was "
     "transmitting)",
     0},
    {"downlinks_sent",
     "downlinks it transmitted within the window (join accepts, acknowledgements, MAC commands, application data)", 0},
    {"downlink_airtime_percent",
     "share of the window it spent transmitting downlinks, all bands together (not a duty-cycle figure: the "
     "region's limits hold per band, RX1 in the uplink's, RX2 in its own, and the gateway obeys each), %",
     6},
}};

constexpr std::array<results::ColumnSpec, 2> kColumns{{
    {"spreading_factor",
     "spreading factor at the end of the run (ADR, or a confirmed packet's retransmissions, may change it)", 0},
    {"tx_power_dBm", "transmit power at the end of the run, dBm (ADR may change it)", 1},
}};

class Lorawan final : public technology::Technology {
 public:
  std::string_view name() const override { return "lorawan"; }
  std::span<const results::FateSpec> fates() const override { return kFates; }
  std::span<const results::ColumnSpec> device_columns() const override { return kColumns; }
  std::span<const results::ColumnSpec> site_columns() const override { return kSiteColumns; }
  std::span<const std::string_view> energy_states() const override { return kEnergyStateNames; }
  const scenario::TechnologyFormat& format() const override { return lorawan_format(); }

  technology::GroupLink group_link(const Scenario& s, std::size_t group) const override {
    const RadioSettings& radio = radio_of(s.groups[group]);
    technology::GroupLink l;
    l.carrier_hz = static_cast<double>(radio.frequency_hz);
    l.eirp_dBm = radio.tx_power_dBm + radio.antenna_gain_dBi;
    l.noise_bandwidth_hz = static_cast<double>(radio.bandwidth_hz);
    const double margin = interference_margin_dB(reception_rules(network_of(s)));
    for (const auto& gw : s.gateways) {
      if (!is_gateway(gw)) {  // another technology's site: never a LoRaWAN device's link
        l.sensitivity_dBm.push_back(std::numeric_limits<float>::infinity());
        l.weakest_dBm.push_back(std::numeric_limits<double>::infinity());
        continue;
      }
      const auto& table = gateway_table(gw);
      const auto own = static_cast<float>(*sensitivity_dBm(table, radio.spreading_factor, radio.bandwidth_hz));
      // With ADR a device may use any data rate of its bandwidth: the link
      // budget keeps links down to the most sensitive one.
      float floor = own;
      if (radio.adr) {
        for (const auto& dr : network_of(s).region.data_rates) {
          if (dr.bandwidth_hz != radio.bandwidth_hz) continue;
          if (auto v = sensitivity_dBm(table, dr.spreading_factor, dr.bandwidth_hz))
            floor = std::min(floor, static_cast<float>(*v));
        }
      }
      l.sensitivity_dBm.push_back(own);
      l.weakest_dBm.push_back(static_cast<double>(floor) - margin);
    }
    return l;
  }

  // Measured: 1.4 to 1.75 KB a device (docs/performance.md §8).
  std::size_t bytes_per_device() const override { return 1600; }

  std::unique_ptr<technology::Network> build(Simulation& sim, const technology::Deployment& d) const override {
    return std::make_unique<LorawanNetwork>(sim, d);
  }
};

}  // namespace

const technology::Technology& lorawan_technology() {
  static const Lorawan t;
  return t;
}

}  // namespace m2msim::lora
