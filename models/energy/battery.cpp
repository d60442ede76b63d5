#include "models/energy/battery.hpp"

#include <cmath>
#include <numbers>

namespace m2msim::energy {

double Curve::at(double x, double otherwise) const {
  if (points.empty()) return otherwise;
  if (x <= points.front().first) return points.front().second;
  if (x >= points.back().first) return points.back().second;
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (x <= points[i].first) {
      const auto& [x0, y0] = points[i - 1];
      const auto& [x1, y1] = points[i];
      return y0 + (x - x0) / (x1 - x0) * (y1 - y0);
    }
  }
  return points.back().second;
}

double TemperatureProfile::at(double t_s) const {
  constexpr double kDay = 86400.0;
  constexpr double kYear = 365.0 * kDay;
  const double daily = std::cos(2.0 * std::numbers::pi * (t_s - 15.0 * 3600.0) / kDay);
  const double seasonal = std::cos(2.0 * std::numbers::pi * (t_s - 195.5 * kDay) / kYear);
  return mean_C + 0.5 * daily_swing_K * daily + 0.5 * seasonal_swing_K * seasonal;
}

Battery make_battery(const Cell& cell, int parallel, int series, const TemperatureProfile& temperature) {
  Battery b;
  const auto n = static_cast<double>(parallel);
  b.capacity_mAh = cell.capacity_mAh * n;
  b.voltage_V = cell.voltage_V * series;
  b.temperature_factor = temperature.year_average([&](double t) { return cell.capacity_vs_temperature.at(t); });
  b.self_discharge_per_year =
      temperature.year_average([&](double t) { return cell.self_discharge_vs_temperature.at(t, 0.0); });
  // The pack's current divides evenly over its parallel cells.
  for (const auto& [mA, share] : cell.capacity_vs_current.points)
    b.capacity_vs_current.points.emplace_back(mA * n, share);
  b.max_pulse_mA = cell.max_pulse_mA * n;
  b.shelf_life_years = cell.shelf_life_years;
  b.cell = cell.name;
  b.chemistry = cell.chemistry;
  return b;
}

BatteryLife battery_life(const Battery& b, double average_current_mA) {
  const double drain_mA = average_current_mA + b.self_discharge_mA();
  const double years = drain_mA > 0.0 ? b.usable_mAh(average_current_mA) / drain_mA / kHoursPerYear
                                      : std::numeric_limits<double>::infinity();
  if (years > b.shelf_life_years) return {b.shelf_life_years, LifeBound::ShelfLife};
  return {years, LifeBound::Extrapolated};
}

}  // namespace m2msim::energy
