// The core's readers of a device group's hardware, battery and temperature
// (scenarios/hardware.cpp), for the loader.
#pragma once

#include <optional>
#include <string>

#include "scenarios/hardware.hpp"
#include "scenarios/reader.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/technology_format.hpp"

namespace m2msim::scenario {

/// devices[].hardware resolved, and the board it started from (whose
/// battery a group without `battery` gets).
struct DeviceHardware {
  HardwareSpec spec;
  std::optional<BoardProfile> board;
};

/// `node` null: the key is absent (the technology's default board).
DeviceHardware read_hardware(const Context& ctx, const YAML::Node* node, const std::string& where,
                             const TechnologyFormat& format);
/// The radio profile as a device of `format`'s technology uses it (its
/// by_technology entry applied). Every entry must name a technology whose
/// radios are of the profile's family, else a ScenarioError at the entry.
energy::CurrentProfile radio_for_technology(const energy::CurrentProfile& radio, const TechnologyFormat& format,
                                            TechnologyFormats formats);
/// devices[].temperature; null: 20 °C.
energy::TemperatureProfile read_temperature(const Context& ctx, const YAML::Node* node, const std::string& where);
/// devices[].battery; null: the board's battery.
BatterySpec read_battery(const Context& ctx, const YAML::Node* node, const std::string& where,
                         const DeviceHardware& hardware, const energy::TemperatureProfile& temperature);

}  // namespace m2msim::scenario
