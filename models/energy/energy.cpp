#include "models/energy/energy.hpp"

#include <limits>

namespace m2msim::energy {

double CurrentProfile::tx_mA(double p) const {
  const auto& t = tx_mA_by_dBm;
  if (p <= t.front().first) return t.front().second;
  if (p >= t.back().first) return t.back().second;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (p <= t[i].first) {
      const double f = (p - t[i - 1].first) / (t[i].first - t[i - 1].first);
      return t[i - 1].second + f * (t[i].second - t[i - 1].second);
    }
  }
  return t.back().second;
}

double battery_life_years(const Battery& b, double average_current_mA) {
  const double self_mA = b.capacity_mAh * b.self_discharge_per_year / kHoursPerYear;
  const double drain_mA = average_current_mA + self_mA;
  if (drain_mA <= 0.0) return std::numeric_limits<double>::infinity();
  return b.usable_mAh() / drain_mA / kHoursPerYear;
}

}  // namespace m2msim::energy
