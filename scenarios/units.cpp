#include "scenarios/units.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace m2msim::scenario {

namespace {
struct UnitDef {
  std::string_view name;
  double factor;  ///< to the canonical unit; ignored for special conversions
};

struct DimensionDef {
  Dimension dim;
  const char* name;
  const char* example;
  std::vector<UnitDef> units;
};

const std::vector<DimensionDef>& table() {
  static const std::vector<DimensionDef> t{
      {Dimension::Time,
       "a time",
       "15 min",
       {{"ns", 1},
        {"us", 1e3},
        {"ms", 1e6},
        {"s", 1e9},
        {"min", 60e9},
        {"h", 3600e9},
        {"d", 86400e9},
        {"year", 31557600e9}}},
      {Dimension::Frequency, "a frequency", "868.1 MHz", {{"Hz", 1}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}}},
      {Dimension::Power, "a power", "14 dBm", {{"dBm", 1}, {"mW", 0}, {"W", 0}}},
      {Dimension::Ratio, "a ratio in decibels", "3 dB", {{"dB", 1}, {"dBi", 1}}},
      {Dimension::Length, "a length", "50 m", {{"mm", 1e-3}, {"cm", 1e-2}, {"m", 1}, {"km", 1e3}}},
      {Dimension::DataSize, "a data size", "20 B", {{"bit", 0.125}, {"B", 1}, {"kB", 1000}}},
      {Dimension::Charge, "a charge", "2600 mAh", {{"mAh", 1}, {"Ah", 1000}}},
      {Dimension::Energy, "an energy", "9.4 Wh", {{"mWh", 1e-3}, {"Wh", 1}, {"kWh", 1e3}}},
      {Dimension::Voltage, "a voltage", "3.6 V", {{"mV", 1e-3}, {"V", 1}}},
      {Dimension::Percent, "a percentage", "90 %", {{"%", 0.01}}},
      {Dimension::RatePerYear, "a rate per year", "1 %/year", {{"%/year", 0.01}, {"%/y", 0.01}}},
      {Dimension::Current, "a current", "11.5 mA", {{"nA", 1e-6}, {"uA", 1e-3}, {"mA", 1}, {"A", 1e3}}},
      {Dimension::Temperature, "a temperature", "20 degC", {{"degC", 1}}},
      {Dimension::TemperatureDifference, "a temperature difference", "10 K", {{"K", 1}}},
      {Dimension::Angle, "an angle", "120 deg", {{"deg", 1}}},
  };
  return t;
}

const DimensionDef& def(Dimension d) {
  for (const auto& x : table())
    if (x.dim == d) return x;
  return table().front();
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

const char* dimension_name(Dimension d) { return def(d).name; }

std::string dimension_hint(Dimension d) {
  const auto& x = def(d);
  std::string s = "write e.g. '" + std::string(x.example) + "'; units: ";
  for (std::size_t i = 0; i < x.units.size(); ++i) {
    if (i) s += ", ";
    s += x.units[i].name;
  }
  return s;
}

std::vector<std::string> dimension_units(Dimension d) {
  std::vector<std::string> v;
  for (const auto& u : def(d).units) v.emplace_back(u.name);
  return v;
}

std::variant<Quantity, std::string> parse_quantity(std::string_view text, Dimension d) {
  const std::string s = trim(text);
  const auto& x = def(d);
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(begin, &end);
  if (end == begin) return "expected " + std::string(x.name) + ", got '" + s + "' (" + dimension_hint(d) + ")";
  if (errno == ERANGE || !std::isfinite(v)) return "number out of range in '" + s + "'";
  const std::string unit = trim(std::string_view(end));
  if (unit.empty()) {
    return "missing unit in '" + s + "': " + std::string(x.name) + " needs one (" + dimension_hint(d) + ")";
  }
  for (const auto& u : x.units) {
    if (u.name != unit) continue;
    Quantity q{v, unit};
    if (d == Dimension::Power) {
      if (unit == "mW" || unit == "W") {
        const double mw = unit == "W" ? v * 1000.0 : v;
        if (!(mw > 0.0)) return "a power in " + unit + " must be > 0 (got '" + s + "')";
        q.value = 10.0 * std::log10(mw);
      }
    } else {
      q.value = v * u.factor;
    }
    return q;
  }
  return "unit '" + unit + "' is not " + std::string(x.name) + " (" + dimension_hint(d) + ")";
}

}  // namespace m2msim::scenario
