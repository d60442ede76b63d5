// Scenario texts shared by the engine tests.
#pragma once

#include <string>

namespace m2msim::test {

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
