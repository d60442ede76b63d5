// Hardware data files (chips, boards, battery cells) and the scenario keys
// that choose them: devices[].hardware, devices[].battery and
// devices[].temperature.
#include "scenarios/hardware.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "scenarios/device_hardware.hpp"
#include "scenarios/parameter_tables.hpp"
#include "scenarios/parameters.hpp"
#include "scenarios/reader.hpp"
#include "scenarios/units.hpp"

namespace m2msim::scenario {

namespace {

// ---------------------------------------------------------------- values with their source

/// A chip's current reaches 10 A; a cell's ratings and curves reach further
/// (a LiFePO4 cell's 120 A pulses).
struct CurrentRange {
  double max_mA;
  const char* text;
};
constexpr CurrentRange kChipCurrent{1e4, "0 A to 10 A"};
constexpr CurrentRange kCellCurrent{1e6, "0 A to 1000 A"};

double current_value(const Context& ctx, const YAML::Node& n, const std::string& what,
                     CurrentRange range = kChipCurrent) {
  const double mA = quantity(ctx, n, Dimension::Current, what);
  check_range(ctx, n, mA, 0.0, range.max_mA, what, range.text);
  return mA;
}

/// One state's { current, source }: the current in mA.
double read_state(const Context& ctx, const YAML::Node& n, const std::string& where,
                  CurrentRange range = kChipCurrent) {
  MapReader r(ctx, n, where, {"current", "source"});
  text_value(ctx, r.require("source"), where + ".source");
  return current_value(ctx, r.require("current"), where + ".current", range);
}

double temperature_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const double c = quantity(ctx, n, Dimension::Temperature, what);
  check_range(ctx, n, c, -273.15, 200.0, what, "-273.15 degC to 200 degC");
  return c;
}

/// A share of a capacity: above 0 (a cell that holds nothing at some load or
/// temperature would give an empty battery, not a result).
double share_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const double f = quantity(ctx, n, Dimension::Percent, what);
  check_range(ctx, n, f, 1e-6, 2.0, what, "above 0 % and at most 200 %");
  return f;
}

/// A list of points { X, Y, source }, ascending in X.
template <class ReadX, class ReadY>
energy::Curve read_curve(const Context& ctx, const YAML::Node& n, const std::string& where, const char* x_key,
                         const char* y_key, ReadX read_x, ReadY read_y) {
  if (!n.IsSequence() || n.size() == 0) {
    ctx.fail(n, where + " must be a list of points { " + x_key + ", " + y_key + ", source }, ascending in " + x_key);
  }
  energy::Curve c;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string w = where + "[" + std::to_string(i) + "]";
    MapReader p(ctx, n[i], w, {x_key, y_key, "source"});
    text_value(ctx, p.require("source"), w + ".source");
    const double x = read_x(p.require(x_key), w + "." + x_key);
    if (!c.points.empty() && x <= c.points.back().first) {
      ctx.fail(p.get(x_key), w + "." + x_key + " must be above the previous point's (the list is ascending)");
    }
    c.points.emplace_back(x, read_y(p.require(y_key), w + "." + y_key));
  }
  return c;
}

// ---------------------------------------------------------------- chips and boards

HardwareProfile parse_hardware_profile(const std::string& text, const std::string& file);

/// What a key takes, for its list of valid names: any profile, or one kind.
enum class ProfileKind { Any, Radio, Mcu, Board };

/// The built-in profiles of `kind`.
std::vector<std::string> builtin_names_of(ProfileKind kind) {
  std::vector<std::string> names;
  for (const auto& name : builtin_hardware_names()) {
    const HardwareProfile p = builtin_hardware_profile(name);
    const bool fits = kind == ProfileKind::Any ||
                      (kind == ProfileKind::Radio && std::holds_alternative<energy::CurrentProfile>(p)) ||
                      (kind == ProfileKind::Mcu && std::holds_alternative<energy::McuProfile>(p)) ||
                      (kind == ProfileKind::Board && std::holds_alternative<BoardProfile>(p));
    if (fits) names.push_back(name);
  }
  return names;
}

/// A chip named by a board file or a scenario: a built-in name, or a path
/// ending in .yaml (relative to the file that names it). An unknown name is
/// answered with the built-in profiles of the kind the key takes.
HardwareProfile resolve_hardware(const Context& ctx, const YAML::Node& n, const std::string& what,
                                 ProfileKind kind = ProfileKind::Any) {
  const std::string v = scalar(ctx, n, what);
  if (const auto path = data_file_path(ctx, n, v, what, "profile")) {
    return parse_hardware_profile(read_text_file(*path, "hardware profile"), *path);
  }
  const auto names = builtin_hardware_names();
  if (std::find(names.begin(), names.end(), v) == names.end())
    choice(ctx, n, builtin_names_of(kind), what + " (a built-in profile, or a path ending in .yaml)");
  return builtin_hardware_profile(v);
}

energy::McuProfile read_mcu_profile(const Context& ctx, const YAML::Node& root) {
  MapReader r(ctx, root, "the mcu profile", {"name", "kind", "datasheet", "supply", "states"});
  energy::McuProfile m;
  m.name = name_value(ctx, r.require("name"), "name");
  m.datasheet = text_value(ctx, r.require("datasheet"), "datasheet");
  m.supply_V = quantity(ctx, r.require("supply"), Dimension::Voltage, "supply");
  check_range(ctx, r.get("supply"), m.supply_V, 0.5, 60.0, "supply", "0.5 V to 60 V");
  MapReader st(ctx, r.require("states"), "states", {"sleep", "active"});
  m.sleep_mA = read_state(ctx, st.require("sleep"), "states.sleep");
  m.active_mA = read_state(ctx, st.require("active"), "states.active");
  m.file = ctx.file;
  return m;
}

std::string radio_family(const Context& ctx, const YAML::Node& n) {
  return choice(ctx, n, std::vector<std::string>(energy::kRadioFamilies.begin(), energy::kRadioFamilies.end()),
                "technology");
}

/// A radio's transmit currents by output power (`tx`, or a by_technology
/// entry's). One point is a radio given at one power only (a methodology's
/// profile): no other power is accepted with it.
std::vector<std::pair<double, double>> read_tx(const Context& ctx, const YAML::Node& tx, const std::string& what) {
  if (!tx.IsSequence() || tx.size() < 1) {
    ctx.fail(tx, what + " must be a list of points { power, current, source }, ascending in power");
  }
  std::vector<std::pair<double, double>> points;
  for (std::size_t i = 0; i < tx.size(); ++i) {
    const std::string where = what + "[" + std::to_string(i) + "]";
    MapReader t(ctx, tx[i], where, {"power", "current", "source"});
    text_value(ctx, t.require("source"), where + ".source");
    const double dBm = quantity(ctx, t.require("power"), Dimension::Power, where + ".power");
    check_range(ctx, t.get("power"), dBm, -30.0, 40.0, where + ".power", "-30 dBm to 40 dBm");
    if (!points.empty() && dBm <= points.back().first) {
      ctx.fail(t.get("power"), where + ".power must be above the previous point's (the list is ascending in power)");
    }
    const double mA = current_value(ctx, t.require("current"), where + ".current");
    // A transmitter draws more at a higher power (every datasheet's table):
    // a current that falls is a misread or mistyped point.
    if (!points.empty() && mA < points.back().second) {
      char prev[48];
      std::snprintf(prev, sizeof prev, "%g mA", points.back().second);
      ctx.fail(t.get("current"), where + ".current is below the previous point's, " + prev +
                                     ", at a higher power: a transmitter draws more at more power; check the "
                                     "point's value and unit");
    }
    points.emplace_back(dBm, mA);
  }
  return points;
}

/// A cellular radio's idle-mode currents by paging cycle (`idle_by_cycle`,
/// or a by_technology entry's).
std::vector<std::pair<double, double>> read_idle_by_cycle(const Context& ctx, const YAML::Node& list,
                                                          const std::string& what, const std::string& family) {
  if (family != "cellular") ctx.fail(list, what + " applies only to cellular radios (technology: cellular)");
  if (!list.IsSequence() || list.size() < 2)
    ctx.fail(list, what + " must be a list of at least 2 points { cycle, current, source }, ascending in cycle");
  std::vector<std::pair<double, double>> points;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = what + "[" + std::to_string(i) + "]";
    MapReader c(ctx, list[i], where, {"cycle", "current", "source"});
    text_value(ctx, c.require("source"), where + ".source");
    const double s = time_value(ctx, c.require("cycle"), where + ".cycle").to_seconds();
    check_range(ctx, c.get("cycle"), s, 0.32, 10485.76, where + ".cycle", "0.32 s to 10485.76 s");
    if (!points.empty() && s <= points.back().first)
      ctx.fail(c.get("cycle"), where + ".cycle must be above the previous point's (the list is ascending in cycle)");
    points.emplace_back(s, current_value(ctx, c.require("current"), where + ".current"));
  }
  return points;
}

/// `states.connected` (or a by_technology entry's), cellular radios only.
double read_connected(const Context& ctx, const YAML::Node& n, const std::string& what, const std::string& family) {
  if (family != "cellular") ctx.fail(n, what + " applies only to cellular radios (technology: cellular)");
  return read_state(ctx, n, what);
}

/// `by_technology`: for each technology of the radio's family, the values
/// that differ from the profile's. The names are checked against the
/// registered technologies when a group uses the profile (read_hardware).
std::vector<energy::TechnologyCurrents> read_by_technology(const Context& ctx, const YAML::Node& map,
                                                           const std::string& family) {
  if (!map.IsMap())
    ctx.fail(map, "by_technology must be a map from a technology (a radio.technology of " + family +
                      " radios) to the values that differ for it, e.g. { <technology>: { states: { rx: { current: "
                      "5 mA, source: ... } } } }");
  if (map.size() == 0)
    ctx.fail(map, "by_technology is empty: give the values that differ for a technology, or leave it out");
  std::vector<energy::TechnologyCurrents> out;
  for (auto it = map.begin(); it != map.end(); ++it) {
    energy::TechnologyCurrents v;
    v.technology = name_value(ctx, it->first, "by_technology's key");
    for (const auto& seen : out)
      if (seen.technology == v.technology) ctx.fail(it->first, "by_technology names '" + v.technology + "' twice");
    const YAML::Mark m = it->first.Mark();
    v.at = ctx.file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    const std::string where = "by_technology." + v.technology;
    MapReader r(ctx, it->second, where, {"states", "tx", "idle_by_cycle"});
    if (!r.has("states") && !r.has("tx") && !r.has("idle_by_cycle"))
      ctx.fail(it->second,
               where + " gives no value: write the states, tx or idle_by_cycle that differ for " + v.technology);
    if (r.has("states")) {
      MapReader st(ctx, r.get("states"), where + ".states", {"sleep", "standby", "rx", "connected"});
      if (st.has("sleep")) v.sleep_mA = read_state(ctx, st.get("sleep"), where + ".states.sleep");
      if (st.has("standby")) v.standby_mA = read_state(ctx, st.get("standby"), where + ".states.standby");
      if (st.has("rx")) v.rx_mA = read_state(ctx, st.get("rx"), where + ".states.rx");
      if (st.has("connected"))
        v.connected_mA = read_connected(ctx, st.get("connected"), where + ".states.connected", family);
      if (!v.sleep_mA && !v.standby_mA && !v.rx_mA && !v.connected_mA)
        ctx.fail(r.get("states"), where +
                                      ".states gives no state: write those of sleep, standby, rx and connected "
                                      "that differ for " +
                                      v.technology);
    }
    if (r.has("tx")) v.tx_mA_by_dBm = read_tx(ctx, r.get("tx"), where + ".tx");
    if (r.has("idle_by_cycle"))
      v.idle_mA_by_cycle_s = read_idle_by_cycle(ctx, r.get("idle_by_cycle"), where + ".idle_by_cycle", family);
    out.push_back(std::move(v));
  }
  return out;
}

energy::CurrentProfile read_radio_profile(const Context& ctx, const YAML::Node& root) {
  MapReader r(ctx, root, "the radio profile",
              {"name", "kind", "technology", "datasheet", "supply", "states", "tx", "idle_by_cycle", "by_technology"});
  energy::CurrentProfile p;
  p.name = name_value(ctx, r.require("name"), "name");
  p.technology = radio_family(ctx, r.require("technology"));
  p.datasheet = text_value(ctx, r.require("datasheet"), "datasheet");
  p.supply_V = quantity(ctx, r.require("supply"), Dimension::Voltage, "supply");
  check_range(ctx, r.get("supply"), p.supply_V, 0.5, 60.0, "supply", "0.5 V to 60 V");
  MapReader st(ctx, r.require("states"), "states", {"sleep", "standby", "rx", "connected"});
  p.sleep_mA = read_state(ctx, st.require("sleep"), "states.sleep");
  p.standby_mA = read_state(ctx, st.require("standby"), "states.standby");
  p.rx_mA = read_state(ctx, st.require("rx"), "states.rx");
  if (st.has("connected")) p.connected_mA = read_connected(ctx, st.get("connected"), "states.connected", p.technology);
  p.tx_mA_by_dBm = read_tx(ctx, r.require("tx"), "tx");
  if (r.has("idle_by_cycle"))
    p.idle_mA_by_cycle_s = read_idle_by_cycle(ctx, r.get("idle_by_cycle"), "idle_by_cycle", p.technology);
  if (r.has("by_technology")) p.by_technology = read_by_technology(ctx, r.get("by_technology"), p.technology);
  p.file = ctx.file;
  return p;
}

/// A cell a board names: a built-in name or a path relative to the board file.
energy::Cell resolve_cell(const Context& ctx, const YAML::Node& n, const std::string& what);

BoardProfile read_board_profile(const Context& ctx, const YAML::Node& root) {
  MapReader r(ctx, root, "the board profile",
              {"name", "kind", "technology", "description", "radio", "mcu", "mcu_active_per_packet", "floor", "sensors",
               "per_packet", "battery"});
  BoardProfile b;
  b.name = name_value(ctx, r.require("name"), "name");
  b.device.board = b.name;
  b.technology = radio_family(ctx, r.require("technology"));
  b.description = text_value(ctx, r.require("description"), "description");
  auto radio = resolve_hardware(ctx, r.require("radio"), "radio", ProfileKind::Radio);
  auto* rp = std::get_if<energy::CurrentProfile>(&radio);
  if (rp == nullptr) ctx.fail(r.get("radio"), "radio must name a radio profile (kind: radio)");
  if (rp->technology != b.technology)
    ctx.fail(r.get("radio"), "radio '" + rp->name + "' is a " + rp->technology + " radio; this board is " +
                                 b.technology + " (technology)");
  b.device.radio = std::move(*rp);
  if (r.has("mcu")) {
    auto mcu = resolve_hardware(ctx, r.get("mcu"), "mcu", ProfileKind::Mcu);
    auto* mp = std::get_if<energy::McuProfile>(&mcu);
    if (mp == nullptr) ctx.fail(r.get("mcu"), "mcu must name a microcontroller profile (kind: mcu)");
    b.device.mcu = std::move(*mp);
  }
  if (r.has("mcu_active_per_packet")) {
    MapReader m(ctx, r.get("mcu_active_per_packet"), "mcu_active_per_packet", {"duration", "source"});
    text_value(ctx, m.require("source"), "mcu_active_per_packet.source");
    b.device.mcu_active_per_packet = time_value(ctx, m.require("duration"), "mcu_active_per_packet.duration");
    check_range(ctx, m.get("duration"), static_cast<double>(b.device.mcu_active_per_packet.ns()), 0.0, 60e9,
                "mcu_active_per_packet.duration", "0 s to 60 s");
    if (!b.device.mcu)
      ctx.fail(m.get("duration"), "mcu_active_per_packet needs mcu (the microcontroller whose current it costs)");
  }
  b.device.sleep_floor_mA = read_state(ctx, r.require("floor"), "floor");
  if (r.has("sensors")) {
    const YAML::Node list = r.get("sensors");
    if (!list.IsSequence())
      ctx.fail(list, "sensors must be a list of { name, standby, reading_current, reading_time, source }");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string w = "sensors[" + std::to_string(i) + "]";
      MapReader s(ctx, list[i], w, {"name", "standby", "reading_current", "reading_time", "source"});
      name_value(ctx, s.require("name"), w + ".name");
      text_value(ctx, s.require("source"), w + ".source");
      b.device.sensors_standby_mA += current_value(ctx, s.require("standby"), w + ".standby");
      const double mA = current_value(ctx, s.require("reading_current"), w + ".reading_current");
      const Time t = time_value(ctx, s.require("reading_time"), w + ".reading_time");
      check_range(ctx, s.get("reading_time"), static_cast<double>(t.ns()), 0.0, 60e9, w + ".reading_time",
                  "0 s to 60 s");
      b.device.sensors_packet_mAs += mA * t.to_seconds();
      b.device.event_peak_mA = std::max(b.device.event_peak_mA, mA);
    }
  }
  if (r.has("per_packet")) {
    const YAML::Node list = r.get("per_packet");
    if (!list.IsSequence()) ctx.fail(list, "per_packet must be a list of { name, part, current, duration, source }");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string w = "per_packet[" + std::to_string(i) + "]";
      MapReader e(ctx, list[i], w, {"name", "part", "current", "duration", "source"});
      name_value(ctx, e.require("name"), w + ".name");
      text_value(ctx, e.require("source"), w + ".source");
      const std::string part = choice(ctx, e.require("part"), {"mcu", "sensors"}, w + ".part");
      const double mA = current_value(ctx, e.require("current"), w + ".current");
      const Time t = time_value(ctx, e.require("duration"), w + ".duration");
      check_range(ctx, e.get("duration"), static_cast<double>(t.ns()), 0.0, 60e9, w + ".duration", "0 s to 60 s");
      (part == "mcu" ? b.device.mcu_packet_mAs : b.device.sensors_packet_mAs) += mA * t.to_seconds();
      b.device.event_peak_mA = std::max(b.device.event_peak_mA, mA);
    }
  }
  MapReader bat(ctx, r.require("battery"), "battery", {"cell", "parallel", "series", "source"});
  text_value(ctx, bat.require("source"), "battery.source");
  b.battery_cell = resolve_cell(ctx, bat.require("cell"), "battery.cell");
  if (bat.has("parallel"))
    b.battery_parallel = static_cast<int>(integer(ctx, bat.get("parallel"), 1, 100, "battery.parallel"));
  if (bat.has("series")) b.battery_series = static_cast<int>(integer(ctx, bat.get("series"), 1, 100, "battery.series"));
  b.file = ctx.file;
  return b;
}

HardwareProfile read_hardware_profile(const Context& ctx, const YAML::Node& root) {
  if (!root || !root.IsMap())
    ctx.fail(root, "a hardware profile must be a map of keys (name, kind, datasheet, supply, states, ...)");
  const YAML::Node kind_node = std::as_const(root)["kind"];
  if (!kind_node) ctx.fail(root, "missing key 'kind' in the hardware profile (radio, mcu or board)");
  if (kind_node.IsScalar() && kind_node.Scalar() == "battery")
    ctx.fail(kind_node,
             "kind is 'battery': this is a battery cell file; give it as devices[].battery (or battery.cell), not as "
             "hardware");
  const std::string kind = choice(ctx, kind_node, {"radio", "mcu", "board"}, "kind");
  if (kind == "mcu") return read_mcu_profile(ctx, root);
  if (kind == "board") return read_board_profile(ctx, root);
  return read_radio_profile(ctx, root);
}

HardwareProfile parse_hardware_profile(const std::string& text, const std::string& file) {
  return parse_document(text, file, "hardware profile", read_hardware_profile);
}

// ---------------------------------------------------------------- battery cells

energy::Cell read_cell(const Context& ctx, const YAML::Node& root) {
  if (!root || !root.IsMap()) ctx.fail(root, "a battery cell file must be a map of keys (name, kind, chemistry, ...)");
  // A hardware profile given as a cell: say so before its keys look unknown.
  if (const YAML::Node k = std::as_const(root)["kind"]; k && k.IsScalar() && k.Scalar() != "battery")
    ctx.fail(k, "kind is '" + k.Scalar() + "': this is " +
                    (k.Scalar() == "radio" || k.Scalar() == "mcu" || k.Scalar() == "board"
                         ? "a hardware profile; give it as devices[].hardware, not as a battery"
                         : "not a battery cell file (kind must be battery)"));
  MapReader r(ctx, root, "the battery cell",
              {"name", "kind", "chemistry", "datasheet", "nominal", "max_continuous", "max_pulse", "temperature_range",
               "shelf_life", "self_discharge", "capacity_vs_current", "capacity_vs_temperature", "rechargeable"});
  if (scalar(ctx, r.require("kind"), "kind") != "battery")
    ctx.fail(r.get("kind"), "kind must be battery in a battery cell file");
  energy::Cell c;
  c.name = name_value(ctx, r.require("name"), "name");
  c.chemistry =
      choice(ctx, r.require("chemistry"),
             std::vector<std::string>(energy::kChemistries.begin(), energy::kChemistries.end() - 1), "chemistry");
  c.datasheet = text_value(ctx, r.require("datasheet"), "datasheet");
  MapReader nom(ctx, r.require("nominal"), "nominal", {"capacity", "voltage", "source"});
  text_value(ctx, nom.require("source"), "nominal.source");
  c.capacity_mAh = quantity(ctx, nom.require("capacity"), Dimension::Charge, "nominal.capacity");
  check_range(ctx, nom.get("capacity"), c.capacity_mAh, 1e-3, 1e7, "nominal.capacity", "0.001 mAh to 10 000 Ah");
  c.voltage_V = quantity(ctx, nom.require("voltage"), Dimension::Voltage, "nominal.voltage");
  check_range(ctx, nom.get("voltage"), c.voltage_V, 0.5, 60.0, "nominal.voltage", "0.5 V to 60 V");
  if (r.has("max_continuous"))
    c.max_continuous_mA = read_state(ctx, r.get("max_continuous"), "max_continuous", kCellCurrent);
  if (r.has("max_pulse")) c.max_pulse_mA = read_state(ctx, r.get("max_pulse"), "max_pulse", kCellCurrent);
  if (r.has("temperature_range")) {
    MapReader t(ctx, r.get("temperature_range"), "temperature_range", {"min", "max", "source"});
    text_value(ctx, t.require("source"), "temperature_range.source");
    c.min_temperature_C = temperature_value(ctx, t.require("min"), "temperature_range.min");
    c.max_temperature_C = temperature_value(ctx, t.require("max"), "temperature_range.max");
    if (c.max_temperature_C <= c.min_temperature_C) ctx.fail(t.get("max"), "temperature_range.max must be above min");
  }
  if (r.has("shelf_life")) {
    MapReader t(ctx, r.get("shelf_life"), "shelf_life", {"time", "source"});
    text_value(ctx, t.require("source"), "shelf_life.source");
    const Time life = time_value(ctx, t.require("time"), "shelf_life.time");
    check_range(ctx, t.get("time"), life.to_hours(), 24.0, 100 * energy::kHoursPerYear, "shelf_life.time",
                "1 d to 100 year");
    c.shelf_life_years = life.to_hours() / energy::kHoursPerYear;
  }
  const auto read_temp = [&](const YAML::Node& n, const std::string& w) { return temperature_value(ctx, n, w); };
  const auto read_share = [&](const YAML::Node& n, const std::string& w) { return share_value(ctx, n, w); };
  if (r.has("self_discharge")) {
    c.self_discharge_vs_temperature = read_curve(ctx, r.get("self_discharge"), "self_discharge", "temperature", "rate",
                                                 read_temp, [&](const YAML::Node& n, const std::string& w) {
                                                   const double v = quantity(ctx, n, Dimension::RatePerYear, w);
                                                   check_range(ctx, n, v, 0.0, 1.0, w, "0 %/year to 100 %/year");
                                                   return v;
                                                 });
  }
  // A capacity curve of one point would be a constant factor at every
  // current or temperature, which `usable` says plainly.
  for (const char* key : {"capacity_vs_current", "capacity_vs_temperature"}) {
    if (r.has(key) && r.get(key).IsSequence() && r.get(key).size() == 1)
      ctx.fail(r.get(key), std::string(key) +
                               " needs at least 2 points (a curve of one is the same share everywhere: give it as "
                               "the scenario's battery.usable instead)");
  }
  if (r.has("capacity_vs_current")) {
    c.capacity_vs_current = read_curve(
        ctx, r.get("capacity_vs_current"), "capacity_vs_current", "current", "share",
        [&](const YAML::Node& n, const std::string& w) { return current_value(ctx, n, w, kCellCurrent); }, read_share);
  }
  if (r.has("capacity_vs_temperature")) {
    c.capacity_vs_temperature = read_curve(ctx, r.get("capacity_vs_temperature"), "capacity_vs_temperature",
                                           "temperature", "share", read_temp, read_share);
  }
  if (r.has("rechargeable")) c.rechargeable = boolean(ctx, r.get("rechargeable"), "rechargeable");
  c.file = ctx.file;
  return c;
}

energy::Cell parse_cell(const std::string& text, const std::string& file) {
  return parse_document(text, file, "battery cell file", read_cell);
}

energy::Cell resolve_cell(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const std::string v = scalar(ctx, n, what);
  if (const auto path = data_file_path(ctx, n, v, what, "battery cell")) {
    return parse_cell(read_text_file(*path, "battery cell file"), *path);
  }
  choice(ctx, n, builtin_cell_names(), what + " (a built-in cell, or a path ending in .yaml)");
  return builtin_cell(v);
}

// ---------------------------------------------------------------- the scenario's keys

/// The built-in radios of one family, for messages.
std::vector<std::string> builtin_radios(std::string_view family) {
  std::vector<std::string> v;
  for (const auto& name : builtin_hardware_names()) {
    const HardwareProfile profile = builtin_hardware_profile(name);
    const auto* p = std::get_if<energy::CurrentProfile>(&profile);
    if (p != nullptr && p->technology == family) v.push_back(name);
  }
  return v;
}

void note_file(HardwareSpec& h, const std::string& file) {
  if (file.empty()) return;
  for (const auto& f : builtin_hardware_files())
    if (file == f.path) return;
  for (const auto& f : builtin_battery_files())
    if (file == f.path) return;
  h.files.push_back(file);
}

}  // namespace

DeviceHardware read_hardware(const Context& ctx, const YAML::Node* node, const std::string& where,
                             const TechnologyFormat& format) {
  const std::string family(format.radio_profile_technology());
  DeviceHardware out;
  HardwareSpec& h = out.spec;
  auto use_board = [&](const HardwareProfile& profile, const YAML::Node& at, const std::string& what) {
    const auto* b = std::get_if<BoardProfile>(&profile);
    if (b == nullptr) ctx.fail(at, what + ": '" + at.Scalar() + "' is not a board profile (kind: board)");
    if (b->technology != family)
      ctx.fail(at, what + ": board '" + b->name + "' carries a " + b->technology + " radio; a " +
                       std::string(format.name()) + " device needs a " + family + " board");
    h = b->device;
    note_file(h, b->file);
    note_file(h, b->device.radio.file);
    if (b->device.mcu) note_file(h, b->device.mcu->file);
    out.board = *b;
  };
  auto use_radio = [&](const HardwareProfile& profile, const YAML::Node& at, const std::string& what) {
    const auto* rp = std::get_if<energy::CurrentProfile>(&profile);
    if (std::holds_alternative<BoardProfile>(profile))
      ctx.fail(at, what + ": '" + at.Scalar() +
                       "' is a board profile; the radio must be a radio profile (kind: radio). Put it under board:");
    if (rp == nullptr)
      ctx.fail(at, what + ": '" + at.Scalar() +
                       "' is a microcontroller profile; the radio must be a radio profile (kind: radio). Put it "
                       "under mcu:");
    if (rp->technology != family)
      ctx.fail(at, what + ": '" + rp->name + "' is a " + rp->technology + " radio; a " + std::string(format.name()) +
                       " device needs a " + family + " radio (built in: " + join(builtin_radios(family)) + ")");
    h.radio = *rp;
    note_file(h, rp->file);
  };
  auto default_board = [&] {
    const std::string name(format.default_board());
    if (name.empty()) {
      h.radio = std::get<energy::CurrentProfile>(builtin_hardware_profile(std::string(format.default_radio_profile())));
      return;
    }
    const HardwareProfile profile = builtin_hardware_profile(name);
    out.board = std::get<BoardProfile>(profile);
    h = out.board->device;
  };

  if (node == nullptr) {
    default_board();
    return out;
  }
  const YAML::Node& n = *node;
  if (!n.IsMap()) {
    // One name: a board, or a radio on the technology's default board.
    const HardwareProfile profile = resolve_hardware(ctx, n, where);
    if (std::holds_alternative<BoardProfile>(profile)) {
      use_board(profile, n, where);
    } else {
      default_board();
      use_radio(profile, n, where);
    }
    return out;
  }
  ParamReader r(ctx, n, where, tables::kHardware);
  if (r.has("board")) {
    const YAML::Node b = r.get("board");
    if (scalar(ctx, b, where + ".board") == "none") {
      h.radio = std::get<energy::CurrentProfile>(builtin_hardware_profile(std::string(format.default_radio_profile())));
    } else {
      use_board(resolve_hardware(ctx, b, where + ".board", ProfileKind::Board), b, where + ".board");
    }
  } else {
    default_board();
  }
  if (r.has("radio"))
    use_radio(resolve_hardware(ctx, r.get("radio"), where + ".radio", ProfileKind::Radio), r.get("radio"),
              where + ".radio");
  if (r.has("mcu")) {
    const YAML::Node m = r.get("mcu");
    if (scalar(ctx, m, where + ".mcu") == "none") {
      h.mcu.reset();
      h.mcu_active_per_packet = Time::zero();
    } else {
      const HardwareProfile mcu = resolve_hardware(ctx, m, where + ".mcu", ProfileKind::Mcu);
      const auto* mp = std::get_if<energy::McuProfile>(&mcu);
      if (mp == nullptr)
        ctx.fail(m, where + ".mcu: '" + m.Scalar() + "' is not a microcontroller profile; mcu needs kind: mcu");
      h.mcu = *mp;
      note_file(h, mp->file);
    }
  }
  if (r.has("mcu_active_per_packet")) {
    if (!h.mcu)
      ctx.fail(r.get("mcu_active_per_packet"), where + ".mcu_active_per_packet needs " + where +
                                                   ".mcu (the microcontroller whose active current it costs)");
    h.mcu_active_per_packet = r.time("mcu_active_per_packet");
  }
  if (r.has("sleep_floor")) h.sleep_floor_mA = r.quantity("sleep_floor");
  return out;
}

energy::CurrentProfile radio_for_technology(const energy::CurrentProfile& radio, const TechnologyFormat& format,
                                            TechnologyFormats formats) {
  std::vector<std::string> names;  // the technologies whose radios are of this family
  for (const auto* f : formats)
    if (f->radio_profile_technology() == radio.technology) names.emplace_back(f->name());
  for (const auto& v : radio.by_technology)
    if (std::find(names.begin(), names.end(), v.technology) == names.end())
      throw ScenarioError(v.at + ": by_technology: '" + v.technology + "' is not a technology of " + radio.technology +
                          " radios (radio '" + radio.name + "'); those are: " + join(names));
  return radio.for_technology(format.name());
}

energy::TemperatureProfile read_temperature(const Context& ctx, const YAML::Node* node, const std::string& where) {
  energy::TemperatureProfile t;
  if (node == nullptr) return t;
  const YAML::Node& n = *node;
  if (!n.IsMap()) {
    t.mean_C = quantity(ctx, n, Dimension::Temperature, where);
    check_range(ctx, n, t.mean_C, -60.0, 100.0, where, "-60 degC to 100 degC");
    return t;
  }
  ParamReader r(ctx, n, where, tables::kTemperature);
  t.mean_C = r.quantity("mean");
  t.daily_swing_K = r.quantity("daily_swing");
  t.seasonal_swing_K = r.quantity("seasonal_swing");
  if (t.min_C() < -60.0 || t.max_C() > 100.0)
    ctx.fail(n, where + " spans " + std::to_string(static_cast<int>(std::floor(t.min_C()))) + " degC to " +
                    std::to_string(static_cast<int>(std::ceil(t.max_C()))) +
                    " degC; it must stay within -60 degC to 100 degC");
  return t;
}

BatterySpec read_battery(const Context& ctx, const YAML::Node* node, const std::string& where,
                         const DeviceHardware& hardware, const energy::TemperatureProfile& temperature) {
  BatterySpec b;
  b.temperature = temperature;
  auto from_cell = [&](energy::Cell cell, int parallel, int series) {
    b.battery = energy::make_battery(cell, parallel, series, temperature);
    b.parallel = parallel;
    b.series = series;
    bool builtin = false;
    for (const auto& f : builtin_battery_files()) builtin = builtin || f.path == cell.file;
    if (!builtin) b.file = cell.file;
    b.cell = std::move(cell);
  };
  if (node == nullptr) {
    if (!hardware.board) throw ScenarioError(ctx.file + ": " + where + " is required without a board");
    from_cell(hardware.board->battery_cell, hardware.board->battery_parallel, hardware.board->battery_series);
    return b;
  }
  const YAML::Node& n = *node;
  if (!n.IsMap()) {
    from_cell(resolve_cell(ctx, n, where), 1, 1);
    return b;
  }
  ParamReader r(ctx, n, where, tables::kBattery);
  if (r.has("cell")) {
    for (const char* k : {"capacity", "voltage"}) {
      if (r.has(k))
        ctx.fail(r.get(k), where + "." + k + " comes from the cell (" + where +
                               ".cell); give either a cell or a battery's figures (capacity and voltage)");
    }
    from_cell(resolve_cell(ctx, r.get("cell"), where + ".cell"), static_cast<int>(r.integer("parallel")),
              static_cast<int>(r.integer("series")));
  } else {
    for (const char* k : {"parallel", "series"}) {
      if (r.has(k)) ctx.fail(r.get(k), where + "." + k + " needs " + where + ".cell (the cell that is repeated)");
    }
    // A battery given by its figures: an ideal cell (no curves, no shelf life).
    energy::Battery& e = b.battery;
    e.chemistry = "ideal";
    e.voltage_V = r.quantity("voltage");
    const YAML::Node c = r.require("capacity");
    const std::string cs = scalar(ctx, c, where + ".capacity");
    if (cs.find("Wh") != std::string::npos) {
      const double wh = quantity(ctx, c, Dimension::Energy, where + ".capacity");
      e.capacity_mAh = wh / e.voltage_V * 1000.0;  // Q = E / V
    } else {
      e.capacity_mAh = quantity(ctx, c, Dimension::Charge, where + ".capacity");
    }
    check_range(ctx, c, e.capacity_mAh, 1e-3, 1e7, where + ".capacity", "between 0.001 mAh and 10 000 Ah");
  }
  b.battery.usable_fraction = r.quantity("usable");
  if (const auto rate = r.optional_quantity("self_discharge")) {
    b.battery.self_discharge_per_year = *rate;
    b.self_discharge_given = true;
  }
  if (r.has("solar")) {
    if (!b.cell || !b.cell->rechargeable) {
      std::vector<std::string> rechargeable;
      for (const auto& name : builtin_cell_names())
        if (builtin_cell(name).rechargeable) rechargeable.push_back(name);
      ctx.fail(r.get("solar"), where + ".solar needs a rechargeable cell (" + where + ".cell: " +
                                   (b.cell ? "'" + b.cell->name + "' is a primary cell" : "none, the figures only") +
                                   "); built in: " + join(rechargeable));
    }
    ParamReader p(ctx, r.get("solar"), where + ".solar", tables::kSolar);
    energy::SolarHarvester h;
    const double dBm = p.quantity("peak_power");
    h.peak_power_mW = std::pow(10.0, dBm / 10.0);
    h.sun_hours_winter = p.time("sun_hours_winter").to_hours();
    h.sun_hours_summer = p.time("sun_hours_summer").to_hours();
    if (h.sun_hours_summer < h.sun_hours_winter)
      ctx.fail(p.get("sun_hours_summer"), where + ".solar.sun_hours_summer is below sun_hours_winter");
    h.efficiency = p.quantity("efficiency");
    energy::attach_solar(b.battery, h);
  }
  return b;
}

HardwareProfile load_hardware_profile_text(const std::string& text, const std::string& file_name) {
  return parse_hardware_profile(text, file_name);
}

HardwareProfile load_hardware_profile_file(const std::string& path) {
  return parse_hardware_profile(read_text_file(path, "hardware profile"), path);
}

HardwareProfile builtin_hardware_profile(const std::string& name) {
  return parsed_builtin<HardwareProfile>(name, builtin_hardware_files(), parse_hardware_profile, "hardware profile");
}

std::vector<std::string> builtin_hardware_names() {
  std::vector<std::string> names;
  for (const auto& f : builtin_hardware_files()) names.emplace_back(f.name);
  return names;
}

energy::Cell load_cell_text(const std::string& text, const std::string& file_name) {
  return parse_cell(text, file_name);
}

energy::Cell builtin_cell(const std::string& name) {
  return parsed_builtin<energy::Cell>(name, builtin_battery_files(), parse_cell, "battery cell");
}

std::vector<std::string> builtin_cell_names() {
  std::vector<std::string> names;
  for (const auto& f : builtin_battery_files()) names.emplace_back(f.name);
  return names;
}

void check_tx_power(const Context& ctx, const YAML::Node& radio, double tx_power_dBm,
                    const energy::CurrentProfile& profile, const std::string& where) {
  const double lo = profile.min_tx_dBm(), hi = profile.max_tx_dBm();
  char range[160];
  std::snprintf(range, sizeof range, "%g dBm to %g dBm (the range of the %s current table)", lo, hi,
                profile.name.c_str());
  if (const YAML::Node p = std::as_const(radio)["tx_power"]) {
    check_range(ctx, p, tx_power_dBm, lo, hi, where + ".radio.tx_power", range);
  } else if (!(tx_power_dBm >= lo && tx_power_dBm <= hi)) {
    // The default power is outside this chip's table: say so rather than
    // use the current of the table's nearest end.
    char got[32];
    std::snprintf(got, sizeof got, "%g dBm", tx_power_dBm);
    ctx.fail(radio, where + ".radio.tx_power is not given and its default, " + got + ", is outside " + range +
                        "; give radio.tx_power");
  }
}

}  // namespace m2msim::scenario
