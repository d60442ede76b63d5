// LTE-M through the engine: coupling loss, RSRP, CE level and coverage of
// devices at known path losses, charge per report worked out by hand, an
// LTE-M group beside an NB-IoT group in one file, located errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "analysis/report.hpp"
#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "scenarios/loader.hpp"
#include "test_scenarios.hpp"

namespace m2msim {
namespace {

// PL(d) = 31.5 dB + 40·log10(d / 1 m), site and devices 1.5 m high, no
// antenna gains: devices at 10^2.5, 10^2.8, 10^2.925, 10^3.05 and 10^3.2 m
// have coupling losses 131.5, 143.5, 148.5, 153.5 and 159.5 dB.
const std::string kLine =
    "name: line\n"
    "duration: 1 d\n"
    "area: { width: 4 km, height: 1 km }\n"
    "environment: { propagation: { model: log-distance, reference_distance: 1 m, reference_loss: 31.5 dB, exponent: "
    "4.0 } }\n"
    "gateways: [ { name: enb, technology: ltem, position: [0 m, 0 m], height: 1.5 m } ]\n"
    "devices:\n"
    "  - group: trackers\n"
    "    placement: { list: [[316.227766 m, 0 m], [630.957344 m, 0 m], [841.395142 m, 0 m], [1122.018454 m, 0 m], "
    "[1584.893192 m, 0 m]] }\n"
    "    height: 1.5 m\n"
    "    radio: { technology: ltem, periodic_tau: 400 d }\n"
    "    traffic: { periodic: { every: 1 h }, payload: 50 B }\n";

TEST(LtemRun, CouplingLossRsrpAndCeLevelFollowThePathLoss) {
  const auto r = engine::run_native(engine::load_scenario_text(kLine, "line.yaml"));
  ASSERT_EQ(r.devices.size(), 5u);
  const double cl[] = {131.5, 143.5, 148.5, 153.5, 159.5};
  const int level[] = {0, 1, 2, 3, -1};
  for (std::size_t i = 0; i < 5; ++i) {
    const auto& d = r.devices[i];
    EXPECT_NEAR(r.technology_value(d, "coupling_loss_dB"), cl[i], 1e-4) << i;
    // RSRP = 46 dBm over a 10 MHz carrier's 600 subcarriers, less the
    // coupling loss: 46 − 10·log10(600) − CL = 18.2185 dBm − CL (TS 36.214 §5.1.1).
    EXPECT_NEAR(r.technology_value(d, "rsrp_dBm"), 18.2185 - cl[i], 1e-3) << i;
    // CE levels from 140, 146 and 151 dB of coupling loss. The last device's
    // RSRP, 18.2185 − 159.5 = −141.28 dBm, is below q-RxLevMinCE's −140 dBm:
    // it finds no cell, and has no CE level (cellular.md §1.4).
    if (level[i] >= 0)
      EXPECT_EQ(r.technology_value(d, "ce_level"), level[i]) << i;
    else
      EXPECT_TRUE(std::isnan(r.technology_value(d, "ce_level"))) << i;
  }
  // One site: the SINR is the SNR over −174 dBm/Hz + 10·log10(15 kHz) + 5 dB.
  EXPECT_NEAR(r.technology_value(r.devices[0], "downlink_sinr_dB"), 18.2185 - 131.5 + 127.2391, 1e-3);
  // 155.7 dB is the maximum coupling loss (TR 36.888): the last device is
  // not covered; the others deliver every report.
  EXPECT_TRUE(r.devices[3].covered);
  EXPECT_FALSE(r.devices[4].covered);
  EXPECT_EQ(r.devices[4].delivered, 0u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(r.devices[i].delivered, 24u) << i;
  // The shares are of the four devices that camp.
  const std::vector<std::pair<std::string, double>> shares{
      {"ce_level_0", 0.25}, {"ce_level_1", 0.25}, {"ce_level_2", 0.25}, {"ce_level_3", 0.25}};
  EXPECT_EQ(r.groups[0].shares, shares);
  // The device at 153.5 dB (CE level 3, mode B): link adaptation counts
  // each block's grant (occasions every 512 ms, R = 256 / 2 after the
  // margin's one halving, below, and 4 ms to the PUSCH). By hand (as
  // tests/models/cellular/ltem_link_test.cpp): SNR −3.261 dB on 15 kHz;
  // 20 blocks of 32 bits on 1 PRB at I_TBS 2, 256 repetitions each (7.93
  // doublings), take 256 + 19 × 512 + 388 = 10 372 ms, and transmit for
  // 5120 ms: a cost of 15 492; 9 blocks of 72 bits at 1024 repetitions,
  // 256 + 8 × 1536 + 1156 = 13 700 ms + 9216; 40 blocks of 16 bits at 128,
  // 256 + 39 × 512 + 260 = 20 484 ms + 5120.
  EXPECT_EQ(r.technology_value(r.devices[3], "data_prbs"), 1);
  EXPECT_EQ(r.technology_value(r.devices[3], "data_itbs"), 2);
  EXPECT_EQ(r.technology_value(r.devices[3], "data_repetitions"), 256);
  // Downlink link adaptation: each level's MPDCCH Rmax (2, 8, 64, 256) and
  // PDSCH repetitions (1, 4, 32, 128) serve its weakest device (at 140, 146,
  // 151 and 155.7 dB); every γ = 1.75 dB above it halves them, R at least
  // Rmax / 8 (TS 36.213 Table 9.1.5-3) and at least 1:
  //   131.5 dB: 8.5 dB, 4 halvings: R 1, PDSCH 1;
  //   143.5, 148.5 dB: 2.5 dB, 1 halving: R 4 and 32, PDSCH 2 and 16;
  //   153.5 dB: 2.2 dB, 1 halving: R 128, PDSCH 64.
  const double mpdcch[] = {1, 4, 32, 128}, pdsch[] = {1, 2, 16, 64};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.technology_value(r.devices[i], "mpdcch_repetitions"), mpdcch[i]) << i;
    EXPECT_EQ(r.technology_value(r.devices[i], "pdsch_repetitions"), pdsch[i]) << i;
  }
  // The device that finds no cell sends and receives nothing: no allocation
  // (before 2026-12-07 its columns showed its level's, 2 PRBs and 512
  // repetitions, R 256 and PDSCH 128, as if it transmitted).
  for (const char* column : {"data_prbs", "data_itbs", "data_repetitions", "mpdcch_repetitions", "pdsch_repetitions"})
    EXPECT_TRUE(std::isnan(r.technology_value(r.devices[4], column))) << column;
}

TEST(LtemRun, TheMaximumCouplingLossIsTr36888sTargetForA20dBmDevice) {
  // TR 36.888's 155.7 dB target was stated for a 20 dBm (power class 5)
  // device and TR 36.888's noise figures, a 5 dB base station ("Coverage
  // Analysis of LTE-M Category-M1", industry white paper, January 2017):
  // MCL = 155.7 dB + (P_tx − 20 dBm) − (NF_site − 5 dB), 158.7 dB for the
  // default 23 dBm. A device at 10^3.1375 m is at 157 dB (RSRP 18.2185 − 157
  // = −138.78 dBm: it camps).
  std::string text = kLine;
  text.replace(text.find("[1584.893192 m, 0 m]"), std::string("[1584.893192 m, 0 m]").size(), "[1372.418 m, 0 m]");
  const auto run = [&](const std::vector<std::string>& sets) {
    return engine::run_native(engine::load_scenario_text(text, "line.yaml", sets));
  };
  const auto r = run({});
  EXPECT_NEAR(r.technology_value(r.devices[4], "coupling_loss_dB"), 157.0, 1e-3);
  EXPECT_TRUE(r.devices[4].covered);
  EXPECT_EQ(r.devices[4].delivered, 24u);
  EXPECT_FALSE(run({"devices.trackers.radio.tx_power=20dBm"}).devices[4].covered);  // 155.7 dB
  EXPECT_FALSE(run({"ltem.max_coupling_loss=155.7dB"}).devices[4].covered);
}

TEST(LtemRun, ChargePerReportAtCeLevel0WorkedOutByHand) {
  // CE level 0's PRACH every 20 ms (instead of 10) puts every preamble at a
  // whole multiple of the MPDCCH search space's period, Rmax × G = 2 × 2 =
  // 4 ms, so that every report has the timeline below.
  const std::vector<std::string> base{"ltem.link_adaptation=false", "ltem.block_error_rate=0%",
                                      "ltem.prach_period=[20ms, 80ms, 320ms, 1280ms]"};
  auto with_delay = [&](const std::string& delay) {
    auto v = base;
    v.push_back("ltem.network_delay=" + delay);
    return engine::run_native(engine::load_scenario_text(kLine, "line.yaml", v));
  };
  const auto r = with_delay("0s");
  const auto& d = r.devices[0];
  // Per report at CE level 0 with the defaults (models/cellular/ltem_parameters.hpp),
  // the network answering at once (network_delay 0 s), from PSM; times from
  // the preamble's start, a multiple of 4 ms. Grants and assignments wait for
  // the next search-space occasion (TS 36.213 §9.1.5); the random-access
  // response's does not (docs/models/cellular.md §9.2):
  //   preamble 0 to 1; response: 3 ms, MPDCCH 4 to 6, 2 ms, PDSCH 8 to 9;
  //   Msg3 6 ms later, 15 to 16;
  //   Msg4: occasion 16 (no wait), MPDCCH to 18, 2 ms, PDSCH 20 to 21, 4 ms,
  //   HARQ-ACK 25 to 26;
  //   grant: waits to the occasion at 28 (2 ms), MPDCCH to 30, 4 ms, data
  //   (632 bits at I_TBS 9: one block on 5 PRBs) 34 to 35;
  //   release: waits to 36 (1 ms), MPDCCH to 38, 2 ms, PDSCH 40 to 41, 4 ms,
  //   HARQ-ACK 45 to 46.
  //   tx: preamble 1, Msg3 1, Msg4 HARQ-ACK 1, data 1, release HARQ-ACK 1 = 5 ms
  //   rx: sync 300 ms, response 2 + 1, Msg4 2 + 1, grant 2, release 2 + 1 = 311 ms
  //   connected between the steps: response 3 + 2, Msg3 6, Msg4 2 + 4,
  //       grant 2 + 4, release 1 + 2 + 4                               =  30 ms
  // (tests/models/cellular/cell_network_test.cpp works each step out).
  // nrf9160 profile: tx 105 mA at 23 dBm, rx 45 mA, and on LTE-M connected
  // 10 mA (data/energy/nrf9160.yaml, by_technology: the nRF9160 measured
  // waiting connected on LTE-M). 24 a day:
  //   tx 24 × 0.005 s × 105 mA = 12.6 mA·s;
  //   rx and connected 24 × (0.311 s × 45 mA + 0.030 s × 10 mA) = 343.08 mA·s
  constexpr std::size_t kTx = 0, kRx = 1;
  EXPECT_EQ(d.generated, 24u);
  EXPECT_NEAR(d.part_mAh[kTx], 12.6 / 3600.0, 1e-9);
  EXPECT_NEAR(d.part_mAh[kRx], 343.08 / 3600.0, 1e-9);
  EXPECT_EQ(r.technology_value(d, "data_prbs"), 6);
  EXPECT_EQ(r.technology_value(d, "data_itbs"), 9);
  // With the default network_delay, 1.2 s, the release waits 1200 ms for the
  // core network after the data: at 1235 ms, 3 ms past an occasion as above,
  // so the rest keeps its length. At the connected current: 24 × 1.2 s ×
  // 10 mA = 288 mA·s more a day.
  const auto late = engine::run_native(engine::load_scenario_text(kLine, "line.yaml", base));
  EXPECT_NEAR(late.devices[0].part_mAh[kTx], 12.6 / 3600.0, 1e-9);
  EXPECT_NEAR(late.devices[0].part_mAh[kRx], (343.08 + 288.0) / 3600.0, 1e-9);
}

TEST(LtemRun, WithoutReleaseAssistanceTheInactivityTimerIsWaitedAtTheConnectedCurrent) {
  // ChargePerReportAtCeLevel0WorkedOutByHand's report without release
  // assistance: the network releases 20 s (the default inactivity timer, a
  // multiple of the 4 ms search-space period) after the data, so the release
  // keeps its timeline and the device waits 20 s more connected. On LTE-M
  // the nrf9160 waits at its measured 10 mA (data/energy/nrf9160.yaml):
  //   24 × (14.295 + 20 s × 10 mA) = 5143.08 mA·s a day.
  // With connected-mode DRX of 40 ms every 2.56 s it reads the control
  // channel for 20 s / 64 = 0.3125 s at the receive current, 45 mA (TS 36.321
  // §5.7), and sleeps the rest at the standby current (radio idle, not here):
  //   24 × (14.295 + 0.3125 s × 45 mA) = 680.58 mA·s.
  const std::vector<std::string> base{"ltem.link_adaptation=false", "ltem.block_error_rate=0%",
                                      "ltem.prach_period=[20ms, 80ms, 320ms, 1280ms]", "ltem.network_delay=0s",
                                      "devices.trackers.radio.release_assistance=false"};
  constexpr std::size_t kRx = 1;
  const auto full = engine::run_native(engine::load_scenario_text(kLine, "line.yaml", base));
  EXPECT_NEAR(full.devices[0].part_mAh[kRx], 5143.08 / 3600.0, 1e-9);
  auto drx = base;
  drx.emplace_back("ltem.connected_drx_cycle=2.56s");
  drx.emplace_back("ltem.connected_drx_on_duration=40ms");
  const auto d = engine::run_native(engine::load_scenario_text(kLine, "line.yaml", drx));
  EXPECT_NEAR(d.devices[0].part_mAh[kRx], 680.58 / 3600.0, 1e-9);
  EXPECT_EQ(d.devices[0].delivered, 24u);
}

TEST(LtemRun, AFixedAllocationTheLinkCannotCarryIsReported) {
  // The 131.5 dB device alone, without link adaptation: CE level 0's
  // default allocation, I_TBS 9 on up to 6 PRBs. Uplink SNR on one 15 kHz
  // subcarrier with the 5 dB LTE-M site: 23 − 131.5 + 127.2391 = 18.7391
  // dB. The report (632 bits) goes in one block of 776 bits on 5 PRBs: r =
  // 800 / 720 = 1.1111 bits per element needs 10·log10(2^(r/0.4) − 1) =
  // 7.678 dB on each of its 60 subcarriers, which have 18.7391 − 17.7815 =
  // 0.958 dB: sent once (the default) it does not decode; 32 times it needs
  // 7.678 − 1.75·5 = −1.072 dB and does (Msg3, 136 bits on 1 PRB, the same
  // r: 7.678 dB against 7.947 dB, decodes once; the TAU request, 320 bits
  // in 456 on 3 PRBs, the same r: 7.678 dB against 18.7391 − 15.563 = 3.176
  // dB, decodes 32 times, at −1.072 dB).
  const std::vector<std::string> one{"devices.trackers.placement={ list: [[316.227766 m, 0 m]] }",
                                     "ltem.link_adaptation=false"};
  const auto r = engine::run_native(engine::load_scenario_text(kLine, "line.yaml", one));
  EXPECT_TRUE(test::warns(r,
                          "1 of 1 devices are covered, but their uplink SNR is below what their CE level's "
                          "configured allocation (CE level 0, ltem.link_adaptation: false) needs"));
  // A configured block wider than Cat-M1 allows is sent on fewer PRBs, and
  // checked there: at 125 dB (25.2391 dB on one subcarrier), I_TBS 10, a
  // 90 B report (952 bits) goes in one block of 872 bits on 5 PRBs (6 would
  // be 1032 bits, above 1000) and a tail of 144 on 1: r = 896 / 720 =
  // 1.2444 needs 8.831 dB on each of 60 subcarriers, which have 7.458 dB.
  const auto wide = engine::run_native(engine::load_scenario_text(
      kLine, "line.yaml",
      {"devices.trackers.placement={ list: [[217.520403 m, 0 m]] }", "devices.trackers.traffic.payload=90 B",
       "ltem.link_adaptation=false", "ltem.pusch_itbs=[10, 4, 3, 3]"}));
  EXPECT_TRUE(test::warns(wide, "1 of 1 devices are covered, but"));
  auto enough = one;
  enough.push_back("ltem.pusch_repetitions=[32, 8, 64, 512]");
  EXPECT_FALSE(test::warns(engine::run_native(engine::load_scenario_text(kLine, "line.yaml", enough)), "covered, but"));
}

TEST(LtemRun, GatewaysCsvGivesEachCellsLoad) {
  // ChargePerReportAtCeLevel0WorkedOutByHand's device alone on the site. Per
  // report the downlink is booked for Msg4's MPDCCH (16 to 18) and PDSCH (20
  // to 21), the grant's MPDCCH (28 to 30), the release's MPDCCH (36 to 38)
  // and PDSCH (40 to 41): 8 ms (the random-access response, its MPDCCH
  // and PDSCH, is read, not booked); the uplink for Msg3 (88 bits at I_TBS 9 fit one
  // PRB: TBS 136, TS 36.213 Table 7.1.7.2.1-1) for 1 ms and the report (632
  // bits: 5 PRBs, TBS 776; 4 carry 616) for 1 ms: 6 PRB-ms (the HARQ-ACKs go
  // on the PUCCH, not the calendar). A day of 24 reports on one narrowband
  // (6 PRBs): downlink 100 × 24 × 8 ms / 86 400 s = 0.000222222 %; uplink
  // 100 × 24 × 6 / (6 × 86 400 000) = 0.0000277778 %.
  std::vector<std::string> set{"ltem.link_adaptation=false", "ltem.block_error_rate=0%",
                               "ltem.prach_period=[20ms, 80ms, 320ms, 1280ms]", "ltem.network_delay=0s",
                               "devices.trackers.placement.list=[[316.227766 m, 0 m]]"};
  const auto r = engine::run_native(engine::load_scenario_text(kLine, "line.yaml", set));
  ASSERT_EQ(r.devices.size(), 1u);
  ASSERT_EQ(r.devices[0].transmissions, 24u);
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].technology, "ltem");
  EXPECT_EQ(r.site_value(0, "camped_devices"), 1);
  EXPECT_EQ(r.site_value(0, "preambles_heard"), 24);
  EXPECT_EQ(r.site_value(0, "preambles_collided"), 0);
  EXPECT_NEAR(r.site_value(0, "downlink_busy_percent"), 100.0 * 24 * 0.008 / 86400.0, 1e-12);
  EXPECT_NEAR(r.site_value(0, "uplink_busy_percent"), 100.0 * 24 * 6 / (6 * 86400000.0), 1e-12);
  // On two narrowbands the same bookings fill half the share of each: both
  // columns are the mean over the narrowbands (the uplink's 12 PRBs).
  set.push_back("ltem.narrowbands=2");
  const auto two = engine::run_native(engine::load_scenario_text(kLine, "line.yaml", set));
  EXPECT_NEAR(two.site_value(0, "downlink_busy_percent"), 100.0 * 24 * 0.008 / 86400.0 / 2, 1e-12);
  EXPECT_NEAR(two.site_value(0, "uplink_busy_percent"), 100.0 * 24 * 6 / (12 * 86400000.0), 1e-12);
}

TEST(LtemRun, OtherCellsDevicesRaiseASitesUplinkNoiseOverItsNarrowbands) {
  // NbiotRun.OtherCellsDevicesRaiseASitesUplinkNoise's two sites on LTE-M
  // (kLine's path loss; sites at 100 and 300 m; the interferer at 201 m,
  // served by B, 50 B every 10 s). Per report, without link adaptation or
  // block errors (ChargePerReportAtCeLevel0WorkedOutByHand's steps), on the
  // narrowbands' PUSCH: Msg3 and the data, 1 ms each, at 23 dBm (the two
  // HARQ-ACKs go on the PUCCH, outside them): 2 ms of 199.526 mW, a mean of
  // 0.0399052 mW. At A (111.6729 dB) spread over one narrowband's 72
  // subcarriers: −144.2359 dBm per 15 kHz, against LTE-M's default site
  // noise figure of 5 dB: −127.2391 dBm; a rise of
  // 10·log10(1 + 10^(−1.69968)) = 0.08586 dB. Over two narrowbands (144
  // subcarriers) 0.04314 dB.
  const std::string two = test::two_cells("ltem", "ltem: { link_adaptation: false, block_error_rate: 0 % }");
  const auto r = engine::run_native(engine::load_scenario_text(two, "two.yaml"));
  ASSERT_EQ(r.sites.size(), 2u);
  EXPECT_NEAR(r.site_value(0, "uplink_interference_dB"), 0.08586, 1e-5);
  EXPECT_EQ(r.site_value(1, "uplink_interference_dB"), 0.0);  // B serves the only device
  const auto wide = engine::run_native(engine::load_scenario_text(two, "two.yaml", {"ltem.narrowbands=2"}));
  EXPECT_NEAR(wide.site_value(0, "uplink_interference_dB"), 0.04314, 1e-5);
}

TEST(LtemRun, GatewaysCsvQuotesASiteNameWithAComma) {
  // RFC 4180 §2: a field with a comma is enclosed in double quotes, and a
  // double quote inside it is doubled.
  std::string text = kLine;
  text.replace(text.find("name: enb"), 9, "name: 'enb,\"north\"'");
  const auto r = engine::run_native(engine::load_scenario_text(text, "line.yaml"));
  std::ostringstream csv;
  analysis::write_gateways_csv(r, csv);
  const std::string out = csv.str();
  const std::string second = out.substr(out.find('\n') + 1);
  EXPECT_EQ(second.substr(0, second.find(",ltem,")), "\"enb,\"\"north\"\"\"") << out;
  // Four of kLine's five devices camp: the fifth's RSRP, 18.2185 − 159.5 =
  // −141.28 dBm, is below Q_rxlevmin (−140 dBm, TS 36.304 §5.2.3.2).
  EXPECT_THAT(second, ::testing::StartsWith("\"enb,\"\"north\"\"\",ltem,0.00,0.00,4,"));
}

TEST(LtemRun, EarlyDataSendsTheReportInMsg3AndEndsAtMsg4) {
  const auto r = engine::run_native(engine::load_scenario_text(
      kLine, "line.yaml",
      {"ltem.link_adaptation=false", "ltem.block_error_rate=0%", "ltem.network_delay=0s",
       "ltem.prach_period=[20ms, 80ms, 320ms, 1280ms]", "devices.trackers.radio.early_data=true"}));
  const auto& d = r.devices[0];
  // 632 + 88 = 720 bits fit the 1000-bit EDT block; at I_TBS 9 the fewest
  // PRBs that carry them are 5 (776 bits): one subframe, 6 subframes after
  // the response (15 to 16 ms from the preamble's start, a multiple of the
  // search space's 4 ms, as in ChargePerReportAtCeLevel0WorkedOutByHand);
  // then Msg4 at the occasion at 16 (MPDCCH 2 ms, 2 ms, 1 ms, 4 ms,
  // HARQ-ACK 1 ms).
  //   tx: preamble 1, Msg3 1, HARQ-ACK 1                     = 3 ms
  //   rx: sync 300, response 2 + 1, Msg4 2 + 1               = 306 ms
  //   connected: response 3 + 2, Msg3 6, Msg4 2 + 4          =  17 ms
  // 24 a day, at the nrf9160's LTE-M currents (ChargePerReportAtCeLevel0WorkedOutByHand):
  // tx 24 × 0.003 s × 105 mA = 7.56 mA·s; rx and connected 24 × (0.306 s × 45 mA +
  // 0.017 s × 10 mA) = 334.56 mA·s.
  constexpr std::size_t kTx = 0, kRx = 1;
  EXPECT_EQ(d.delivered, 24u);
  EXPECT_EQ(r.technology_value(d, "early_data_transmissions"), 24);
  EXPECT_NEAR(d.part_mAh[kTx], 7.56 / 3600.0, 1e-9);
  EXPECT_NEAR(d.part_mAh[kRx], 334.56 / 3600.0, 1e-9);
}

TEST(LtemRun, RunsBesideAnNbiotGroupWhoseResultsItLeavesUnchanged) {
  const std::string mixed =
      "name: mixed\n"
      "duration: 6 h\n"
      "area: { width: 2 km, height: 2 km }\n"
      "environment: { propagation: { model: okumura-hata, environment: urban, city: medium } }\n"
      "gateways:\n"
      "  - { name: nb, technology: nbiot, position: [1 km, 1 km], height: 30 m }\n"
      "  - { name: m, technology: ltem, position: [1 km, 1 km], height: 30 m }\n"
      "devices:\n"
      "  - group: nb-meters\n"
      "    count: 50\n"
      "    radio: { technology: nbiot }\n"
      "    traffic: { periodic: { every: 30 min }, payload: 20 B }\n"
      "  - group: m-meters\n"
      "    count: 50\n"
      "    radio: { technology: ltem }\n"
      "    traffic: { periodic: { every: 30 min }, payload: 20 B }\n";
  const auto r = engine::run_native(engine::load_scenario_text(mixed, "mixed.yaml"));
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_GT(r.groups[0].delivered, 0u);
  EXPECT_GT(r.groups[1].delivered, 0u);
  // One coupling_loss_dB column for both technologies, filled for every device.
  EXPECT_EQ(std::count_if(r.technology_columns.begin(), r.technology_columns.end(),
                          [](const results::ColumnSpec& c) { return c.name == "coupling_loss_dB"; }),
            1);
  for (const auto& d : r.devices) EXPECT_TRUE(std::isfinite(r.technology_value(d, "coupling_loss_dB"))) << d.id;
  // The NB-IoT group's results are those of the file without the LTE-M group and site.
  const auto nb_only = engine::run_native(engine::load_scenario_text(
      mixed.substr(0, mixed.find("  - { name: m,")) +
          mixed.substr(mixed.find("devices:"), mixed.find("  - group: m-meters") - mixed.find("devices:")),
      "mixed.yaml"));
  ASSERT_EQ(nb_only.groups.size(), 1u);
  EXPECT_EQ(nb_only.groups[0].delivered, r.groups[0].delivered);
  EXPECT_EQ(nb_only.devices[7].charge_mAh, r.devices[7].charge_mAh);
  // CE-level shares: NB-IoT has three levels (TS 36.331 NPRACH-ConfigSIB-NB),
  // LTE-M four (PRACH-ParametersListCE-r13): the NB-IoT group has no fourth
  // share, and the run's `all` none, its groups' levels meaning different things.
  const auto share = [](const results::GroupSummary& g, const std::string& name) {
    for (const auto& [n, v] : g.shares)
      if (n == name) return v;
    return -1.0;
  };
  EXPECT_TRUE(std::isfinite(share(r.groups[0], "ce_level_2")));
  EXPECT_TRUE(std::isnan(share(r.groups[0], "ce_level_3")));
  EXPECT_TRUE(std::isfinite(share(r.groups[1], "ce_level_3")));
  EXPECT_TRUE(std::isnan(share(r.total, "ce_level_0")));
}

TEST(LtemRun, ScenarioErrorsAreLocated) {
  const auto fails = [](const std::vector<std::string>& sets) { return test::load_error(kLine, sets); };
  using ::testing::HasSubstr;
  EXPECT_THAT(fails({"ltem.preambles=[40, 12, 12, 12]"}),
              HasSubstr("ltem.preambles add up to 76; the four levels share the cell's 64 preambles"));
  EXPECT_THAT(fails({"ltem.prach_repetitions=[1, 2, 4]"}), HasSubstr("takes a list of 4 values, one per CE level"));
  EXPECT_THAT(fails({"ltem.pusch_repetitions=[1, 64, 64, 512]"}),
              HasSubstr("ltem.pusch_repetitions[1] must be at most 32 at CE level 1 (CE mode A"));
  EXPECT_THAT(fails({"ltem.pusch_prbs=[6, 3, 3, 1]"}), HasSubstr("ltem.pusch_prbs[2] (CE mode B)"));
  EXPECT_THAT(fails({"ltem.pusch_itbs=[9, 4, 0, 3]"}),
              HasSubstr("ltem.pusch_itbs[2] = 0 on ltem.pusch_prbs[2] = 2 PRBs carries no Msg3 (88 bits"));
  EXPECT_THAT(fails({"ltem.prach_period=[10 ms, 80 ms, 320 ms, 640 ms]"}),
              HasSubstr("ltem.prach_period[3] (640 ms) must be longer than the level's preamble, 128 repetitions "
                        "10 ms apart = 1271 ms"));
  EXPECT_THAT(fails({"ltem.carrier_bandwidth=7 MHz"}), HasSubstr("must be 1.4, 3, 5, 10, 15 or 20 MHz"));
  EXPECT_THAT(fails({"ltem.narrowbands=3", "ltem.carrier_bandwidth=3 MHz"}),
              HasSubstr("ltem.narrowbands is 3 but a carrier of 15 PRBs has 2"));
  EXPECT_THAT(fails({"ltem.rsrp_thresholds=[-100 dBm, -110 dBm, -105 dBm]"}),
              HasSubstr("ltem.rsrp_thresholds[2] must be below ltem.rsrp_thresholds[1]"));
  EXPECT_THAT(fails({"ltem.response_window=[80 ms, 80 ms, 240 ms, 500 ms]"}),
              HasSubstr("ltem.response_window[3] must be one of 20, 50, 80, 120, 180, 240, 320, 400 ms"));
  EXPECT_THAT(fails({"ltem.pucch_repetitions=[1, 4, 2, 32]"}), HasSubstr("ltem.pucch_repetitions[2] (CE mode B)"));
  EXPECT_THAT(fails({"devices.trackers.traffic.payload=8180 B"}), HasSubstr("8188 B, the largest LTE-M PDCP SDU"));
  // TS 36.331 Q-RxLevMin(CE): −70 to −22, times 2 dBm.
  EXPECT_THAT(
      fails({"ltem.q_rxlev_min=-139 dBm"}),
      HasSubstr("ltem.q_rxlev_min must be an even number of dBm (TS 36.331 Q-RxLevMin counts in steps of 2 dB"));
  EXPECT_THAT(fails({"ltem.q_rxlev_min=-150 dBm"}), HasSubstr("-140 dBm to -44 dBm"));
}

}  // namespace
}  // namespace m2msim
