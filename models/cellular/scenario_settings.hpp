// NB-IoT's and LTE-M's settings as read from a scenario
// (models/cellular/scenario_format.cpp): the network-wide `nbiot:` or `ltem:`
// section, the keys of a cellular site, and a device group's `radio:` keys.
// The scenario core holds them as opaque TechnologySettings; the cellular
// builder reads them back here.
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

/// CE levels: NB-IoT has 3, LTE-M 4 (levels 0 and 1 in CE mode A, 2 and 3 in mode B).
inline constexpr std::size_t kMaxCeLevels = 4;

/// One coverage-enhancement level's configuration, as a cell broadcasts it
/// (the names of the channels are generic: NPRACH or PRACH, NPDCCH or MPDCCH...).
struct CeLevelSettings {
  Time prach_period{};
  Time prach_start{};    ///< NB-IoT: nprach-StartTime (LTE-M: 0)
  int prach_offset = 0;  ///< NB-IoT: nprach-SubcarrierOffset
  int prach_repetitions = 1;
  int preambles = 12;  ///< NB-IoT: NPRACH subcarriers; LTE-M: preambles
  int max_attempts = 5;
  int control_repetitions = 1;  ///< Rmax
  int pdsch_repetitions = 1;
  int pusch_repetitions = 1;
  int pusch_width = 12;  ///< NB-IoT: subcarriers; LTE-M: PRBs
  nbiot::Spacing pusch_spacing = nbiot::Spacing::Khz15;
  int pusch_itbs = 0;
  int pdsch_itbs = 0;
  Time sync_time{};
  int ack_repetitions = 1;  ///< LTE-M: PUCCH repetitions
  Time response_window{};   ///< LTE-M: ra-ResponseWindowSize
  int edt_max_bits = 1000;  ///< the largest early-data Msg3 (edt-TBS-r15)
};

/// `nbiot:` or `ltem:`. Every default is in the parameter tables
/// (models/cellular/parameters.hpp, ltem_parameters.hpp).
struct NetworkSettings final : scenario::TechnologySettings {
  /// The network's maximum coupling loss, when given; unset: the
  /// technology's reference, moved by each device's power and each site's
  /// noise figure (cell_technology.cpp, max_coupling_loss_dB()).
  std::optional<double> max_coupling_loss_dB;
  bool link_adaptation = true;
  double repetition_gain_dB = 1.75;
  /// (N)RSRP thresholds from which CE levels 0, 1 (and LTE-M 2) begin;
  /// unset: the technology's coupling losses from the serving site.
  std::optional<std::array<double, kMaxCeLevels - 1>> rsrp_thresholds_dBm;
  std::size_t level_count = 3;
  std::array<CeLevelSettings, kMaxCeLevels> levels{};
  Time backoff{};
  Time inactivity_timer{};
  Time network_delay{};                 ///< the network's answer to a NAS message
  nbiot::DownlinkConfig downlink;       ///< NB-IoT: SIB1-NB and the other system information
  double q_rxlev_min_dBm = -140.0;      ///< cell selection: the least (N)RSRP a device camps at
  Time search_time{};                   ///< a device that finds no cell searches this long per report
  Time drx_cycle{}, drx_on_duration{};  ///< connected-mode DRX; cycle 0: none
  double bler = 0.1;                    ///< HARQ: the share of transmissions that fail
  /// Each site's uplink noise rises by the other cells' devices' mean power.
  bool uplink_interference = true;
  /// NB-IoT's uplink open-loop power control (TS 36.213 §16.2.1.1, §16.3.1;
  /// the defaults are in parameters.hpp); off, and for LTE-M: every
  /// transmission at the device's tx_power.
  bool power_control = false;
  double p0_nominal_dBm = -80.0;        ///< p0-NominalNPUSCH
  double alpha = 0.8;                   ///< of the data and the TAU request (Msg3 and HARQ-ACKs: 1)
  double preamble_target_dBm = -104.0;  ///< preambleInitialReceivedTargetPower
  double ramping_step_dB = 2.0;         ///< powerRampingStep
  double delta_msg3_dB = 8.0;           ///< Δ_PREAMBLE_Msg3
  /// LTE-M: PRBs of the LTE carrier (its reference signal is spread over
  /// 12 × this many subcarriers) and the narrowbands its devices share.
  int carrier_prbs = 0;
  int narrowbands = 0;
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
  Time active_timer{};      ///< T3324
  Time periodic_tau{};      ///< T3412
  Time paging_cycle{};      ///< DRX or eDRX cycle in idle mode
  bool early_data = false;  ///< Rel-15 early data transmission
};

/// The technologies' names, as `radio.technology` writes them.
inline constexpr std::string_view kNbiot = "nbiot";
inline constexpr std::string_view kLtem = "ltem";

inline const NetworkSettings& network_of(const scenario::Scenario& s, std::string_view technology) {
  return static_cast<const NetworkSettings&>(*s.network(technology));
}
inline const RadioSettings& radio_of(const scenario::DeviceGroupSpec& g) {
  return static_cast<const RadioSettings&>(*g.radio);
}
inline const SiteSettings& site_of(const scenario::GatewaySpec& g) {
  if (g.technology != kNbiot && g.technology != kLtem)
    throw std::logic_error("site " + g.name + " is not a cellular site");
  return static_cast<const SiteSettings&>(*g.settings);
}

/// NB-IoT's and LTE-M's parts of the scenario format.
const scenario::TechnologyFormat& nbiot_format();
const scenario::TechnologyFormat& ltem_format();

}  // namespace m2msim::cellular
