// Energy by radio state, and battery life.
//
// A device's charge drawn is the sum over radio states of current × time in
// that state. The radio reports each interval it spends awake; the rest of
// the window is sleep. Battery life is extrapolated from the average current
// over the simulated window (see docs/models/energy.md).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace m2msim::energy {

/// An energy state of a radio, as an index into its technology's list of
/// states. The names are the technology's (technology::Technology::
/// energy_states(): LoRaWAN's sleep, standby, rx, tx; a cellular modem's
/// PSM, eDRX, connected ...): the meter only counts time and charge by index.
using StateIndex = std::uint8_t;

/// The chip families a radio profile may declare (`technology:` in
/// data/energy/*.yaml); a technology names the family its radios must be.
inline constexpr std::array<std::string_view, 3> kRadioFamilies{"lora", "cellular", "wifi"};

/// Supply currents of a radio chip, from its datasheet. The profiles are
/// data files (data/energy/*.yaml, read by the scenario loader), each value
/// with its source; this struct is what the models use.
struct CurrentProfile {
  std::string name;
  std::string technology;  ///< its chip family, one of kRadioFamilies
  double sleep_mA = 0.0;
  double standby_mA = 0.0;
  double rx_mA = 0.0;
  /// (output power dBm, supply current mA), ascending in power. Currents
  /// between points are interpolated linearly in dBm; outside the table the
  /// nearest point is used (and the loader rejects powers outside it).
  std::vector<std::pair<double, double>> tx_mA_by_dBm;
  double supply_V = 0.0;  ///< at which the datasheet gives the currents
  std::string datasheet;  ///< document, revision and date
  std::string file;       ///< the data file it was read from

  [[nodiscard]] double tx_mA(double tx_power_dBm) const;
  [[nodiscard]] double min_tx_dBm() const { return tx_mA_by_dBm.front().first; }
  [[nodiscard]] double max_tx_dBm() const { return tx_mA_by_dBm.back().first; }
};

/// Supply currents of a microcontroller, from its datasheet (also a data file).
struct McuProfile {
  std::string name;
  double sleep_mA = 0.0;   ///< low-power mode with the RTC running (the state between tasks)
  double active_mA = 0.0;  ///< running code
  double supply_V = 0.0;
  std::string datasheet;
  std::string file;
};

/// Accumulates charge by state, for a technology with `States` energy
/// states. Awake intervals are added as they happen; sleep is whatever
/// remains of the elapsed time. The microcontroller is active while the radio
/// is awake (it drives the radio) and for the extra intervals given to
/// add_mcu_active (sensor reading, stack processing), asleep otherwise.
template <std::size_t States>
class BasicEnergyMeter {
 public:
  void add_awake(StateIndex state, Time duration, double current_mA) {
    time_ns_[state] += duration.ns();
    charge_mAs_[state] += current_mA * duration.to_seconds();
    awake_ns_ += duration.ns();
  }
  /// The microcontroller alone is active for `duration` (the radio sleeps).
  void add_mcu_active(Time duration) { mcu_only_ns_ += duration.ns(); }

  /// Radio charge in mA·s drawn from time 0 to `elapsed`, sleeping at
  /// `sleep_mA` whenever not awake.
  [[nodiscard]] double charge_mAs(Time elapsed, double sleep_mA) const {
    double total = 0.0;
    for (double q : charge_mAs_) total += q;
    const std::int64_t sleep_ns = elapsed.ns() - awake_ns_;
    if (sleep_ns > 0) total += sleep_mA * static_cast<double>(sleep_ns) * 1e-9;
    return total;
  }
  /// Microcontroller charge in mA·s from time 0 to `elapsed`. As for the
  /// radio: awake intervals count in full (an RX window booked at the end of
  /// the last uplink may end after `elapsed`), sleep is the rest.
  [[nodiscard]] double mcu_charge_mAs(Time elapsed, const McuProfile& mcu) const {
    const std::int64_t active_ns = awake_ns_ + mcu_only_ns_;
    const std::int64_t sleep_ns = elapsed.ns() - active_ns;
    return mcu.active_mA * static_cast<double>(active_ns) * 1e-9 +
           (sleep_ns > 0 ? mcu.sleep_mA * static_cast<double>(sleep_ns) * 1e-9 : 0.0);
  }
  /// Radio plus microcontroller (none when `mcu` is null).
  [[nodiscard]] double total_charge_mAs(Time elapsed, double radio_sleep_mA, const McuProfile* mcu) const {
    return charge_mAs(elapsed, radio_sleep_mA) + (mcu != nullptr ? mcu_charge_mAs(elapsed, *mcu) : 0.0);
  }
  [[nodiscard]] Time time_in(StateIndex s) const { return Time::nanoseconds(time_ns_[s]); }
  [[nodiscard]] double charge_in_mAs(StateIndex s) const { return charge_mAs_[s]; }

 private:
  std::array<std::int64_t, States> time_ns_{};
  std::array<double, States> charge_mAs_{};
  std::int64_t awake_ns_ = 0;
  std::int64_t mcu_only_ns_ = 0;
};

struct Battery {
  double capacity_mAh = 0.0;
  double voltage_V = 0.0;
  double usable_fraction = 1.0;          ///< share of capacity usable before cut-off
  double self_discharge_per_year = 0.0;  ///< fraction of capacity lost per year

  [[nodiscard]] double usable_mAh() const { return capacity_mAh * usable_fraction; }
};

inline constexpr double kHoursPerYear = 8766.0;  // 365.25 d

/// Years until the usable charge is spent at `average_current_mA`, with
/// self-discharge modelled as an extra constant current of
/// capacity × rate / 8766 h:
///   life = usable_mAh / (I_avg + C·r/8766 h) / 8766 h/year.
double battery_life_years(const Battery& b, double average_current_mA);

// ---- the whole device, shared by every technology

/// The device around its radio: the microcontroller and the board's sleep
/// floor (regulator quiescent current, RTC, sensors in standby, leakage).
struct Board {
  const McuProfile* mcu = nullptr;  ///< none: not counted
  double sleep_floor_mA = 0.0;      ///< drawn at all times, whatever the radio and the MCU do; 0: not counted
};

/// Charge (mA·s) the device drew from 0 to `elapsed`: its radio (awake
/// intervals, idle at `radio_idle_mA` otherwise), its microcontroller and
/// its board's sleep floor.
template <std::size_t States>
double device_charge_mAs(const BasicEnergyMeter<States>& m, Time elapsed, double radio_idle_mA, const Board& board) {
  return m.total_charge_mAs(elapsed, radio_idle_mA, board.mcu) + board.sleep_floor_mA * elapsed.to_seconds();
}

/// Whether the battery is spent at `now`: drawn so far plus lost to
/// self-discharge (the constant-current view of battery_life_years) reaches
/// the usable charge.
template <std::size_t States>
bool battery_spent(const BasicEnergyMeter<States>& m, Time now, double radio_idle_mA, const Board& board,
                   const Battery& battery) {
  const double self_mAh = battery.capacity_mAh * battery.self_discharge_per_year * now.to_hours() / kHoursPerYear;
  return device_charge_mAs(m, now, radio_idle_mA, board) / 3600.0 + self_mAh >= battery.usable_mAh();
}

/// What a device drew over the window [0, elapsed], and its battery life.
struct DeviceEnergy {
  double charge_mAh = 0.0;          ///< radio + microcontroller + board floor
  double mcu_charge_mAh = 0.0;      ///< of which the microcontroller
  double average_current_mA = 0.0;  ///< charge over the window
  double battery_life_years = 0.0;
  bool battery_empty = false;  ///< the battery ran out during the window
};

/// A battery that emptied during the run (at `empty_at`, else Time::max())
/// lasted exactly that long; others are extrapolated from the window's
/// average current (battery_life_years).
template <std::size_t States>
DeviceEnergy device_energy(const BasicEnergyMeter<States>& m, Time elapsed, double radio_idle_mA, const Board& board,
                           const Battery& battery, Time empty_at) {
  DeviceEnergy e;
  const double charge_mAs = device_charge_mAs(m, elapsed, radio_idle_mA, board);
  e.charge_mAh = charge_mAs / 3600.0;
  e.mcu_charge_mAh = board.mcu != nullptr ? m.mcu_charge_mAs(elapsed, *board.mcu) / 3600.0 : 0.0;
  e.average_current_mA = charge_mAs / elapsed.to_seconds();
  e.battery_empty = empty_at != Time::max();
  e.battery_life_years =
      e.battery_empty ? empty_at.to_hours() / kHoursPerYear : battery_life_years(battery, e.average_current_mA);
  return e;
}

}  // namespace m2msim::energy
