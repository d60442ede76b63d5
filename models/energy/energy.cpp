#include "models/energy/energy.hpp"

#include <limits>

namespace m2msim::energy {

const char* to_string(RadioState s) {
  switch (s) {
    case RadioState::Sleep: return "sleep";
    case RadioState::Standby: return "standby";
    case RadioState::Rx: return "rx";
    case RadioState::Tx: return "tx";
  }
  return "?";
}

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

double EnergyMeter::charge_mAs(Time elapsed, double sleep_mA) const {
  double total = 0.0;
  for (double q : charge_mAs_) total += q;
  const std::int64_t sleep_ns = elapsed.ns() - awake_ns_;
  if (sleep_ns > 0) total += sleep_mA * static_cast<double>(sleep_ns) * 1e-9;
  return total;
}

double EnergyMeter::mcu_charge_mAs(Time elapsed, const McuProfile& mcu) const {
  // As for the radio: awake intervals count in full (an RX window booked
  // at the end of the last uplink may end after `elapsed`), sleep is the rest.
  const std::int64_t active_ns = awake_ns_ + mcu_only_ns_;
  const std::int64_t sleep_ns = elapsed.ns() - active_ns;
  return mcu.active_mA * static_cast<double>(active_ns) * 1e-9 +
         (sleep_ns > 0 ? mcu.sleep_mA * static_cast<double>(sleep_ns) * 1e-9 : 0.0);
}

double battery_life_years(const Battery& b, double average_current_mA) {
  const double self_mA = b.capacity_mAh * b.self_discharge_per_year / kHoursPerYear;
  const double drain_mA = average_current_mA + self_mA;
  if (drain_mA <= 0.0) return std::numeric_limits<double>::infinity();
  return b.usable_mAh() / drain_mA / kHoursPerYear;
}

}  // namespace m2msim::energy
