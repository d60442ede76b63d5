// Receiver sensitivity tables against their datasheets, and the required
// demodulation SNR.
#include "models/lorawan/sensitivity.hpp"

#include <gtest/gtest.h>

#include "models/lorawan/lora_network.hpp"

namespace m2msim::lora {
namespace {

double at(const char* table, int sf, std::uint32_t bw) {
  return *sensitivity_dBm(*find_sensitivity_table(table), sf, bw);
}

TEST(Sensitivity, Sx1276Datasheet) {
  // SX1276/77/78/79 datasheet Rev. 7, §2.5.5, RFS_L125_HF / RFS_L250_HF /
  // RFS_L500_HF: SF7 −123 / −120 / −116 dBm, SF12 −136 / −133 / −130 dBm.
  EXPECT_EQ(at("sx1276", 7, 125000), -123.0);
  EXPECT_EQ(at("sx1276", 7, 500000), -116.0);
  EXPECT_EQ(at("sx1276", 12, 125000), -136.0);
  EXPECT_EQ(at("sx1276", 12, 250000), -133.0);
  EXPECT_EQ(at("sx1276", 9, 125000), -129.0);
}

TEST(Sensitivity, Sx1272Datasheet) {
  // SX1272/73 datasheet (Rev 2, p. 19): 125 kHz SF7..SF12 −124, −127,
  // −130, −133, −135, −137 dBm; 500 kHz SF12 −129 dBm.
  const double expected[] = {-124, -127, -130, -133, -135, -137};
  for (int sf = 7; sf <= 12; ++sf) EXPECT_EQ(at("sx1272", sf, 125000), expected[sf - 7]) << sf;
  EXPECT_EQ(at("sx1272", 12, 500000), -129.0);
}

TEST(Sensitivity, Sx1262DatasheetEndpoints) {
  // SX1261/2 datasheet Table 3-8 (RX boosted gain): SF7 / SF12 at 125 kHz
  // −124 / −137 dBm, 250 kHz −121 / −134 dBm, 500 kHz −117 / −129 dBm.
  EXPECT_EQ(at("sx1262", 7, 125000), -124.0);
  EXPECT_EQ(at("sx1262", 12, 125000), -137.0);
  EXPECT_EQ(at("sx1262", 7, 250000), -121.0);
  EXPECT_EQ(at("sx1262", 12, 250000), -134.0);
  EXPECT_EQ(at("sx1262", 7, 500000), -117.0);
  EXPECT_EQ(at("sx1262", 12, 500000), -129.0);
  // Interpolated in between, 13 dB over 5 SF steps at 125 kHz: SF9 = −129.2 dBm.
  EXPECT_NEAR(at("sx1262", 9, 125000), -129.2, 1e-9);
}

TEST(Sensitivity, Bor2016MeasuredTable) {
  // Bor et al., MSWiM 2016, Table 3 (SX1272 measured): SF7/125 −126.5,
  // SF12/125 −133.25, SF12/500 −132.25 dBm.
  EXPECT_EQ(at("bor2016", 7, 125000), -126.5);
  EXPECT_EQ(at("bor2016", 12, 125000), -133.25);
  EXPECT_EQ(at("bor2016", 12, 500000), -132.25);
}

TEST(Sensitivity, OutsideTheTableIsNone) {
  EXPECT_FALSE(sensitivity_dBm(*find_sensitivity_table("sx1276"), 6, 125000).has_value());
  EXPECT_FALSE(sensitivity_dBm(*find_sensitivity_table("sx1276"), 7, 62500).has_value());
  EXPECT_EQ(find_sensitivity_table("sx1280"), nullptr);
}

TEST(RequiredSnr, SemtechDemodulatorFloor) {
  // SX1276 datasheet Table 13 (the same in SX126x Table 6-1): SF7 −7.5,
  // SF8 −10, SF9 −12.5, SF10 −15, SF11 −17.5, SF12 −20 dB.
  const double expected[] = {-7.5, -10, -12.5, -15, -17.5, -20};
  for (int sf = 7; sf <= 12; ++sf) EXPECT_DOUBLE_EQ(required_snr_dB(sf), expected[sf - 7]) << sf;
}

}  // namespace
}  // namespace m2msim::lora
