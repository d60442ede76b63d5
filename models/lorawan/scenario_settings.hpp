// LoRaWAN's settings as read from a scenario (models/lorawan/scenario_format.cpp):
// the network-wide `lora:` section, the keys of a LoRaWAN gateway, and a
// device group's `radio:` keys. The scenario core holds them as opaque
// TechnologySettings; the LoRaWAN builder reads them back here.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/lorawan/lora_medium.hpp"
#include "models/lorawan/region.hpp"
#include "models/lorawan/time_on_air.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/technology_format.hpp"
#include "sim/time.hpp"

namespace m2msim::lora {

/// `lora:`: the region, how gateways decide reception
/// (models/lorawan/lora_medium.hpp) and the network server. Every default is
/// in the parameter table (models/lorawan/parameters.hpp).
struct NetworkSettings final : scenario::TechnologySettings {
  enum class Isolation : std::uint8_t { Goursaud, Croce, Ideal };
  Region region;
  Time deduplication_window{};  ///< the server waits this long for copies of a frame
  double adr_margin_dB = 0.0;   ///< ADR installation margin
  ReceptionRules::Interference interference = ReceptionRules::Interference::Energy;
  Isolation isolation = Isolation::Goursaud;
  double capture_threshold_dB = 0.0;  ///< co-SF threshold with isolation ideal
  int lock_symbols = 0;               ///< pairwise: preamble symbols left when the receiver locks on
  std::string region_path;            ///< the region file read by path; empty for a built-in region
  [[nodiscard]] std::vector<std::string> files() const override {
    return region_path.empty() ? std::vector<std::string>{} : std::vector<std::string>{region_path};
  }
};

/// The keys a LoRaWAN gateway adds to a site.
struct GatewaySettings final : scenario::TechnologySettings {
  std::string sensitivity;         ///< sensitivity table name
  std::uint32_t demodulators = 0;  ///< demodulator paths; 0 means unlimited
  /// Downlink transmit power (conducted); unset: the region's downlink EIRP.
  std::optional<double> tx_power_dBm;
};

/// A group's `radio:`.
struct RadioSettings final : scenario::TechnologySettings {
  int spreading_factor = 7;
  std::uint32_t bandwidth_hz = 125'000;
  int coding_rate = 1;  ///< 1..4 = 4/5..4/8
  bool explicit_header = true;
  bool crc = true;
  LowDataRateOptimize low_data_rate_optimize = LowDataRateOptimize::Auto;
  int preamble_symbols = 8;
  double tx_power_dBm = 14.0;
  /// The carrier used for path loss: the fixed channel, or (without one)
  /// the lowest of the region's default channels the group may use.
  std::uint64_t frequency_hz = 0;
  bool fixed_frequency = false;  ///< radio.frequency given: one channel only
  int data_rate = -1;            ///< the region DR of (SF, bandwidth); −1 if none
  bool confirmed = false;
  int max_transmissions = 1;  ///< attempts per packet
  /// Confirmed retransmissions lower the data rate every second attempt
  /// (LoRaWAN 1.0.3 §19.4's recommendation); false: they keep it (1.0.4).
  bool retry_step_down = true;
  bool retry_step_down_given = false;  ///< radio.retry_data_rate was in the file
  bool adr = false;
  bool duty_cycle = true;         ///< obey the region's duty-cycle bands
  bool otaa = false;              ///< join: otaa (Join-request first) or abp
  char device_class = 'A';        ///< A, B or C
  int ping_slot_periodicity = 7;  ///< class B: 2^(7 − p) ping slots per beacon period
  double antenna_gain_dBi = 0.0;
  bool receive_windows = true;
  int rx_window_symbols = 8;
};

/// The technology's name, as `radio.technology` writes it.
inline constexpr std::string_view kName = "lorawan";

inline const NetworkSettings& network_of(const scenario::Scenario& s) {
  return static_cast<const NetworkSettings&>(*s.network(kName));
}
inline const RadioSettings& radio_of(const scenario::DeviceGroupSpec& g) {
  return static_cast<const RadioSettings&>(*g.radio);
}
/// Whether a site is a LoRaWAN gateway (its settings are GatewaySettings).
inline bool is_gateway(const scenario::GatewaySpec& g) { return g.technology == kName; }
/// A LoRaWAN gateway's keys; only for is_gateway(g).
inline const GatewaySettings& gateway_of(const scenario::GatewaySpec& g) {
  if (!is_gateway(g)) throw std::logic_error("site " + g.name + " is not a LoRaWAN gateway");
  return static_cast<const GatewaySettings&>(*g.settings);
}

/// LoRaWAN regional parameters: a built-in region ("eu868", "us915",
/// "as923") or a file; errors are ScenarioErrors "FILE:LINE:COLUMN: ...".
Region load_region_text(const std::string& text, const std::string& file_name);
Region builtin_region(const std::string& name);
std::vector<std::string> builtin_region_names();

/// LoRaWAN's part of the scenario format.
const scenario::TechnologyFormat& lorawan_format();

}  // namespace m2msim::lora
