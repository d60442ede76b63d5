// The device's hardware as data files, each value with its source:
//  - chip current profiles (data/energy/*.yaml, kind radio or mcu);
//  - board profiles (data/energy/*.yaml, kind board): the device around its
//    radio (microcontroller, regulator and leakage floor, sensors, per-packet
//    costs) and the battery it typically carries;
//  - battery cells (data/batteries/*.yaml, kind battery): capacity,
//    voltage, self-discharge, curves, pulse rating and shelf life.
// The built-in files are compiled in; a scenario may name its own by path.
// docs/models/energy.md gives the formats and every built-in value.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "models/energy/energy.hpp"
#include "scenarios/builtin_files.hpp"
#include "sim/time.hpp"

namespace m2msim::scenario {

/// A board (kind: board), with its chips' profiles resolved.
struct BoardProfile {
  std::string name;
  std::string technology;  ///< the radio family it carries (energy::kRadioFamilies)
  std::string description;
  energy::CurrentProfile radio;
  std::optional<energy::McuProfile> mcu;
  Time mcu_active_per_packet{};
  double sleep_floor_mA = 0.0;      ///< regulator quiescent current, RTC, leakage
  double sensors_standby_mA = 0.0;  ///< the sensors between readings
  double mcu_packet_mAs = 0.0;      ///< per-packet events of the MCU's part (wake-up, flash writes)
  double sensors_packet_mAs = 0.0;  ///< per-packet sensor readings
  double event_peak_mA = 0.0;       ///< the highest current of a per-packet event or sensor reading
  energy::Cell battery_cell;        ///< the battery it typically carries (built in, or a file beside the board's)
  int battery_parallel = 1;
  int battery_series = 1;
  std::string file;
};

/// A radio (kind: radio), a microcontroller (kind: mcu) or a board (kind: board).
using HardwareProfile = std::variant<energy::CurrentProfile, energy::McuProfile, BoardProfile>;

/// Reads one profile document; errors are ScenarioErrors "FILE:LINE:COLUMN: ...".
HardwareProfile load_hardware_profile_text(const std::string& text, const std::string& file_name);
HardwareProfile load_hardware_profile_file(const std::string& path);
/// A built-in profile by name ("sx1276", "nrf52840", "lorawan-sensor-node", ...).
HardwareProfile builtin_hardware_profile(const std::string& name);
std::vector<std::string> builtin_hardware_names();

/// A battery cell document (kind: battery).
energy::Cell load_cell_text(const std::string& text, const std::string& file_name);
energy::Cell builtin_cell(const std::string& name);
std::vector<std::string> builtin_cell_names();

}  // namespace m2msim::scenario
