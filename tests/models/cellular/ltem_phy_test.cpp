// LTE-M numerology against the 3GPP tables, worked out by hand.
#include "models/cellular/ltem_phy.hpp"

#include <gtest/gtest.h>

namespace m2msim::cellular::ltem {
namespace {

TEST(LtemPhy, TransportBlockSizesAreTheStandardsTableCappedAtCategoryM1) {
  // TS 36.213 Table 7.1.7.2.1-1, first six columns.
  EXPECT_EQ(tbs_bits(0, 1), 16);
  EXPECT_EQ(tbs_bits(0, 6), 152);
  EXPECT_EQ(tbs_bits(5, 3), 224);
  EXPECT_EQ(tbs_bits(6, 1), 328);  // the table's own value (not the 88 its neighbours suggest)
  EXPECT_EQ(tbs_bits(6, 2), 176);
  // The nRF9160's TAU measurement: 6 resource blocks at TBS index 9.
  EXPECT_EQ(tbs_bits(9, 6), 936);
  EXPECT_EQ(tbs_bits(11, 5), 1000);
  EXPECT_EQ(tbs_bits(14, 3), 840);
  // Above category M1's 1000 bits (TS 36.306 §4.1A): the table has 1032,
  // 1128 and 1736 bits here, an M1 device none.
  EXPECT_EQ(tbs_bits(10, 6), 0);
  EXPECT_EQ(tbs_bits(14, 4), 0);
  EXPECT_EQ(tbs_bits(14, 6), 0);
  // Outside the table.
  EXPECT_EQ(tbs_bits(15, 1), 0);
  EXPECT_EQ(tbs_bits(0, 7), 0);
  EXPECT_EQ(tbs_bits(-1, 1), 0);
}

TEST(LtemPhy, AMessageIsCutIntoBlocksOfTheAllocation) {
  // 88 bits (Msg3) at I_TBS 3: 1 PRB carries 40, 2 PRBs 104.
  EXPECT_EQ(prbs_for(3, 88), 2);
  EXPECT_EQ(prbs_for(3, 88, 1), std::nullopt);
  // 632 bits at I_TBS 9 on 6 PRBs: one block of 936.
  auto g = segments(9, 6, 632);
  EXPECT_EQ(g.full, 0);
  EXPECT_EQ(g.tail_prbs, 5);  // TBS(9, 5) = 776 ≥ 632, TBS(9, 4) = 616 < 632
  // 632 bits at I_TBS 3 on 2 PRBs: 6 blocks of 104 (624 bits), then 8 bits
  // in one PRB (40).
  g = segments(3, 2, 632);
  EXPECT_EQ(g.full, 6);
  EXPECT_EQ(g.tail_prbs, 1);
  // A cap above what the category allows falls back to the largest block it
  // does: at I_TBS 12, 6 PRBs (1352 bits) and 5 (1128) exceed 1000 bits,
  // so 1808 bits go in two blocks of 4 PRBs (904).
  g = segments(12, 6, 1808);
  EXPECT_EQ(g.full, 2);
  EXPECT_EQ(g.tail_prbs, 0);
  EXPECT_EQ(g.full_prbs, 4);  // the blocks are sent, and booked, on 4 PRBs
  EXPECT_EQ(segments(3, 2, 632).full_prbs, 2);
}

TEST(LtemPhy, DurationsAreWholeSubframes) {
  EXPECT_EQ(block_duration(1), Time::milliseconds(1));
  EXPECT_EQ(block_duration(512), Time::milliseconds(512));
  // PRACH configuration index 3: one PRACH subframe per 10 ms frame; 8
  // repetitions span 7 × 10 ms + 1 ms.
  EXPECT_EQ(preamble_span(1), Time::milliseconds(1));
  EXPECT_EQ(preamble_span(8), Time::milliseconds(71));
  EXPECT_EQ(preamble_span(128), Time::milliseconds(1271));
}

}  // namespace
}  // namespace m2msim::cellular::ltem
