// The one unit table: every quantity in a scenario file is "<number> <unit>",
// parsed here. Errors say what was expected ("a power: write e.g. '14 dBm';
// units: dBm, mW, W").
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/time.hpp"

namespace m2msim::scenario {

enum class Dimension {
  Time,                   ///< → ns      (ns, us, ms, s, min, h, d, year = 365.25 d)
  Frequency,              ///< → Hz      (Hz, kHz, MHz, GHz)
  Power,                  ///< → dBm     (dBm, mW, W)
  Ratio,                  ///< → dB      (dB, dBi for gains)
  Length,                 ///< → m       (mm, cm, m, km)
  DataSize,               ///< → bytes   (bit, B, kB)
  Charge,                 ///< → mAh     (mAh, Ah); Wh is handled by the battery with its voltage
  Energy,                 ///< → Wh      (mWh, Wh, kWh)
  Voltage,                ///< → V       (mV, V)
  Percent,                ///< → fraction (%)
  RatePerYear,            ///< → fraction per year (%/year)
  Current,                ///< → mA      (nA, uA, mA, A)
  Temperature,            ///< → °C      (degC)
  TemperatureDifference,  ///< → K (K): a swing or a span, not a temperature
  Angle                   ///< → degrees (deg)
};

const char* dimension_name(Dimension d);
/// "e.g. '14 dBm'; units: dBm, mW, W"
std::string dimension_hint(Dimension d);
/// The units a quantity of dimension d may be written in ("dBm", "mW", "W").
std::vector<std::string> dimension_units(Dimension d);

struct Quantity {
  double value = 0.0;  ///< in the canonical unit of the dimension (see above)
  std::string unit;    ///< the unit as written
};

/// A parsed quantity, or the reason it could not be parsed.
std::variant<Quantity, std::string> parse_quantity(std::string_view text, Dimension d);

}  // namespace m2msim::scenario
