#include "models/lorawan/lora_network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace m2msim::lora {

namespace {
constexpr std::size_t kAdrHistory = 20;
/// Downlink PHY payloads (LoRaWAN 1.0.4 §4): MHDR 1 + FHDR 7 + MIC 4 = 12 B
/// for an empty ACK; a LinkADRReq in FOpts adds CID 1 + 4 B.
constexpr std::uint32_t kAckBytes = 12;
constexpr std::uint32_t kLinkAdrReqBytes = 5;

std::size_t mod_index(int sf, std::size_t bw_index) { return static_cast<std::size_t>(sf - 7) * 3 + bw_index; }
}  // namespace

double required_snr_dB(int sf) { return -7.5 - 2.5 * (sf - 7); }

std::size_t bandwidth_index(std::uint32_t bw) { return bw == 500'000 ? 2 : bw == 250'000 ? 1 : 0; }

Time duty_cycle_off_time(Time toa, double duty_cycle) {
  if (duty_cycle >= 1.0) return Time::zero();
  return Time::nanoseconds(
      static_cast<std::int64_t>(std::llround(static_cast<double>(toa.ns()) * (1.0 / duty_cycle - 1.0))));
}

LoraNetwork::LoraNetwork(Simulation& sim, LoraNetworkConfig config, std::size_t groups)
    : sim_(sim),
      net_(std::move(config)),
      medium_(net_.demodulators, net_.channels, net_.max_links, net_.rules),
      gateways_(net_.demodulators.size()),
      timing_(groups) {
  channel_band_.assign(net_.channels.size(), kNoBand);
  load_.assign(net_.demodulators.size(), GatewayLoad{});
}

void LoraNetwork::count_outcome(const LoraMedium::Outcome& outcome) {
  if (outcome.gateway >= 0) {
    ++load_[static_cast<std::size_t>(outcome.gateway)].received;
  } else if (outcome.heard >= 0) {
    ++load_[static_cast<std::size_t>(outcome.heard)].lost;
  }
}

void LoraNetwork::add_device(const LoraGroupConfig& config, std::uint32_t group, LinkSet links,
                             RandomStream traffic_rng, RandomStream mac_rng, RandomStream downlink_rng) {
  LoraDevice d;
  d.config = &config;
  d.group = group;
  d.links = links;
  d.traffic = traffic::TrafficSource(config.traffic, traffic_rng);
  d.mac_rng = mac_rng;
  LoraDeviceExtra x;
  if (config.downlinks) x.dl_traffic = traffic::TrafficSource(config.downlink, downlink_rng);
  extra_.push_back(x);
  d.tx_power_dBm = static_cast<float>(config.tx_power_dBm);
  d.data_rate = static_cast<std::uint8_t>(std::max(0, config.data_rate));
  d.spreading_factor = static_cast<std::uint8_t>(config.modulation.spreading_factor);
  d.bandwidth_index = static_cast<std::uint8_t>(bandwidth_index(config.modulation.bandwidth_hz));
  devices_.push_back(d);
  if (config.adr) ns_.resize(devices_.size());

  GroupTiming& t = timing_.at(group);
  if (!t.ready) {
    // Every (SF, bandwidth) the group's devices may use, with the group's
    // other modulation settings. The receiver locks on with `lock_symbols`
    // preamble symbols still to come (LoRaSim and FLoRa: the last 5 of 8).
    for (int sf = 7; sf <= 12; ++sf) {
      for (std::uint32_t bw : {125'000U, 250'000U, 500'000U}) {
        Modulation m = config.modulation;
        m.spreading_factor = sf;
        m.bandwidth_hz = bw;
        const std::size_t i = mod_index(sf, bandwidth_index(bw));
        t.toa[i] = time_on_air(m, config.traffic.payload_bytes);
        t.symbol[i] = Time::from_seconds(symbol_time_s(sf, bw));
        const int lead = std::max(0, m.preamble_symbols - net_.rules.lock_symbols);
        t.lock_after[i] = Time::from_seconds(lead * symbol_time_s(sf, bw));
      }
    }
    t.ready = true;
  }
  // Duty-cycle bands of the channels this group uses.
  if (config.region != nullptr) {
    for (std::uint32_t c : config.channels) {
      if (channel_band_[c] != kNoBand) continue;
      const DutyCycleBand* b = config.region->band_of(net_.channels[c].frequency_hz);
      if (b == nullptr) continue;
      std::size_t k = 0;
      while (k < bands_.size() && !(bands_[k].from_hz == b->from_hz && bands_[k].to_hz == b->to_hz)) ++k;
      if (k == bands_.size()) {
        if (bands_.size() == kMaxBands) throw std::length_error("LoraNetwork: more than 8 duty-cycle bands");
        bands_.push_back(*b);
      }
      channel_band_[c] = k;
    }
  }
}

void LoraNetwork::start(Time end) {
  end_ = end;
  for (std::uint32_t d = 0; d < devices_.size(); ++d) {
    LoraDevice& dev = devices_[d];
    if (dev.config->otaa) {
      // Powered on at a uniform instant in the first minute, then joins.
      dev.joined = false;
      const Time on = Time::from_seconds(dev.mac_rng.uniform(0.0, 60.0));
      extra_[d].powered_on = on;
      if (on < end_) sim_.schedule_at(on, [this, d] { join(d); });
    }
    schedule_next(d);
    if (dev.config->downlinks) {
      if (dev.config->class_b) {
        extra_[d].ping_offset = Time::from_seconds(dev.mac_rng.uniform(0.0, 122.88 / dev.config->ping_nb));
      }
      const Time t = extra_[d].dl_traffic.next();
      if (t < end_) sim_.schedule_at(t, [this, d] { on_downlink_generate(d); });
    }
  }
}

// OTAA join (LoRaWAN L2 1.0.4 §6.2): a 23 B Join-request on a default
// channel at the device's data rate, obeying the band duty cycle; the
// server answers with a 17 B Join-accept (no CFList) in the windows
// JOIN_ACCEPT_DELAY1/2 after it, through the best receiving gateway. Without
// an answer the device tries again RETRANSMIT_TIMEOUT after the windows, no
// sooner than the Join-request back-off allows (TS001-1.0.4 §7: at most
// 36 s of Join-request airtime in the first hour after power-up, 36 s per
// 10 h up to hour 11, 8.7 s per 24 h after; applied here as a per-attempt
// silence of ToA·(1/d − 1) with d = 1 %, 0.1 % and 0.01007 %).
void LoraNetwork::join(std::uint32_t d) {
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  if (now < extra_[d].join_allowed) {
    sim_.schedule_at(extra_[d].join_allowed, [this, d] { join(d); });
    return;
  }
  if (now < dev.busy_until || dev.tx_handle != UINT32_MAX) {
    sim_.schedule_at(std::max(dev.busy_until, now + Time::milliseconds(1)), [this, d] { join(d); });
    return;
  }
  Time earliest = Time::max();
  const std::uint32_t chosen = free_channel(dev, now, earliest);
  if (chosen == UINT32_MAX) {
    sim_.schedule_at(earliest, [this, d] { join(d); });
    return;
  }
  constexpr std::uint32_t kJoinRequestBytes = 23;  // MHDR 1 + JoinEUI 8 + DevEUI 8 + DevNonce 2 + MIC 4
  Modulation m = cfg.modulation;
  m.spreading_factor = dev.spreading_factor;
  m.bandwidth_hz = dev.bandwidth_index == 2 ? 500'000U : dev.bandwidth_index == 1 ? 250'000U : 125'000U;
  const Time toa = time_on_air(m, kJoinRequestBytes);
  transmit(d, chosen, toa);
  ++extra_[d].join_attempts;
  const double hours_on = (now - extra_[d].powered_on).to_hours();
  const double join_dc = hours_on < 1.0 ? 0.01 : hours_on < 11.0 ? 0.001 : 8.7 / 86400.0;
  extra_[d].join_allowed = dev.tx_end + duty_cycle_off_time(toa, join_dc);
  sim_.schedule_in(toa, [this, d] { on_join_end(d); });
}

void LoraNetwork::on_join_end(std::uint32_t d) {
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const LoraMedium::Outcome outcome = medium_.end(dev.tx_handle);
  count_outcome(outcome);
  dev.tx_handle = UINT32_MAX;
  const Region* region = cfg.region;
  constexpr std::uint32_t kJoinAcceptBytes =
      17;  // MHDR 1 + JoinNonce 3 + NetID 3 + DevAddr 4 + DLSettings 1 + RxDelay 1 + MIC 4
  const Windows w = receive_windows(d, outcome.gateway, kJoinAcceptBytes,
                                    region != nullptr ? region->join_accept_delay1 : Time::seconds(5),
                                    region != nullptr ? region->join_accept_delay2 : Time::seconds(6));
  dev.busy_until = w.end;
  if (w.downlink_received) {
    dev.joined = true;
    extra_[d].joined_at = w.end;
    return;
  }
  Time retry = w.end;
  if (region != nullptr)
    retry += Time::from_seconds(
        dev.mac_rng.uniform(region->ack_timeout_min.to_seconds(), region->ack_timeout_max.to_seconds()));
  // When the back-off is what holds the device, a random 0.2–1 s on top
  // keeps two devices whose requests collided from colliding again at every
  // retry (as LoRaWAN stacks such as Mbed OS's do).
  if (extra_[d].join_allowed > retry)
    retry = extra_[d].join_allowed + Time::from_seconds(dev.mac_rng.uniform(0.2, 1.0));
  if (retry < end_) sim_.schedule_at(retry, [this, d] { join(d); });
}

void LoraNetwork::schedule_next(std::uint32_t d) {
  const Time t = devices_[d].traffic.next();
  if (t < end_) sim_.schedule_at(t, [this, d] { on_generate(d); });
}

void LoraNetwork::finish_packet(LoraDevice& dev, PacketFate fate) {
  ++dev.counters.fates[static_cast<std::size_t>(fate)];
  dev.busy = false;
}

void LoraNetwork::on_generate(std::uint32_t d) {
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  ++dev.counters.generated;
  schedule_next(d);

  if (energy::battery_empty(dev.energy, now, cfg.idle_mA(), cfg.board, cfg.battery, dev.battery_empty_at)) {
    ++dev.counters.fates[static_cast<std::size_t>(PacketFate::BatteryEmpty)];
    return;
  }
  // The device wakes for every packet (reading its sensors, running the
  // stack), whether or not the radio can then send it.
  dev.energy.add_packet();
  if (!dev.joined) {
    ++dev.counters.fates[static_cast<std::size_t>(PacketFate::NotJoined)];
    return;
  }
  // Busy while handling an earlier packet; that includes the very instant
  // the previous uplink ends, whether or not its end event has run yet.
  if (dev.busy || now <= dev.tx_end || now < dev.busy_until) {
    const PacketFate f = dev.waiting_for_channel ? PacketFate::DutyCycle : PacketFate::RadioBusy;
    ++dev.counters.fates[static_cast<std::size_t>(f)];
    return;
  }
  dev.busy = true;
  dev.generated_at = now;
  dev.attempts = 0;
  dev.delivered = false;
  // Without ADR each frame starts at the configured data rate, whatever
  // rate the last frame's retransmissions stepped down to (LoRaMac-node
  // v4.4.7 LoRaMacMcpsRequest sets it from the request when ADR is off).
  if (cfg.retry_step_down && !cfg.adr && dev.data_rate != cfg.data_rate) {
    dev.data_rate = static_cast<std::uint8_t>(cfg.data_rate);
    dev.spreading_factor = static_cast<std::uint8_t>(cfg.modulation.spreading_factor);
    dev.bandwidth_index = static_cast<std::uint8_t>(bandwidth_index(cfg.modulation.bandwidth_hz));
  }
  if (cfg.adr && cfg.region != nullptr) adr_frame_start(dev);
  try_send(d);
}

void LoraNetwork::try_send(std::uint32_t d) {
  LoraDevice& dev = devices_[d];
  const Time now = sim_.now();
  if (now < dev.rx_until) {  // receiving a class B/C downlink (half-duplex)
    sim_.schedule_at(dev.rx_until, [this, d] { try_send(d); });
    return;
  }
  Time earliest = Time::max();
  const std::uint32_t chosen = free_channel(dev, now, earliest);
  if (chosen == UINT32_MAX) {
    // Held by the duty cycle until the first band is free again.
    dev.waiting_for_channel = true;
    sim_.schedule_at(earliest, [this, d] { try_send(d); });
    return;
  }
  dev.waiting_for_channel = false;
  const Time toa = timing_[dev.group].toa[mod_index(dev.spreading_factor, dev.bandwidth_index)];
  transmit(d, chosen, toa);
  ++dev.transmissions;
  ++dev.attempts;
  if (dev.attempts == 1) ++dev.counters.sent;
  sim_.schedule_in(toa, [this, d] { on_tx_end(d); });
}

std::uint32_t LoraNetwork::free_channel(LoraDevice& dev, Time now, Time& earliest) {
  // The device's channels whose duty-cycle band is free now; one of them
  // uniformly (reservoir sampling: no allocation). None free: `earliest`
  // is when the first band frees up.
  const LoraGroupConfig& cfg = *dev.config;
  std::uint32_t chosen = UINT32_MAX, usable = 0;
  for (std::uint32_t c : cfg.channels) {
    const std::size_t b = band_of_channel(c);
    const Time free_at = (cfg.duty_cycle && b != kNoBand) ? dev.band_free[b] : Time::zero();
    if (free_at <= now) {
      ++usable;
      if (dev.mac_rng.uniform_int(usable) == 0) chosen = c;
    } else {
      earliest = std::min(earliest, free_at);
    }
  }
  return chosen;
}

void LoraNetwork::transmit(std::uint32_t d, std::uint32_t channel, Time toa) {
  // Into the air now: the medium, the transmit energy, the band's budget.
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  const std::size_t mi = mod_index(dev.spreading_factor, dev.bandwidth_index);
  dev.channel = static_cast<std::uint16_t>(channel);
  LoraMedium::Transmission tx{channel, dev.spreading_factor, now, toa, timing_[dev.group].lock_after[mi]};
  tx.rx_offset_dB = dev.tx_power_dBm - static_cast<float>(cfg.tx_power_dBm);
  dev.tx_handle = medium_.begin(tx, dev.links, net_.sensitivity[mi].data());
  ++uplinks_;
  dev.energy.add_awake(kTx, toa, cfg.profile->tx_mA(dev.tx_power_dBm));
  dev.tx_end = now + toa;
  const std::size_t b = band_of_channel(channel);
  if (cfg.duty_cycle && b != kNoBand) dev.band_free[b] = dev.tx_end + duty_cycle_off_time(toa, bands_[b].duty_cycle);
}

LoraNetwork::AdrDecision LoraNetwork::adr_decision(double max_snr_dB, double required_snr, double margin_dB, int dr,
                                                   int max_dr, int power_index, int max_power_index) {
  // Semtech's network-side ADR: N = floor((SNRmax − SNRreq − margin) / 3).
  // Positive N: raise the data rate while possible, then lower the power
  // (a higher index) with the rest; negative N: raise the power.
  int steps = static_cast<int>(std::floor((max_snr_dB - required_snr - margin_dB) / 3.0));
  while (steps > 0 && dr < max_dr) {
    ++dr;
    --steps;
  }
  while (steps > 0 && power_index < max_power_index) {
    ++power_index;
    --steps;
  }
  while (steps < 0 && power_index > 0) {
    --power_index;
    ++steps;
  }
  return {dr, power_index};
}

bool LoraNetwork::book_downlink(std::size_t g, Time at, Time duration, std::uint64_t frequency_hz) {
  GatewayState& gw = gateways_[g];
  // Forget downlinks that ended long ago (no uplink still to be judged
  // can overlap them).
  while (!gw.downlinks.empty() && gw.downlinks.front().second + Time::seconds(60) < sim_.now()) {
    gw.downlinks.erase(gw.downlinks.begin());
  }
  for (const auto& [from, to] : gw.downlinks) {
    if (at < to && from < at + duration) return false;  // already transmitting then
  }
  // The gateway obeys the duty cycle of the band it transmits in.
  std::size_t band = kNoBand;
  if (const Region* region = net_.region) {
    if (const DutyCycleBand* b = region->band_of(frequency_hz)) {
      band = kMaxBands;  // its own slot for bands no uplink channel uses
      for (std::size_t k = 0; k < bands_.size(); ++k)
        if (bands_[k].from_hz == b->from_hz && bands_[k].to_hz == b->to_hz) band = k;
      if (gw.band_free[band] > at) return false;
      gw.band_free[band] = at + duration + duty_cycle_off_time(duration, b->duty_cycle);
    }
  }
  gw.downlinks.emplace_back(at, at + duration);
  medium_.gateway_transmits(static_cast<std::int32_t>(g), at, at + duration);
  if (at < end_) {  // within the window
    ++load_[g].downlinks;
    load_[g].downlink_airtime += std::min(at + duration, end_) - at;
  }
  return true;
}

LoraNetwork::Windows LoraNetwork::receive_windows(std::uint32_t d, int gateway, std::uint32_t downlink_bytes,
                                                  Time delay1, Time delay2) {
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const Region* region = cfg.region;
  const Time now = sim_.now();
  const GroupTiming& t = timing_[dev.group];
  const std::size_t mi = mod_index(dev.spreading_factor, dev.bandwidth_index);
  Windows out;
  out.end = now;
  if (!cfg.receive_windows) return out;
  Time rx1_len{}, rx2_len{};
  const Time rx1_at = now + delay1, rx2_at = now + delay2;
  // RX1 at the data rate the region's RX1DROffset table gives (offset 0);
  // a group whose modulation is no region data rate listens at its own.
  const DataRate* rx1_dr = nullptr;
  const DataRate* rx2_dr = nullptr;
  if (region != nullptr) {
    if (cfg.data_rate >= 0 && dev.data_rate < region->rx1_dr_offset.size()) {
      rx1_dr = region->data_rate(region->rx1_dr_offset[dev.data_rate][0]);
    }
    rx2_dr = region->data_rate(region->rx2_dr);
  }
  auto window = [&](const DataRate* dr) {
    return Time::from_seconds(cfg.rx_window_symbols * symbol_time_s(dr->spreading_factor, dr->bandwidth_hz));
  };
  rx1_len = rx1_dr != nullptr ? window(rx1_dr) : t.symbol[mi] * cfg.rx_window_symbols;
  // Without a region: RX2 at SF12/125 kHz (EU868 DR0).
  rx2_len = rx2_dr != nullptr ? window(rx2_dr) : Time::from_seconds(cfg.rx_window_symbols * symbol_time_s(12, 125'000));
  out.end = rx2_at + rx2_len;
  if (gateway >= 0 && region != nullptr) {
    const auto g = static_cast<std::size_t>(gateway);
    // Downlink power at the device: the uplink's path, reversed.
    double path_gain_dB = -1e9;
    for (std::uint32_t i = 0; i < dev.links.size; ++i) {
      if (dev.links.gateway[i] == gateway) path_gain_dB = dev.links.rx_dBm[i] - cfg.tx_power_dBm;
    }
    auto try_window = [&](Time at, const DataRate* dr, std::uint64_t freq, double eirp_limit_dBm) -> Time {
      if (dr == nullptr) return Time::zero();
      // Downlinks: CR 4/5, explicit header, no CRC (LoRaWAN L2 1.0.4 §4).
      Modulation m{dr->spreading_factor, dr->bandwidth_hz, 1, true, false, LowDataRateOptimize::Auto, 8};
      const Time dl_toa = time_on_air(m, downlink_bytes);
      if (!book_downlink(g, at, dl_toa, freq)) return Time::zero();
      ++downlinks_;
      const double conducted = std::isnan(net_.gateway_tx_power_dBm[g]) ? eirp_limit_dBm - net_.gateway_gain_dB[g]
                                                                        : net_.gateway_tx_power_dBm[g];
      const float sens =
          net_.device_sensitivity_dBm[mod_index(dr->spreading_factor, bandwidth_index(dr->bandwidth_hz))];
      return conducted + path_gain_dB >= sens ? dl_toa : Time::nanoseconds(-1);  // −1: sent but not heard
    };
    const std::uint64_t up_hz = net_.channels[dev.channel].frequency_hz;
    // The server hears the uplink after the backhaul and its de-duplication
    // window, and its answer needs the backhaul again to reach the gateway:
    // a window that opens before that is missed.
    const Time backhaul = net_.backhaul->delay(g, now);
    const Time answer_at = now + backhaul + net_.deduplication_window + backhaul;
    const Time in_rx1 = answer_at <= rx1_at
                            ? try_window(rx1_at, rx1_dr, region->rx1_frequency_hz(up_hz), region->downlink_eirp_dBm)
                            : Time::zero();
    out.downlink_sent = in_rx1 != Time::zero();
    if (in_rx1 > Time::zero()) {
      out.downlink_received = true;
      out.downlink_end = rx1_at + in_rx1;
      rx1_len = std::max(rx1_len, in_rx1);  // the window stays open to the end of the frame
      rx2_len = Time::zero();               // RX2 is not opened after a downlink in RX1
      out.end = rx1_at + rx1_len;
    } else if (in_rx1 == Time::zero() && answer_at <= rx2_at) {
      const Time in_rx2 = try_window(rx2_at, rx2_dr, region->rx2_frequency_hz, region->rx2_eirp_dBm);
      out.downlink_sent = in_rx2 != Time::zero();
      if (in_rx2 > Time::zero()) {
        out.downlink_received = true;
        out.downlink_end = rx2_at + in_rx2;
        rx2_len = std::max(rx2_len, in_rx2);
        out.end = rx2_at + rx2_len;
      }
    }
  }
  // A class C device listens whenever it does not transmit: its idle
  // current is the receive current, which already covers the windows.
  if (!cfg.class_c) {
    dev.energy.add_awake(kRx, rx1_len, cfg.profile->rx_mA);
    if (rx2_len > Time::zero()) dev.energy.add_awake(kRx, rx2_len, cfg.profile->rx_mA);
  }
  return out;
}

void LoraNetwork::on_tx_end(std::uint32_t d) {
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  const LoraMedium::Outcome outcome = medium_.end(dev.tx_handle);
  count_outcome(outcome);
  dev.tx_handle = UINT32_MAX;
  const Region* region = cfg.region;

  // ---- network server
  bool downlink_wanted = false;
  std::uint32_t downlink_bytes = kAckBytes;
  bool adr_command = false;
  AdrDecision adr{dev.data_rate, 0};
  const int power_index =
      region != nullptr
          ? static_cast<int>(std::lround((region->max_eirp_dBm - dev.tx_power_dBm) / region->tx_power_step_dB))
          : 0;
  if (outcome.gateway >= 0) {
    if (!dev.delivered) {
      dev.delivered = true;
      // The frame reaches the application after the backhaul and the
      // server's de-duplication window.
      const Time at_application =
          now + net_.backhaul->delay(static_cast<std::size_t>(outcome.gateway), now) + net_.deduplication_window;
      net_.latency->uplink_delivered(dev.group, (at_application - dev.generated_at).to_seconds());
    }
    if (cfg.confirmed) downlink_wanted = true;
    if (cfg.adr && region != nullptr) {
      // Best SNR over the gateways that received the frame: the receiving
      // gateway with the strongest signal.
      const auto g = static_cast<std::size_t>(outcome.gateway);
      double rx = -1e9;
      for (std::uint32_t i = 0; i < dev.links.size; ++i) {
        if (dev.links.gateway[i] == outcome.gateway) rx = dev.links.rx_dBm[i] + (dev.tx_power_dBm - cfg.tx_power_dBm);
      }
      NsDevice& ns = ns_[d];
      ns.snr[ns.head] = static_cast<float>(rx - net_.noise_floor_dBm[g][dev.bandwidth_index]);
      ns.head = static_cast<std::uint8_t>((ns.head + 1) % kAdrHistory);
      ns.count = static_cast<std::uint8_t>(std::min<std::size_t>(ns.count + 1, kAdrHistory));
      if (ns.count == kAdrHistory) {
        const float max_snr = *std::max_element(ns.snr.begin(), ns.snr.end());
        int max_dr = dev.data_rate;
        for (const auto& dr : region->data_rates) {
          if (dr.uplink && dr.dr <= region->adr_max_dr && dr.bandwidth_hz == cfg.modulation.bandwidth_hz &&
              dr.max_payload_bytes + 13 >= cfg.traffic.payload_bytes) {
            max_dr = std::max(max_dr, dr.dr);
          }
        }
        adr = adr_decision(max_snr, required_snr_dB(dev.spreading_factor), net_.adr_margin_dB, dev.data_rate, max_dr,
                           power_index, region->tx_power_indices - 1);
        if (adr.data_rate != dev.data_rate || adr.tx_power_index != power_index) {
          adr_command = true;
          downlink_wanted = true;
          downlink_bytes += kLinkAdrReqBytes;
          ns.count = 0;  // a new history at the new settings
          ns.head = 0;
        }
      }
      // ADRACKReq: the device asks for any downlink.
      if (dev.adr_ack_req) downlink_wanted = true;
    }
  }

  // Application data waiting at the server goes down after any uplink it hears.
  const bool app_downlink = outcome.gateway >= 0 && dev.dl_len > 0;
  if (app_downlink) {
    downlink_wanted = true;
    downlink_bytes += 1 + cfg.downlink.payload_bytes;  // FPort and the application payload
  }

  // ---- downlink: RX1, else RX2, through the best receiving gateway
  const Windows w = receive_windows(d, downlink_wanted ? outcome.gateway : -1, downlink_bytes,
                                    region != nullptr ? region->receive_delay1 : Time::seconds(1),
                                    region != nullptr ? region->receive_delay2 : Time::seconds(2));
  const bool downlink_received = w.downlink_received;
  const Time cycle_end = w.end;
  if (app_downlink && w.downlink_sent) finish_downlink(d, w.downlink_received, w.downlink_end);

  // ---- device MAC
  if (cfg.adr && region != nullptr) {
    if (downlink_received) {
      dev.adr_ack_cnt = 0;
      if (adr_command) {
        const DataRate* dr = region->data_rate(adr.data_rate);
        dev.data_rate = static_cast<std::uint8_t>(adr.data_rate);
        dev.spreading_factor = static_cast<std::uint8_t>(dr->spreading_factor);
        dev.bandwidth_index = static_cast<std::uint8_t>(bandwidth_index(dr->bandwidth_hz));
        dev.tx_power_dBm = static_cast<float>(region->tx_power_dBm(adr.tx_power_index));
      }
    } else if (dev.attempts == 1) {
      // ADR_ACK_CNT counts frames, not attempts: it grows when the frame
      // counter does, "for each new uplink frame, because repeated
      // transmissions do not increment the frame counter" (LoRaWAN L2 1.0.4
      // §4.3.1.1), and any downlink resets it. The back-off it drives acts
      // at the next frame's start (adr_frame_start).
      ++dev.adr_ack_cnt;
    }
  }
  // Link budget powers are at the group's power; a device may not exceed it
  // (the medium scales received power by the difference).
  if (dev.tx_power_dBm > cfg.tx_power_dBm) dev.tx_power_dBm = static_cast<float>(cfg.tx_power_dBm);

  if (outcome.gateway < 0) dev.last_reason = outcome.fate;
  dev.busy_until = cycle_end;
  const bool done = cfg.confirmed ? (downlink_received || dev.attempts >= cfg.max_transmissions)
                                  : (downlink_received || dev.attempts >= cfg.max_transmissions);
  if (done) {
    PacketFate fate = PacketFate::Delivered;
    if (!dev.delivered) fate = cfg.max_transmissions > 1 ? PacketFate::RetriesExhausted : dev.last_reason;
    finish_packet(dev, fate);
    return;
  }
  // A confirmed packet's attempts go in pairs at one data rate, each pair
  // one lower (LoRaWAN 1.0.3 §19.4; LoRaMac-node 4.4): after the 2nd, 4th
  // and 6th attempt (and, beyond the table's 8, every second one). With
  // ADR the next packets keep the last rate until a command changes it;
  // without, they start at the configured one again (on_generate).
  if (cfg.retry_step_down && region != nullptr && dev.attempts % 2 == 0) lower_data_rate(dev);
  // Another attempt: a confirmed uplink waits ACK_TIMEOUT after the windows
  // (LoRaWAN 1.0.4: 2 s ± 1 s, uniform); an unconfirmed repetition goes
  // as soon as the windows have closed.
  Time wait = cycle_end - now;
  if (cfg.confirmed && region != nullptr) {
    const double lo = region->ack_timeout_min.to_seconds(), hi = region->ack_timeout_max.to_seconds();
    wait += Time::from_seconds(dev.mac_rng.uniform(lo, hi));
  }
  sim_.schedule_in(wait, [this, d] { try_send(d); });
}

void LoraNetwork::adr_frame_start(LoraDevice& dev) const {
  // As LoRaMac-node computes them when it sends a new frame (Send,
  // LoRaMacAdrCalcNext), from the frames counted so far: ADR_ACK_DELAY
  // frames after ADR_ACK_LIMIT without a downlink, first the maximum power,
  // then one data rate lower per ADR_ACK_DELAY; and ADRACKReq from
  // ADR_ACK_LIMIT on. A frame's retransmissions and repetitions keep both.
  const LoraGroupConfig& cfg = *dev.config;
  const Region* region = cfg.region;
  const auto limit = static_cast<std::uint32_t>(region->adr_ack_limit);
  const auto delay = static_cast<std::uint32_t>(region->adr_ack_delay);
  if (dev.adr_ack_cnt >= limit + delay && (dev.adr_ack_cnt - limit) % delay == 0) {
    // The highest power this device may use: the region's, capped at the
    // group's (the link budget's) power.
    const auto cap = static_cast<float>(std::min(region->max_eirp_dBm, cfg.tx_power_dBm));
    if (dev.tx_power_dBm < cap) {
      dev.tx_power_dBm = cap;
    } else {
      lower_data_rate(dev);
    }
  }
  dev.adr_ack_req = dev.adr_ack_cnt >= limit;
}

void LoraNetwork::lower_data_rate(LoraDevice& dev) const {
  const LoraGroupConfig& cfg = *dev.config;
  const Region* region = cfg.region;
  // An uplink rate of the same bandwidth that the device's channels allow,
  // that fits the payload and the dwell time.
  for (int dr = dev.data_rate - 1; dr >= cfg.min_dr; --dr) {
    const DataRate* r = region->data_rate(dr);
    if (r == nullptr || !r->uplink || r->bandwidth_hz != cfg.modulation.bandwidth_hz ||
        r->max_payload_bytes + 13 < cfg.traffic.payload_bytes) {
      continue;
    }
    if (region->dwell_time > Time::zero()) {
      Modulation m = cfg.modulation;
      m.spreading_factor = r->spreading_factor;
      m.bandwidth_hz = r->bandwidth_hz;
      if (time_on_air(m, cfg.traffic.payload_bytes) > region->dwell_time) continue;
    }
    dev.data_rate = static_cast<std::uint8_t>(r->dr);
    dev.spreading_factor = static_cast<std::uint8_t>(r->spreading_factor);
    dev.bandwidth_index = static_cast<std::uint8_t>(bandwidth_index(r->bandwidth_hz));
    return;
  }
}

void LoraNetwork::finish_downlink(std::uint32_t d, bool received, Time end) {
  LoraDevice& dev = devices_[d];
  // The oldest queued downlink was sent: delivered, or lost (unconfirmed
  // downlinks are not repeated).
  if (received) {
    ++extra_[d].dl_delivered;
    net_.latency->downlink_delivered(dev.group, (end - extra_[d].dl_queue[0]).to_seconds());
  } else {
    ++extra_[d].dl_lost;
  }
  for (std::size_t i = 1; i < dev.dl_len; ++i) extra_[d].dl_queue[i - 1] = extra_[d].dl_queue[i];
  --dev.dl_len;
}

void LoraNetwork::on_downlink_generate(std::uint32_t d) {
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  const Time next = extra_[d].dl_traffic.next();
  if (next < end_) sim_.schedule_at(next, [this, d] { on_downlink_generate(d); });
  ++extra_[d].dl_generated;
  if (dev.dl_len == extra_[d].dl_queue.size()) {
    ++extra_[d].dl_dropped;  // the server keeps at most 4 downlinks per device
    return;
  }
  extra_[d].dl_queue[dev.dl_len++] = now;
  // Class B and C devices can be reached without waiting for an uplink.
  if ((cfg.class_c || cfg.class_b) && !extra_[d].dl_scheduled) {
    extra_[d].dl_scheduled = true;
    // It crosses the backhaul of the gateway it will go through: the
    // device's strongest link.
    Time backhaul{};
    if (dev.links.size > 0) {
      backhaul = net_.backhaul->delay(static_cast<std::size_t>(dev.links.gateway[strongest_link(dev)]), now);
    }
    const Time at = cfg.class_c ? now + backhaul : next_ping_slot(d, now + backhaul);
    sim_.schedule_at(at, [this, d] { push_downlink(d); });
  }
}

std::uint32_t LoraNetwork::strongest_link(const LoraDevice& dev) {
  std::uint32_t best = 0;
  for (std::uint32_t i = 1; i < dev.links.size; ++i)
    if (dev.links.rx_dBm[i] > dev.links.rx_dBm[best]) best = i;
  return best;
}

Time LoraNetwork::next_ping_slot(std::uint32_t d, Time after) const {
  const LoraDevice& dev = devices_[d];
  // Ping slots: 2^(7 − periodicity) per beacon period, evenly spaced over the
  // beacon window (which starts after the 2.12 s beacon-reserved time), at
  // the device's own offset (TS001-1.0.4 §13; the offset is drawn once
  // instead of being hashed from the beacon time and DevAddr).
  const LoraGroupConfig& cfg = *dev.config;
  const auto& cb = cfg.region->class_b;
  const std::int64_t period = cb.beacon_period.ns();
  const std::int64_t spacing = Time::from_seconds(122.88).ns() / cfg.ping_nb;
  const std::int64_t first = Time::from_seconds(2.12).ns() + extra_[d].ping_offset.ns();
  std::int64_t k = std::max<std::int64_t>(0, after.ns() / period - 1);
  for (;; ++k) {
    for (int j = 0; j < cfg.ping_nb; ++j) {
      const std::int64_t t = k * period + first + j * spacing;
      if (t >= after.ns()) return Time::nanoseconds(t);
    }
  }
}

void LoraNetwork::push_downlink(std::uint32_t d) {
  // A class B (ping slot) or class C (RX2 continuous) opportunity: the
  // oldest queued downlink goes through the device's strongest link.
  LoraDevice& dev = devices_[d];
  const LoraGroupConfig& cfg = *dev.config;
  const Region* region = cfg.region;
  const Time now = sim_.now();
  extra_[d].dl_scheduled = false;
  if (dev.dl_len == 0 || region == nullptr || dev.links.size == 0) return;
  const std::uint32_t best = strongest_link(dev);
  const auto g = static_cast<std::size_t>(dev.links.gateway[best]);
  const double path_gain_dB = dev.links.rx_dBm[best] - cfg.tx_power_dBm;
  const DataRate* dr = region->data_rate(cfg.class_c ? region->rx2_dr : region->class_b.ping_slot_dr);
  const std::uint64_t freq = cfg.class_c ? region->rx2_frequency_hz : region->class_b.ping_slot_frequency_hz;
  // Both go out at the RX2 / ping-slot frequency, under that band's EIRP limit.
  const double eirp = region->rx2_eirp_dBm;
  Modulation m{dr->spreading_factor, dr->bandwidth_hz, 1, true, false, LowDataRateOptimize::Auto, 8};
  const Time toa = time_on_air(m, kAckBytes + 1 + cfg.downlink.payload_bytes);
  auto retry = [&] {
    // Try again at the next opportunity: one second later (class C) or the
    // next ping slot (class B).
    extra_[d].dl_scheduled = true;
    const Time at = cfg.class_c ? now + Time::seconds(1) : next_ping_slot(d, now + Time::milliseconds(1));
    if (at < end_) sim_.schedule_at(at, [this, d] { push_downlink(d); });
  };
  // Not joined yet: the server cannot reach it. Half-duplex: a device in
  // the middle of an uplink, or busy with its own exchange, cannot receive.
  if (!dev.joined || dev.tx_handle != UINT32_MAX || now <= dev.tx_end || now < dev.busy_until) {
    retry();
    return;
  }
  if (!book_downlink(g, now, toa, freq)) {
    retry();
    return;
  }
  ++downlinks_;
  const double conducted =
      std::isnan(net_.gateway_tx_power_dBm[g]) ? eirp - net_.gateway_gain_dB[g] : net_.gateway_tx_power_dBm[g];
  const float sens = net_.device_sensitivity_dBm[mod_index(dr->spreading_factor, bandwidth_index(dr->bandwidth_hz))];
  const bool heard = conducted + path_gain_dB >= sens;
  // A class B device keeps its receiver on past the ping slot for the frame.
  if (cfg.class_b && heard) {
    const Time slot = Time::from_seconds(cfg.rx_window_symbols * symbol_time_s(dr->spreading_factor, dr->bandwidth_hz));
    if (toa > slot) dev.energy.add_awake(kRx, toa - slot, cfg.profile->rx_mA);
  }
  // While it receives the frame the device cannot transmit (try_send waits).
  if (heard) dev.rx_until = now + toa;
  finish_downlink(d, heard, now + toa);
  if (dev.dl_len > 0) retry();
}

void LoraNetwork::finish() {
  for (std::size_t d = 0; d < devices_.size(); ++d) {
    LoraDevice& dev = devices_[d];
    extra_[d].dl_expired += dev.dl_len;  // still queued at the server
    dev.dl_len = 0;
    if (dev.busy) {
      ++dev.counters.fates[static_cast<std::size_t>(dev.delivered ? PacketFate::Delivered : PacketFate::InFlight)];
      dev.busy = false;
    }
  }
}

}  // namespace m2msim::lora
