// Chip current profiles: data files (data/energy/*.yaml), one per chip, each
// value with its datasheet source. The built-in ones are compiled in; a
// scenario may also name its own file by path. docs/models/energy.md gives
// the format and every built-in value.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "models/energy/energy.hpp"
#include "scenarios/builtin_files.hpp"

namespace m2msim::scenario {

/// A radio (kind: radio) or a microcontroller (kind: mcu).
using HardwareProfile = std::variant<energy::CurrentProfile, energy::McuProfile>;

/// Reads one profile document; errors are ScenarioErrors "FILE:LINE:COLUMN: ...".
HardwareProfile load_hardware_profile_text(const std::string& text, const std::string& file_name);
HardwareProfile load_hardware_profile_file(const std::string& path);
/// A built-in profile by name ("sx1276", "nrf52840", ...).
HardwareProfile builtin_hardware_profile(const std::string& name);
std::vector<std::string> builtin_hardware_names();

}  // namespace m2msim::scenario
