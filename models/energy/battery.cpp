#include "models/energy/battery.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace m2msim::energy {

double Curve::interpolate(double x) const {
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
  b.max_continuous_mA = cell.max_continuous_mA * n;
  b.shelf_life_years = cell.shelf_life_years;
  b.cell = cell.name;
  b.chemistry = cell.chemistry;
  return b;
}

double SolarHarvester::sun_hours(int day) const {
  const double mean = 0.5 * (sun_hours_winter + sun_hours_summer);
  const double swing = 0.5 * (sun_hours_summer - sun_hours_winter);
  return mean - swing * std::cos(2.0 * std::numbers::pi * (day - 355) / 365.0);
}

namespace {

/// Years until the battery is empty with the harvester, or nullopt within
/// `horizon_years`. Day by day: from dawn (06:00) to dusk the battery gains
/// the day's harvest less 12 h of drain, clipped at full; from dusk to the
/// next dawn it loses 12 h of drain. The lowest charge of a day is at dawn
/// or dusk, so the battery is empty when either is below 0 (at the dusk of a
/// day whose drain outweighs its harvest, at dawn otherwise). A year in which
/// the battery never reached full repeats exactly, shifted down by the
/// charge it lost, so the count skips the whole years that stay above empty
/// at their lowest point.
std::optional<double> harvested_years(const Battery& b, double usable_mAh, double drain_mA, int horizon_years) {
  const double half_day_mAh = drain_mA * 12.0;
  std::array<double, 365> harvest{};
  for (int d = 0; d < 365; ++d) {
    harvest[static_cast<std::size_t>(d)] =
        b.solar_cumulative_mAh[static_cast<std::size_t>(d) + 1] - b.solar_cumulative_mAh[static_cast<std::size_t>(d)];
  }
  double q = usable_mAh;  // at dawn of day 0: 06:00 on 1 January, full (the first 6 h are ignored)
  for (int year = 0; year < horizon_years; ++year) {
    const double at_start = q;
    double lowest = q;
    bool clipped = false;
    for (int d = 0; d < 365; ++d) {
      double dusk = q + harvest[static_cast<std::size_t>(d)] - half_day_mAh;
      if (dusk >= usable_mAh) {
        dusk = usable_mAh;
        clipped = true;
      }
      if (dusk < 0.0) return ((year * 365 + d) + 0.5) * 24.0 / kHoursPerYear;
      q = dusk - half_day_mAh;
      if (q < 0.0) return ((year * 365 + d) + 1.0) * 24.0 / kHoursPerYear;
      lowest = std::min({lowest, dusk, q});
    }
    const double loss = at_start - q;
    if (loss <= 0.0) return std::nullopt;  // back to where it started: every year alike
    if (!clipped) {
      // Each later year is this one shifted down by `loss`: year j after it
      // starts at q − j·loss and dips `at_start − lowest` below its start.
      const double dip = at_start - lowest;
      const double safe = q >= dip ? std::floor((q - dip) / loss) + 1.0 : 0.0;
      if (year + 1 + safe >= horizon_years) return std::nullopt;
      q -= safe * loss;
      year += static_cast<int>(safe);
    }
  }
  return std::nullopt;
}

}  // namespace

void attach_solar(Battery& b, const SolarHarvester& h) {
  b.solar = h;
  b.solar_cumulative_mAh.assign(366, 0.0);
  for (int d = 0; d < 365; ++d) {
    b.solar_cumulative_mAh[static_cast<std::size_t>(d) + 1] =
        b.solar_cumulative_mAh[static_cast<std::size_t>(d)] + h.daily_charge_mAh(d, b.voltage_V);
  }
}

namespace {

/// The harvest from time 0 to t: whole years, whole days of the year, then
/// the lit share of the day reached.
double harvested_since_start_mAh(const Battery& b, Time t) {
  const auto& cum = b.solar_cumulative_mAh;
  const double hours = t.to_hours();
  const auto days = static_cast<std::int64_t>(std::floor(hours / 24.0));
  const auto year_days = static_cast<std::int64_t>(365);
  const auto d = static_cast<std::size_t>(days % year_days);
  const double lit = std::clamp(hours - 24.0 * static_cast<double>(days) - 6.0, 0.0, 12.0) / 12.0;
  return static_cast<double>(days / year_days) * cum[365] + cum[d] + (cum[d + 1] - cum[d]) * lit;
}

}  // namespace

double harvested_between_mAh(const Battery& b, Time t0, Time t1) {
  return harvested_since_start_mAh(b, t1) - harvested_since_start_mAh(b, t0);
}

BatteryLife battery_life(const Battery& b, double average_current_mA) {
  const double drain_mA = average_current_mA + b.self_discharge_mA();
  if (b.solar) {
    const auto years = harvested_years(b, b.usable_mAh(average_current_mA), drain_mA, 100);
    if (!years) return {b.shelf_life_years, LifeBound::EnergyNeutral};
    if (*years > b.shelf_life_years) return {b.shelf_life_years, LifeBound::ShelfLife};
    return {*years, LifeBound::Extrapolated};
  }
  const double years = drain_mA > 0.0 ? b.usable_mAh(average_current_mA) / drain_mA / kHoursPerYear
                                      : std::numeric_limits<double>::infinity();
  if (years > b.shelf_life_years) return {b.shelf_life_years, LifeBound::ShelfLife};
  return {years, LifeBound::Extrapolated};
}

}  // namespace m2msim::energy
