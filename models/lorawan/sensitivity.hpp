// LoRa receiver sensitivity by chip, spreading factor and bandwidth.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace m2msim::lora {

struct SensitivityTable {
  std::string name;
  /// dBm, rows SF7..SF12, columns 125 / 250 / 500 kHz.
  double dBm[6][3];
  std::string source;
};

const SensitivityTable* find_sensitivity_table(const std::string& name);
std::vector<std::string> sensitivity_table_names();

/// Sensitivity in dBm; nullopt for an SF or bandwidth outside the table.
std::optional<double> sensitivity_dBm(const SensitivityTable& t, int spreading_factor, std::uint32_t bandwidth_hz);

}  // namespace m2msim::lora
