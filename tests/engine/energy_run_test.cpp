// Class A energy per uplink, against a hand calculation.
#include <gtest/gtest.h>

#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "models/lorawan/fates.hpp"
#include "scenarios/loader.hpp"
#include "test_scenarios.hpp"

namespace m2msim {
namespace {

constexpr auto kInterference = static_cast<std::size_t>(lora::PacketFate::Interference);
constexpr auto kRadioBusy = static_cast<std::size_t>(lora::PacketFate::RadioBusy);
constexpr auto kBatteryEmpty = static_cast<std::size_t>(lora::PacketFate::BatteryEmpty);
// Indices into DeviceRecord::part_mAh (results::kChargeParts).
constexpr std::size_t kTx = 0, kRx = 1, kRadioIdle = 2, kMcu = 3, kSensors = 4, kFloor = 5, kSelfDischarge = 6;

const std::string kOneDevice =
    "name: one\n"
    "duration: 1 d\n"
    "area: { width: 1 km, height: 1 km }\n"
    "environment: { propagation: { model: log-distance, reference_distance: 1 m, reference_loss: 31.2 dB, exponent: "
    "3.0 } }\n"
    "gateways: [ { name: gw, position: [0 m, 0 m] } ]\n"
    "devices:\n"
    "  - group: meter\n"
    "    placement: { list: [[100 m, 0 m]] }\n"
    "    radio: { technology: lorawan, spreading_factor: 9, bandwidth: 125 kHz, coding_rate: 4/5, tx_power: 14 dBm }\n"
    "    traffic: { periodic: { every: 1 h }, payload: 20 B }\n"
    "    hardware: { board: none, radio: sx1276 }\n"
    "    battery: { capacity: 2600 mAh, voltage: 3.6 V, usable: 90 %, self_discharge: 1 %/year }\n";

using test::warns;

/// The one device on the bare SX1276 and a built-in `cell`, at 20 degC or
/// at `temperature`.
results::RunRecord on_cell(const std::string& cell, const std::string& temperature = "") {
  std::vector<std::string> sets{"devices.meter.hardware=sx1276", "devices.meter.battery=" + cell};
  if (!temperature.empty()) sets.push_back("devices.meter.temperature=" + temperature);
  return engine::run_native(engine::load_scenario_text(kOneDevice, "one.yaml", sets));
}

TEST(ClassAEnergy, TemperatureWithoutACurveIsSaidToChangeNothing) {
  // The LS 17500's file has no capacity-versus-temperature curve and one
  // self-discharge point: at -20 degC the life is that of 20 degC, and the
  // summary says the temperature changes nothing.
  const auto warm = on_cell("ls17500");
  const auto cold = on_cell("ls17500", "-20 degC");
  EXPECT_DOUBLE_EQ(cold.devices[0].battery_life_years, warm.devices[0].battery_life_years);
  EXPECT_FALSE(warns(warm, "temperature changes nothing"));
  EXPECT_TRUE(warns(cold, "ls17500 cell file gives no temperature dependence"));
}

TEST(ClassAEnergy, TheLs14500LosesWhatItsDatasheetSaysInTheCold) {
  // Saft's LS 14500 datasheet (Sept. 2009), restored capacity at 1 mA:
  // 2.10 Ah at -20 degC against 2.59 Ah at +20 degC. The radio alone draws
  // far below 2 mA (no derating by current), and the self-discharge is the
  // same: the life at -20 degC is 2.10 / 2.59 of the life at +20 degC.
  const auto warm = on_cell("ls14500");
  const auto cold = on_cell("ls14500", "-20 degC");
  EXPECT_NEAR(cold.devices[0].battery_life_years / warm.devices[0].battery_life_years, 2.10 / 2.59, 1e-3);
}

TEST(ClassAEnergy, ChargePerDayMatchesTheHandCalculation) {
  const auto r = engine::run_native(engine::load_scenario_text(kOneDevice, "one.yaml"));
  ASSERT_EQ(r.devices.size(), 1u);
  const auto& d = r.devices[0];
  // One uplink per hour, first at U[0, 1 h): exactly 24 in one day.
  EXPECT_EQ(d.generated, 24u);
  EXPECT_EQ(d.delivered, 24u);
  // Per uplink (SX1276 datasheet Table 6 currents; AN1200.13 time on air):
  //   TX  185.344 ms (SF9, 20 B) × 43.5 mA (14 dBm, interpolated)  = 8.062464 mA·s
  //   RX1 8 symbols × 4.096 ms   = 32.768 ms  × 11.5 mA            = 0.376832 mA·s
  //   RX2 8 symbols × 32.768 ms  = 262.144 ms × 11.5 mA (SF12)      = 3.014656 mA·s
  //   awake 0.480256 s, 11.453952 mA·s
  // Day: 24 × 11.453952 = 274.894848 mA·s awake, plus sleep
  //   (86400 − 24 × 0.480256) s × 0.0002 mA = 17.277694771 mA·s
  //   → 292.172542771 mA·s = 0.081159040 mAh; average 0.003381626 mA.
  EXPECT_NEAR(d.charge_mAh, 0.0811590397, 1e-9);
  EXPECT_NEAR(d.average_current_mA, 0.00338162665, 1e-10);
  // Battery: 2340 mAh usable; self-discharge 2600 × 0.01 / 8766 = 0.00296600 mA;
  //   life = 2340 / (0.00338163 + 0.00296600) / 8766 = 42.05 years.
  EXPECT_NEAR(d.battery_life_years, 42.05, 0.01);
}

TEST(ClassAEnergy, TheBoardsSleepFloorIsDrawnAllDay) {
  // The same day on a board drawing 10 uA at all times: 0.01 mA × 86 400 s =
  // 864 mA·s = 0.24 mAh more than the radio's 0.0811590397 mAh, and 0.01 mA
  // more on average; battery life 2340 / (0.01338163 + 0.00296600) / 8766
  // = 16.33 years.
  auto text = kOneDevice;
  text.replace(text.find("    hardware: { board: none, radio: sx1276 }\n"), 44,
               "    hardware: { board: none, radio: sx1276, sleep_floor: 10 uA }\n");
  const auto r = engine::run_native(engine::load_scenario_text(text, "one.yaml"));
  const auto& d = r.devices[0];
  EXPECT_NEAR(d.charge_mAh, 0.0811590397 + 0.24, 1e-9);
  EXPECT_NEAR(d.average_current_mA, 0.00338162665 + 0.01, 1e-10);
  EXPECT_NEAR(d.battery_life_years, 16.33, 0.01);
  EXPECT_DOUBLE_EQ(d.part_mAh[kMcu], 0.0);
  EXPECT_NEAR(d.part_mAh[kFloor], 0.24, 1e-12);
}

TEST(ClassAEnergy, TheMicrocontrollerIsCountedSeparately) {
  // The same day with an nRF52840 (PS v1.11: ICPU0 3.3 mA running,
  // ION_RAMON_RTC 3.16 uA asleep), active while the radio is awake and
  // 50 ms more per packet:
  //   active 24 × (0.480256 + 0.050) s = 12.726144 s × 3.3 mA  = 41.9962752 mA·s
  //   asleep (86400 − 12.726144) s × 0.00316 mA                = 272.983785 mA·s
  //   → 314.980060 mA·s = 0.087494461 mAh.
  const auto r = engine::run_native(engine::load_scenario_text(
      kOneDevice, "one.yaml",
      {"devices.meter.hardware={ board: none, radio: sx1276, mcu: nrf52840, mcu_active_per_packet: 50 ms }"}));
  const auto& d = r.devices[0];
  EXPECT_NEAR(d.part_mAh[kMcu], 0.087494461, 1e-9);
  // The radio's share is the 0.0811590397 mAh of the test above.
  EXPECT_NEAR(d.charge_mAh, 0.0811590397 + 0.087494461, 1e-9);
}

TEST(ClassAEnergy, TheDefaultBoardAndBatteryAreATypicalNode) {
  // `hardware: sx1276` without a board and no battery: the LoRaWAN default
  // board (data/energy/lorawan-sensor-node.yaml) with its battery (one Saft
  // LS 14500, data/batteries/ls14500.yaml). By hand, for the day above:
  //   tx, rx, radio idle: the 24 × 8.062464, 24 × 3.391488 and
  //     (86 400 − 11.526144) s × 0.2 uA of the first test;
  //   STM32L072 (datasheet front page: 0.86 uA Stop + RTC; 93 uA/MHz × 32 MHz
  //     ≈ 3.0 mA running) active while the radio is awake, 11.526144 s ×
  //     3.0 mA + (86 400 − 11.526144) s × 0.00086 mA = 108.8725 mA·s;
  //   SHT31 (SHT3x datasheet: 0.2 uA idle, 0.6 mA for 12.5 ms a reading):
  //     86 400 s × 0.0002 mA + 24 × 0.0075 mA·s = 17.46 mA·s;
  //   the board's floor, 28.74 uA (MCCI's ~30 uA for a Murata-module board
  //     less the chips' sleep currents): 86 400 s × 0.02874 mA = 2483.136 mA·s;
  //   self-discharge, 1 %/year of 2600 mAh (Saft: < 1 % a year at 20 °C):
  //     2600 × 0.01 × 24 h / 8766 h = 0.0711841 mAh.
  // Total 2901.6411 mA·s = 0.8060114 mAh, 0.0335838 mA on average: life
  // 2600 mAh / (0.0335838 + 0.0029660) mA / 8766 h = 8.115 years, below the
  // cell's 20-year shelf life.
  auto text = kOneDevice;
  text.replace(text.find("    hardware: { board: none, radio: sx1276 }\n"), 44, "    hardware: sx1276\n");
  text.erase(text.find("    battery:"));
  const auto r = engine::run_native(engine::load_scenario_text(text, "one.yaml"));
  const auto& d = r.devices[0];
  EXPECT_NEAR(d.part_mAh[kTx], 24 * 8.062464 / 3600, 1e-9);
  EXPECT_NEAR(d.part_mAh[kRx], 24 * 3.391488 / 3600, 1e-9);
  EXPECT_NEAR(d.part_mAh[kRadioIdle], (86400 - 11.526144) * 0.0002 / 3600, 1e-9);
  EXPECT_NEAR(d.part_mAh[kMcu], 108.8725195 / 3600, 1e-9);
  EXPECT_NEAR(d.part_mAh[kSensors], 17.46 / 3600, 1e-9);
  EXPECT_NEAR(d.part_mAh[kFloor], 2483.136 / 3600, 1e-9);
  EXPECT_NEAR(d.part_mAh[kSelfDischarge], 2600 * 0.01 * 24 / 8766.0, 1e-9);
  EXPECT_NEAR(d.charge_mAh, 0.8060114062, 1e-9);
  EXPECT_NEAR(d.battery_life_years, 8.115, 0.001);
  EXPECT_EQ(d.battery_life_bound, "extrapolated");
  // Sleeping: 0.2 uA radio + 0.86 uA MCU + 0.2 uA sensor + 28.74 uA = 30 uA.
  EXPECT_NEAR(d.sleep_current_mA, 0.030, 1e-12);
  // Peak: 43.5 mA transmitting + 3.0 mA MCU + 0.2 uA + 28.74 uA, within the
  // LS 14500's 250 mA pulse rating.
  EXPECT_NEAR(d.peak_current_mA, 46.52894, 1e-9);
  EXPECT_FALSE(d.over_pulse_rating);
  EXPECT_TRUE(r.groups[0].battery_warnings.empty());
}

TEST(ClassAEnergy, ACoinCellCannotFeedTheTransmitPulse) {
  // The same device on a CR2032: 43.5 mA transmitting plus the board is far
  // above the coin cell's 20 mA pulse rating (Energizer CR2032), which the
  // summary says.
  const auto r = engine::run_native(engine::load_scenario_text(
      kOneDevice, "one.yaml", {"devices.meter.hardware=sx1276", "devices.meter.battery=cr2032"}));
  const auto& d = r.devices[0];
  EXPECT_TRUE(d.over_pulse_rating);
  EXPECT_TRUE(warns(r, "pulse rating of 20 mA"));
  // The handbook gives the CR2032 no self-discharge and no shelf life, which
  // the summary also says.
  EXPECT_TRUE(warns(r, "cr2032 cell file gives no self-discharge and no shelf life"));
}

TEST(ClassAEnergy, APowerBelowTheProfilesLowestPointIsFlagged) {
  // The sx1276 profile's lowest point is 7 dBm (20 mA, SX1276 datasheet
  // Table 6, RFO pin); a group's tx_power must be on the table, but ADR may
  // take a device 100 m from its gateway down to 2 dBm (EU868: 14 dBm less
  // 6 steps of 2 dB), charged 20 mA (lorawan.md §4.3): the summary says its
  // transmit charge is an upper bound. Without ADR nothing is said.
  const std::vector<std::string> adr{"devices.meter.radio.adr=true", "devices.meter.traffic.periodic.every=5min"};
  const auto low = engine::run_native(engine::load_scenario_text(kOneDevice, "one.yaml", adr));
  ASSERT_LT(low.technology_value(low.devices[0], "tx_power_dBm"), 7.0);
  EXPECT_TRUE(warns(low, "1 of 1 devices end the run transmitting below the radio profile's lowest measured power "
                         "(7 dBm, sx1276)"));
  EXPECT_FALSE(warns(engine::run_native(engine::load_scenario_text(kOneDevice, "one.yaml")), "lowest measured power"));
}

TEST(ClassAEnergy, ACoinCellCannotFeedAListeningReceiver) {
  // Class C listens at 11.5 mA, above the CR2032's 3 mA continuous rating
  // (Energizer CR2032): the summary says so, beside the pulse warning.
  const auto r = engine::run_native(engine::load_scenario_text(
      kOneDevice, "one.yaml",
      {"devices.meter.hardware=sx1276", "devices.meter.battery=cr2032", "devices.meter.radio.class=C"}));
  EXPECT_TRUE(warns(r, "above the battery's continuous rating of 3 mA"));
  EXPECT_TRUE(warns(r, "pulse rating of 20 mA"));
}

// A battery life extrapolated from a run that holds no report of most
// devices leaves the reports out: the summary says so below the reporting
// interval (1 h here), not at it.
TEST(ClassAEnergy, ARunShorterThanTheReportingIntervalIsFlagged) {
  const auto run_for = [](const std::string& duration) {
    return engine::run_native(engine::load_scenario_text(kOneDevice, "one.yaml", {"duration=" + duration}));
  };
  EXPECT_TRUE(warns(run_for("30 min"), "the run (30 min) is shorter than the group's reporting interval (1 h)"));
  EXPECT_FALSE(warns(run_for("1 h"), "shorter than the group's reporting interval"));
}

TEST(ClassAEnergy, ALongLifeIsBoundedByTheShelfLife) {
  // One uplink a day on the low-power board (5 uA asleep): the drain alone
  // would last 2600 / (0.005 + 0.00297 + ...) / 8766 > 30 years; the LS 14500's
  // 20 years bound it, and the summary says so.
  const auto r = engine::run_native(
      engine::load_scenario_text(kOneDevice, "one.yaml",
                                 {"devices.meter.hardware=lorawan-node-lowpower", "devices.meter.battery=ls14500",
                                  "devices.meter.traffic={ periodic: { every: 1 d }, payload: 20 B }"}));
  const auto& d = r.devices[0];
  EXPECT_DOUBLE_EQ(d.battery_life_years, 20.0);
  EXPECT_EQ(d.battery_life_bound, "shelf_life");
  EXPECT_EQ(r.groups[0].battery_at_shelf_life, 1u);
  ASSERT_FALSE(r.groups[0].battery_warnings.empty());
  EXPECT_NE(r.groups[0].battery_warnings[0].find("shelf life"), std::string::npos);
}

TEST(ClassAEnergy, TheStateOfChargeIsSampledWithoutChangingTheRun) {
  // Every 6 h from 0 to 24 h: five samples of the one device. At 24 h it has
  // drawn the first test's 0.0811590397 mAh and lost 2600 × 0.01 × 24 / 8766
  // = 0.0711841205 mAh to self-discharge, of 2340 mAh usable.
  const auto plain = engine::run_native(engine::load_scenario_text(kOneDevice, "one.yaml"));
  const auto r = engine::run_native(
      engine::load_scenario_text(kOneDevice, "one.yaml", {"outputs={ state_of_charge: { devices: 1, every: 6 h } }"}));
  ASSERT_EQ(r.state_of_charge.size(), 5u);
  EXPECT_DOUBLE_EQ(r.state_of_charge[0].state_of_charge, 1.0);
  const auto& last = r.state_of_charge.back();
  EXPECT_DOUBLE_EQ(last.time_s, 86400.0);
  EXPECT_NEAR(last.drawn_mAh, 0.0811590397, 1e-9);
  EXPECT_NEAR(last.self_discharged_mAh, 2600 * 0.01 * 24 / 8766.0, 1e-12);
  EXPECT_NEAR(last.state_of_charge, 1.0 - (0.0811590397 + 2600 * 0.01 * 24 / 8766.0) / 2340.0, 1e-12);
  // Charge only grows.
  for (std::size_t i = 1; i < r.state_of_charge.size(); ++i)
    EXPECT_GE(r.state_of_charge[i].drawn_mAh, r.state_of_charge[i - 1].drawn_mAh);
  // The run is the same: events, charge.
  EXPECT_EQ(r.events, plain.events);
  EXPECT_DOUBLE_EQ(r.devices[0].charge_mAh, plain.devices[0].charge_mAh);
}

TEST(ClassAEnergy, AHarvestThatCoversTheDrainKeepsTheDeviceRunning) {
  // A class C device listens at 11.5 mA, 276 mAh a day: on its own an
  // NCR18650B (3350 mAh, 90 % usable) lasts about 11 days of a 30-day run.
  // A 5 W panel with 1 peak sun hour in December gives 0.7 × 5000 mW × 1 h
  // / 3.6 V = 972 mAh a day: the battery never runs out, during the run as
  // in the battery life.
  const std::vector<std::string> sets{"duration=30d", "devices.meter.radio.class=C",
                                      "devices.meter.battery={ cell: ncr18650b, usable: 90 % }"};
  const auto alone = engine::run_native(engine::load_scenario_text(kOneDevice, "one.yaml", sets));
  EXPECT_TRUE(alone.devices[0].battery_empty);
  auto with_panel = sets;
  with_panel.back() =
      "devices.meter.battery={ cell: ncr18650b, usable: 90 %, solar: { peak_power: 5 W, sun_hours_winter: 1 h, "
      "sun_hours_summer: 5 h, efficiency: 70 % } }";
  const auto r = engine::run_native(engine::load_scenario_text(kOneDevice, "one.yaml", with_panel));
  EXPECT_FALSE(r.devices[0].battery_empty);
  EXPECT_EQ(r.devices[0].battery_life_bound, "energy_neutral");
}

TEST(ClassAEnergy, ABatteryThatRunsOutStopsTheDevice) {
  // 0.05 mAh lasts about 15 uplinks of 11.45 mA·s (0.00318 mAh) each:
  // afterwards every packet gets the fate battery_empty.
  const auto r = engine::run_native(
      engine::load_scenario_text(kOneDevice, "one.yaml", {"devices.meter.battery.capacity=0.05 mAh"}));
  const auto& d = r.devices[0];
  EXPECT_TRUE(d.battery_empty);
  EXPECT_EQ(d.generated, 24u);
  EXPECT_GT(d.fates[kBatteryEmpty], 0u);
  EXPECT_EQ(d.delivered + d.fates[kBatteryEmpty], 24u);
  // Spent 0.9·0.05 = 0.045 mAh usable; each uplink 0.00318 mAh plus sleep:
  // the device stops after ceil(0.045 / 0.00318...) ≈ 14–15 uplinks.
  EXPECT_GE(d.delivered, 13u);
  EXPECT_LE(d.delivered, 15u);
  // Its battery life is the time it ran out (within the day's 13th–16th
  // hour: uplinks are hourly), not an extrapolation.
  EXPECT_GT(d.battery_life_years * 8766.0, 12.0);
  EXPECT_LT(d.battery_life_years * 8766.0, 16.0);
  // The charge counts up to then: at least the 14 uplinks' 14 × 11.453952
  // mA·s = 0.04454 mAh, less than the whole day's 24 × 0.480256 s awake and
  // sleep would have drawn (0.0493 mAh).
  EXPECT_GT(d.charge_mAh, 14 * 11.453952 / 3600.0);
  EXPECT_LT(d.charge_mAh, 0.049);
  // The report's breakdown is each part's current over the time the device
  // ran (until empty, not the day): the device parts add up to its average
  // current, which is its charge over that time.
  const double ran_s = d.battery_life_years * 8766.0 * 3600.0;
  EXPECT_NEAR(d.average_current_mA, d.charge_mAh * 3600.0 / ran_s, 1e-9);
  double device_parts = 0.0;
  for (std::size_t p = 0; p + 1 < results::kChargeParts.size(); ++p) device_parts += r.groups[0].mean_part_mA[p];
  EXPECT_NEAR(device_parts, d.average_current_mA, 1e-12);
}

// One alkaline AA (1.5 V, Energizer E91) on the SX1276, whose currents are
// given at 3.3 V: a real device needs a boost converter (or two cells in
// series); the summary says so. Two in series, 3 V, pass (above 0.75 × 3.3 V).
TEST(ClassAEnergy, ACellFarBelowTheRadiosSupplyIsFlagged) {
  const std::string text = "the battery's 1.5 V is far below the 3.3 V at which the sx1276's currents are given";
  EXPECT_TRUE(warns(on_cell("e91"), text));
  EXPECT_FALSE(warns(on_cell("{cell: e91, series: 2}"), "far below"));
}

// A constant temperature outside the cell's range is named as one (90 degC,
// above the LS 14500's +85 degC), not as a range from 90 to 90.
TEST(ClassAEnergy, AConstantTemperatureOutsideTheRangeIsNamedOnce) {
  const auto r = on_cell("ls14500", "90 degC");
  EXPECT_TRUE(warns(r, "the temperature is 90 degC, outside the cell's operating range -60 to 85 degC"));
}

}  // namespace
}  // namespace m2msim

namespace m2msim {
namespace {

std::string back_to_back(const std::string& period) {
  return "name: back-to-back\n"
         "duration: 10 s\n"
         "area: { width: 1 km, height: 1 km }\n"
         "environment: { propagation: { model: log-distance, reference_distance: 1 m, reference_loss: 31.2 dB, "
         "exponent: 3.0 } }\n"
         "gateways: [ { name: gw, position: [0 m, 0 m] } ]\n"
         "devices:\n"
         "  - group: d\n"
         "    placement: { list: [[100 m, 0 m]] }\n"
         "    radio: { technology: lorawan, spreading_factor: 7, receive_windows: false, duty_cycle: false }\n"
         "    traffic: { periodic: { every: " +
         period +
         " }, payload: 12 B }\n"
         "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n";
}

TEST(RadioBusy, TheEndInstantIsBusyWhicheverEventRunsFirst) {
  // Period = half the time on air (20.608 ms of 41.216 ms): after a packet
  // sent at t, the ones due at t + T/2 (mid-air) and t + T (the end instant,
  // whose generation event was scheduled after the end event) are dropped
  // and the one at t + 3T/2 is sent: one in three is sent.
  const auto r = engine::run_native(engine::load_scenario_text(back_to_back("20608 us"), "b2b.yaml"));
  const auto& d = r.devices[0];
  EXPECT_NEAR(static_cast<double>(d.sent), static_cast<double>(d.generated) / 3.0, 1.0);
  EXPECT_EQ(d.fates[kInterference], 0u);
}

TEST(RadioBusy, APacketDueExactlyWhenTheLastOneEndsIsDroppedNotSentOverIt) {
  // Period = time on air (SF7, 12 B: 8 + ceil((96 − 28 + 44)/28)·5 = 28
  // symbols; (12.25 + 28) × 1.024 ms = 41.216 ms): every packet is generated
  // at the instant the previous one ends. The radio is still transmitting in
  // that instant, so each such packet is dropped as radio_busy and every
  // transmission that is sent gets exactly one fate.
  const auto r = engine::run_native(engine::load_scenario_text(back_to_back("41216 us"), "b2b.yaml"));
  const auto& d = r.devices[0];
  std::uint64_t fates = 0;
  for (auto f : d.fates) fates += f;
  EXPECT_EQ(fates, d.generated);
  EXPECT_EQ(d.fates[kInterference], 0u) << "a device must not interfere with itself";
  // Alternate packets are sent and delivered; the ones in between are dropped.
  EXPECT_NEAR(static_cast<double>(d.delivered), static_cast<double>(d.generated) / 2.0, 1.0);
  EXPECT_NEAR(static_cast<double>(d.fates[kRadioBusy]), static_cast<double>(d.generated) / 2.0, 1.0);
}

}  // namespace
}  // namespace m2msim
