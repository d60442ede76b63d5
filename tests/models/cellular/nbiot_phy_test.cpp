// NB-IoT numerology against the 3GPP tables, evaluated by hand.
#include "models/cellular/nbiot_phy.hpp"

#include <gtest/gtest.h>

namespace m2msim::cellular::nbiot {
namespace {

TEST(NbiotPhy, ResourceUnitsLastAsTs36211Table10_1_2_3_1Says) {
  // TS 36.211 Table 10.1.2.3-1: N_slots^UL = 16, 8, 4, 2 for 1, 3, 6, 12
  // subcarriers at 15 kHz (slot 0.5 ms, §10.1.2.1); 16 slots of 2 ms for one
  // 3.75 kHz subcarrier.
  EXPECT_EQ(*npusch_ru_duration(Spacing::Khz15, 1), Time::milliseconds(16 / 2));
  EXPECT_EQ(*npusch_ru_duration(Spacing::Khz15, 3), Time::milliseconds(8 / 2));
  EXPECT_EQ(*npusch_ru_duration(Spacing::Khz15, 6), Time::milliseconds(4 / 2));
  EXPECT_EQ(*npusch_ru_duration(Spacing::Khz15, 12), Time::milliseconds(2 / 2));
  EXPECT_EQ(*npusch_ru_duration(Spacing::Khz3_75, 1), Time::milliseconds(16 * 2));
  EXPECT_FALSE(npusch_ru_duration(Spacing::Khz3_75, 3));
  EXPECT_FALSE(npusch_ru_duration(Spacing::Khz15, 2));
  // Format 2 (HARQ-ACK): 4 slots of one subcarrier.
  EXPECT_EQ(npusch_ack_ru_duration(Spacing::Khz15), Time::milliseconds(4 / 2));
  EXPECT_EQ(npusch_ack_ru_duration(Spacing::Khz3_75), Time::milliseconds(4 * 2));
}

TEST(NbiotPhy, NpuschTransportBlocksFollowTs36213Table16_5_1_2_2) {
  // Rows of TS 36.213 v13.2.0 Table 16.5.1.2-2 (also srsRAN
  // lib/src/phy/phch/tbs_tables_nbiot.h, tbs_table_npusch).
  EXPECT_EQ(npusch_tbs_bits(0, 0), 16);
  EXPECT_EQ(npusch_tbs_bits(0, 7), 256);
  EXPECT_EQ(npusch_tbs_bits(4, 3), 256);
  EXPECT_EQ(npusch_tbs_bits(6, 7), 1000);
  EXPECT_EQ(npusch_tbs_bits(7, 6), 1000);
  EXPECT_EQ(npusch_tbs_bits(7, 7), 0);  // Rel-13: no block above 1000 bits
  EXPECT_EQ(npusch_tbs_bits(10, 5), 1000);
  EXPECT_EQ(npusch_tbs_bits(12, 0), 208);
  EXPECT_EQ(npusch_tbs_bits(12, 3), 1000);
  EXPECT_EQ(npusch_tbs_bits(12, 4), 0);
  EXPECT_EQ(npusch_tbs_bits(13, 0), 0);  // I_TBS 13 is Rel-14
  // 20 B of payload with 29 B of headers = 392 bits: at I_TBS 6 the smallest
  // block is 392 (I_RU 3, 4 RUs).
  EXPECT_EQ(npusch_iru_for(6, 392), 3);
  EXPECT_EQ(npusch_iru_for(0, 257), std::nullopt);
}

TEST(NbiotPhy, NpdschTransportBlocksFollowTs36213Table16_4_1_5_1_1) {
  EXPECT_EQ(npdsch_tbs_bits(0, 0), 16);
  EXPECT_EQ(npdsch_tbs_bits(4, 7), 680);
  EXPECT_EQ(npdsch_tbs_bits(5, 7), 0);  // Rel-13 NPDSCH: at most 680 bits
  EXPECT_EQ(npdsch_tbs_bits(7, 5), 680);
  EXPECT_EQ(npdsch_tbs_bits(12, 2), 680);
  EXPECT_EQ(npdsch_isf_for(2, 100), 2);  // 144 bits in 3 subframes
}

TEST(NbiotPhy, AirTimesAreUnitsTimesRepetitions) {
  // 4 RUs of 12 tones (1 ms) sent twice: 8 ms; 10 RUs of one 3.75 kHz tone
  // (32 ms) sent 128 times: 40.96 s; I_SF 6 (8 subframes) sent 16 times: 128 ms.
  EXPECT_EQ(npusch_duration(Spacing::Khz15, 12, 3, 2), Time::milliseconds(8));
  EXPECT_EQ(npusch_duration(Spacing::Khz3_75, 1, 7, 128), Time::milliseconds(40'960));
  EXPECT_EQ(npdsch_duration(6, 16), Time::milliseconds(128));
}

TEST(NbiotPhy, PreambleRepetitionIsFourSymbolGroups) {
  // TS 36.211 Table 10.1.6.1-1: T_CP = 2048·Ts (format 0) or 8192·Ts
  // (format 1), T_SEQ = 5·8192·Ts, Ts = 1/30.72 MHz; four symbol groups:
  // 4 × (66.67 + 1333.33) us = 5.6 ms and 4 × (266.67 + 1333.33) us = 6.4 ms.
  EXPECT_EQ(nprach_repetition_duration(PreambleFormat::F0), Time::microseconds(5600));
  EXPECT_EQ(nprach_repetition_duration(PreambleFormat::F1), Time::microseconds(6400));
}

/// SIB1-NB with `repetitions`, no other system-information message.
DownlinkConfig sib1_only(int repetitions) {
  DownlinkConfig c;
  c.sib1_repetitions = repetitions;
  return c;
}

TEST(NbiotPhy, DownlinkChannelsSkipTheSynchronisationAndBroadcastSubframes) {
  // TS 36.211 §10.2.4 (NPBCH: subframe 0 of every frame), §10.2.7.1 (NPSS:
  // subframe 5 of every frame), §10.2.7.2 (NSSS: subframe 9 of frames with
  // n_f mod 2 = 0); SIB1-NB with 16 repetitions (TS 36.213 Table 16.4.1.3-4,
  // PCI even: from frame 0; TS 36.331 §5.2.1.2a: subframe 4 of every other
  // frame in 16 frames, every 256 / 16 = 16 frames): subframe 4 of every even
  // frame. Frames 0 and 1 lose subframes 0, 4, 5, 9 and 10, 15: 14 of 20 are
  // valid, 1792 of the 2560 of 256 frames.
  const DownlinkPattern& p = downlink_pattern(sib1_only(16));
  for (const int k : {0, 4, 5, 9, 10, 15, 20, 24, 25, 29, 30, 35}) EXPECT_TRUE(p.reserved(k)) << k;
  for (const int k : {1, 3, 6, 8, 11, 14, 16, 19, 21, 34, 39}) EXPECT_FALSE(p.reserved(k)) << k;
  EXPECT_EQ(p.valid_per_period(), 1792);
  const auto ms = [](std::int64_t v) { return Time::milliseconds(v); };
  // A transmission waits for a subframe boundary and a valid subframe.
  EXPECT_EQ(p.start(ms(0)), ms(1));
  EXPECT_EQ(p.start(Time::microseconds(3500)), ms(6));
  EXPECT_EQ(p.start(Time::microseconds(4200)), ms(6));
  EXPECT_EQ(p.start(ms(9)), ms(11));
  // 8 subframes from 16: 16-19, 21-23, 26 (20, 24, 25 taken): to 27. 14 from
  // 0: 1-3, 6-8, 11-14, 16-19: to 20, a whole pair of frames. 256 from 0: 18
  // pairs (252) and 361-363, 366: to 367.
  EXPECT_EQ(p.end(ms(16), 8), ms(27));
  EXPECT_EQ(p.end(ms(0), 14), ms(20));
  EXPECT_EQ(p.end(ms(0), 256), ms(367));
  EXPECT_EQ(p.end(ms(3), 0), ms(3));
  // Across the 256-frame period: 20 from 2550 ms (frame 255, odd: 2551-2554,
  // 2556-2559), then frame 256 = 0 (2561-2563, 2566-2568) and 257
  // (2571-2574, 2576-2577): to 2578.
  EXPECT_EQ(p.end(ms(2550), 20), ms(2578));
}

TEST(NbiotPhy, FewerSib1RepetitionsLeaveMoreValidSubframes) {
  // 4 repetitions from frame 0 (TS 36.213 Table 16.4.1.3-4, PCI mod 4 = 0):
  // subframe 4 of the even frames 0-14 of every 64. 256 frames lose 256
  // (NPBCH) + 256 (NPSS) + 128 (NSSS) + 4 × 8 (SIB1-NB) subframes: 1888 are
  // valid; with 8 repetitions 8 × 8: 1856.
  const DownlinkPattern& p4 = downlink_pattern(sib1_only(4));
  EXPECT_EQ(p4.valid_per_period(), 1888);
  EXPECT_EQ(downlink_pattern(sib1_only(8)).valid_per_period(), 1856);
  EXPECT_TRUE(p4.reserved(144));                              // frame 14, subframe 4
  EXPECT_FALSE(p4.reserved(164));                             // frame 16
  EXPECT_TRUE(p4.reserved(644));                              // frame 64
  EXPECT_FALSE(p4.reserved(804));                             // frame 80
  EXPECT_TRUE(downlink_pattern(sib1_only(8)).reserved(324));  // frame 32 (every 32 frames)
  // 256 from 0: frames 0-15 give 8 × 14 = 112, frames 16-33 9 × 15 = 135
  // (to 340), then 341-344, 346-348 of frame 34 (its subframe 4 is valid)
  // and 351-352: to 353.
  EXPECT_EQ(p4.end(Time::zero(), 256), Time::milliseconds(353));
}

TEST(NbiotPhy, SystemInformationMessagesTakeSubframesInTheirWindows) {
  // A live network's SIB1-NB (D. Robinson, Stellenbosch University 2019):
  // si-WindowLength 960 ms; SI message 1 (SIB2-NB) every rf512, every 4th
  // frame of its window, si-TB 256 bits (8 subframes); SI message 2 (SIB3-NB)
  // every rf2048, every 4th frame, 56 bits (2 subframes). TS 36.331 §5.2.3a:
  // message n's window opens where SFN mod T = (n - 1) · 96 frames. The
  // pattern repeats every 2048 frames (20 480 subframes).
  const DownlinkPattern& p =
      downlink_pattern({.sib1_repetitions = 16,
                        .si_window_frames = 96,
                        .si = {{.period_frames = 512, .repetition_frames = 4, .subframes = 8},
                               {.period_frames = 2048, .repetition_frames = 4, .subframes = 2}}});
  EXPECT_EQ(p.period(), 20480);
  // Message 1 from frame 0: the first 8 subframes §2.4's pattern leaves, 1-3,
  // 6-8, 11 and 12; again from frame 4 (41-43, 46-48, 51, 52), ..., frame 92.
  for (const int k : {1, 2, 3, 6, 7, 8, 11, 12, 41, 52, 921, 932, 5121}) EXPECT_TRUE(p.reserved(k)) << k;
  for (const int k : {13, 14, 16, 53, 933, 961 - 20}) EXPECT_FALSE(p.reserved(k)) << k;
  // Message 2's window opens at frame 96: 961 and 962, then 1001 and 1002.
  for (const int k : {961, 962, 1001, 1002}) EXPECT_TRUE(p.reserved(k)) << k;
  EXPECT_FALSE(p.reserved(963));
  EXPECT_TRUE(p.reserved(2048 * 10 + 961));  // frame 2144: the next period's frame 96
  EXPECT_FALSE(p.reserved(512 * 10 + 961));  // frame 608: message 2's window is once per 2048 frames
  // 2048 frames: 1024 × 14 = 14 336 subframes §2.4 leaves, less message 1's
  // 4 windows × 24 sendings × 8 and message 2's 24 × 2: 13 520.
  EXPECT_EQ(p.valid_per_period(), 13520);
  const auto ms = [](std::int64_t v) { return Time::milliseconds(v); };
  // The first valid subframe is 13; 20 from 0: 13, 14, 16-19 and frames 2-3's
  // 14 (21-23, 26-28, 31-34, 36-39): to 40.
  EXPECT_EQ(p.start(ms(0)), ms(13));
  EXPECT_EQ(p.end(ms(0), 20), ms(40));
}

}  // namespace
}  // namespace m2msim::cellular::nbiot
