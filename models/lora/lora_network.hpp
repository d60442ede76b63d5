// LoRa end devices sending uplinks to gateways over an AlohaMedium.
//
// Each device: packets come from its TrafficSource; when one is generated and
// the radio is free, it is transmitted at once (no listen-before-talk, no duty
// cycle yet); afterwards the device opens the LoRaWAN class A receive windows
// (RX1 at +1 s, RX2 at +2 s after the end of the uplink; LoRaWAN L2 1.0.4
// §3.3, RECEIVE_DELAY1/2), each for `rx_window_symbols` symbols, and sleeps
// otherwise. A packet generated while the radio is busy — transmitting,
// including the very instant the previous uplink ends, or before RX2 has
// closed — is dropped with the fate radio_busy. (The end instant counts as
// busy whatever the order of the two events at that instant, so the rule does
// not depend on event order.)
#pragma once

#include <cstdint>
#include <vector>

#include "models/energy/energy.hpp"
#include "models/lora/lora_medium.hpp"
#include "models/lora/time_on_air.hpp"
#include "models/metrics/packet_fate.hpp"
#include "models/traffic/traffic.hpp"
#include "sim/simulation.hpp"
#include "sim/statistics.hpp"

namespace m2msim::lora {

/// What every device of one group shares.
struct LoraGroupConfig {
  Modulation modulation;
  std::uint32_t channel = 0;  ///< index into the network's channel list
  double tx_power_dBm = 14.0;
  traffic::TrafficPattern traffic;
  const energy::CurrentProfile* profile = nullptr;
  const energy::McuProfile* mcu = nullptr;  ///< none: the radio alone is counted
  Time mcu_active_per_packet{};             ///< MCU time per generated packet besides the radio's
  energy::Battery battery;
  bool receive_windows = true;
  int rx_window_symbols = 8;
  /// RX2 modulation: EU868 default DR0 = SF12 / 125 kHz (LoRaWAN Regional
  /// Parameters RP002-1.0.4 §5.4.7); used only for the window's length.
  Modulation rx2_modulation{12, 125'000, 1, true, true, LowDataRateOptimize::Auto, 8};
};

struct LoraDevice {
  const LoraGroupConfig* config = nullptr;
  std::uint32_t group = 0;
  LinkSet links;                         ///< from the link budget
  const float* sensitivity_dBm = nullptr;  ///< [gateway], for this device's SF/BW
  traffic::TrafficSource traffic;
  energy::EnergyMeter energy;
  metrics::DeviceCounters counters;
  Time busy_until{};
  Time generated_at{};  ///< of the packet in the air
  /// End of the last uplink; the radio is busy up to and including it
  /// (before the first uplink: −1 ns, so that no instant is busy).
  Time tx_end = Time::nanoseconds(-1);
  Time battery_empty_at = Time::max();
  std::uint32_t tx_handle = UINT32_MAX;  ///< medium handle while in the air
};

class LoraNetwork {
 public:
  /// Gateways with `demodulators[g]` paths each (0: unlimited), the
  /// channels in use, and no device with more than `max_links` links (0: as
  /// many as gateways).
  LoraNetwork(Simulation& sim, std::vector<std::uint32_t> demodulators, std::vector<Channel> channels,
              std::size_t groups, ReceptionRules rules, std::size_t max_links = 0);

  void reserve(std::size_t devices) { devices_.reserve(devices); }
  /// Adds a device. The pointed-to config and arrays must outlive the run.
  void add_device(const LoraGroupConfig& config, std::uint32_t group, LinkSet links, const float* sensitivity_dBm,
                  RandomStream traffic_rng);
  /// Schedules every device's first packet; packets generated at or after
  /// `end` are not scheduled.
  void start(Time end);
  /// Called after the run: packets still in the air get the fate in_flight_at_end.
  void finish();

  [[nodiscard]] const std::vector<LoraDevice>& devices() const { return devices_; }
  /// Latency (s) of every delivered packet, by group.
  std::vector<SampleCollector>& latency_by_group() { return latency_; }

 private:
  void on_generate(std::uint32_t d);
  void on_tx_end(std::uint32_t d);
  void schedule_next(std::uint32_t d);

  Simulation& sim_;
  LoraMedium medium_;
  std::vector<LoraDevice> devices_;
  std::vector<SampleCollector> latency_;
  /// What every uplink of a group takes, computed once when the group's
  /// first device is added rather than on every packet.
  struct GroupTiming {
    Time toa{};          ///< time on air of one uplink
    double tx_mA = 0.0;  ///< supply current at the group's transmit power
    Time rx1{}, rx2{};   ///< receive-window lengths (zero without windows)
    Time busy_after_tx{};  ///< from the end of the uplink until RX2 has closed
    Time lock_after{};     ///< from the start, when a receiver locks on (pairwise rule)
    bool ready = false;
  };
  std::vector<GroupTiming> timing_;
  Time end_{};
};

}  // namespace m2msim::lora
