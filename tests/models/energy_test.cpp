#include "models/energy/energy.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace m2msim::energy {
namespace {

TEST(CurrentProfile, TransmitCurrentIsInterpolatedLinearlyInDbm) {
  // The SX1276 points (datasheet Rev. 7, Table 6): 29 mA @ +13 dBm (RFO),
  // 87 mA @ +17 dBm (PA_BOOST). 14 dBm → 29 + (87 − 29)·(14 − 13)/(17 − 13) = 43.5 mA.
  CurrentProfile p;
  p.tx_mA_by_dBm = {{7.0, 20.0}, {13.0, 29.0}, {17.0, 87.0}, {20.0, 120.0}};
  EXPECT_DOUBLE_EQ(p.tx_mA(14), 43.5);
  EXPECT_DOUBLE_EQ(p.tx_mA(13), 29.0);
  // Outside the table: the nearest point (the loader rejects such powers).
  EXPECT_DOUBLE_EQ(p.tx_mA(2), 20.0);
  EXPECT_DOUBLE_EQ(p.tx_mA(22), 120.0);
}

// A technology's states are indices into its own list (here: tx, rx).
enum TestState : StateIndex { kTx, kRx };
using EnergyMeter = BasicEnergyMeter<2>;

TEST(EnergyMeter, ChargeIsCurrentTimesTimePerStatePlusSleep) {
  EnergyMeter m;
  m.add_awake(kTx, Time::milliseconds(100), 40.0);  // 4 mA·s
  m.add_awake(kRx, Time::milliseconds(200), 10.0);  // 2 mA·s
  // 10 s window: 9.7 s asleep at 0.01 mA = 0.097 mA·s → 6.097 mA·s.
  EXPECT_NEAR(m.charge_mAs(Time::seconds(10), 0.01), 6.097, 1e-12);
  EXPECT_EQ(m.time_in(kTx), Time::milliseconds(100));
  EXPECT_NEAR(m.charge_in_mAs(kRx), 2.0, 1e-12);
}

constexpr std::array<Part, 2> kParts2{Part::Tx, Part::Rx};

/// A battery given by its figures: capacity, self-discharge, all usable.
Battery figures(double capacity_mAh, double self_discharge_per_year) {
  Battery b;
  b.capacity_mAh = capacity_mAh;
  b.voltage_V = 3.6;
  b.self_discharge_per_year = self_discharge_per_year;
  return b;
}

TEST(EnergyMeter, TheMcuIsActiveWhileTheRadioIsAwakeAndForItsOwnTasks) {
  // nRF52840 PS v1.11: 3.3 mA running, 3.16 uA in System ON sleep with RTC.
  McuProfile mcu{"nrf52840", 0.00316, 3.3, 3.0, "", ""};
  EnergyMeter m;
  m.add_awake(kTx, Time::milliseconds(100), 40.0);
  m.add_packet();
  // 60 s window, 50 ms per packet: MCU active 0.15 s × 3.3 mA = 0.495 mA·s,
  // asleep 59.85 s × 0.00316 mA = 0.189126 mA·s → 0.684126 mA·s.
  EXPECT_NEAR(m.mcu_charge_mAs(Time::seconds(60), mcu, Time::milliseconds(50)), 0.684126, 1e-12);
  // The radio's own charge is unchanged by the MCU: 4 mA·s + 59.9 s × 0.0002 mA.
  EXPECT_NEAR(m.charge_mAs(Time::seconds(60), 0.0002), 4.01198, 1e-12);
  Board board;
  board.mcu = &mcu;
  board.mcu_active_per_packet = Time::milliseconds(50);
  EXPECT_NEAR(device_charge_mAs(m, Time::seconds(60), 0.0002, board), 4.01198 + 0.684126, 1e-12);
  EXPECT_NEAR(device_charge_mAs(m, Time::seconds(60), 0.0002, Board{}), 4.01198, 1e-12);
}

TEST(DeviceEnergy, RadioMcuAndBoardFloorByHand) {
  // 100 ms of tx at 40 mA (4 mA·s) in a 100 s window; radio idle 0.001 mA
  // (99.9 s → 0.0999 mA·s); no MCU; a 5 uA board floor: 0.005 mA × 100 s =
  // 0.5 mA·s. Total 4.5999 mA·s = 0.00127775 mAh; average 0.045999 mA.
  EnergyMeter m;
  m.add_awake(kTx, Time::milliseconds(100), 40.0);
  Board board;
  board.sleep_floor_mA = 0.005;
  const Battery battery = figures(1.0, 0.0);  // 1 mAh
  const auto e = device_energy(m, Time::seconds(100), 0.001, board, battery, Time::max(), kParts2);
  EXPECT_NEAR(e.charge_mAh, 4.5999 / 3600.0, 1e-15);
  EXPECT_NEAR(e.average_current_mA, 0.045999, 1e-15);
  EXPECT_FALSE(e.battery_empty);
  // 1 mAh at 0.045999 mA: 21.74 h = 0.0024800 years.
  EXPECT_NEAR(e.battery_life_years, 1.0 / 0.045999 / 8766.0, 1e-12);
  // Spent: after 1 mAh = 3600 mA·s; at 100 s only 4.5999 mA·s are drawn.
  EXPECT_FALSE(battery_spent(m, Time::seconds(100), 0.001, board, battery));
  Board heavy;
  heavy.sleep_floor_mA = 40.0;  // 40 mA × 100 s = 4000 mA·s > 3600
  EXPECT_TRUE(battery_spent(m, Time::seconds(100), 0.001, heavy, battery));
}

TEST(DeviceEnergy, EachPartOfTheDeviceIsCountedApart) {
  // One minute: 100 ms tx at 40 mA, 300 ms rx at 10 mA, radio idle 0.2 uA;
  // an MCU (3 mA active, 1 uA asleep) active while the radio is awake and
  // 20 ms more per packet; sensors 0.5 uA standby and a 0.6 mA × 12.5 ms
  // reading per packet; 1 mA × 5 ms of MCU wake-up per packet; a 2 uA floor;
  // 3 packets.
  McuProfile mcu{"m", 0.001, 3.0, 3.0, "", ""};
  EnergyMeter m;
  m.add_awake(kTx, Time::milliseconds(100), 40.0);
  m.add_awake(kRx, Time::milliseconds(300), 10.0);
  for (int i = 0; i < 3; ++i) m.add_packet();
  Board b;
  b.mcu = &mcu;
  b.mcu_active_per_packet = Time::milliseconds(20);
  b.sensors_standby_mA = 0.0005;
  b.sensors_packet_mAs = 0.6 * 0.0125;
  b.mcu_packet_mAs = 1.0 * 0.005;
  b.sleep_floor_mA = 0.002;
  const auto q = charge_by_part_mAs(m, Time::seconds(60), 0.0002, b, kParts2);
  EXPECT_NEAR(q[0], 4.0, 1e-12);            // tx: 0.1 s × 40 mA
  EXPECT_NEAR(q[1], 3.0, 1e-12);            // rx: 0.3 s × 10 mA
  EXPECT_NEAR(q[2], 59.6 * 0.0002, 1e-12);  // radio idle: 59.6 s × 0.2 uA
  // MCU: active 0.4 s + 3 × 20 ms = 0.46 s × 3 mA = 1.38, asleep 59.54 s ×
  // 1 uA = 0.05954, wake-ups 3 × 0.005 = 0.015 → 1.45454 mA·s.
  EXPECT_NEAR(q[3], 1.45454, 1e-12);
  EXPECT_NEAR(q[4], 60 * 0.0005 + 3 * 0.0075, 1e-12);  // sensors: 0.03 + 0.0225
  EXPECT_NEAR(q[5], 60 * 0.002, 1e-12);                // floor: 0.12
  double total = 0.0;
  for (double v : q) total += v;
  EXPECT_NEAR(device_charge_mAs(m, Time::seconds(60), 0.0002, b), total, 1e-12);
  // Asleep: 0.2 uA radio + 1 uA MCU + 0.5 uA sensors + 2 uA floor = 3.7 uA.
  EXPECT_NEAR(sleep_current_mA(0.0002, b), 0.0037, 1e-15);
  // Peak: 40 mA radio + 3 mA MCU + 0.5 uA + 2 uA.
  EXPECT_NEAR(peak_current_mA(m, 0.0002, b), 43.0025, 1e-12);
}

TEST(BatteryLife, UsableChargeOverAverageCurrent) {
  // 1000 mAh fully usable at 1 mA: 1000 h = 1000 / 8766 years = 0.114077 years.
  Battery b = figures(1000.0, 0.0);
  EXPECT_NEAR(battery_life_years(b, 1.0), 0.114077, 1e-6);
  // 90 % usable: 900 h.
  b.usable_fraction = 0.9;
  EXPECT_NEAR(battery_life_years(b, 1.0), 900.0 / 8766.0, 1e-12);
}

TEST(BatteryLife, SelfDischargeActsAsAConstantExtraCurrent) {
  // 1000 mAh losing 87.66 %/year = 876.6 mAh / 8766 h = 0.1 mA; with 0.9 mA
  // drawn the total is 1.0 mA → 1000 h.
  Battery b = figures(1000.0, 0.8766);
  EXPECT_NEAR(battery_life_years(b, 0.9), 1000.0 / 8766.0, 1e-12);
}

TEST(Curve, LinearBetweenPointsAndConstantBeyond) {
  const Curve c{{{0.0, 1.0}, {10.0, 0.5}}};
  EXPECT_DOUBLE_EQ(c.at(5.0), 0.75);
  EXPECT_DOUBLE_EQ(c.at(-3.0), 1.0);
  EXPECT_DOUBLE_EQ(c.at(20.0), 0.5);
  EXPECT_DOUBLE_EQ(Curve{}.at(3.0), 1.0);
  EXPECT_DOUBLE_EQ(Curve{}.at(3.0, 0.0), 0.0);
}

TEST(TemperatureProfile, YearAverageOfASquareByHand) {
  // E[(m + a·cos x + b·cos y)²] = m² + a²/2 + b²/2 for independent phases:
  // mean 10 °C, daily swing 8 K (a = 4), seasonal swing 20 K (b = 10):
  // 100 + 8 + 50 = 158 (hourly samples over whole periods of both).
  const TemperatureProfile t{10.0, 8.0, 20.0};
  EXPECT_NEAR(t.year_average([](double c) { return c * c; }), 158.0, 1e-9);
  EXPECT_NEAR(t.year_average([](double c) { return c; }), 10.0, 1e-12);
  EXPECT_DOUBLE_EQ(t.min_C(), -4.0);
  EXPECT_DOUBLE_EQ(t.max_C(), 24.0);
  // A constant temperature is evaluated once, exactly.
  EXPECT_DOUBLE_EQ(TemperatureProfile{}.year_average([](double c) { return c; }), 20.0);
}

TEST(Battery, APackOfCellsAtItsTemperature) {
  // Panasonic CR2032 (Lithium Handbook, Aug 2005): 225 mAh, 3 V; capacity
  // at 100 kΩ read off "Capacity vs. load resistance": 214 mAh at −10 °C,
  // 220 mAh at +20 °C, so f_T(−10 °C) = 214 / 220 = 97.27 %. Two in
  // parallel, three in series, at 5 °C: halfway, f_T = (97.27 % + 100 %) / 2
  // = 98.635 %.
  Cell c;
  c.name = "cr2032";
  c.capacity_mAh = 225.0;
  c.voltage_V = 3.0;
  c.capacity_vs_temperature = Curve{{{-10.0, 0.9727}, {20.0, 1.0}}};
  c.capacity_vs_current = Curve{{{0.5, 0.902}, {1.0, 0.844}}};
  c.self_discharge_vs_temperature = Curve{{{20.0, 0.01}, {40.0, 0.03}}};
  c.max_pulse_mA = 20.0;
  c.shelf_life_years = 10.0;
  const Battery b = make_battery(c, 2, 3, TemperatureProfile{5.0, 0.0, 0.0});
  EXPECT_DOUBLE_EQ(b.capacity_mAh, 450.0);
  EXPECT_DOUBLE_EQ(b.voltage_V, 9.0);
  EXPECT_NEAR(b.temperature_factor, 0.98635, 1e-12);
  EXPECT_NEAR(b.self_discharge_per_year, 0.01, 1e-15);  // below the first point: the first point's
  EXPECT_DOUBLE_EQ(b.max_pulse_mA, 40.0);
  // The pack's 1.5 mA divides into 0.75 mA per cell: f_I halfway, 0.873.
  EXPECT_NEAR(b.capacity_vs_current.at(1.5), 0.873, 1e-12);
  // Usable at 1.5 mA: 450 × 0.98635 × 0.873 mAh; life =
  // usable / (1.5 + 450 × 0.01 / 8766) mA / 8766 h.
  const double usable = 450.0 * 0.98635 * 0.873;
  EXPECT_NEAR(b.usable_mAh(1.5), usable, 1e-9);
  const auto life = battery_life(b, 1.5);
  EXPECT_NEAR(life.years, usable / (1.5 + 450.0 * 0.01 / 8766.0) / 8766.0, 1e-12);
  EXPECT_EQ(life.bound, LifeBound::Extrapolated);
  // A light drain reaches the shelf life first.
  const auto light = battery_life(b, 0.001);
  EXPECT_DOUBLE_EQ(light.years, 10.0);
  EXPECT_EQ(light.bound, LifeBound::ShelfLife);
}

// T. von Eicken, "ESP8266 Deep-Sleep with Periodic Wakeup" and "ESP32
// Deep-Sleep with Periodic Wake-up", blog.voneicken.com, November 2018
// (measured with a uCurrent Gold and an oscilloscope): the run-time tables of
// a Wi-Fi sensor that wakes, connects and sends one TCP line, on an idealised
// 1000 mAh battery. ESP8266: 70 mA while awake for 200 ms (open access point)
// or 2 s (WPA2), 10 uA asleep, one wake-up per sleep period plus the wake
// time (the article's average is (10 uA × sleep + 70 mA × wake) / period,
// so the model's floor, drawn at all times, leaves 69.99 mA to the wake-up
// itself). ESP32: 270 ms of start-up at 50 mA, then 200 ms (open) or 900 ms
// (WPA2) at 120 mA, 10 uA asleep, one wake-up per sleep period. The wake
// cycle is a board's per-packet charge and the sleep current its floor; the
// tables give days to one decimal, so the tolerance is that rounding (0.05 d).
struct RunTimeRow {
  double sleep_min;
  double days;
};

double run_time_days(double wake_mAs, Time interval) {
  EnergyMeter m;  // no radio state is booked: the whole cycle is the board's
  const int cycles = 100;
  for (int i = 0; i < cycles; ++i) m.add_packet();
  Board b;
  b.sleep_floor_mA = 0.010;
  b.mcu_packet_mAs = wake_mAs;
  const Battery ideal = figures(1000.0, 0.0);
  const auto e = device_energy(m, interval * cycles, 0.0, b, ideal, Time::max(), kParts2);
  return e.battery_life_years * 365.25;
}

TEST(Validation, VonEickenEsp8266RunTimeTable) {
  for (const auto& [wake_s, rows] :
       {std::pair{0.2, std::array<RunTimeRow, 4>{{{60, 3000.2}, {10, 1250.4}, {1, 171.8}, {0.33, 58.7}}}},
        std::pair{2.0, std::array<RunTimeRow, 4>{{{60, 852.7}, {10, 171.8}, {1, 18.4}, {0.33, 6.5}}}}}) {
    for (const auto& row : rows) {
      const Time interval = Time::from_seconds(row.sleep_min * 60.0 + wake_s);
      EXPECT_NEAR(run_time_days(69.99 * wake_s, interval), row.days, 0.05) << row.sleep_min << " min, wake " << wake_s;
    }
  }
}

TEST(Validation, VonEickenEsp32RunTimeTable) {
  for (const auto& [wake_s, rows] :
       {std::pair{0.2, std::array<RunTimeRow, 4>{{{60, 2040.8}, {10, 574.7}, {1, 65.6}, {0.33, 21.9}}}},
        std::pair{0.9, std::array<RunTimeRow, 4>{{{60, 952.4}, {10, 196.1}, {1, 20.5}, {0.33, 6.8}}}}}) {
    for (const auto& row : rows) {
      const Time interval = Time::from_seconds(row.sleep_min * 60.0);
      EXPECT_NEAR(run_time_days(50.0 * 0.27 + 120.0 * wake_s, interval), row.days, 0.05)
          << row.sleep_min << " min, wake " << wake_s;
    }
  }
}

// A rechargeable battery charged by a solar panel, by hand, day by day:
// dawn → dusk gains the day's harvest and loses 12 h of drain (clipped at
// full), dusk → dawn loses 12 h of drain.
Battery solar_battery(double capacity_mAh, double peak_mW, double winter_h, double summer_h, double efficiency = 1.0) {
  Battery b = figures(capacity_mAh, 0.0);
  b.voltage_V = 3.6;
  attach_solar(b, SolarHarvester{peak_mW, winter_h, summer_h, efficiency});
  return b;
}

TEST(Solar, PeakSunHoursFollowTheSeasons) {
  const SolarHarvester h{100.0, 1.0, 5.0, 0.8};
  EXPECT_NEAR(h.sun_hours(355), 1.0, 1e-12);                                  // 21 December
  EXPECT_NEAR(h.sun_hours(355 - 182), 5.0, 2e-4);                             // half a year later (182.5 d)
  EXPECT_NEAR(h.daily_charge_mAh(355, 3.6), 0.8 * 100.0 * 1.0 / 3.6, 1e-12);  // 22.2 mAh
}

TEST(Solar, ADeficitEmptiesTheBatteryOnTheDayByHand) {
  // 100 mAh, 1 mA drain (12 mAh each half day), 10 mAh harvested a day
  // (10 mW × 3.6 h / 3.6 V): each day loses 14 mAh. Dawn of day n: 100 −
  // 14 n; the night after day 7 ends at 100 − 14 × 8 = −12 mAh: empty after
  // 8 days: 8 × 24 h / 8766 h a year.
  const auto life = battery_life(solar_battery(100.0, 10.0, 3.6, 3.6), 1.0);
  EXPECT_NEAR(life.years, 8.0 * 24.0 / 8766.0, 1e-12);
  EXPECT_EQ(life.bound, LifeBound::Extrapolated);
}

TEST(Solar, TheHarvestBetweenTwoInstants) {
  // 10 mAh a day (10 mW × 3.6 h / 3.6 V), spread evenly over 06:00–18:00.
  const Battery b = solar_battery(100.0, 10.0, 3.6, 3.6);
  EXPECT_NEAR(harvested_between_mAh(b, Time::zero(), Time::days(3)), 30.0, 1e-9);
  EXPECT_NEAR(harvested_between_mAh(b, Time::zero(), Time::days(3) + Time::hours(12)), 35.0, 1e-9);
  EXPECT_NEAR(harvested_between_mAh(b, Time::days(1) + Time::hours(3), Time::days(1) + Time::hours(12)), 5.0, 1e-9);
  EXPECT_NEAR(harvested_between_mAh(b, Time::days(365), Time::days(366)), 10.0, 1e-9);  // the next year
}

TEST(Solar, TheRunsBatteryCheckCarriesTheChargeForward) {
  // The battery above, drained by a 1 mA board floor and checked every 6 h:
  // each day −24 mAh + 10 mAh, never full again after the first hours:
  // 100 − 14 × 3 = 58 mAh after 3 days; 2 mAh at 7 d, below 0 at 7 d 6 h.
  const Battery b = solar_battery(100.0, 10.0, 3.6, 3.6);
  Board board;
  board.sleep_floor_mA = 1.0;
  EnergyMeter m;
  for (int k = 1; k <= 12; ++k) EXPECT_FALSE(battery_spent(m, Time::hours(6 * k), 0.0, board, b));
  EXPECT_NEAR(m.harvest.stored_mAh, 58.0, 1e-9);
  EXPECT_NEAR(charge_state(m, Time::hours(84), 0.0, board, b).state_of_charge, 0.51, 1e-9);  // 51 of 100 mAh
  for (int k = 13; k <= 28; ++k) EXPECT_FALSE(battery_spent(m, Time::hours(6 * k), 0.0, board, b)) << k;
  EXPECT_NEAR(m.harvest.stored_mAh, 2.0, 1e-9);
  EXPECT_TRUE(battery_spent(m, Time::hours(6 * 29), 0.0, board, b));
}

TEST(DeviceEnergy, ThePeakIsTheRadioOrTheBoardsHeaviestEvent) {
  // 40 mA transmitting with a 3 mA MCU: 43 mA; a board event of 120 mA (a
  // modem's boot, say) while the radio sleeps is higher; both with the 2 uA
  // floor.
  McuProfile mcu{"m", 0.001, 3.0, 3.0, "", ""};
  EnergyMeter m;
  m.add_awake(kTx, Time::milliseconds(100), 40.0);
  Board b;
  b.mcu = &mcu;
  b.sleep_floor_mA = 0.002;
  EXPECT_NEAR(peak_current_mA(m, 0.0002, b), 43.002, 1e-12);
  b.event_peak_mA = 120.0;
  EXPECT_NEAR(peak_current_mA(m, 0.0002, b), 120.002, 1e-12);
}

TEST(Solar, ManyYearsOfASmallDeficitByHand) {
  // 10 000 mAh, 0.45 mA (5.4 mAh a half day), 10 mAh a day: day 0 reaches
  // full at dusk (10 004.6 clipped to 10 000) and ends at 9994.6; every day
  // after loses 0.8 mAh, so the dawn after day d is 9994.6 − 0.8 d, below 0
  // first for d = 12 494: empty on day 12 494 = 34 × 365 + 84, i.e. after
  // 12 495 days = 12 495 × 24 / 8766 years. The whole years in between are
  // skipped, not walked.
  const auto life = battery_life(solar_battery(10000.0, 10.0, 3.6, 3.6), 0.45);
  EXPECT_NEAR(life.years, 12495.0 * 24.0 / 8766.0, 1e-9);
}

TEST(Solar, AHarvestAboveTheDrainKeepsItForever) {
  // 22.2 mAh on the darkest day against 1.2 mAh a day: energy neutral; the
  // life is the cell's shelf life when it has one, infinite otherwise.
  Battery b = solar_battery(3350.0, 100.0, 1.0, 5.0, 0.8);
  auto life = battery_life(b, 0.05);
  EXPECT_EQ(life.bound, LifeBound::EnergyNeutral);
  EXPECT_TRUE(std::isinf(life.years));
  b.shelf_life_years = 15.0;
  life = battery_life(b, 0.05);
  EXPECT_DOUBLE_EQ(life.years, 15.0);
  EXPECT_EQ(life.bound, LifeBound::EnergyNeutral);
}

}  // namespace
}  // namespace m2msim::energy
