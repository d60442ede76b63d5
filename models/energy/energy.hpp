// A device's energy, shared by every technology: its radio by state, and the
// board around it (microcontroller, sensors, the board's floor, per-packet
// costs), broken down by part; its battery (battery.hpp) and battery life.
//
// The radio reports each interval it spends awake; the rest of the window
// is idle. Battery life is extrapolated from the device's average current
// over the simulated window (see docs/models/energy.md).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/energy/battery.hpp"
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

/// Values of a radio profile that differ for one technology of its family
/// (`by_technology` in the profile file: a modem's Cat-M1 and Cat-NB1
/// columns); what is not given keeps the profile's value.
struct TechnologyCurrents {
  std::string technology;  ///< a radio.technology of the profile's family
  std::string at;          ///< FILE:LINE:COLUMN of its key, for the loader's messages
  std::optional<double> sleep_mA, standby_mA, rx_mA, connected_mA;
  std::vector<std::pair<double, double>> tx_mA_by_dBm;        ///< empty: the profile's
  std::vector<std::pair<double, double>> idle_mA_by_cycle_s;  ///< empty: the profile's
};

/// Supply currents of a radio chip, from its datasheet. The profiles are
/// data files (data/energy/*.yaml, read by the scenario loader), each value
/// with its source; this struct is what the models use.
struct CurrentProfile {
  std::string name;
  std::string technology;  ///< its chip family, one of kRadioFamilies
  double sleep_mA = 0.0;
  double standby_mA = 0.0;
  double rx_mA = 0.0;
  /// Cellular: connected to the network between transmissions and receptions
  /// (monitoring its search space, waiting for the network); NaN when the
  /// profile does not give it, and the model then takes rx_mA.
  double connected_mA = std::numeric_limits<double>::quiet_NaN();
  /// (output power dBm, supply current mA), ascending in power. Currents
  /// between points are interpolated linearly in dBm; outside the table the
  /// nearest point is used (and the loader rejects powers outside it).
  std::vector<std::pair<double, double>> tx_mA_by_dBm;
  /// (paging cycle s, average idle-mode current mA), ascending in cycle, at
  /// least two points when given: the idle current of a cellular modem
  /// paged once per cycle. Empty: standby_mA at every cycle.
  std::vector<std::pair<double, double>> idle_mA_by_cycle_s;
  double supply_V = 0.0;  ///< at which the datasheet gives the currents
  std::string datasheet;  ///< document, revision and date
  std::string file;       ///< the data file it was read from
  /// Per-technology values; the loader applies a group's (for_technology)
  /// and leaves this empty in the profile a group's devices use.
  std::vector<TechnologyCurrents> by_technology;

  /// The profile as a device of technology `tech` uses it: its by_technology
  /// entry's values over the profile's, and no entries left.
  [[nodiscard]] CurrentProfile for_technology(std::string_view tech) const;

  [[nodiscard]] double tx_mA(double tx_power_dBm) const;
  /// The idle-mode current at a paging cycle: between two points of
  /// idle_mA_by_cycle_s, I(T) = a + b/T through both (a floor plus a charge
  /// b per paging occasion); outside the table, its nearest point's
  /// current (no extrapolation); standby_mA without a table.
  [[nodiscard]] double idle_mA(double cycle_s) const;
  /// idle_mA, but below the table's shortest cycle the fit through its two
  /// shortest points is carried on (a + b/T), not held: what the charge per
  /// paging occasion would give there.
  [[nodiscard]] double idle_mA_extrapolated(double cycle_s) const;
  [[nodiscard]] double connected_or_rx_mA() const { return std::isnan(connected_mA) ? rx_mA : connected_mA; }
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

/// Where a device's charge goes: the breakdown of devices.csv. A
/// technology says which part each of its energy states belongs to (its
/// transmit states to Tx, its receive and connected states to Rx, ...); the
/// radio's idle remainder is RadioIdle.
enum class Part : std::uint8_t { Tx, Rx, RadioIdle, Mcu, Sensors, Floor };
inline constexpr std::size_t kParts = 6;
inline constexpr std::array<std::string_view, kParts> kPartNames{"tx", "rx", "radio_idle", "mcu", "sensors", "floor"};

/// The device around its radio, shared by every technology: the
/// microcontroller, the board's floor (regulator quiescent current, RTC,
/// leakage), its sensors, and what each packet costs besides the radio
/// (reading the sensors, waking up, writing flash). Read from a board
/// profile (data/energy/*.yaml, kind: board) with the scenario's overrides.
struct Board {
  const McuProfile* mcu = nullptr;  ///< none: not counted
  double sleep_floor_mA = 0.0;      ///< drawn at all times, whatever the radio and the MCU do; 0: not counted
  double sensors_standby_mA = 0.0;  ///< the sensors' draw between readings
  Time mcu_active_per_packet{};     ///< MCU active time per packet besides the radio's (stack, processing)
  double mcu_packet_mAs = 0.0;      ///< other per-packet charge of the MCU's part (wake-up/boot, flash writes)
  double sensors_packet_mAs = 0.0;  ///< per-packet sensor readings
  double event_peak_mA = 0.0;       ///< the highest current of those per-packet events and readings
};

/// A harvesting battery's charge as of the last battery check
/// (energy::battery_spent, which carries it forward from check to check).
struct HarvestState {
  bool started = false;  ///< false before the first check: the battery is full
  double stored_mAh = 0.0;
  Time at{};
  double drawn_mAs = 0.0;  ///< the device's charge drawn by `at`
};

/// Accumulates what a device's radio does, for a technology with `States`
/// energy states: awake intervals by state, as they happen, and the packets
/// the device processed (each costs the board's per-packet charge). Sleep is
/// whatever remains of the elapsed time. The microcontroller is active while
/// the radio is awake (it drives the radio) and for the board's
/// mcu_active_per_packet per packet, asleep otherwise.
template <std::size_t States>
class BasicEnergyMeter {
 public:
  void add_awake(StateIndex state, Time duration, double current_mA) {
    time_ns_[state] += duration.ns();
    charge_mAs_[state] += current_mA * duration.to_seconds();
    awake_ns_ += duration.ns();
    peak_mA_ = std::max(peak_mA_, current_mA);
  }
  /// The device processed one packet (woke, read its sensors, ran its stack).
  void add_packet() { ++packets_; }

  /// Radio charge in mA·s drawn from time 0 to `elapsed`, idle at
  /// `idle_mA` whenever not awake. Awake intervals count in full (an RX
  /// window booked at the end of the last uplink may end after `elapsed`).
  [[nodiscard]] double charge_mAs(Time elapsed, double idle_mA) const {
    double total = 0.0;
    for (double q : charge_mAs_) total += q;
    return total + idle_mA * idle_s(elapsed);
  }
  [[nodiscard]] double idle_s(Time elapsed) const {
    const std::int64_t idle_ns = elapsed.ns() - awake_ns_;
    return idle_ns > 0 ? static_cast<double>(idle_ns) * 1e-9 : 0.0;
  }
  /// Microcontroller charge in mA·s from time 0 to `elapsed` (its active
  /// and sleep currents; the board's other per-packet charge is not in it).
  [[nodiscard]] double mcu_charge_mAs(Time elapsed, const McuProfile& mcu, Time active_per_packet) const {
    const std::int64_t active_ns = awake_ns_ + static_cast<std::int64_t>(packets_) * active_per_packet.ns();
    const std::int64_t sleep_ns = elapsed.ns() - active_ns;
    return mcu.active_mA * static_cast<double>(active_ns) * 1e-9 +
           (sleep_ns > 0 ? mcu.sleep_mA * static_cast<double>(sleep_ns) * 1e-9 : 0.0);
  }
  [[nodiscard]] Time time_in(StateIndex s) const { return Time::nanoseconds(time_ns_[s]); }
  [[nodiscard]] double charge_in_mAs(StateIndex s) const { return charge_mAs_[s]; }
  [[nodiscard]] std::uint64_t packets() const { return packets_; }
  /// The highest radio current booked (0 before any).
  [[nodiscard]] double peak_mA() const { return peak_mA_; }

  HarvestState harvest;  ///< with a solar harvester only

 private:
  std::array<std::int64_t, States> time_ns_{};
  std::array<double, States> charge_mAs_{};
  std::int64_t awake_ns_ = 0;
  std::uint64_t packets_ = 0;
  double peak_mA_ = 0.0;
};

/// Charge (mA·s) by part, from 0 to `elapsed`. `state_parts[s]` is the part
/// of the technology's energy state s; the radio's idle remainder is
/// RadioIdle.
template <std::size_t States>
std::array<double, kParts> charge_by_part_mAs(const BasicEnergyMeter<States>& m, Time elapsed, double radio_idle_mA,
                                              const Board& board, std::span<const Part> state_parts) {
  std::array<double, kParts> q{};
  auto at = [&q](Part p) -> double& { return q[static_cast<std::size_t>(p)]; };
  for (std::size_t s = 0; s < States; ++s) at(state_parts[s]) += m.charge_in_mAs(static_cast<StateIndex>(s));
  const double t = elapsed.to_seconds();
  const auto packets = static_cast<double>(m.packets());
  at(Part::RadioIdle) += radio_idle_mA * m.idle_s(elapsed);
  if (board.mcu != nullptr) at(Part::Mcu) += m.mcu_charge_mAs(elapsed, *board.mcu, board.mcu_active_per_packet);
  at(Part::Mcu) += packets * board.mcu_packet_mAs;
  at(Part::Sensors) += board.sensors_standby_mA * t + packets * board.sensors_packet_mAs;
  at(Part::Floor) += board.sleep_floor_mA * t;
  return q;
}

/// Charge (mA·s) the whole device drew from 0 to `elapsed`: its radio (awake
/// intervals, idle at `radio_idle_mA` otherwise) and its board.
template <std::size_t States>
double device_charge_mAs(const BasicEnergyMeter<States>& m, Time elapsed, double radio_idle_mA, const Board& board) {
  const double t = elapsed.to_seconds();
  const auto packets = static_cast<double>(m.packets());
  return m.charge_mAs(elapsed, radio_idle_mA) +
         (board.mcu != nullptr ? m.mcu_charge_mAs(elapsed, *board.mcu, board.mcu_active_per_packet) : 0.0) +
         packets * (board.mcu_packet_mAs + board.sensors_packet_mAs) +
         (board.sensors_standby_mA + board.sleep_floor_mA) * t;
}

/// The lowest sleep current a real device of a radio family (kRadioFamilies)
/// has been measured at with a timed wake-up (radio, microcontroller with its
/// RTC, regulator): a device that sleeps below it is flagged in the summary.
/// Sources: docs/models/energy.md §2.8.
inline double lowest_real_sleep_mA(std::string_view family) {
  if (family == "lora") return 0.0013;      // RAK4200 module (STM32L071 + SX1276), 1.3 uA measured at 3.3 V
  if (family == "cellular") return 0.0027;  // nRF9160 Product Specification, PSM floor (the SiP alone)
  if (family == "wifi") return 0.010;       // FireBeetle ESP32 (DFR0478), 10 uA measured in deep sleep
  return 0.0;
}

/// The current the device draws with everything asleep: radio idle, MCU
/// asleep, sensors in standby, the board's floor.
inline double sleep_current_mA(double radio_idle_mA, const Board& board) {
  return radio_idle_mA + (board.mcu != nullptr ? board.mcu->sleep_mA : 0.0) + board.sensors_standby_mA +
         board.sleep_floor_mA;
}

/// The highest current the device draws from its battery: the radio's
/// highest booked current with the MCU active, or the board's highest
/// per-packet event (these happen while the radio sleeps), whichever is
/// higher, with the board's standing draw.
template <std::size_t States>
double peak_current_mA(const BasicEnergyMeter<States>& m, double radio_idle_mA, const Board& board) {
  const double radio = std::max(m.peak_mA(), radio_idle_mA) + (board.mcu != nullptr ? board.mcu->active_mA : 0.0);
  return std::max(radio, board.event_peak_mA) + board.sensors_standby_mA + board.sleep_floor_mA;
}

/// A harvesting battery's charge at `now`, carried forward from the last
/// check `h` (full before the first): plus the harvest since, minus what the
/// device drew and the battery lost since, at most `usable_mAh`. The clip
/// is applied at each check, so checks less often than daily overstate what
/// the battery could store.
inline double harvested_charge_mAh(const Battery& b, const HarvestState& h, double usable_mAh, double drawn_mAs,
                                   Time now) {
  const double before = h.started ? h.stored_mAh : usable_mAh;
  const double q = before + harvested_between_mAh(b, h.at, now) - (drawn_mAs - h.drawn_mAs) / 3600.0 -
                   b.self_discharge_mA() * (now - h.at).to_hours();
  return std::min(q, usable_mAh);
}

/// Whether the battery is spent at `now`: drawn so far plus lost to
/// self-discharge reaches the usable charge at the average current so far.
/// With a solar harvester, the battery's charge is carried from check to
/// check (m.harvest) and the battery is spent when it reaches 0.
template <std::size_t States>
bool battery_spent(BasicEnergyMeter<States>& m, Time now, double radio_idle_mA, const Board& board,
                   const Battery& battery) {
  const double drawn_mAs = device_charge_mAs(m, now, radio_idle_mA, board);
  const double spent_mAh = drawn_mAs / 3600.0 + battery.self_discharged_mAh(now);
  if (battery.capacity_vs_current.empty() && !battery.solar) return spent_mAh >= battery.usable_mAh();
  const double average_mA = now > Time::zero() ? drawn_mAs / now.to_seconds() : 0.0;
  const double usable = battery.usable_mAh(average_mA);
  if (!battery.solar) return spent_mAh >= usable;
  HarvestState& h = m.harvest;
  h.stored_mAh = harvested_charge_mAh(battery, h, usable, drawn_mAs, now);
  h.started = true;
  h.at = now;
  h.drawn_mAs = drawn_mAs;
  return h.stored_mAh <= 0.0;
}

/// Whether the device's battery is empty at `now` (a packet's check):
/// `empty_at` is when it was first found spent (Time::max() until then); once
/// found, it stays empty.
template <std::size_t States>
bool battery_empty(BasicEnergyMeter<States>& m, Time now, double radio_idle_mA, const Board& board,
                   const Battery& battery, Time& empty_at) {
  if (empty_at == Time::max() && battery_spent(m, now, radio_idle_mA, board, battery)) empty_at = now;
  return now >= empty_at;
}

/// A device's battery at one instant of the run.
struct ChargeState {
  double drawn_mAh = 0.0;            ///< by the device since time 0
  double self_discharged_mAh = 0.0;  ///< lost by the battery since time 0
  /// 1 − (drawn + lost) / usable at the average current so far; with a
  /// harvester, the charge carried forward from the last battery check
  /// (harvested_charge_mAh) over the usable charge.
  double state_of_charge = 1.0;
};

template <std::size_t States>
ChargeState charge_state(const BasicEnergyMeter<States>& m, Time now, double radio_idle_mA, const Board& board,
                         const Battery& battery) {
  ChargeState c;
  const double drawn_mAs = device_charge_mAs(m, now, radio_idle_mA, board);
  const double average_mA = now > Time::zero() ? drawn_mAs / now.to_seconds() : 0.0;
  c.drawn_mAh = drawn_mAs / 3600.0;
  c.self_discharged_mAh = battery.self_discharged_mAh(now);
  const double usable = battery.usable_mAh(average_mA);
  if (!(usable > 0.0)) {
    c.state_of_charge = 0.0;
  } else if (battery.solar) {
    c.state_of_charge = harvested_charge_mAh(battery, m.harvest, usable, drawn_mAs, now) / usable;
  } else {
    c.state_of_charge = 1.0 - (c.drawn_mAh + c.self_discharged_mAh) / usable;
  }
  return c;
}

/// What a device drew over the window [0, elapsed], and its battery life.
struct DeviceEnergy {
  std::array<double, kParts> part_mAh{};  ///< by Part
  double charge_mAh = 0.0;                ///< the sum of part_mAh
  double self_discharge_mAh = 0.0;        ///< lost by the battery over the window, not drawn by the device
  double average_current_mA = 0.0;        ///< charge over the window
  double peak_current_mA = 0.0;           ///< peak_current_mA()
  double sleep_current_mA = 0.0;          ///< sleep_current_mA()
  double battery_life_years = 0.0;
  LifeBound bound = LifeBound::Extrapolated;
  bool over_pulse_rating = false;       ///< the peak current is above the battery's pulse rating
  bool over_continuous_rating = false;  ///< the average current is above the battery's continuous rating
  bool battery_empty = false;           ///< the battery ran out during the window
};

/// A battery that emptied during the run (at `empty_at`, else Time::max())
/// lasted exactly that long, and its charge is counted up to then; others
/// are extrapolated from the window's average current (battery_life),
/// bounded by the cell's shelf life.
template <std::size_t States>
DeviceEnergy device_energy(const BasicEnergyMeter<States>& m, Time elapsed, double radio_idle_mA, const Board& board,
                           const Battery& battery, Time empty_at, std::span<const Part> state_parts) {
  DeviceEnergy e;
  // A battery that ran out feeds nothing more: the charge is counted up to
  // the moment it was found empty (a booked interval that began before it
  // still counts in full).
  const Time until = std::min(elapsed, empty_at);
  const auto q = charge_by_part_mAs(m, until, radio_idle_mA, board, state_parts);
  double total_mAs = 0.0;
  for (std::size_t p = 0; p < kParts; ++p) {
    e.part_mAh[p] = q[p] / 3600.0;
    total_mAs += q[p];
  }
  e.charge_mAh = total_mAs / 3600.0;
  e.self_discharge_mAh = battery.self_discharged_mAh(until);
  e.average_current_mA = until > Time::zero() ? total_mAs / until.to_seconds() : 0.0;
  e.peak_current_mA = peak_current_mA(m, radio_idle_mA, board);
  e.sleep_current_mA = sleep_current_mA(radio_idle_mA, board);
  e.over_pulse_rating = e.peak_current_mA > battery.max_pulse_mA;
  e.over_continuous_rating = e.average_current_mA > battery.max_continuous_mA;
  e.battery_empty = empty_at != Time::max();
  if (e.battery_empty) {
    e.battery_life_years = empty_at.to_hours() / kHoursPerYear;
    e.bound = LifeBound::RanOut;
  } else {
    const auto life = battery_life(battery, e.average_current_mA);
    e.battery_life_years = life.years;
    e.bound = life.bound;
  }
  return e;
}

}  // namespace m2msim::energy
