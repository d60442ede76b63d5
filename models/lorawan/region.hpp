// LoRaWAN regional parameters (LoRa Alliance RP002): data rates, default
// channels, duty-cycle sub-bands, dwell time, transmit power steps, receive
// and join delays, RX1/RX2 rules, MAC timing constants. The values are data
// (data/lorawan/*.yaml, each with its source), read by the scenario loader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/time.hpp"

namespace m2msim::lora {

struct DataRate {
  int dr = 0;
  int spreading_factor = 12;
  std::uint32_t bandwidth_hz = 125'000;
  std::uint32_t max_payload_bytes = 0;  ///< application payload N (no FOpts)
  bool uplink = true;                   ///< false: a downlink-only rate (US915 DR8–13)
  int max_payload_dwell_bytes = -2;     ///< N under the uplink dwell time; −1 unusable; −2 not given
};

struct UplinkChannel {
  std::uint32_t index = 0;  ///< LoRaWAN channel number (US915: 0–71)
  std::uint64_t frequency_hz = 0;
  std::uint32_t bandwidth_hz = 125'000;
  int min_dr = 0, max_dr = 5;
};

struct DutyCycleBand {
  std::uint64_t from_hz = 0, to_hz = 0;  ///< [from, to)
  double duty_cycle = 1.0;               ///< fraction of time, e.g. 0.01
};

struct Region {
  std::string name;
  std::string source;
  std::string file;
  std::vector<DataRate> data_rates;  ///< ascending in dr; RFU rates absent
  std::vector<UplinkChannel> uplink_channels;
  std::vector<DutyCycleBand> duty_cycle_bands;
  Time dwell_time{};  ///< 0: no dwell-time limit on uplinks
  double max_eirp_dBm = 16.0;
  double tx_power_step_dB = 2.0;
  int tx_power_indices = 8;
  Time receive_delay1 = Time::seconds(1), receive_delay2 = Time::seconds(2);
  Time join_accept_delay1 = Time::seconds(5), join_accept_delay2 = Time::seconds(6);
  std::vector<std::vector<int>> rx1_dr_offset;  ///< [uplink dr][RX1DROffset] → downlink dr
  /// RX1 frequency: the uplink's, or base + step·(uplink channel index mod modulo).
  bool rx1_same_as_uplink = true;
  std::uint64_t rx1_base_hz = 0, rx1_step_hz = 0;
  std::uint32_t rx1_modulo = 1;
  std::uint64_t rx2_frequency_hz = 869'525'000;
  int rx2_dr = 0;
  double downlink_eirp_dBm = 14.0;  ///< RX1 downlinks
  double rx2_eirp_dBm = 14.0;       ///< RX2 downlinks (EU868: the 10 % band allows more)
  int adr_max_dr = 5;               ///< the highest data rate ADR assigns
  Time ack_timeout_min = Time::seconds(1), ack_timeout_max = Time::seconds(3);
  /// Class B: the beacon and the ping slots (TS001 §13–15; RP002 per region).
  struct ClassB {
    Time beacon_period = Time::seconds(128);
    int beacon_dr = 3;
    std::uint32_t beacon_bytes = 17;
    int beacon_preamble_symbols = 10;
    int ping_slot_dr = 3;
    std::uint64_t ping_slot_frequency_hz = 869'525'000;  ///< (US915: the first of the hopping channels)
    bool present = false;                                ///< the region file gives class B parameters
  } class_b;
  int adr_ack_limit = 64, adr_ack_delay = 32;

  [[nodiscard]] const DataRate* data_rate(int dr) const {
    for (const auto& d : data_rates)
      if (d.dr == dr) return &d;
    return nullptr;
  }
  /// The data rate with this SF and bandwidth, if the region has one.
  [[nodiscard]] const DataRate* data_rate(int spreading_factor, std::uint32_t bandwidth_hz) const {
    for (const auto& d : data_rates)
      if (d.spreading_factor == spreading_factor && d.bandwidth_hz == bandwidth_hz) return &d;
    return nullptr;
  }
  /// The duty-cycle band holding frequency f, or nullptr (no limit).
  [[nodiscard]] const DutyCycleBand* band_of(std::uint64_t f) const {
    for (const auto& b : duty_cycle_bands)
      if (f >= b.from_hz && f < b.to_hz) return &b;
    return nullptr;
  }
  /// RX1 frequency for an uplink on uplink_hz (the LoRaWAN channel number
  /// is looked up among the default channels; 0 if it is none of them).
  [[nodiscard]] std::uint64_t rx1_frequency_hz(std::uint64_t uplink_hz) const {
    if (rx1_same_as_uplink) return uplink_hz;
    std::uint32_t index = 0;
    for (const auto& c : uplink_channels)
      if (c.frequency_hz == uplink_hz) index = c.index;
    return rx1_base_hz + rx1_step_hz * (index % rx1_modulo);
  }
  [[nodiscard]] double tx_power_dBm(int index) const { return max_eirp_dBm - tx_power_step_dB * index; }
};

/// Silence after a transmission of `time_on_air` in a band with duty cycle
/// d: the band is free again time_on_air · (1/d − 1) after the end of the
/// transmission (ETSI EN 300 220 duty cycle as LoRaMac-node enforces it per band).
Time duty_cycle_off_time(Time time_on_air, double duty_cycle);

}  // namespace m2msim::lora
