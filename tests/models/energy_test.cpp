#include "models/energy/energy.hpp"

#include <gtest/gtest.h>

namespace m2msim::energy {
namespace {

TEST(CurrentProfile, Sx1276TableValuesComeFromTheDatasheet) {
  // SX1276 datasheet Rev. 7, Table 6: 20 mA @ +7 dBm, 29 mA @ +13 dBm (RFO),
  // 87 mA @ +17 dBm, 120 mA @ +20 dBm (PA_BOOST); RX 11.5 mA; sleep 0.2 uA.
  const CurrentProfile* p = find_profile("sx1276");
  ASSERT_NE(p, nullptr);
  EXPECT_DOUBLE_EQ(p->tx_mA(7), 20.0);
  EXPECT_DOUBLE_EQ(p->tx_mA(13), 29.0);
  EXPECT_DOUBLE_EQ(p->tx_mA(17), 87.0);
  EXPECT_DOUBLE_EQ(p->tx_mA(20), 120.0);
  EXPECT_DOUBLE_EQ(p->rx_mA, 11.5);
  EXPECT_DOUBLE_EQ(p->sleep_mA, 0.0002);
  // Between points, linear in dBm: 14 dBm → 29 + (87 − 29)·(14 − 13)/(17 − 13) = 43.5 mA.
  EXPECT_DOUBLE_EQ(p->tx_mA(14), 43.5);
  EXPECT_EQ(find_profile("nrf52"), nullptr);
}

TEST(EnergyMeter, ChargeIsCurrentTimesTimePerStatePlusSleep) {
  EnergyMeter m;
  m.add_awake(RadioState::Tx, Time::milliseconds(100), 40.0);  // 4 mA·s
  m.add_awake(RadioState::Rx, Time::milliseconds(200), 10.0);  // 2 mA·s
  // 10 s window: 9.7 s asleep at 0.01 mA = 0.097 mA·s → 6.097 mA·s.
  EXPECT_NEAR(m.charge_mAs(Time::seconds(10), 0.01), 6.097, 1e-12);
  EXPECT_EQ(m.time_in(RadioState::Tx), Time::milliseconds(100));
  EXPECT_NEAR(m.charge_in_mAs(RadioState::Rx), 2.0, 1e-12);
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
