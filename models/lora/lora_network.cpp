#include "models/lora/lora_network.hpp"

#include <algorithm>

namespace m2msim::lora {

using metrics::PacketFate;

LoraNetwork::LoraNetwork(Simulation& sim, std::vector<std::uint32_t> demodulators, std::vector<Channel> channels,
                         std::size_t groups, ReceptionRules rules, std::size_t max_links)
    : sim_(sim),
      medium_(std::move(demodulators), std::move(channels), max_links, rules),
      latency_(groups),
      timing_(groups) {}

void LoraNetwork::add_device(const LoraGroupConfig& config, std::uint32_t group, LinkSet links,
                             const float* sensitivity_dBm, RandomStream traffic_rng) {
  LoraDevice d;
  d.config = &config;
  d.group = group;
  d.links = links;
  d.sensitivity_dBm = sensitivity_dBm;
  d.traffic = traffic::TrafficSource(config.traffic, traffic_rng);
  devices_.push_back(d);

  GroupTiming& t = timing_.at(group);
  if (!t.ready) {
    t.toa = time_on_air(config.modulation, config.traffic.payload_bytes);
    t.tx_mA = config.profile->tx_mA(config.tx_power_dBm);
    // The receiver locks on with `lock_symbols` preamble symbols still to
    // come (LoRaSim and FLoRa: the last 5 of 8).
    const Modulation& mod = config.modulation;
    const int lead = std::max(0, mod.preamble_symbols - medium_.rules().lock_symbols);
    t.lock_after = Time::from_seconds(lead * symbol_time_s(mod.spreading_factor, mod.bandwidth_hz));
    if (config.receive_windows) {
      // RX1 at the uplink's data rate, RX2 at the RX2 data rate; each stays
      // open for rx_window_symbols symbols. RX2 opens RECEIVE_DELAY2 = 2 s
      // after the uplink ends.
      const Modulation& m = config.modulation;
      const Modulation& m2 = config.rx2_modulation;
      t.rx1 = Time::from_seconds(config.rx_window_symbols * symbol_time_s(m.spreading_factor, m.bandwidth_hz));
      t.rx2 = Time::from_seconds(config.rx_window_symbols * symbol_time_s(m2.spreading_factor, m2.bandwidth_hz));
      t.busy_after_tx = Time::seconds(2) + t.rx2;
    }
    t.ready = true;
  }
}

void LoraNetwork::start(Time end) {
  end_ = end;
  for (std::uint32_t d = 0; d < devices_.size(); ++d) schedule_next(d);
}

void LoraNetwork::schedule_next(std::uint32_t d) {
  const Time t = devices_[d].traffic.next();
  if (t < end_) sim_.schedule_at(t, [this, d] { on_generate(d); });
}

void LoraNetwork::on_generate(std::uint32_t d) {
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  ++dev.counters.generated;
  schedule_next(d);

  if (dev.battery_empty_at == Time::max()) {
    // Drawn by the device plus lost to self-discharge so far (the same
    // constant-current view of self-discharge as battery_life_years).
    const double self_mAh = cfg.battery.capacity_mAh * cfg.battery.self_discharge_per_year * now.to_hours() /
                            energy::kHoursPerYear;
    const double used_mAh = dev.energy.total_charge_mAs(now, cfg.profile->sleep_mA, cfg.mcu) / 3600.0 + self_mAh;
    if (used_mAh >= cfg.battery.usable_mAh()) dev.battery_empty_at = now;
  }
  if (now >= dev.battery_empty_at) {
    ++dev.counters.fates[static_cast<std::size_t>(PacketFate::BatteryEmpty)];
    return;
  }
  // The microcontroller wakes for every packet (reading the sensor, running
  // the stack), whether or not the radio can then send it.
  if (cfg.mcu != nullptr) dev.energy.add_mcu_active(cfg.mcu_active_per_packet);
  // Busy while transmitting — up to and including the instant the previous
  // uplink ends, whether or not its end event has run yet — and until RX2
  // has closed.
  if (now <= dev.tx_end || now < dev.busy_until) {
    ++dev.counters.fates[static_cast<std::size_t>(PacketFate::RadioBusy)];
    return;
  }

  const GroupTiming& t = timing_[dev.group];
  dev.tx_handle = medium_.begin(
      LoraMedium::Transmission{cfg.channel, cfg.modulation.spreading_factor, now, t.toa, t.lock_after}, dev.links,
      dev.sensitivity_dBm);
  dev.generated_at = now;
  ++dev.counters.sent;
  dev.energy.add_awake(energy::RadioState::Tx, t.toa, t.tx_mA);
  dev.tx_end = now + t.toa;
  dev.busy_until = dev.tx_end + t.busy_after_tx;
  sim_.schedule_in(t.toa, [this, d] { on_tx_end(d); });
}

void LoraNetwork::on_tx_end(std::uint32_t d) {
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const LoraMedium::Outcome outcome = medium_.end(dev.tx_handle);
  dev.tx_handle = UINT32_MAX;
  ++dev.counters.fates[static_cast<std::size_t>(outcome.fate)];
  if (outcome.fate == PacketFate::Delivered) {
    latency_[dev.group].add((sim_.now() - dev.generated_at).to_seconds());
  }
  if (cfg.receive_windows) {
    // With no downlink in this model both windows close empty; their
    // charge is booked now.
    const GroupTiming& t = timing_[dev.group];
    dev.energy.add_awake(energy::RadioState::Rx, t.rx1, cfg.profile->rx_mA);
    dev.energy.add_awake(energy::RadioState::Rx, t.rx2, cfg.profile->rx_mA);
  }
}

void LoraNetwork::finish() {
  for (LoraDevice& dev : devices_) {
    if (dev.tx_handle != UINT32_MAX) {
      ++dev.counters.fates[static_cast<std::size_t>(PacketFate::InFlight)];
      dev.tx_handle = UINT32_MAX;
    }
  }
}

}  // namespace m2msim::lora
