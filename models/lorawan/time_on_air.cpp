#include "models/lorawan/time_on_air.hpp"

#include <algorithm>
#include <cmath>

namespace m2msim::lora {

double symbol_time_s(int spreading_factor, std::uint32_t bandwidth_hz) {
  return std::ldexp(1.0, spreading_factor) / static_cast<double>(bandwidth_hz);
}

bool low_data_rate_optimize_on(const Modulation& m) {
  switch (m.ldro) {
    case LowDataRateOptimize::On: return true;
    case LowDataRateOptimize::Off: return false;
    case LowDataRateOptimize::Auto: return symbol_time_s(m.spreading_factor, m.bandwidth_hz) >= 0.016 - 1e-12;
  }
  return false;
}

int payload_symbols(const Modulation& m, std::uint32_t payload_bytes) {
  const int sf = m.spreading_factor;
  const int de = low_data_rate_optimize_on(m) ? 1 : 0;
  const int ih = m.explicit_header ? 0 : 1;
  const int crc = m.crc ? 1 : 0;
  const int numerator = 8 * static_cast<int>(payload_bytes) - 4 * sf + 28 + 16 * crc - 20 * ih;
  const int denominator = 4 * (sf - 2 * de);
  // Integer ceiling for a possibly negative numerator, then clamp at zero.
  const int blocks = numerator > 0 ? (numerator + denominator - 1) / denominator : 0;
  return 8 + std::max(blocks * (m.coding_rate + 4), 0);
}

double time_on_air_s(const Modulation& m, std::uint32_t payload_bytes) {
  const double tsym = symbol_time_s(m.spreading_factor, m.bandwidth_hz);
  const double preamble = (static_cast<double>(m.preamble_symbols) + 4.25) * tsym;
  return preamble + static_cast<double>(payload_symbols(m, payload_bytes)) * tsym;
}

Time time_on_air(const Modulation& m, std::uint32_t payload_bytes) {
  return Time::from_seconds(time_on_air_s(m, payload_bytes));
}

}  // namespace m2msim::lora
