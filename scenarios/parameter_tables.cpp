#include "scenarios/parameter_tables.hpp"

#include <array>

namespace m2msim::scenario::tables {

namespace {

using K = ParamKind;
using D = Dimension;
constexpr double kDay_ns = 86400e9;

constexpr Param kRootParams[] = {
    {.key = "name", .kind = K::Name, .required = true, .help = "The scenario's name; results go to results/<name>/ unless outputs.directory says otherwise.", .example = "name: city-meters"},
    {.key = "seed", .kind = K::Count, .range = "0 to 18 446 744 073 709 551 615 (2^64 − 1)", .default_value = "1", .help = "With replication, names every random stream of the run.", .example = "seed: 42"},
    {.key = "replication", .kind = K::Count, .range = "0 to 18 446 744 073 709 551 615 (2^64 − 1)", .default_value = "0", .help = "The number of this replication (not a count): selects independent random streams.", .example = "replication: 3"},
    {.key = "duration", .kind = K::Quantity, .dimension = D::Time, .min = 1, .max = 3653 * kDay_ns, .range = "above 0 s and at most 3653 d (10 years)", .required = true, .help = "The simulated window [0, duration]; battery life is extrapolated from it.", .example = "duration: 7 d"},
    {.key = "area", .kind = K::Map, .required = true, .section = "area", .help = "Where devices are placed."},
    {.key = "environment", .kind = K::Map, .required = true, .section = "environment", .help = "The radio environment: the propagation model."},
    {.key = "gateways", .kind = K::List, .range = "at least 1; names unique", .required = true, .section = "gateways[]", .help = "The sites that receive the devices (gateways, base stations)."},
    {.key = "devices", .kind = K::List, .range = "at least 1 group; names unique; at most 10 000 000 devices in all", .required = true, .section = "devices[]", .help = "The device groups."},
    {.key = "outputs", .kind = K::Map, .default_text = "none: the default folder, no coverage map", .section = "outputs", .help = "What a run writes besides summary.json and devices.csv."},
    {.key = "sweep", .kind = K::Special, .default_text = "none", .type = "map (`docs/sweeps.md` §2)", .help = "The grid of runs that m2msim sweep runs; run ignores it.", .example = "sweep: { replications: 5, parameters: { devices.meters.count: [500, 1000] } }"},
};

constexpr Param kAreaParams[] = {
    {.key = "width", .kind = K::Quantity, .dimension = D::Length, .min = 1, .max = 1e6, .range = "1 m to 1000 km", .default_text = "required for a rectangle", .help = "A rectangle [0, width] × [0, height]; not with radius.", .example = "width: 6 km"},
    {.key = "height", .kind = K::Quantity, .dimension = D::Length, .min = 1, .max = 1e6, .range = "1 m to 1000 km", .default_text = "required for a rectangle", .help = "The rectangle's extent north.", .example = "height: 4 km"},
    {.key = "radius", .kind = K::Quantity, .dimension = D::Length, .min = 1, .max = 1e6, .range = "1 m to 1000 km", .default_text = "required for a disc", .help = "A disc centred at (radius, radius); not with width and height.", .example = "radius: 3 km"},
};

constexpr Param kEnvironmentParams[] = {
    {.key = "propagation", .kind = K::Map, .required = true, .section = "environment.propagation", .help = "The path-loss model and its parameters, and shadowing."},
};

constexpr Param kPropagationParams[] = {
    {.key = "model", .kind = K::Choice, .required = true, .choices = "log-distance|free-space|okumura-hata|cost231-hata|3gpp-rma|3gpp-uma|3gpp-umi-street-canyon|3gpp-36942-macro", .help = "The path-loss model (docs/models/propagation.md).", .example = "model: okumura-hata"},
    {.key = "shadowing", .kind = K::Map, .default_text = "none: no shadowing", .section = "environment.propagation.shadowing", .help = "Log-normal shadowing, with any model.", .example = "shadowing: { sigma: 8 dB }"},
    {.key = "preset", .kind = K::Special, .range = "`bor2016`, `oulu-ground`, `ns3-lorawan`", .default_text = "none: give the three keys below", .type = "choice", .applies = "log-distance", .help = "A published parameter set; sets reference_distance, reference_loss and exponent, which must then be left out.", .example = "preset: bor2016"},
    {.key = "reference_distance", .kind = K::Quantity, .dimension = D::Length, .min = 0.01, .max = 10000, .range = "0.01 m to 10 km", .default_text = "**required** without `preset`", .applies = "log-distance", .help = "d0 of the log-distance model.", .example = "reference_distance: 1 m"},
    {.key = "reference_loss", .kind = K::Quantity, .dimension = D::Ratio, .min = 0, .max = 250, .range = "0 dB to 250 dB", .default_text = "**required** without `preset`", .applies = "log-distance", .help = "PL(d0).", .example = "reference_loss: 31.2 dB"},
    {.key = "exponent", .kind = K::Special, .min = 1, .max = 8, .range = "1 to 8", .default_text = "**required** without `preset`", .type = "plain number, no unit", .applies = "log-distance", .help = "The path-loss exponent n.", .example = "exponent: 3.0"},
    {.key = "below_reference", .kind = K::Choice, .default_text = "`flat`; with `preset`, the preset's rule", .choices = "flat|formula", .applies = "log-distance", .help = "Inside d0: flat PL(d0) (ns-3) or the formula at every distance (LoRaSim, FLoRa).", .example = "below_reference: formula"},
    {.key = "environment", .kind = K::Choice, .default_text = "**required** for this model", .choices = "urban|suburban|open", .applies = "okumura-hata", .help = "Hata's environment correction.", .example = "environment: suburban"},
    {.key = "city", .kind = K::Choice, .default_text = "**required** for this model", .choices = "small|medium|large", .applies = "okumura-hata", .help = "Hata's city size (mobile antenna correction).", .example = "city: large"},
    {.key = "area", .kind = K::Choice, .default_text = "**required** for this model", .choices = "medium-city|metropolitan", .applies = "cost231-hata", .help = "COST-231's C_M: 0 dB or 3 dB.", .example = "area: metropolitan"},
    {.key = "condition", .kind = K::Choice, .default_text = "**required** for these models", .choices = "los|nlos|random", .applies = "3gpp-rma|3gpp-uma|3gpp-umi-street-canyon", .help = "Line of sight; random draws it per link with TR 38.901 Table 7.4.2-1.", .example = "condition: random"},
    {.key = "building_height", .kind = K::Quantity, .dimension = D::Length, .min = 5, .max = 50, .range = "5 m to 50 m (TR 38.901 Table 7.4.1-1)", .default_value = "5 m", .applies = "3gpp-rma", .help = "Average building height h of RMa.", .example = "building_height: 8 m", .source = "TR 38.901 Table 7.4.1-1"},
    {.key = "street_width", .kind = K::Quantity, .dimension = D::Length, .min = 5, .max = 50, .range = "5 m to 50 m (TR 38.901 Table 7.4.1-1)", .default_value = "20 m", .applies = "3gpp-rma", .help = "Average street width W of RMa.", .example = "street_width: 30 m", .source = "TR 38.901 Table 7.4.1-1"},
    {.key = "rooftop_height", .kind = K::Quantity, .dimension = D::Length, .min = 0.5, .max = 200, .range = "0.5 m to 200 m", .default_value = "15 m", .applies = "3gpp-36942-macro", .help = "The base-station antenna's height above the rooftops, Δhb.", .example = "rooftop_height: 10 m", .source = "TR 36.942 §4.5.2"},
};

constexpr Param kShadowingParams[] = {
    {.key = "sigma", .kind = K::Quantity, .dimension = D::Ratio, .min = 0, .max = 30, .range = "0 dB to 30 dB", .required = true, .help = "Standard deviation of the log-normal shadowing.", .example = "sigma: 8 dB"},
    {.key = "decorrelation", .kind = K::Quantity, .dimension = D::Length, .min = 0.1, .max = 100000, .range = "0.1 m to 100 km (leave it out for independent shadowing per link)", .default_text = "none: independent shadowing per link", .help = "Distance at which the correlation of a site's shadowing field falls to 1/e (Gudmundson).", .example = "decorrelation: 50 m"},
};

constexpr Param kGatewayParams[] = {
    {.key = "name", .kind = K::Name, .range = "unique among gateways", .required = true, .help = "The site's name.", .example = "name: gw-a"},
    {.key = "technology", .kind = K::Special, .range = "a registered technology (the values of `devices[].radio.technology`)", .default_text = "the only registered technology; required when there are several", .type = "choice", .help = "The technology the site serves; it decides which keys besides these the site takes."},
    {.key = "position", .kind = K::Point, .range = "each within ±10 000 km", .default_text = "**required**, except with `layout`", .help = "Where the site's antenna is, in the area's frame.", .example = "position: [1 km, 500 m]"},
    {.key = "layout", .kind = K::Map, .default_text = "none: one site at `position`", .section = "gateways[].layout", .help = "Many sites from one entry: every other key applies to each, and each is named NAME-0, NAME-1, ... (a CSV file names its own).", .example = "layout: { hexagonal: { spacing: 2 km } }"},
    {.key = "height", .kind = K::Quantity, .dimension = D::Length, .min = 0.1, .max = 1000, .range = "0.1 m to 1000 m", .default_value = "15 m", .help = "Antenna height above the ground (the path-loss models' base-station height; above 0 because they take its logarithm).", .example = "height: 30 m"},
    {.key = "antenna_gain", .kind = K::Quantity, .dimension = D::Ratio, .min = -20, .max = 30, .range = "-20 dBi to 30 dBi", .default_value = "0 dBi", .help = "Enters every link to this site.", .example = "antenna_gain: 3 dBi"},
    {.key = "cable_loss", .kind = K::Quantity, .dimension = D::Ratio, .min = 0, .max = 30, .range = "0 dB to 30 dB", .default_value = "0 dB", .help = "Between the antenna and the receiver; enters every link to this site.", .example = "cable_loss: 2 dB"},
    {.key = "noise_figure", .kind = K::Quantity, .dimension = D::Ratio, .min = 0, .max = 20, .range = "0 dB to 20 dB", .default_value = "6 dB", .help = "The receiver's noise floor is −174 dBm/Hz + 10·log10(bandwidth) + noise_figure (SNR, ADR).", .example = "noise_figure: 4 dB", .source = "the value ns-3's lorawan module assumes for SX1301-class gateways"},
};

constexpr Param kLayoutParams[] = {
    {.key = "list", .kind = K::List, .range = "non-empty; points within ±10 000 km", .default_text = "exactly one of the four keys", .type = "list of `[x, y]` points", .help = "Sites at these points.", .example = "list: [[1 km, 1 km], [3 km, 1 km]]"},
    {.key = "grid", .kind = K::Map, .default_text = "exactly one of the four keys", .section = "gateways[].layout.grid", .help = "A square lattice over the area: sites at ((i + ½)·spacing, (j + ½)·spacing).", .example = "grid: { spacing: 2 km }"},
    {.key = "hexagonal", .kind = K::Map, .default_text = "exactly one of the four keys", .section = "gateways[].layout.hexagonal", .help = "A hexagonal lattice over the area: rows (j + ½)·spacing·√3/2 apart, odd rows shifted by spacing/2, so every site is spacing from its six neighbours.", .example = "hexagonal: { spacing: 1.5 km }", .source = "inter-site distance of TR 36.942 §4.2 and TR 38.901 §7.8"},
    {.key = "csv", .kind = K::Text, .default_text = "exactly one of the four keys", .type = "path", .help = "A CSV file with the header `name,x_m,y_m` and one site per line (x and y in metres), relative to the scenario file's folder.", .example = "csv: sites.csv"},
};

constexpr Param kLatticeParams[] = {
    {.key = "spacing", .kind = K::Quantity, .dimension = D::Length, .min = 1, .max = 1e6, .range = "1 m to 1000 km; at most 10 000 sites", .required = true, .help = "The distance between neighbouring sites.", .example = "spacing: 2 km"},
};

constexpr Param kGroupParams[] = {
    {.key = "group", .kind = K::Name, .range = "unique among groups", .required = true, .help = "The group's name.", .example = "group: meters"},
    {.key = "count", .kind = K::Integer, .min = 1, .max = 10'000'000, .range = "1 to 10 000 000", .default_text = "**required**, except with `placement: { list: ... }`", .help = "How many devices; with a list placement, must equal its number of points.", .example = "count: 5000"},
    {.key = "placement", .kind = K::Special, .range = "`uniform`, `grid` (rectangular area only), `list` (non-empty; points within ±10 000 km)", .default_text = "`uniform`", .type = "`uniform`, `grid` or `{ list: [[x, y], ...] }`", .help = "Where the group's devices are.", .example = "placement: uniform"},
    {.key = "height", .kind = K::Quantity, .dimension = D::Length, .min = 0.1, .max = 1000, .range = "0.1 m to 1000 m", .default_value = "1.5 m", .help = "Antenna height above the ground (the path-loss models' terminal height).", .example = "height: 2 m"},
    {.key = "indoor", .kind = K::Map, .default_text = "none: outdoor, no penetration loss", .section = "devices[].indoor", .help = "Building or vehicle penetration loss, drawn once per device.", .example = "indoor: { penetration: 12 dB }"},
    {.key = "radio", .kind = K::Map, .required = true, .section = "devices[].radio", .help = "The group's radio; radio.technology selects which technology reads the other keys."},
    {.key = "traffic", .kind = K::Map, .required = true, .section = "devices[].traffic", .help = "When the devices send, and how much."},
    {.key = "downlink", .kind = K::Map, .default_text = "none: no application downlinks", .section = "devices[].traffic", .help = "Application data the server sends to each device, in the form of traffic.", .example = "downlink: { periodic: { every: 1 d }, payload: 10 B }"},
    {.key = "hardware", .kind = K::Special, .default_text = "the technology's default radio profile, no microcontroller", .type = "a radio profile (built-in name or `.yaml` path), or a map (`devices[].hardware`)", .help = "The chips' current profiles (docs/models/energy.md).", .example = "hardware: sx1262"},
    {.key = "battery", .kind = K::Map, .required = true, .section = "devices[].battery", .help = "The battery."},
};

constexpr Param kTrafficParams[] = {
    {.key = "periodic", .kind = K::Map, .default_text = "exactly one of `periodic` and `poisson`", .section = "devices[].traffic.periodic", .help = "A packet every period.", .example = "periodic: { every: 15 min }"},
    {.key = "poisson", .kind = K::Map, .default_text = "exactly one of `periodic` and `poisson`", .section = "devices[].traffic.poisson", .help = "Exponential gaps between packets.", .example = "poisson: { mean_interval: 1 h }"},
    {.key = "payload", .kind = K::Quantity, .dimension = D::DataSize, .min = 0, .max = 65535, .range = "0 B to 65 535 B; a technology may allow less (its radio keys say how much)", .required = true, .help = "The PHY payload length, whole bytes.", .example = "payload: 20 B"},
};

constexpr Param kPeriodicParams[] = {
    {.key = "every", .kind = K::Quantity, .dimension = D::Time, .min = 1e6, .range = "at least 1 ms", .required = true, .help = "The period between nominal generation instants; the first is uniform in [0, every).", .example = "every: 15 min"},
    {.key = "jitter", .kind = K::Quantity, .dimension = D::Time, .min = 0, .range = "at least 0 s", .default_value = "0 s", .help = "Each packet is delayed by U·jitter after its nominal instant.", .example = "jitter: 30 s"},
};

constexpr Param kPoissonParams[] = {
    {.key = "mean_interval", .kind = K::Quantity, .dimension = D::Time, .min = 1e6, .range = "at least 1 ms", .required = true, .help = "The mean of the exponential gaps.", .example = "mean_interval: 1 h"},
};

constexpr Param kBatteryParams[] = {
    {.key = "capacity", .kind = K::Special, .range = "0.001 mAh to 10 000 Ah (after conversion)", .required = true, .type = "charge (`mAh`, `Ah`) or energy (`mWh`, `Wh`, `kWh`)", .help = "The nominal capacity; an energy is converted with the voltage, Q = E / V.", .example = "capacity: 2600 mAh"},
    {.key = "voltage", .kind = K::Quantity, .dimension = D::Voltage, .min = 0.5, .max = 60, .range = "0.5 V to 60 V", .required = true, .help = "The nominal voltage.", .example = "voltage: 3.6 V"},
    {.key = "usable", .kind = K::Quantity, .dimension = D::Percent, .min = 1e-6, .max = 1, .range = "above 0 % and at most 100 %", .default_value = "100 %", .help = "The share of the capacity usable before cut-off.", .example = "usable: 90 %"},
    {.key = "self_discharge", .kind = K::Quantity, .dimension = D::RatePerYear, .min = 0, .max = 1, .range = "0 %/year to 100 %/year", .default_value = "0 %/year", .help = "The share of the capacity lost per year, as a constant extra current.", .example = "self_discharge: 1 %/year"},
};

constexpr Param kHardwareParams[] = {
    {.key = "radio", .kind = K::Special, .range = "a radio profile whose `technology` is the group's (built in: the files of data/energy/)", .required = true, .type = "profile name or `.yaml` path", .help = "The radio's current profile.", .example = "radio: sx1276"},
    {.key = "mcu", .kind = K::Special, .range = "a microcontroller profile; built in: `nrf52840`, `stm32l072`", .default_text = "none: only the radio is counted", .type = "profile name or `.yaml` path", .help = "The microcontroller's current profile.", .example = "mcu: nrf52840"},
    {.key = "mcu_active_per_packet", .kind = K::Quantity, .dimension = D::Time, .min = 0, .max = 60e9, .range = "0 s to 60 s", .default_value = "0 s", .help = "Extra microcontroller active time per generated packet (sensing, stack); needs mcu.", .example = "mcu_active_per_packet: 50 ms"},
};

constexpr Param kIndoorParams[] = {
    {.key = "model", .kind = K::Choice, .default_value = "fixed", .choices = "fixed|3gpp-38901|3gpp-38901-legacy|3gpp-38901-car|ns3-45820", .help = "The penetration model (docs/models/propagation.md).", .example = "model: 3gpp-38901"},
    {.key = "penetration", .kind = K::Quantity, .dimension = D::Ratio, .min = 0, .max = 60, .range = "0 dB to 60 dB", .default_text = "**required** for this model", .applies = "fixed", .help = "The fixed loss.", .example = "penetration: 12 dB"},
    {.key = "share", .kind = K::Quantity, .dimension = D::Percent, .min = 0, .max = 1, .range = "0 % to 100 %", .default_value = "100 %", .help = "The share of devices affected; the rest are outdoor.", .example = "share: 80 %"},
    {.key = "high_loss", .kind = K::Quantity, .dimension = D::Percent, .min = 0, .max = 1, .range = "0 % to 100 %", .default_text = "**required** for this model", .applies = "3gpp-38901", .help = "The share of high-loss (IRR glass, concrete) buildings; TR 38.901's calibration uses 50 %.", .example = "high_loss: 50 %", .source = "TR 38.901 Table 7.4.3-2"},
    {.key = "max_depth", .kind = K::Quantity, .dimension = D::Length, .min = 0, .max = 100, .range = "0 m to 100 m", .default_value = "25 m", .applies = "3gpp-38901|3gpp-38901-legacy", .help = "The largest indoor distance drawn for the inside loss.", .example = "max_depth: 10 m", .source = "TR 38.901 §7.4.3.1"},
    {.key = "metallized_windows", .kind = K::Boolean, .default_value = "false", .applies = "3gpp-38901-car", .help = "Metallized car windows (μ = 19 dB instead of 9 dB).", .example = "metallized_windows: true", .source = "TR 38.901 §7.4.3.2"},
};

constexpr Param kOutputParams[] = {
    {.key = "directory", .kind = K::Text, .default_text = "`results/<name>`", .help = "The results folder.", .example = "directory: out/run1"},
    {.key = "coverage_map", .kind = K::Map, .default_text = "none: no map", .section = "outputs.coverage_map", .help = "A map of the best margin over the sites, for one group's radio.", .example = "coverage_map: { resolution: 25 m }"},
};

constexpr Param kCoverageMapParams[] = {
    {.key = "resolution", .kind = K::Quantity, .dimension = D::Length, .min = 0.1, .max = 100000, .range = "0.1 m to 100 km; at most 4 000 000 pixels over the area", .required = true, .help = "The pixel size.", .example = "resolution: 25 m"},
    {.key = "group", .kind = K::Special, .range = "a group's name", .default_text = "the first group", .type = "name", .help = "Whose radio settings are mapped.", .example = "group: alarms"},
};

}  // namespace

const ParamSection kRoot{"", "Top level", kRootParams};
const ParamSection kArea{"area", "area", kAreaParams};
const ParamSection kEnvironment{"environment", "environment", kEnvironmentParams};
const ParamSection kPropagation{"environment.propagation", "environment.propagation", kPropagationParams, "model"};
const ParamSection kShadowing{"environment.propagation.shadowing", "environment.propagation.shadowing", kShadowingParams};
const ParamSection kGateway{"gateways[]", "gateways[]: sites", kGatewayParams};
const ParamSection kLayout{"gateways[].layout", "gateways[].layout", kLayoutParams};
const ParamSection kGrid{"gateways[].layout.grid", "gateways[].layout.grid", kLatticeParams};
const ParamSection kHexagonal{"gateways[].layout.hexagonal", "gateways[].layout.hexagonal", kLatticeParams};
const ParamSection kGroup{"devices[]", "devices[]: device groups", kGroupParams};
const ParamSection kTraffic{"devices[].traffic", "devices[].traffic (and devices[].downlink)", kTrafficParams};
const ParamSection kPeriodic{"devices[].traffic.periodic", "devices[].traffic.periodic", kPeriodicParams};
const ParamSection kPoisson{"devices[].traffic.poisson", "devices[].traffic.poisson", kPoissonParams};
const ParamSection kBattery{"devices[].battery", "devices[].battery", kBatteryParams};
const ParamSection kHardware{"devices[].hardware", "devices[].hardware", kHardwareParams};
const ParamSection kIndoor{"devices[].indoor", "devices[].indoor", kIndoorParams, "model"};
const ParamSection kOutputs{"outputs", "outputs", kOutputParams};
const ParamSection kCoverageMap{"outputs.coverage_map", "outputs.coverage_map", kCoverageMapParams};

std::span<const ParamSection* const> core_sections() {
  static const std::array<const ParamSection*, 18> all{
      &kRoot,    &kArea,    &kEnvironment, &kPropagation, &kShadowing, &kGateway,   &kLayout,  &kGrid,    &kHexagonal,
      &kGroup,   &kTraffic, &kPeriodic,    &kPoisson,     &kBattery,   &kHardware,  &kIndoor,  &kOutputs, &kCoverageMap};
  return all;
}

}  // namespace m2msim::scenario::tables
