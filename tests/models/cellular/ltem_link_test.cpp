// LTE-M uplink link adaptation: the attenuated Shannon threshold by hand,
// and the allocations it picks at a strong and at the weakest link.
#include "models/cellular/ltem_link.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace m2msim::cellular::ltem {
namespace {

TEST(LtemLink, RequiredSnrIsTheAttenuatedShannonBound) {
  // 16 bits + 24 CRC on one PRB (144 REs): r = 0.2778 bit/RE;
  // 10·log10(2^(0.2778/0.4) − 1) = −2.088 dB; 8 repetitions at 1.75 dB per
  // doubling: −7.338 dB.
  EXPECT_NEAR(pusch_required_snr_dB(16, 1, 1, 1.75), -2.088, 0.001);
  EXPECT_NEAR(pusch_required_snr_dB(16, 1, 8, 1.75), -7.338, 0.001);
  // 680 bits on 3 PRBs: r = 704 / 432 = 1.630; 11.998 dB.
  EXPECT_NEAR(pusch_required_snr_dB(680, 3, 1, 1.75), 11.998, 0.001);
}

TEST(LtemLink, AStrongDeviceSendsAReportInOneSubframe) {
  // 50 B + 29 B of headers = 632 bits at 30 dB on one 15 kHz subcarrier.
  // Only blocks of at least 632 bits take a single subframe; 2 PRBs carry
  // at most 552 (I_TBS 14), 3 PRBs 680 at I_TBS 12, which needs 11.998 dB
  // per subcarrier: 30 − 10·log10(36) = 14.44 dB is enough.
  const auto a = adapt_uplink(30.0, 632, kModeA, 1.75);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->prbs, 3);
  EXPECT_EQ(a->itbs, 12);
  EXPECT_EQ(a->repetitions, 1);
}

TEST(LtemLink, AtTheMaximumCouplingLossMsg3StillDecodesInCeModeB) {
  // TR 36.888's LTE-M target, 155.7 dB, with a 23 dBm device and a 5 dB
  // eNB noise figure: SNR on one 15 kHz subcarrier
  // 23 − 155.7 − (−174 + 10·log10(15 000) + 5) = −5.46 dB.
  const double snr15 = 23.0 - 155.7 - (-174.0 + 10.0 * std::log10(15e3) + 5.0);
  // Msg3 (88 bits) in CE mode B (≤ 2 PRBs, I_TBS ≤ 10). By hand, the
  // fewest subframes: 2 PRBs at I_TBS 0 (32-bit blocks, −3.97 dB at one
  // repetition), 3 blocks; per subcarrier −5.46 − 13.80 = −19.26 dB, so
  // 15.29 dB of repetition gain: 9 doublings, 512 repetitions, 1536
  // subframes (1 PRB at I_TBS 1 needs 4 × 512 = 2048; 2 PRBs at I_TBS 1,
  // 2 × 1024 = 2048).
  const auto a = adapt_uplink(snr15, 88, kModeB, 1.75);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->prbs, 2);
  EXPECT_EQ(a->itbs, 0);
  EXPECT_EQ(a->repetitions, 512);
  // CE mode A (at most 32 repetitions) cannot serve it.
  EXPECT_FALSE(adapt_uplink(snr15, 88, kModeA, 1.75).has_value());
}

TEST(LtemLink, EachBlocksGrantCountsAgainstManySmallBlocks) {
  // A 632-bit report at 150 dB (CE level 2, mode B): SNR on one 15 kHz
  // subcarrier 23 − 150 − (−174 + 41.761 + 5) = 0.239 dB; −10.553 dB per
  // subcarrier on 1 PRB, −13.563 dB on 2. Counting transmit subframes only
  // (TS 36.213 Table 7.1.7.2.1-1 sizes; thresholds at one repetition as
  // RequiredSnrIsTheAttenuatedShannonBound): 1 PRB at I_TBS 2 (32 bits,
  // −0.169 dB: 5.93 doublings, 64 repetitions) 20 blocks; 2 PRBs at I_TBS 0
  // (32 bits, −3.972 dB: 64) 20 blocks; 1 PRB at I_TBS 0 (16 bits: 32) 40
  // blocks: all 1280 subframes. Of those the fewest blocks, then the fewest
  // PRBs: 1 PRB at I_TBS 2.
  const double snr15 = 23.0 - 150.0 - (-174.0 + 10.0 * std::log10(15e3) + 5.0);
  const auto a = adapt_uplink(snr15, 632, kModeB, 1.75);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->prbs, 1);
  EXPECT_EQ(a->itbs, 2);
  EXPECT_EQ(a->repetitions, 64);
  // Each block waits for its grant: CE level 2's search space every
  // 2 × Rmax = 128 ms, R = 64 subframes read, the PUSCH 4 ms later; the
  // next grant at the first occasion after the block. The message's time:
  // half a period to the first occasion, then per block R + 4 ms + its
  // repetitions, rounded up to whole periods but for the last; the cost
  // adds the transmit time:
  //   1 PRB, I_TBS 2, 64: 64 + 19 × 256 + 132 = 5060 ms, + 1280 = 6340;
  //   1 PRB, I_TBS 5 (72 bits, 3.374 dB: 7.96 doublings, 256), 9 blocks:
  //     64 + 8 × 384 + 324 = 3460 ms, + 2304 = 5764 (2 PRBs at I_TBS 2,
  //     72 bits, tie with more PRBs);
  //   1 PRB, I_TBS 3 (40 bits, 128), 16 blocks: 64 + 15 × 256 + 196 =
  //     4100 ms, + 2048 = 6148;
  //   2 PRBs, I_TBS 4 (120 bits, 512), 6 blocks: 3844 ms, + 3072 = 6916.
  const nbiot::GrantTiming ce2{Time::milliseconds(128), Time::milliseconds(64), Time::milliseconds(4)};
  EXPECT_EQ(ce2.message(9, Time::milliseconds(256), Time::milliseconds(256)), Time::milliseconds(3460));
  EXPECT_EQ(ce2.message(20, Time::milliseconds(64), Time::milliseconds(64)), Time::milliseconds(5060));
  const auto g = adapt_uplink(snr15, 632, kModeB, 1.75, ce2);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->prbs, 1);
  EXPECT_EQ(g->itbs, 5);
  EXPECT_EQ(g->repetitions, 256);
}

}  // namespace
}  // namespace m2msim::cellular::ltem
