// Pure ALOHA: with Poisson offered load G (packets per packet time), the
// share of packets that survive is P = e^(−2G), so the throughput is
// S = G·e^(−2G) (Abramson, "The ALOHA System", AFIPS 1970; the same curve
// Bor et al. use as the baseline of single-gateway LoRa scaling).
#include <gtest/gtest.h>

#include <cmath>

#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "models/lorawan/fates.hpp"
#include "scenarios/loader.hpp"
#include "test_scenarios.hpp"

namespace m2msim {
namespace {

constexpr double kToA_s = 0.041216;  // SF7/125 kHz, 10 B, CR 4/5, CRC, explicit header (ns-3 vector)

struct AlohaPoint {
  double offered_G;  ///< design load, packets per packet time
};

class PureAloha : public ::testing::TestWithParam<AlohaPoint> {};

TEST_P(PureAloha, DeliveredShareFollowsExponentialOfMinusTwoG) {
  const int devices = 1000;
  const double G = GetParam().offered_G;
  // Per-device mean interval so that the aggregate rate is G / ToA.
  const double mean_interval_s = devices * kToA_s / G;
  const std::string interval = std::to_string(mean_interval_s) + " s";
  const auto s = engine::load_scenario_text(test::aloha_scenario(devices, interval, "3 h", 17), "aloha.yaml");
  const auto r = engine::run_native(s);

  const auto sent = static_cast<double>(r.total.sent);
  const auto delivered = static_cast<double>(r.total.delivered);
  ASSERT_GT(sent, 10000.0);
  // G as realised by the run (a few packets are dropped as radio_busy or
  // still in the air at the end; count what was actually sent).
  const double G_run = sent * kToA_s / r.duration_s;
  const double expected = std::exp(-2.0 * G_run);
  const double measured = delivered / sent;
  // Tolerance: the success share of n packets has standard error
  // sqrt(p(1−p)/n) if packets were independent; collisions come in pairs,
  // which at most doubles the variance, so use 5·sqrt(2)·SE. With ≥ 10^4
  // packets per point this is ≤ 0.035 and a wrong model (e.g. slotted ALOHA,
  // e^(−G)) is off by ≥ 0.09 at G = 0.25.
  const double se = std::sqrt(expected * (1.0 - expected) / sent);
  EXPECT_NEAR(measured, expected, 5.0 * std::sqrt(2.0) * se) << "G_run = " << G_run << ", packets = " << sent;
  EXPECT_NEAR(G_run, G, 0.05 * G);
  EXPECT_EQ(r.total.fates[static_cast<std::size_t>(lora::PacketFate::BelowSensitivity)], 0u)
      << "no packet may be below sensitivity in this geometry";
  // gateways.csv: the one gateway received every delivered packet (one
  // transmission each) and heard strongest every lost one.
  const auto fate = [&](lora::PacketFate f) {
    return static_cast<double>(r.total.fates[r.fate_index(lora::kFates[static_cast<std::size_t>(f)].name)]);
  };
  EXPECT_EQ(r.site_value(0, "uplinks_received"), delivered);
  EXPECT_EQ(r.site_value(0, "uplinks_lost"), fate(lora::PacketFate::Interference) +
                                                 fate(lora::PacketFate::NoDemodulator) +
                                                 fate(lora::PacketFate::GatewayTransmitting));
}

INSTANTIATE_TEST_SUITE_P(OfferedLoads, PureAloha,
                         ::testing::Values(AlohaPoint{0.1}, AlohaPoint{0.25}, AlohaPoint{0.5}, AlohaPoint{1.0}),
                         [](const auto& point) {
                           return "G" + std::to_string(static_cast<int>(point.param.offered_G * 100));
                         });

// Capture raises delivery above pure ALOHA. Devices uniform in a disc of
// radius R around the gateway (pdf 2r/R², gateway at device height so the
// distance is 2-D), log-distance loss with exponent n = 3: a packet from r_d
// beats an interferer from r_i by ≥ c = 6 dB when r_i ≥ k·r_d with
// k = 10^(c/(10n)) = 10^0.2. With K overlapping interferers (K ~ Poisson(2G)
// under pure ALOHA), P(stronger than all K by c) = ∫₀^{R/k} (1 − k²r²/R²)^K
// 2r/R² dr = 1/(k²(K + 1)), so the delivered share is
//   P = e^(−2G) + (1/k²)·Σ_{K≥1} e^(−2G) (2G)^K/(K+1)!
//     = e^(−2G) + e^(−2G)·(e^(2G) − 1 − 2G) / (2G·k²).
// (The pairwise rule with isolation ideal, a 6 dB capture threshold and
// every overlap counting (lock_symbols 8), as in Bor et al.'s capture model.)
class CaptureAboveAloha : public ::testing::TestWithParam<AlohaPoint> {};

TEST_P(CaptureAboveAloha, DeliveredShareFollowsTheCaptureFormula) {
  const int devices = 1000;
  const double G = GetParam().offered_G;
  const double mean_interval_s = devices * kToA_s / G;
  const auto s = engine::load_scenario_text(
      test::aloha_scenario(devices, std::to_string(mean_interval_s) + " s", "3 h", 23), "capture.yaml",
      {"lora={ interference: pairwise, isolation: ideal, capture_threshold: 6 dB, lock_symbols: 8 }",
       "gateways.gw.height=1.5 m"});
  const auto r = engine::run_native(s);
  const auto sent = static_cast<double>(r.total.sent);
  const double G_run = sent * kToA_s / r.duration_s;
  const double k2 = std::pow(10.0, 2.0 * 0.2);
  const double x = 2.0 * G_run;
  const double expected = std::exp(-x) + std::exp(-x) * (std::exp(x) - 1.0 - x) / (x * k2);
  const double measured = static_cast<double>(r.total.delivered) / sent;
  const double se = std::sqrt(expected * (1.0 - expected) / sent);
  EXPECT_NEAR(measured, expected, 5.0 * std::sqrt(2.0) * se) << "G_run = " << G_run;
  // And clearly above pure ALOHA's e^(−2G) (by 0.105 at G = 0.5).
  EXPECT_GT(measured, std::exp(-x) + 10.0 * se);
}

INSTANTIATE_TEST_SUITE_P(OfferedLoads, CaptureAboveAloha,
                         ::testing::Values(AlohaPoint{0.25}, AlohaPoint{0.5}, AlohaPoint{1.0}), [](const auto& point) {
                           return "G" + std::to_string(static_cast<int>(point.param.offered_G * 100));
                         });

}  // namespace
}  // namespace m2msim
