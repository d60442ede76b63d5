// Scenario texts shared by the engine tests.
#pragma once

#include <string>
#include <vector>

#include "engine/technologies.hpp"
#include "results/run_record.hpp"

namespace m2msim::test {

/// The error loading `text` (as `file`) with `sets` throws: "no error" if
/// it loads.
inline std::string load_error(const std::string& text, const std::vector<std::string>& sets = {},
                              const std::string& file = "line.yaml") {
  try {
    (void)engine::load_scenario_text(text, file, sets);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

/// Whether group `group`'s summary has a battery warning containing `text`.
inline bool warns(const results::RunRecord& r, const std::string& text, std::size_t group = 0) {
  for (const auto& w : r.groups[group].battery_warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

/// Two cellular sites of `technology` (a, at 100 m; b, at 300 m; 1.5 m high)
/// under PL = 31.5 dB + 40·log10(d / 1 m), the `section` given (e.g. "nbiot:
/// { link_adaptation: false }"), and an interferer group at 201 m (served by
/// b) reporting 50 B every 10 s; `more` adds device groups.
inline std::string two_cells(const std::string& technology, const std::string& section, const std::string& more = "") {
  return "name: two\n"
         "duration: 1 h\n"
         "area: { width: 400 m, height: 100 m }\n"
         "environment: { propagation: { model: log-distance, reference_distance: 1 m, reference_loss: 31.5 dB, "
         "exponent: 4.0 } }\n" +
         section +
         "\n"
         "gateways:\n"
         "  - { name: a, technology: " +
         technology +
         ", position: [100 m, 0 m], height: 1.5 m }\n"
         "  - { name: b, technology: " +
         technology +
         ", position: [300 m, 0 m], height: 1.5 m }\n"
         "devices:\n"
         "  - group: interferer\n"
         "    placement: { list: [[201 m, 0 m]] }\n"
         "    height: 1.5 m\n"
         "    radio: { technology: " +
         technology +
         ", periodic_tau: 400 d }\n"
         "    traffic: { periodic: { every: 10 s }, payload: 50 B }\n" +
         more;
}

/// N LoRa devices at SF7/125 kHz, 10 B payload (41.216 ms on air), Poisson
/// traffic, all within 100 m of one gateway (no losses to sensitivity), no
/// receive windows: a pure-ALOHA channel.
inline std::string aloha_scenario(int devices, const std::string& mean_interval, const std::string& duration,
                                  int seed) {
  return "name: aloha\n"
         "seed: " +
         std::to_string(seed) +
         "\n"
         "duration: " +
         duration +
         "\n"
         "area: { radius: 100 m }\n"
         "environment: { propagation: { model: log-distance, reference_distance: 1 m, reference_loss: 31.2 dB, "
         "exponent: 3.0 } }\n"
         "lora: { interference: aloha }\n"
         "gateways: [ { name: gw, position: [100 m, 100 m], height: 15 m, demodulators: unlimited } ]\n"
         "devices:\n"
         "  - group: nodes\n"
         "    count: " +
         std::to_string(devices) +
         "\n"
         "    height: 1.5 m\n"
         "    radio: { technology: lorawan, spreading_factor: 7, bandwidth: 125 kHz, coding_rate: 4/5,\n"
         "             tx_power: 14 dBm, frequency: 868.1 MHz, receive_windows: false,\n"
         "             duty_cycle: false }\n"
         "    traffic: { poisson: { mean_interval: " +
         mean_interval +
         " }, payload: 10 B }\n"
         "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n";
}

}  // namespace m2msim::test
