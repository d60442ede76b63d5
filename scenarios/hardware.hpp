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
#include "scenarios/reader.hpp"
#include "scenarios/scenario.hpp"
#include "sim/time.hpp"

namespace m2msim::scenario {

/// A board (kind: board): the device it makes, with its chips' profiles
/// resolved (what a group with this board gets, before the scenario's
/// overrides), and the battery it typically carries.
struct BoardProfile {
  std::string name;
  std::string technology;  ///< the radio family it carries (energy::kRadioFamilies)
  std::string description;
  HardwareSpec device;        ///< its `board` is this board's name
  energy::Cell battery_cell;  ///< the battery it typically carries (built in, or a file beside the board's)
  int battery_parallel = 1;
  int battery_series = 1;
  std::string file;
};

/// Checks a group's transmit power against its radio profile's current
/// table (the loader does not extrapolate it): `radio` is the group's radio
/// map; without `tx_power` in it, the default is checked and the message
/// asks for the key.
void check_tx_power(const Context& ctx, const YAML::Node& radio, double tx_power_dBm,
                    const energy::CurrentProfile& profile, const std::string& where);

/// A radio (kind: radio), a microcontroller (kind: mcu) or a board (kind: board).
using HardwareProfile = std::variant<energy::CurrentProfile, energy::McuProfile, BoardProfile>;

/// Reads one profile document; errors are ScenarioErrors "FILE:LINE:COLUMN: ...".
HardwareProfile load_hardware_profile_text(const std::string& text, const std::string& file_name);
HardwareProfile load_hardware_profile_file(const std::string& path);
/// A built-in profile by name (a file of data/energy, without .yaml).
HardwareProfile builtin_hardware_profile(const std::string& name);
std::vector<std::string> builtin_hardware_names();

/// A battery cell document (kind: battery).
energy::Cell load_cell_text(const std::string& text, const std::string& file_name);
energy::Cell builtin_cell(const std::string& name);
std::vector<std::string> builtin_cell_names();

}  // namespace m2msim::scenario
