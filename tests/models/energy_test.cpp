#include "models/energy/energy.hpp"

#include <gtest/gtest.h>

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

TEST(EnergyMeter, TheMcuIsActiveWhileTheRadioIsAwakeAndForItsOwnTasks) {
  // nRF52840 PS v1.11: 3.3 mA running, 3.16 uA in System ON sleep with RTC.
  McuProfile mcu{"nrf52840", 0.00316, 3.3, 3.0, "", ""};
  EnergyMeter m;
  m.add_awake(kTx, Time::milliseconds(100), 40.0);
  m.add_mcu_active(Time::milliseconds(50));
  // 60 s window: MCU active 0.15 s × 3.3 mA = 0.495 mA·s, asleep
  // 59.85 s × 0.00316 mA = 0.189126 mA·s → 0.684126 mA·s.
  EXPECT_NEAR(m.mcu_charge_mAs(Time::seconds(60), mcu), 0.684126, 1e-12);
  // The radio's own charge is unchanged by the MCU: 4 mA·s + 59.9 s × 0.0002 mA.
  EXPECT_NEAR(m.charge_mAs(Time::seconds(60), 0.0002), 4.01198, 1e-12);
  EXPECT_NEAR(m.total_charge_mAs(Time::seconds(60), 0.0002, &mcu), 4.01198 + 0.684126, 1e-12);
  EXPECT_NEAR(m.total_charge_mAs(Time::seconds(60), 0.0002, nullptr), 4.01198, 1e-12);
}

TEST(DeviceEnergy, RadioMcuAndBoardFloorByHand) {
  // 100 ms of tx at 40 mA (4 mA·s) in a 100 s window; radio idle 0.001 mA
  // (99.9 s → 0.0999 mA·s); no MCU; a 5 uA board floor: 0.005 mA × 100 s =
  // 0.5 mA·s. Total 4.5999 mA·s = 0.00127775 mAh; average 0.045999 mA.
  EnergyMeter m;
  m.add_awake(kTx, Time::milliseconds(100), 40.0);
  const Board board{nullptr, 0.005};
  const Battery battery{1.0, 3.0, 1.0, 0.0};  // 1 mAh
  const auto e = device_energy(m, Time::seconds(100), 0.001, board, battery, Time::max());
  EXPECT_NEAR(e.charge_mAh, 4.5999 / 3600.0, 1e-15);
  EXPECT_NEAR(e.average_current_mA, 0.045999, 1e-15);
  EXPECT_FALSE(e.battery_empty);
  // 1 mAh at 0.045999 mA: 21.74 h = 0.0024800 years.
  EXPECT_NEAR(e.battery_life_years, 1.0 / 0.045999 / 8766.0, 1e-12);
  // Spent: after 1 mAh = 3600 mA·s; at 100 s only 4.5999 mA·s are drawn.
  EXPECT_FALSE(battery_spent(m, Time::seconds(100), 0.001, board, battery));
  const Board heavy{nullptr, 40.0};  // 40 mA × 100 s = 4000 mA·s > 3600
  EXPECT_TRUE(battery_spent(m, Time::seconds(100), 0.001, heavy, battery));
}

TEST(BatteryLife, UsableChargeOverAverageCurrent) {
  // 1000 mAh fully usable at 1 mA: 1000 h = 1000 / 8766 years = 0.114077 years.
  Battery b{1000.0, 3.6, 1.0, 0.0};
  EXPECT_NEAR(battery_life_years(b, 1.0), 0.114077, 1e-6);
  // 90 % usable: 900 h.
  b.usable_fraction = 0.9;
  EXPECT_NEAR(battery_life_years(b, 1.0), 900.0 / 8766.0, 1e-12);
}

TEST(BatteryLife, SelfDischargeActsAsAConstantExtraCurrent) {
  // 1000 mAh losing 87.66 %/year = 876.6 mAh / 8766 h = 0.1 mA; with 0.9 mA
  // drawn the total is 1.0 mA → 1000 h.
  Battery b{1000.0, 3.6, 1.0, 0.8766};
  EXPECT_NEAR(battery_life_years(b, 0.9), 1000.0 / 8766.0, 1e-12);
}

}  // namespace
}  // namespace m2msim::energy
