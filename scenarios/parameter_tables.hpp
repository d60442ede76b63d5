// The parameter tables of the scenario format's common core: the top level,
// area, environment, sites (gateways), device groups with their placement,
// traffic, battery, hardware and indoor settings, and outputs. A
// technology's own sections (its radio keys, its site keys, its top-level
// section) are declared in its folder (models/<technology>/).
#pragma once

#include <span>

#include "scenarios/parameters.hpp"

namespace m2msim::scenario::tables {

extern const ParamSection kRoot;
extern const ParamSection kArea;
extern const ParamSection kEnvironment;
extern const ParamSection kPropagation;
extern const ParamSection kShadowing;
extern const ParamSection kGateway;
extern const ParamSection kLayout;
extern const ParamSection kAntenna;
extern const ParamSection kGrid;
extern const ParamSection kHexagonal;
extern const ParamSection kGroup;
extern const ParamSection kTraffic;
extern const ParamSection kPeriodic;
extern const ParamSection kPoisson;
extern const ParamSection kBattery;
extern const ParamSection kTemperature;
extern const ParamSection kSolar;
extern const ParamSection kStateOfCharge;
extern const ParamSection kHardware;
extern const ParamSection kIndoor;
extern const ParamSection kOutputs;
extern const ParamSection kCoverageMap;

/// Every core section, in the order of docs/scenario-reference.md.
std::span<const ParamSection* const> core_sections();

}  // namespace m2msim::scenario::tables
