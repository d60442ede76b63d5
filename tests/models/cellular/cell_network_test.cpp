// The NB-IoT procedure's timings worked out by hand from the 3GPP tables,
// and random-access contention against its analytic probability.
#include "models/cellular/cell_network.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace m2msim::cellular {
namespace {

/// NB-IoT's NPDCCH search space every Rmax × G subframes, G = 2; the
/// response window and contention-resolution timer: 5 and 32 of these
/// periods (TS 36.331 RACH-ConfigCommon-NB).
LevelConfig with_windows(LevelConfig c) {
  const Time period = Time::milliseconds(2LL * c.control_repetitions);
  c.control_period = period;
  c.response_window = period * 5;
  c.contention_resolution = period * 32;
  return c;
}

/// The defaults of the `nbiot` section for CE levels 0 and 2
/// (models/cellular/parameters.hpp).
LevelConfig level0() {
  LevelConfig c;
  c.prach_period = Time::milliseconds(160);
  c.prach_repetitions = 2;
  c.preambles = 24;
  c.control_repetitions = 8;
  c.pdsch_repetitions = 1;
  c.pusch_repetitions = 1;
  c.pusch_width = 12;
  c.pusch_itbs = 10;
  c.pdsch_itbs = 10;
  return with_windows(c);
}

LevelConfig level2() {
  LevelConfig c;
  c.prach_period = Time::milliseconds(640);
  c.prach_repetitions = 32;
  c.preambles = 12;
  c.control_repetitions = 256;
  c.pdsch_repetitions = 64;
  c.pusch_repetitions = 32;
  c.pusch_width = 1;
  c.pusch_itbs = 0;
  c.pdsch_itbs = 0;
  return with_windows(c);
}

Time ms(double v) { return Time::nanoseconds(std::llround(v * 1e6)); }

TEST(NbiotProcedure, CeLevel0SetUpWorkedOutByHand) {
  const LevelTiming t = level_timing(level0());
  // Preamble: 2 repetitions of 5.6 ms (TS 36.211 Table 10.1.6.1-1).
  EXPECT_EQ(t.preamble, ms(11.2));
  // Downlink channels go on valid subframes only: not subframe 0 (NPBCH) or
  // 5 (NPSS) of any frame, nor 9 (NSSS) or 4 (SIB1-NB, 16 repetitions) of
  // even frames (TS 36.211 §10.2.4, §10.2.7; TS 36.213 §16.4.1, §16.4.1.3,
  // §16.6): of subframes 0..19, 0, 4, 5, 9, 10 and 15 are taken. The level's
  // occasions start at 0 ms.
  // Response: the window opens 4 ms after the preamble, at 15.2 ms; NPDCCH
  // Rmax = 8 valid subframes from 16: 16-19, 21-23 and 26, to 27 ms; 5 ms;
  // the NPDSCH (56 bits at I_TBS 10 in one subframe, TBS 144) in subframe 32,
  // to 33 ms: receiving 11.8 + 1 ms, waiting 4 + 5 ms.
  const Time preamble_end = level0().prach_start + t.preamble;
  const StepTime response = response_after(level0(), preamble_end);
  EXPECT_EQ(response.rx, ms(11.8 + 1));
  EXPECT_EQ(response.wait, ms(4 + 5));
  EXPECT_EQ(response.tx, ms(0));
  // Msg3: 12 ms, then 88 bits at I_TBS 10 in 1 RU of 12 tones (1 ms).
  EXPECT_EQ(t.msg3, ms(1));
  // Msg4 from 0 ms (a search-space occasion: every 16 ms): NPDCCH on
  // subframes 1-3, 6-8, 11 and 12, to 13 ms; 5 ms; 160 bits at I_TBS 10 need
  // 2 subframes (TBS 328), 18 and 19; 12 ms to the HARQ-ACK, one 2 ms
  // format-2 RU.
  const StepTime msg4 = downlink_message(level0(), kMsg4Bits);
  EXPECT_EQ(msg4.tx, ms(2));
  EXPECT_EQ(msg4.rx, ms(13 + 2));
  EXPECT_EQ(msg4.wait, ms(5 + 12));
  // Unheard: the 4 ms gap, then 5 NPDCCH periods of Rmax·G = 16 ms.
  EXPECT_EQ(t.unheard.rx, ms(80));
  EXPECT_EQ(t.unheard.wait, ms(4));
  // Collided: response and Msg3, then 32 periods (512 ms) waiting for a
  // contention resolution that does not come.
  const StepTime collided = collided_after(level0(), preamble_end);
  EXPECT_EQ(collided.tx, ms(1));
  EXPECT_EQ(collided.rx, ms(11.8 + 1 + 512));
  EXPECT_EQ(collided.wait, ms(4 + 5 + 12));
  // 50 B of payload with 29 B of headers, 632 bits: at I_TBS 10 one block
  // of 680 bits, I_RU 3 (4 RUs of 1 ms); its grant (to 13 ms, as Msg4's
  // NPDCCH) and 8 ms gap.
  const StepTime data = uplink_message(level0(), 632);
  EXPECT_EQ(data.tx, ms(4));
  EXPECT_EQ(data.rx, ms(13));
  EXPECT_EQ(data.wait, ms(8));
}

TEST(NbiotProcedure, TheResponseIsTimedOnTheSystemInformationOfItsMoment) {
  // The default network's system information (§2.4 of cellular.md): SIB2-NB
  // every 512 frames in a 96-frame window, sent every 4th frame in 8
  // subframes; at frame 4 it takes 41-43, 46-48, 51 and 52. A preamble ending
  // at 30 ms: the window opens 4 ms later; NPDCCH Rmax = 8 valid subframes
  // from 34: 34, 36-39, then 53, 54 and 56 (frame 5 is odd: its subframe 4 is
  // valid), to 57; 5 ms; the response's block in 62, to 63: receiving 23 + 1
  // ms, waiting 4 + 5. With SIB1-NB alone: 34, 36-39, 41-43, to 44; the block
  // due at 49 (the NSSS's), 50 (the NPBCH's), in 51, to 52: receiving 10 + 3 ms.
  nbiot::DownlinkConfig network;
  network.si = {{.period_frames = 512, .repetition_frames = 4, .subframes = 8},
                {.period_frames = 2048, .repetition_frames = 4, .subframes = 2}};
  LevelConfig with_si = level0();
  with_si.downlink = &nbiot::downlink_pattern(network);
  const StepTime a = response_after(with_si, ms(30));
  EXPECT_EQ(a.rx, ms(23 + 1));
  EXPECT_EQ(a.wait, ms(4 + 5));
  const StepTime b = response_after(level0(), ms(30));
  EXPECT_EQ(b.rx, ms(10 + 3));
  EXPECT_EQ(b.wait, ms(4 + 5));
  // Outside the window (frame 100, 1000 ms: SIB2-NB's window is frames 0-95,
  // SIB3-NB's 96-191 sends at frames 96, 100, ... in 2 subframes: 1001 and
  // 1002): NPDCCH from 1004 (SIB1-NB's subframe 4 of even frame 100 is taken):
  // 1006-1008, 1011-1014, 1016, to 1017; the block in 1022, to 1023:
  // receiving 13 + 1 ms.
  const StepTime c = response_after(with_si, ms(1000));
  EXPECT_EQ(c.rx, ms(13 + 1));
}

TEST(NbiotProcedure, CeLevel2DataTakesSecondsOfRepetitions) {
  // 632 bits at I_TBS 0 (single tone, 15 kHz, RU 8 ms): blocks of at most
  // 256 bits (I_RU 7, 10 RUs): 256 + 256 + 120 (I_RU 4, 5 RUs), each sent
  // 32 times: (10 + 10 + 5) × 8 ms × 32 = 6.4 s. Three grants of 256 valid
  // subframes, 14 of every 20 (subframes 1-3, 6-8, 11-14, 16-19 of each two
  // frames), each in a search space (every 2 × 256 = 512 ms): 0 to 367 (18
  // pairs of frames, 252, and 361-363, 366), 8 ms, the first block 375 to
  // 2935; the next search space at 3072 (137 ms later; 3072 is subframe 12
  // of its pair: 7 valid to 3080, 17 pairs to 3420, 11 more to 3437), the
  // second block 3445 to 6005; the third at 6144 (139 ms; subframe 4 of its
  // pair: 11 to 6160, 17 pairs to 6500, 7 more to 6512).
  const StepTime data = uplink_message(level2(), 632);
  EXPECT_EQ(data.tx, ms(6400));
  EXPECT_EQ(data.rx, ms(367 + 365 + 368));
  EXPECT_EQ(data.wait, ms(3 * 8 + 137 + 139));
  // 32 preamble repetitions: 179.2 ms; the response window opens 4 ms after.
  const LevelTiming t = level_timing(level2());
  EXPECT_EQ(t.preamble, ms(179.2));
  // Release, 64 bits at I_TBS 0 (TBS 88 in 4 subframes) sent 64 times: 256
  // valid subframes of NPDCCH (0 to 367), 5 ms, 256 of NPDSCH (372, subframe
  // 12 of its pair, to 737, as the second grant above), 12 ms, HARQ-ACK
  // 2 ms × 32.
  const StepTime release = downlink_message(level2(), kReleaseBits);
  EXPECT_EQ(release.rx, ms(367 + 365));
  EXPECT_EQ(release.tx, ms(2 * 32));
  EXPECT_EQ(release.wait, ms(5 + 12));
}

/// The `ltem` section's defaults at CE levels 0 and 3
/// (models/cellular/ltem_parameters.hpp).
LevelConfig ltem_level0() {
  LevelConfig c;
  c.rat = Rat::Ltem;
  c.prach_period = Time::milliseconds(10);
  c.prach_repetitions = 1;
  c.preambles = 24;
  c.control_repetitions = 2;
  c.pdsch_repetitions = 1;
  c.pusch_repetitions = 1;
  c.pusch_width = 6;
  c.pusch_max_block = 6;
  c.pusch_itbs = 9;
  c.pdsch_itbs = 9;
  c.pdsch_width = 6;
  c.ack_repetitions = 1;
  c.response_window = Time::milliseconds(80);
  c.contention_resolution = Time::milliseconds(240);
  return c;
}

LevelConfig ltem_level3() {
  LevelConfig c = ltem_level0();
  c.prach_period = Time::milliseconds(1280);
  c.prach_repetitions = 128;
  c.preambles = 12;
  c.control_repetitions = 256;
  c.pdsch_repetitions = 128;
  c.pusch_repetitions = 512;
  c.pusch_width = 2;
  c.pusch_max_block = 2;
  c.pusch_itbs = 3;
  c.pdsch_itbs = 0;
  c.ack_repetitions = 32;
  c.response_window = Time::milliseconds(400);
  c.contention_resolution = Time::milliseconds(960);
  return c;
}

TEST(LtemProcedure, CeLevel0SetUpWorkedOutByHand) {
  const LevelTiming t = level_timing(ltem_level0());
  // One PRACH format-0 preamble: one 1 ms subframe (TS 36.211 Table 5.7.1-1).
  EXPECT_EQ(t.preamble, ms(1));
  EXPECT_EQ(t.preamble_span, ms(1));
  // Response: the window opens 3 subframes after the preamble (TS 36.321
  // §5.1.4), MPDCCH Rmax = 2 subframes, PDSCH 2 subframes later (TS 36.213
  // §7.1.11), one subframe of PDSCH.
  const Time preamble_end = ltem_level0().prach_start + t.preamble_span;
  const StepTime response = response_after(ltem_level0(), preamble_end);
  EXPECT_EQ(response.wait, ms(3 + 2));
  EXPECT_EQ(response.rx, ms(2 + 1));
  // Msg3: 88 bits at I_TBS 9 fit one PRB (136 bits): one subframe, sent
  // 6 subframes after the response (TS 36.213 §6.1.1, k1 ≥ 6).
  EXPECT_EQ(t.msg3, ms(1));
  // Unheard: 3 ms, then the 80 ms window. Collided: response, Msg3, and
  // the 240 ms contention-resolution timer.
  EXPECT_EQ(t.unheard.wait, ms(3));
  EXPECT_EQ(t.unheard.rx, ms(80));
  const StepTime collided = collided_after(ltem_level0(), preamble_end);
  EXPECT_EQ(collided.tx, ms(1));
  EXPECT_EQ(collided.rx, ms(3 + 240));
  EXPECT_EQ(collided.wait, ms(5 + 6));
  // Msg4 (160 bits) in one PDSCH block of 936 bits: MPDCCH 2 ms, 2 ms,
  // 1 ms, the HARQ-ACK (PUCCH, one subframe) 4 subframes after.
  const StepTime msg4 = downlink_message(ltem_level0(), kMsg4Bits);
  EXPECT_EQ(msg4.rx, ms(2 + 1));
  EXPECT_EQ(msg4.wait, ms(2 + 4));
  EXPECT_EQ(msg4.tx, ms(1));
  // A 632-bit report: its grant (2 ms), PUSCH 4 subframes later (TS 36.213
  // §8.0), one subframe (TBS(9, 5) = 776 bits).
  const StepTime data = uplink_message(ltem_level0(), 632);
  EXPECT_EQ(data.rx, ms(2));
  EXPECT_EQ(data.wait, ms(4));
  EXPECT_EQ(data.tx, ms(1));
}

TEST(LtemProcedure, CeLevel3TakesSecondsOfRepetitions) {
  const LevelTiming t = level_timing(ltem_level3());
  // 128 repetitions, one per 10 ms frame: 128 ms sent over 1271 ms.
  EXPECT_EQ(t.preamble, ms(128));
  EXPECT_EQ(t.preamble_span, ms(1271));
  // 632 bits at I_TBS 3 on 2 PRBs: 6 blocks of 104 bits and one of 8 bits
  // (1 PRB), each 512 subframes: 3584 ms; 7 grants of 256 ms, 7 × 4 ms.
  const StepTime data = uplink_message(ltem_level3(), 632);
  EXPECT_EQ(data.tx, ms(7 * 512));
  EXPECT_EQ(data.rx, ms(7 * 256));
  EXPECT_EQ(data.wait, ms(7 * 4));
  // The release (64 bits, one PDSCH block of 152 bits at I_TBS 0) sent 128
  // times: MPDCCH 256 ms, 2 ms, 128 ms, 4 ms, HARQ-ACK 32 subframes.
  const StepTime release = downlink_message(ltem_level3(), kReleaseBits);
  EXPECT_EQ(release.rx, ms(256 + 128));
  EXPECT_EQ(release.wait, ms(2 + 4));
  EXPECT_EQ(release.tx, ms(32));
}

TEST(LtemProcedure, TheNarrowbandsPrbsAreBookedSideBySide) {
  CellCalendar cell;
  cell.narrowbands = 1;
  const Time ms1 = Time::milliseconds(1);
  // Three 2-PRB blocks fill the narrowband's 6 PRBs at once; a fourth waits.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(cell.book_prbs(Time::zero(), ms1, 2), Time::zero()) << i;
  EXPECT_EQ(cell.book_prbs(Time::zero(), ms1, 2), ms1);
  // A 6-PRB block needs the whole narrowband: after the fourth.
  EXPECT_EQ(cell.book_prbs(Time::zero(), ms1, 6), 2 * ms1);
  // With two narrowbands, a second 6-PRB block goes beside it.
  CellCalendar two;
  two.narrowbands = 2;
  EXPECT_EQ(two.book_prbs(Time::zero(), ms1, 6), Time::zero());
  EXPECT_EQ(two.book_prbs(Time::zero(), ms1, 6), Time::zero());
  EXPECT_EQ(two.book_prbs(Time::zero(), ms1, 6), ms1);
  // Downlink blocks take a narrowband each.
  EXPECT_EQ(two.book_downlink(Time::zero(), ms1), Time::zero());
  EXPECT_EQ(two.book_downlink(Time::zero(), ms1), Time::zero());
  EXPECT_EQ(two.book_downlink(Time::zero(), ms1), ms1);
}

TEST(LtemCell, ControlMessagesWaitForTheSearchSpaceOnAFreeNarrowband) {
  // CE level 0 with its MPDCCH search space: Rmax = 2, an occasion every
  // Rmax × G = 4 ms (TS 36.213 §9.1.5, G = 2); each control message takes
  // one narrowband for its Rmax subframes; two narrowbands.
  LevelConfig c = ltem_level0();
  c.control_period = ms(4);
  CellCalendar cell;
  cell.narrowbands = 2;
  // Two grants wanted at 1 ms take the occasion at 4 on each narrowband (to
  // 6); their 632-bit reports (5 PRBs each, one subframe) 4 subframes later,
  // 10 to 11, one per narrowband. Each device read 2 ms and waited 3 + 4.
  StepTime a, b, e;
  EXPECT_EQ(uplink_message(c, 632, ms(1), a, &cell), ms(11));
  EXPECT_EQ(uplink_message(c, 632, ms(1), b, &cell), ms(11));
  EXPECT_EQ(b.rx, ms(2));
  EXPECT_EQ(b.wait, ms(3 + 4));
  // A third finds both taken at 4 and goes at 8 (to 10): it read the
  // occasions at 4 and 8 (2 ms each) and waited the other 5 ms of the 9,
  // then 4 ms to its PUSCH, 14 to 15.
  EXPECT_EQ(uplink_message(c, 632, ms(1), e, &cell), ms(15));
  EXPECT_EQ(e.rx, ms(4));
  EXPECT_EQ(e.wait, ms(5 + 4));
  EXPECT_EQ(e.tx, ms(1));
}

/// M devices of one cell at CE level 2, each generating one report per
/// NPRACH period, so that they contend in the same occasions; one attempt
/// per report.
struct Contention {
  static constexpr std::size_t kRounds = 1500;
  energy::CurrentProfile profile;
  GroupConfig group;
  network::Backhaul backhaul{std::vector<Time>{Time::zero()}};
  results::LatencyRecorder latency{1};

  Contention(int subcarriers) {
    profile.name = "test";
    profile.sleep_mA = 0.001;
    profile.standby_mA = 1;
    profile.rx_mA = 10;
    profile.tx_mA_by_dBm = {{23.0, 100.0}};
    LevelConfig c = level2();
    c.prach_period = Time::milliseconds(2560);
    c.preambles = subcarriers;
    c.max_attempts = 1;  // the access fails after one collided preamble: one preamble per report
    c.control_repetitions = 1;
    c.pdsch_repetitions = 1;
    c.pusch_repetitions = 1;
    // Short connections (12 subcarriers, the largest blocks), so that the
    // cell serves every device of an occasion before the next one.
    c.pusch_width = 12;
    c.pusch_itbs = 12;
    c.pdsch_itbs = 12;
    group.traffic.kind = traffic::TrafficPattern::Kind::Periodic;
    group.traffic.interval = c.prach_period;  // one report per occasion, all of them in it
    group.traffic.payload_bytes = 20;
    group.profile = &profile;
    group.tx_mA = 100;
    group.battery.capacity_mAh = 1e9;  // never empty
    group.battery.voltage_V = 3.6;
    group.periodic_tau = Time::days(10'000);
    for (auto& l : group.levels) l = with_windows(c);
    for (std::size_t l = 0; l < group.level_count; ++l) group.timing[l] = level_timing(group.levels[l]);
  }

  /// Share of preambles that collided, and the share the analytic
  /// probability gives for the numbers of contenders the occasions had.
  std::pair<double, double> run(std::size_t m) {
    Simulation sim(7, 0);
    CellNetworkConfig nc;
    nc.sites = 1;
    nc.backhaul = &backhaul;
    nc.latency = &latency;
    CellNetwork net(sim, nc);
    DeviceLink link;
    link.cell = 0;
    link.level = 2;
    link.camps = link.covered = true;
    for (std::size_t d = 0; d < m; ++d) net.add_device(group, 0, link, sim.stream(d, "traffic"), sim.stream(d, "mac"));
    const Time end = group.traffic.interval * static_cast<std::int64_t>(kRounds);
    net.start(end);
    sim.run_until(end);
    net.finish();
    double preambles = 0, collisions = 0;
    for (const auto& dev : net.devices()) {
      preambles += static_cast<double>(dev.preambles);
      collisions += static_cast<double>(dev.collisions);
    }
    // A device whose report comes while it is still sending the previous
    // one skips an occasion, so an occasion has M or fewer contenders: with
    // k of them a preamble collides with probability 1 − (1 − 1/N)^(k − 1).
    double heard = 0, expected = 0;
    const double n = group.levels[2].preambles;
    for (std::size_t k = 1; k < net.contention().size(); ++k) {
      const double count = static_cast<double>(net.contention()[k] * k);
      heard += count;
      expected += count * (1.0 - std::pow(1.0 - 1.0 / n, static_cast<double>(k) - 1.0));
    }
    EXPECT_EQ(heard, preambles);
    return {collisions / preambles, expected / heard};
  }
};

TEST(NbiotProcedure, PreambleCollisionsMatchTheAnalyticProbability) {
  // A device's preamble collides when one of the M − 1 others picks its
  // subcarrier: 1 − (1 − 1/N)^(M − 1) (slotted ALOHA over N preambles).
  for (const auto& [m, n] : {std::pair<std::size_t, int>{2, 12}, {10, 12}, {30, 48}, {60, 48}}) {
    Contention c(n);
    const auto [measured, expected] = c.run(m);
    // Most occasions have all M: the analytic value for M itself is close.
    EXPECT_NEAR(expected, 1.0 - std::pow(1.0 - 1.0 / n, static_cast<double>(m) - 1.0), 0.05);
    const double samples = static_cast<double>(m * Contention::kRounds);
    // Preambles of one occasion are not independent samples: allow 4
    // binomial standard errors of the per-device estimate, times √M.
    const double tol = 4.0 * std::sqrt(expected * (1 - expected) / samples) * std::sqrt(static_cast<double>(m));
    EXPECT_NEAR(measured, expected, tol) << "M = " << m << ", N = " << n;
  }
}

}  // namespace
}  // namespace m2msim::cellular

namespace m2msim::cellular {
namespace {

TEST(NbiotCell, NpuschSlotsOverlappingTheNprachArePostponed) {
  // The default NPRACH resources (a commercial SIB2-NB): every level on
  // subcarriers 36 to 47, each 640 ms, from 8, 64 and 128 ms, for 2, 8 and 32
  // repetitions of 5.6 ms: 8-19.2, 64-108.8 and 128-307.2 ms. TS 36.211
  // §10.1.3.6: NPUSCH slots that overlap them are postponed past them.
  const Time ms = Time::milliseconds(1), period = 640 * ms;
  const std::vector<NprachResource> nprach{{36, 12, period, 8 * ms, Time::microseconds(11200)},
                                           {36, 12, period, 64 * ms, Time::microseconds(44800)},
                                           {36, 12, period, 128 * ms, Time::microseconds(179200)}};
  const auto span = [&](std::size_t first, std::size_t n, Time start, Time duration) {
    return postponed_span(nprach, first, n, start, duration);
  };
  // 12 tones (all 48 subcarriers) from 0 for 10 ms: 8 ms, wait to 19.2, 2 ms.
  EXPECT_EQ(span(0, 48, Time::zero(), 10 * ms), Time::microseconds(21200));
  // From 60 ms for 100 ms: 4 ms, wait to 108.8, 19.2 ms, wait to 307.2,
  // the last 76.8 ms: ends at 384 ms.
  EXPECT_EQ(span(0, 48, 60 * ms, 100 * ms), 324 * ms);
  // Into the next period: from 300 ms (inside CE level 2's window) for
  // 400 ms: 307.2-648 (340.8 ms), 659.2-704 (44.8 ms), 748.8-763.2 (14.4 ms).
  EXPECT_EQ(span(36, 12, 300 * ms, 400 * ms), Time::microseconds(463200));
  // Subcarriers 0 to 35 never meet the NPRACH.
  EXPECT_EQ(span(0, 36, 60 * ms, 100 * ms), 100 * ms);
  EXPECT_EQ(span(32, 4, 60 * ms, 100 * ms), 100 * ms);
  // In the calendar: the 12-tone allocation holds its subcarriers to 21.2 ms;
  // a single 3.75 kHz tone from 60 ms takes a subcarrier off the NPRACH.
  CellCalendar cell;
  cell.nprach = nprach;
  Time held;
  EXPECT_EQ(cell.book_uplink(Time::zero(), 10 * ms, 12, nbiot::Spacing::Khz15, &held), Time::zero());
  EXPECT_EQ(held, Time::microseconds(21200));
  EXPECT_EQ(cell.book_uplink(Time::zero(), ms, 12, nbiot::Spacing::Khz15, &held), Time::microseconds(21200));
  EXPECT_EQ(held, ms);
  EXPECT_EQ(cell.book_uplink(60 * ms, 100 * ms, 1, nbiot::Spacing::Khz3_75, &held), 60 * ms);
  EXPECT_EQ(held, 100 * ms);
}

TEST(NbiotCell, TheCellNarrowsABlockOffTheNprachWhenThatEndsItSooner) {
  // The default NPRACH resources (NpuschSlotsOverlappingTheNprachArePostponed):
  // CE level 2's from 128 to 307.2 ms on subcarriers 36 to 47. A grant read
  // at once from 114 ms (no search space), on valid subframes 114, 116-119,
  // 121-123, to 124 ms; 8 ms: the block is due at 132. Its 12 tones, 4 RUs
  // of 1 ms, would wait to 307.2 and end at 311.2; on 6 tones (subcarriers
  // 0 to 5, RUs of 2 ms, TS 36.211 Table 10.1.2.3-1) it ends at 140, on 3
  // tones (4 ms RUs) at 148: 6 tones, 8 ms of transmission.
  const Time ms1 = Time::milliseconds(1), period = 640 * ms1;
  const std::vector<NprachResource> nprach{{36, 12, period, 8 * ms1, Time::microseconds(11200)},
                                           {36, 12, period, 64 * ms1, Time::microseconds(44800)},
                                           {36, 12, period, 128 * ms1, Time::microseconds(179200)}};
  CellCalendar cell;
  cell.nprach = nprach;
  LevelConfig c = level0();
  c.control_period = Time::zero();
  StepTime s;
  EXPECT_EQ(uplink_message(c, 632, 114 * ms1, s, &cell), 140 * ms1);
  EXPECT_EQ(s.tx, 8 * ms1);
  EXPECT_EQ(s.wait, 8 * ms1);
  // Outside the windows the block keeps its 12 tones: a grant from 314 ms
  // (314, 316-319, 321-323) to 324, the block 332 to 336.
  StepTime t;
  EXPECT_EQ(uplink_message(c, 632, 314 * ms1, t, &cell), 336 * ms1);
  EXPECT_EQ(t.tx, 4 * ms1);
}

TEST(NbiotCell, ControlMessagesWaitForTheSearchSpaceAndShareTheCarrier) {
  // CE level 0: Rmax = 8, a search space every Rmax × G = 16 ms (TS 36.213
  // §16.6, npdcch-StartSF G = 2), one control message of Rmax valid
  // subframes per occasion on the carrier that also carries the NPDSCH
  // (subframes 0, 4, 5, 9, 10 and 15 of every 20 are NPBCH, SIB1-NB with 16
  // repetitions, NPSS and NSSS).
  const auto at = [](double v) { return ms(v); };
  // An idle cell: a grant wanted at 3 ms waits to 16 and is read on 16-19,
  // 21-23 and 26, to 27; 8 ms to the NPUSCH, 632 bits in 4 RUs of 1 ms: 35
  // to 39.
  StepTime idle;
  EXPECT_EQ(uplink_message(level0(), 632, at(3), idle, nullptr), at(39));
  EXPECT_EQ(idle.rx, at(11));
  EXPECT_EQ(idle.wait, at(13 + 8));
  EXPECT_EQ(idle.tx, at(4));
  // On a cell: the first grant takes the occasion at 16 (to 27); the second,
  // wanted at the same time, the one at 32 (32-34, 36-39, 41: to 42). Its
  // device reads both occasions, 10 ms each, and waits the other 19 ms of
  // the 39; the NPUSCH 50 to 54.
  CellCalendar cell;
  StepTime a, b;
  EXPECT_EQ(uplink_message(level0(), 632, at(3), a, &cell), at(39));
  EXPECT_EQ(uplink_message(level0(), 632, at(3), b, &cell), at(54));
  EXPECT_EQ(b.rx, at(20));
  EXPECT_EQ(b.wait, at(19 + 8));
  // Msg4 (160 bits, 2 subframes) from 40: the occasion at 48 is free:
  // NPDCCH 48, 51-54, 56-58 (to 59), 5 ms, NPDSCH 66 and 67 (64 is SIB1-NB's,
  // 65 the NPSS's; to 68), 12 ms, HARQ-ACK 80 to 82.
  StepTime c, d;
  EXPECT_EQ(downlink_message(level0(), kMsg4Bits, at(40), c, &cell), at(82));
  EXPECT_EQ(c.rx, at(11 + 4));
  EXPECT_EQ(c.wait, at(8 + 5 + 12));
  // Another from 40: the occasion at 48 is taken, the one at 64 (66-68,
  // 71-74, 76: to 77) meets the NPDSCH at 64 to 68; the one at 80 (81-83,
  // 86-88, 91-92: to 93) is free. Three occasions read, 13 ms each; the
  // NPDSCH 98 to 100, the HARQ-ACK 112 to 114.
  EXPECT_EQ(downlink_message(level0(), kMsg4Bits, at(40), d, &cell), at(114));
  EXPECT_EQ(d.rx, at(39 + 2));
  EXPECT_EQ(d.wait, at(14 + 5 + 12));
  // That NPDSCH block (98 to 100) takes the occasion at 96 (96-99, 101-103, 106: to 107): a grant
  // wanted at 90 goes at 112 (112-114, 116-119, 121: to 122), its NPUSCH at
  // 130 to 134; two occasions read, 10 ms each.
  StepTime e;
  EXPECT_EQ(uplink_message(level0(), 632, at(90), e, &cell), at(134));
  EXPECT_EQ(e.rx, at(20));
  EXPECT_EQ(e.wait, at(12 + 8));
}

TEST(NbiotCell, AShorterControlMessageTakesALaterCandidateOfItsOccasion) {
  // TS 36.213 §16.6: in an occasion of Rmax = 8 a message of R = 2 may start
  // at any of Rmax / R = 4 candidates, b = u·R valid subframes after the
  // occasion's start (u = 0 .. 3). The occasion at 16 ms: valid subframes
  // 16, 17 | 18, 19 | 21, 22 | 23, 26 (20 is the NPBCH's, 24 SIB1-NB's, 25
  // the NPSS's), so four grants wanted at 3 ms share it: 16-18, 18-20, 20-23
  // (from the candidate's start), 23-27; a fifth takes the next occasion,
  // 32-34. (Before 2026-12-07 one message per occasion: the second at 32.)
  const LevelConfig c = level0();
  CellCalendar cell;
  const Time want = ms(3);
  const Time starts[] = {ms(16), ms(18), ms(20), ms(23), ms(32)};
  const Time ends[] = {ms(18), ms(20), ms(23), ms(27), ms(34)};
  const int occasions[] = {1, 1, 1, 1, 2};
  for (std::size_t i = 0; i < 5; ++i) {
    int n = 0;
    Time end{};
    EXPECT_EQ(cell.book_control(want, 2, 8, ms(16), c.downlink, &n, &end), starts[i]) << i;
    EXPECT_EQ(end, ends[i]) << i;
    EXPECT_EQ(n, occasions[i]) << i;
  }
  // A message of Rmax has one candidate: the occasion at 48 (the one at 32
  // is partly taken).
  int n = 0;
  Time end{};
  EXPECT_EQ(cell.book_control(want, 8, 8, ms(16), c.downlink, &n, &end), ms(48));
  // LTE-M's subframes are all valid: Rmax 8, R 2 at 0, 2, 4 and 6 ms of the
  // occasion, on each narrowband.
  CellCalendar m;
  m.narrowbands = 1;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(m.book_control(ms(1), 2, 8, ms(16), nullptr, &n, &end), ms(16 + 2 * i)) << i;
    EXPECT_EQ(end, ms(18 + 2 * i)) << i;
  }
}

TEST(NbiotProcedure, DownlinkRepetitionsFollowTheDevicesMargin) {
  // TS 36.213 Table 16.6-1: a control message takes R = Rmax/8, Rmax/4,
  // Rmax/2 or Rmax subframes (Rmax ≥ 8); NPDSCH repetitions are powers of 2
  // down to 1 (Table 16.4.1.3-2). The search space keeps its period.
  const LevelConfig c = level2();  // Rmax 256, NPDSCH 64, period 512 ms
  EXPECT_EQ(downlink_for(c, 0).control_repetitions, 256);
  EXPECT_EQ(downlink_for(c, 2).control_repetitions, 64);
  EXPECT_EQ(downlink_for(c, 2).pdsch_repetitions, 16);
  EXPECT_EQ(downlink_for(c, 5).control_repetitions, 32);  // Rmax / 8 at most
  EXPECT_EQ(downlink_for(c, 5).pdsch_repetitions, 2);
  EXPECT_EQ(downlink_for(c, 9).pdsch_repetitions, 1);
  EXPECT_EQ(downlink_for(c, 9).control_period, ms(512));
  // Halving keeps to the table's repetition numbers (1, 2, ..., 128, 192,
  // 256, 384, 512, 768, 1024, 1536, 2048), rounding up: 192 halved once is
  // 96, sent 128 times; twice, 48: 64; 1536 once, 768.
  LevelConfig odd = c;
  odd.pdsch_repetitions = 192;
  EXPECT_EQ(downlink_for(odd, 1).pdsch_repetitions, 128);
  EXPECT_EQ(downlink_for(odd, 2).pdsch_repetitions, 64);
  odd.pdsch_repetitions = 1536;
  EXPECT_EQ(downlink_for(odd, 1).pdsch_repetitions, 768);
  // Release (64 bits, 4 subframes a transmission) two halvings down: NPDCCH
  // 64 valid subframes (0 to 93: 4 pairs of frames of 14, then 1-3, 6-8,
  // 11-12), 5 ms, 4 × 16 of NPDSCH (98, subframe 18 of its pair: 98-99, 4
  // pairs to 180, then 181-183, 186-188: to 189), 12 ms, HARQ-ACK 2 ms × 32.
  const StepTime release = downlink_message(downlink_for(c, 2), kReleaseBits);
  EXPECT_EQ(release.rx, ms(93 + 91));
  EXPECT_EQ(release.tx, ms(2 * 32));
  EXPECT_EQ(release.wait, ms(5 + 12));
}

TEST(NbiotCell, AllocationsTakeAlignedSubcarriersInTheEarliestGap) {
  CellCalendar cell;
  const Time ms1 = Time::milliseconds(1), ms8 = Time::milliseconds(8);
  // Twelve 15 kHz subcarriers: a 12-subcarrier allocation takes them all,
  // so three at once are served one after the other.
  EXPECT_EQ(cell.book_uplink(Time::zero(), ms1, 12, nbiot::Spacing::Khz15), Time::zero());
  EXPECT_EQ(cell.book_uplink(Time::zero(), ms1, 12, nbiot::Spacing::Khz15), ms1);
  EXPECT_EQ(cell.book_uplink(Time::zero(), ms1, 12, nbiot::Spacing::Khz15), 2 * ms1);
  // From 3 ms, twelve single-subcarrier allocations fit side by side; the
  // thirteenth waits for the first to end.
  for (int i = 0; i < 12; ++i) EXPECT_EQ(cell.book_uplink(3 * ms1, ms8, 1, nbiot::Spacing::Khz15), 3 * ms1) << i;
  EXPECT_EQ(cell.book_uplink(3 * ms1, ms8, 1, nbiot::Spacing::Khz15), 3 * ms1 + ms8);
  // A 3-subcarrier allocation needs three aligned free subcarriers (offsets
  // 0, 3, 6, 9): the earliest is when the 13th allocation's group frees,
  // subcarriers 3..5 at 11 ms.
  EXPECT_EQ(cell.book_uplink(3 * ms1, ms1, 3, nbiot::Spacing::Khz15), 3 * ms1 + ms8);
  // The downlink carries one block at a time.
  EXPECT_EQ(cell.book_downlink(Time::zero(), ms8), Time::zero());
  EXPECT_EQ(cell.book_downlink(ms1, ms8), ms8);
  // A request takes a gap before a later booking when it fits in it.
  CellCalendar gaps;
  EXPECT_EQ(gaps.book_uplink(10 * ms1, ms8, 1, nbiot::Spacing::Khz15), 10 * ms1);
  EXPECT_EQ(gaps.book_uplink(Time::zero(), ms1, 12, nbiot::Spacing::Khz15), Time::zero());
  EXPECT_EQ(gaps.book_uplink(6 * ms1, 5 * ms1, 12, nbiot::Spacing::Khz15), 10 * ms1 + ms8);
  EXPECT_EQ(gaps.book_downlink(5 * ms1, ms1), 5 * ms1);
  EXPECT_EQ(gaps.book_downlink(Time::zero(), 2 * ms1), Time::zero());
  EXPECT_EQ(gaps.book_downlink(Time::zero(), 4 * ms1), 6 * ms1);
  // 3.75 kHz single tones: 48 side by side.
  CellCalendar narrow;
  for (int i = 0; i < 48; ++i)
    EXPECT_EQ(narrow.book_uplink(Time::zero(), ms8, 1, nbiot::Spacing::Khz3_75), Time::zero()) << i;
  EXPECT_EQ(narrow.book_uplink(Time::zero(), ms8, 1, nbiot::Spacing::Khz3_75), ms8);
}

TEST(CellCalendar, ALaneCountsWhatItBooksUpToTheRunsEnd) {
  // gateways.csv's busy shares count each booking's part before the run's
  // end: with the horizon at 10 ms, [2, 4) counts 2 ms, [8, 15) the 2 ms
  // before 10, [12, 20) nothing: 4 ms in all; the prune of ended bookings
  // does not take them back.
  const Time ms = Time::milliseconds(1);
  Lane lane;
  lane.set_horizon(10 * ms);
  lane.book(2 * ms, 4 * ms);
  lane.book(8 * ms, 15 * ms);
  lane.book(12 * ms, 20 * ms);
  EXPECT_EQ(lane.booked(), 4 * ms);
  lane.prune(30 * ms);
  EXPECT_EQ(lane.booked(), 4 * ms);
  EXPECT_EQ(lane.next_after(0 * ms), nullptr);
}

}  // namespace
}  // namespace m2msim::cellular
