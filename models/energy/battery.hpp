// Batteries: a cell's chemistry and datasheet curves, the pack a device
// carries, the operating temperature, and the battery life a drain gives.
//
// The life is extrapolated from the device's average current over the
// simulated window (docs/models/energy.md §4):
//   life = C · u · f_T · f_I(I_avg) / (I_avg + I_self(T)) / 8766 h,
// bounded by the cell's shelf (design) life. C is the nominal capacity, u
// the usable share before the device's cut-off, f_T the share available at
// the operating temperature, f_I the share delivered at the average current
// (the datasheet's capacity-versus-current curve at the reference
// temperature; f_T is relative to it), I_self the self-discharge
// at the operating temperature as a constant current on C.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace m2msim::energy {

inline constexpr double kHoursPerYear = 8766.0;  // 365.25 d

/// A function tabulated at points ascending in x, linear between them and
/// constant beyond the ends. No points: not given.
struct Curve {
  std::vector<std::pair<double, double>> points;

  [[nodiscard]] bool empty() const { return points.empty(); }
  /// The value at x; `otherwise` when the curve has no points.
  [[nodiscard]] double at(double x, double otherwise = 1.0) const {
    return points.empty() ? otherwise : interpolate(x);
  }
  [[nodiscard]] double interpolate(double x) const;  ///< needs points
};

/// The temperature a device's battery sits at: a yearly mean with a daily
/// and a seasonal swing (peak to peak), each a sinusoid. A constant
/// temperature has both swings 0.
struct TemperatureProfile {
  double mean_C = 20.0;
  double daily_swing_K = 0.0;
  double seasonal_swing_K = 0.0;

  /// At `t_s` seconds from the start: warmest at 15:00 and on day 196 (mid
  /// July) of a 365-day seasonal cycle; only averages over a whole year are
  /// used, so the phase does not change any result.
  [[nodiscard]] double at(double t_s) const;
  [[nodiscard]] double min_C() const { return mean_C - 0.5 * (daily_swing_K + seasonal_swing_K); }
  [[nodiscard]] double max_C() const { return mean_C + 0.5 * (daily_swing_K + seasonal_swing_K); }
  /// The mean of f(T) over one year, sampled at the middle of each of its
  /// 365 × 24 hours (whole periods of both sinusoids; exactly f(mean) for a
  /// constant temperature).
  template <class F>
  [[nodiscard]] double year_average(F f) const {
    if (daily_swing_K == 0.0 && seasonal_swing_K == 0.0) return f(mean_C);
    double sum = 0.0;
    for (int h = 0; h < 365 * 24; ++h) sum += f(at((h + 0.5) * 3600.0));
    return sum / (365.0 * 24.0);
  }
};

/// A battery cell as its datasheet gives it (data/batteries/*.yaml).
struct Cell {
  std::string name;
  std::string chemistry;  ///< one of kChemistries
  double capacity_mAh = 0.0;
  double voltage_V = 0.0;
  Curve capacity_vs_current;  ///< (mA, share of capacity_mAh) at room temperature
  /// (°C, the capacity there as a share of the capacity at the reference
  /// temperature, at the same load): multiplies capacity_vs_current.
  Curve capacity_vs_temperature;
  Curve self_discharge_vs_temperature;  ///< (°C, share of capacity_mAh lost per year)
  double max_continuous_mA = std::numeric_limits<double>::infinity();
  double max_pulse_mA = std::numeric_limits<double>::infinity();
  double min_temperature_C = -std::numeric_limits<double>::infinity();
  double max_temperature_C = std::numeric_limits<double>::infinity();
  double shelf_life_years = std::numeric_limits<double>::infinity();  ///< design life: bounds the result
  bool rechargeable = false;
  std::string datasheet;
  std::string file;
};

inline constexpr std::array<std::string_view, 7> kChemistries{
    "li-socl2-bobbin", "li-socl2-spiral", "li-mno2", "alkaline", "lifepo4", "li-ion", "ideal"};

/// Why a battery life is what it is.
enum class LifeBound : std::uint8_t {
  Extrapolated,   ///< from the window's average current
  ShelfLife,      ///< the cell's shelf life came first
  RanOut,         ///< the battery ran out during the run
  EnergyNeutral,  ///< a harvester keeps it charged: no end within the horizon
};
inline constexpr std::array<std::string_view, 4> kLifeBoundNames{"extrapolated", "shelf_life", "ran_out",
                                                                 "energy_neutral"};

/// A solar panel charging a rechargeable battery. The day's harvest is the
/// panel's rated (peak) power times the day's peak sun hours, through the
/// charger's efficiency; the peak sun hours follow a sinusoid over the year
/// between the winter and summer figures (lowest on 21 December, day 355;
/// northern hemisphere), and the harvest falls in the 12 h from 06:00 to
/// 18:00. The run starts on 1 January.
struct SolarHarvester {
  double peak_power_mW = 0.0;     ///< the panel's rating at 1000 W/m² (Wp)
  double sun_hours_winter = 0.0;  ///< peak sun hours a day in December (kWh/m² a day ÷ 1 kW/m²)
  double sun_hours_summer = 0.0;  ///< in June
  double efficiency = 1.0;        ///< panel to battery, charger and MPPT losses

  /// Peak sun hours of day `day` (0 = 1 January).
  [[nodiscard]] double sun_hours(int day) const;
  /// Charge (mAh) the day's harvest puts into a battery of `voltage_V`.
  [[nodiscard]] double daily_charge_mAh(int day, double voltage_V) const {
    return efficiency * peak_power_mW * sun_hours(day) / voltage_V;
  }
};

/// What a device carries: a pack of cells at an operating temperature, or a
/// battery given by its figures only (an ideal cell: no curves, no shelf
/// life).
struct Battery {
  double capacity_mAh = 0.0;  ///< nominal, of the pack
  double voltage_V = 0.0;
  double usable_fraction = 1.0;          ///< share of capacity usable before the device's cut-off
  double self_discharge_per_year = 0.0;  ///< share of capacity lost per year at the operating temperature
  double temperature_factor = 1.0;       ///< share of capacity available at the operating temperature (f_T)
  Curve capacity_vs_current;             ///< (the pack's mA, share of capacity): f_I; empty: 1
  double max_pulse_mA = std::numeric_limits<double>::infinity();       ///< of the pack
  double max_continuous_mA = std::numeric_limits<double>::infinity();  ///< of the pack
  double shelf_life_years = std::numeric_limits<double>::infinity();
  std::string cell;                     ///< the cell profile; "" for a battery given by its figures
  std::string chemistry;                ///< "ideal" for a battery given by its figures
  std::optional<SolarHarvester> solar;  ///< charges it (a rechargeable cell only); set with attach_solar
  /// With solar: the harvest into this battery from 1 January to the start
  /// of day d of a year, d = 0 … 365 (mAh).
  std::vector<double> solar_cumulative_mAh;

  /// C · u · f_T · f_I(I): the charge the device can draw at average current I.
  [[nodiscard]] double usable_mAh(double average_current_mA = 0.0) const {
    return capacity_mAh * usable_fraction * temperature_factor * capacity_vs_current.at(average_current_mA);
  }
  /// I_self = C · r / 8766 h.
  [[nodiscard]] double self_discharge_mA() const { return capacity_mAh * self_discharge_per_year / kHoursPerYear; }
  [[nodiscard]] double self_discharged_mAh(Time t) const { return self_discharge_mA() * t.to_hours(); }
};

/// `parallel` cells side by side (capacity, currents and self-discharge
/// add), `series` of those in a string (voltage adds), at `temperature`:
/// f_T and the self-discharge are their averages over the profile's year.
Battery make_battery(const Cell& cell, int parallel, int series, const TemperatureProfile& temperature);

/// Gives the battery a solar harvester, with its year's harvest table.
void attach_solar(Battery& b, const SolarHarvester& h);

/// The harvest (mAh) into the battery between t0 and t1 (time 0 = 00:00 on
/// 1 January), each day's spread evenly over 06:00 to 18:00. Needs
/// attach_solar.
double harvested_between_mAh(const Battery& b, Time t0, Time t1);

struct BatteryLife {
  double years = 0.0;
  LifeBound bound = LifeBound::Extrapolated;
};

/// life = usable_mAh(I) / (I + I_self) / 8766 h, at most the shelf life.
/// With a solar harvester, the battery is followed day by day from full on
/// 1 January (docs/models/energy.md §4.8) until it is empty, or for 100
/// years (then EnergyNeutral, the life being the shelf life if the cell has
/// one, else infinite).
BatteryLife battery_life(const Battery& b, double average_current_mA);
inline double battery_life_years(const Battery& b, double average_current_mA) {
  return battery_life(b, average_current_mA).years;
}

}  // namespace m2msim::energy
