// The checked, resolved form of a scenario file. The loader fills it from
// YAML (every value parsed with its unit and checked for range); the engines
// build models from it. Quantities are stored in the unit named by the field.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/energy/energy.hpp"
#include "models/propagation/antenna.hpp"
#include "models/propagation/okumura_hata.hpp"
#include "models/propagation/penetration.hpp"
#include "scenarios/technology_format.hpp"
#include "sim/time.hpp"

namespace m2msim::scenario {

struct AreaSpec {
  enum class Shape { Rectangle, Disc };
  Shape shape = Shape::Rectangle;
  double width_m = 0.0, height_m = 0.0;  ///< rectangle, lower-left corner at (0, 0)
  double radius_m = 0.0;                 ///< disc, centred at (radius, radius)
};

/// The path-loss model and its parameters. Which keys are required depends
/// on the model (docs/scenario-reference.md); no physics is defaulted
/// silently, except the documented 3GPP RMa street geometry and the
/// TR 36.942 rooftop height.
struct PropagationSpec {
  enum class Model : std::uint8_t {
    LogDistance,
    FreeSpace,
    OkumuraHata,
    Cost231Hata,
    ThreeGppRma,
    ThreeGppUma,
    ThreeGppUmiStreetCanyon,
    Macro36942
  };
  /// 3GPP TR 38.901 models: LOS, NLOS, or drawn per link (Table 7.4.2-1).
  enum class Condition : std::uint8_t { Los, Nlos, Random };
  std::string model;  ///< the model's name as written (for messages)
  Model kind = Model::FreeSpace;
  // log-distance
  std::string preset;                    ///< the published parameter set used, or empty
  bool formula_below_reference = false;  ///< log-distance inside d0: flat (false) or the formula
  double reference_distance_m = 0.0;
  double reference_loss_dB = 0.0;
  double exponent = 0.0;
  // okumura-hata
  propagation::OkumuraHataLoss::Environment environment = propagation::OkumuraHataLoss::Environment::Urban;
  propagation::OkumuraHataLoss::CitySize city = propagation::OkumuraHataLoss::CitySize::Small;
  // cost231-hata
  propagation::Cost231HataLoss::Area area = propagation::Cost231HataLoss::Area::MediumCityOrSuburban;
  // 3gpp-*
  Condition condition = Condition::Los;
  // Defaults of the keys below are in the parameter table (scenarios/parameter_tables.cpp).
  double building_height_m = 0.0;  ///< 3gpp-rma
  double street_width_m = 0.0;     ///< 3gpp-rma
  // 3gpp-36942-macro
  double rooftop_height_m = 0.0;  ///< base-station antenna above the rooftops (TR 36.942 §4.5.2)
  // shadowing (any model): log-normal, sigma 0 = none; decorrelation 0 =
  // independent per link, else a spatially correlated field per gateway
  double shadowing_sigma_dB = 0.0;
  double shadowing_decorrelation_m = 0.0;
};

/// A site: a gateway or a base station. Defaults are in the parameter
/// table (scenarios/parameter_tables.cpp).
struct GatewaySpec {
  std::string name;
  std::string technology;  ///< the technology it serves
  double x_m = 0.0, y_m = 0.0;
  double height_m = 0.0;
  double antenna_gain_dBi = 0.0;
  propagation::SectorAntenna antenna;  ///< its horizontal pattern (omnidirectional unless given)
  double cable_loss_dB = 0.0;
  double noise_figure_dB = 0.0;                        ///< receiver noise figure
  Time backhaul_delay{};                               ///< one way, between the site and the servers
  std::shared_ptr<const TechnologySettings> settings;  ///< the keys its technology adds
};

struct PlacementSpec {
  enum class Kind { Uniform, Grid, List };
  Kind kind = Kind::Uniform;
  std::vector<std::pair<double, double>> points_m;  ///< List
};

/// interval and payload are required in the file.
struct TrafficSpec {
  enum class Kind { Periodic, Poisson };
  Kind kind = Kind::Periodic;
  Time interval{};  ///< period, or mean inter-arrival time
  Time jitter = Time::zero();
  std::uint32_t payload_bytes = 0;
};

/// devices[].battery, resolved at the group's temperature (devices[].temperature).
struct BatterySpec {
  energy::Battery battery;           ///< what the model uses
  std::optional<energy::Cell> cell;  ///< the cell profile, none for a battery given by its figures
  int parallel = 1, series = 1;      ///< cells in the pack
  energy::TemperatureProfile temperature;
  bool self_discharge_given = false;  ///< the scenario's rate, not the cell's at the temperature
  std::string file;                   ///< the cell file, when read by path
};

/// devices[].hardware, resolved: a board profile with the scenario's
/// overrides, its chips' profiles copied in.
struct HardwareSpec {
  std::string board;                      ///< the board profile's name; "" for none
  energy::CurrentProfile radio;           ///< default: the board's radio
  std::optional<energy::McuProfile> mcu;  ///< none: not counted
  Time mcu_active_per_packet{};           ///< extra MCU time per generated packet
  double sleep_floor_mA = 0.0;            ///< the board's own draw at all times (0: not counted)
  double sensors_standby_mA = 0.0;        ///< the board's sensors between readings
  double mcu_packet_mAs = 0.0;            ///< the board's other per-packet charge on the MCU's part
  double sensors_packet_mAs = 0.0;        ///< the board's sensor readings, per packet
  double event_peak_mA = 0.0;             ///< the highest current of a per-packet event or sensor reading
  std::vector<std::string> files;         ///< profile files read by path

  /// The energy model's view; it points into this spec.
  [[nodiscard]] energy::Board model() const {
    return energy::Board{mcu ? &*mcu : nullptr, sleep_floor_mA,     sensors_standby_mA, mcu_active_per_packet,
                         mcu_packet_mAs,        sensors_packet_mAs, event_peak_mA};
  }
};

struct DeviceGroupSpec {
  std::string name;
  std::string technology;                           ///< radio.technology: the registered technology that runs the group
  std::shared_ptr<const TechnologySettings> radio;  ///< its radio keys, read by that technology
  std::uint64_t count = 0;
  PlacementSpec placement;
  double height_m = 1.5;
  propagation::PenetrationModel indoor;  ///< devices[].indoor (none: outdoor)
  TrafficSpec traffic;
  std::optional<TrafficSpec> downlink;  ///< application downlinks to each device
  HardwareSpec hardware;
  BatterySpec battery;
};

struct CoverageMapSpec {
  double resolution_m = 0.0;
  std::string group;  ///< whose radio settings are mapped; default the first group
};

/// outputs.state_of_charge: sampled devices' battery over the run.
struct StateOfChargeSpec {
  std::uint64_t devices = 10;  ///< spread evenly over the scenario's devices
  Time every = Time::hours(1);
};

struct OutputSpec {
  std::optional<std::string> directory;
  std::optional<CoverageMapSpec> coverage_map;
  std::optional<StateOfChargeSpec> state_of_charge;
};

struct Scenario {
  std::string file;        ///< where it was read from
  bool has_sweep = false;  ///< the file has a sweep: section (run by `m2msim sweep`)
  std::string name;
  std::uint64_t seed = 1;
  std::uint64_t replication = 0;
  Time duration = Time::days(1);
  AreaSpec area;
  PropagationSpec propagation;
  std::vector<GatewaySpec> gateways;
  /// Each technology in use and its network-wide settings (its top-level section).
  std::vector<std::pair<std::string, std::shared_ptr<const TechnologySettings>>> networks;
  std::vector<DeviceGroupSpec> groups;
  OutputSpec outputs;
  /// Data files the core read by path (a sites CSV), for a sweep's fingerprint.
  std::vector<std::string> data_files;

  /// The network-wide settings of technology `name`, or nullptr.
  [[nodiscard]] const TechnologySettings* network(std::string_view technology_name) const {
    for (const auto& [n, settings] : networks)
      if (n == technology_name) return settings.get();
    return nullptr;
  }
};

}  // namespace m2msim::scenario
