// NB-IoT's settings as read from a scenario (models/cellular/scenario_format.cpp):
// the network-wide `nbiot:` section, the keys of an NB-IoT site, and a device
// group's `radio:` keys. The scenario core holds them as opaque
// TechnologySettings; the NB-IoT builder reads them back here.
#pragma once

#include <array>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "models/cellular/nbiot_phy.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/technology_format.hpp"
#include "sim/time.hpp"

namespace m2msim::cellular {

inline constexpr std::size_t kCeLevels = 3;

/// One coverage-enhancement level's configuration, as a cell broadcasts it.
struct CeLevelSettings {
  Time nprach_period{};
  int nprach_repetitions = 1;
  int nprach_subcarriers = 12;
  int max_attempts = 5;
  int npdcch_repetitions = 1;  ///< Rmax
  int npdsch_repetitions = 1;
  int npusch_repetitions = 1;
  int npusch_subcarriers = 12;
  nbiot::Spacing npusch_spacing = nbiot::Spacing::Khz15;
  int npusch_itbs = 0;
  int npdsch_itbs = 0;
  Time sync_time{};
};

/// `nbiot:`. Every default is in the parameter table (models/cellular/parameters.hpp).
struct NetworkSettings final : scenario::TechnologySettings {
  double max_coupling_loss_dB = 164.0;
  bool link_adaptation = true;
  double repetition_gain_dB = 1.75;
  /// NRSRP thresholds of CE levels 0 and 1; unset: at 144 and 154 dB coupling loss from the serving site.
  std::optional<std::array<double, 2>> rsrp_thresholds_dBm;
  std::array<CeLevelSettings, kCeLevels> levels{};
  Time backoff{};
  Time inactivity_timer{};
};

/// The keys an NB-IoT site adds.
struct SiteSettings final : scenario::TechnologySettings {
  double tx_power_dBm = 43.0;
  double load = 1.0;
};

/// A group's `radio:`.
struct RadioSettings final : scenario::TechnologySettings {
  double tx_power_dBm = 23.0;
  double antenna_gain_dBi = 0.0;
  double noise_figure_dB = 5.0;
  double frequency_hz = 900e6;
  std::uint32_t header_overhead_bytes = 29;
  bool release_assistance = true;
  bool application_ack = false;
  Time active_timer{};  ///< T3324
  Time periodic_tau{};  ///< T3412
  Time paging_cycle{};  ///< DRX or eDRX cycle in idle mode
};

/// The technology's name, as `radio.technology` writes it.
inline constexpr std::string_view kNbiot = "nbiot";

inline const NetworkSettings& network_of(const scenario::Scenario& s) {
  return static_cast<const NetworkSettings&>(*s.network(kNbiot));
}
inline const RadioSettings& radio_of(const scenario::DeviceGroupSpec& g) {
  return static_cast<const RadioSettings&>(*g.radio);
}
inline bool is_site(const scenario::GatewaySpec& g) { return g.technology == kNbiot; }
inline const SiteSettings& site_of(const scenario::GatewaySpec& g) {
  if (!is_site(g)) throw std::logic_error("site " + g.name + " is not an NB-IoT site");
  return static_cast<const SiteSettings&>(*g.settings);
}

/// NB-IoT's part of the scenario format.
const scenario::TechnologyFormat& nbiot_format();

}  // namespace m2msim::cellular
