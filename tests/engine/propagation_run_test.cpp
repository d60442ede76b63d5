// Path-loss models selected in the scenario reach the link budget.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "models/propagation/antenna.hpp"
#include "scenarios/loader.hpp"

namespace m2msim {
namespace {

std::string scenario_with(const std::string& propagation, const std::string& points, double gw_height_m,
                          double device_height_m, const std::string& frequency) {
  return "name: prop\n"
         "duration: 1 min\n"
         "area: { width: 10 km, height: 10 km }\n"
         "environment: { propagation: " +
         propagation +
         " }\n"
         "gateways: [ { name: gw, position: [0 m, 0 m], height: " +
         std::to_string(gw_height_m) +
         " m } ]\n"
         "devices:\n"
         "  - group: d\n"
         "    placement: { list: [" +
         points +
         "] }\n"
         "    height: " +
         std::to_string(device_height_m) +
         " m\n"
         "    radio: { technology: lorawan, spreading_factor: 12, tx_power: 14 dBm, frequency: " +
         frequency +
         " }\n"
         "    traffic: { periodic: { every: 1 h }, payload: 10 B }\n"
         "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n";
}

TEST(PropagationInScenario, OkumuraHataLinkBudgetMatchesNs3ReferenceVector) {
  // ns-3 okumura-hata-test-suite.cc, "original OH Urban Large city": 869 MHz,
  // 2000 m, hb = 30 m, hm = 1 m → 137.93 dB (0.1 dB tolerance there); the
  // formula evaluated exactly with the 3-D distance gives 137.9323 dB.
  // Received power = 14 dBm − 137.9323 dB = −123.9323 dBm.
  const auto s = engine::load_scenario_text(
      scenario_with("{ model: okumura-hata, environment: urban, city: large }", "[2000 m, 0 m]", 30, 1, "869 MHz"),
      "prop.yaml");
  const auto r = engine::run_native(s);
  EXPECT_NEAR(r.devices[0].best_rx_dBm, 14.0 - 137.9323, 0.01);  // devices.csv keeps 0.01 dB
  // Noise floor at 125 kHz with the default 6 dB noise figure:
  // −174 + 10·log10(125 000) + 6 = −174 + 50.969 + 6 = −117.031 dBm;
  // SNR = −123.932 − (−117.031) = −6.901 dB.
  EXPECT_NEAR(r.devices[0].best_snr_dB, -6.901, 0.01);
}

TEST(PropagationInScenario, ThreeGppRandomConditionDrawsLosWithTheTableProbability) {
  // TR 38.901 Table 7.4.2-1, UMa, d2D = 100 m, hUT = 1.5 m:
  // p_LOS = 18/100 + exp(−100/63)·(1 − 18/100) = 0.347671 (ns-3
  // channel-condition-model-test-suite.cc). 2000 links at that geometry:
  // the LOS share has sd sqrt(p(1−p)/2000) = 0.0106; allow 5 sd.
  std::string points;
  for (int i = 0; i < 2000; ++i) points += std::string(i ? ", " : "") + "[100 m, 0 m]";
  const auto s = engine::load_scenario_text(
      scenario_with("{ model: 3gpp-uma, condition: random }", points, 25, 1.5, "868.1 MHz"), "prop.yaml");
  const auto r = engine::run_native(s);
  double strongest = -1e9;
  for (const auto& d : r.devices) strongest = std::max(strongest, d.best_rx_dBm);
  int los = 0;
  for (const auto& d : r.devices)
    if (std::abs(d.best_rx_dBm - strongest) < 1e-6) ++los;  // LOS loss < NLOS loss at 100 m
  EXPECT_NEAR(los / 2000.0, 0.347671, 5 * 0.0106);
}

TEST(PropagationInScenario, KeysOfAnotherModelAreErrors) {
  try {
    engine::load_scenario_text(scenario_with("{ model: okumura-hata, environment: urban, city: large, exponent: 3 }",
                                             "[1 km, 0 m]", 30, 1, "869 MHz"),
                               "prop.yaml");
    FAIL() << "no error";
  } catch (const scenario::ScenarioError& e) {
    EXPECT_THAT(
        std::string(e.what()),
        ::testing::HasSubstr("key 'exponent' does not apply to model okumura-hata (its keys: environment, city)"));
  }
}

std::string many_points(int n, const std::string& point) {
  std::string points;
  for (int i = 0; i < n; ++i) points += std::string(i ? ", " : "") + point;
  return points;
}

TEST(ShadowingInScenario, IndependentShadowingSpreadsColocatedDevicesBySigma) {
  // 2000 devices at one point: their received powers differ only by the
  // shadowing draws, N(0, 6 dB); the sample sd of 2000 draws has sd
  // 6/sqrt(2·2000) = 0.095 dB, allow 5 of them.
  const auto s = engine::load_scenario_text(scenario_with("{ model: free-space, shadowing: { sigma: 6 dB } }",
                                                          many_points(2000, "[1 km, 0 m]"), 30, 1.5, "868.1 MHz"),
                                            "prop.yaml");
  const auto r = engine::run_native(s);
  double sum = 0, sum2 = 0;
  for (const auto& d : r.devices) {
    sum += d.best_rx_dBm;
    sum2 += d.best_rx_dBm * d.best_rx_dBm;
  }
  const double n = 2000, mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(sd, 6.0, 0.5);
}

TEST(ShadowingInScenario, CorrelatedShadowingIsTheSameForColocatedDevices) {
  const auto s =
      engine::load_scenario_text(scenario_with("{ model: free-space, shadowing: { sigma: 6 dB, decorrelation: 50 m } }",
                                               many_points(5, "[1 km, 0 m]") + ", [3 km, 0 m]", 30, 1.5, "868.1 MHz"),
                                 "prop.yaml");
  const auto r = engine::run_native(s);
  for (int i = 1; i < 5; ++i)
    EXPECT_DOUBLE_EQ(r.devices[0].best_rx_dBm, r.devices[static_cast<std::size_t>(i)].best_rx_dBm);
}

TEST(CoverageInScenario, CoverageProbabilityIsTheNormalTailOfTheMedianMargin) {
  // Free space at 868.1 MHz; received power without shadowing
  // 14 dBm − FSPL(d3D). SX1276 SF12/125 kHz sensitivity −136 dBm (datasheet).
  // Place the device where the median margin is exactly sigma = 6 dB:
  // FSPL = 14 + 136 − 6 = 144 dB → d = 10^((144 − 31.219)/20) m = 435 553 m
  // (3-D; heights 30 m and 1.5 m). P(covered) = Φ(6/6) = Φ(1) = 0.841345.
  const double fspl_1m = 20.0 * std::log10(4.0 * 3.141592653589793 * 868.1e6 / 299792458.0);
  const double d3 = std::pow(10.0, (144.0 - fspl_1m) / 20.0);
  const double d2 = std::sqrt(d3 * d3 - 28.5 * 28.5);
  const auto s = engine::load_scenario_text(scenario_with("{ model: free-space, shadowing: { sigma: 6 dB } }",
                                                          "[" + std::to_string(d2) + " m, 0 m]", 30, 1.5, "868.1 MHz"),
                                            "prop.yaml");
  const auto r = engine::run_native(s);
  EXPECT_NEAR(r.devices[0].coverage_probability, 0.841345, 1e-4);
}

TEST(IndoorPenetration, AddsItsLossToEveryLink) {
  const auto outdoor = engine::run_native(engine::load_scenario_text(
      scenario_with("{ model: free-space }", "[1 km, 0 m]", 30, 1.5, "868.1 MHz"), "prop.yaml"));
  const auto indoor = engine::run_native(
      engine::load_scenario_text(scenario_with("{ model: free-space }", "[1 km, 0 m]", 30, 1.5, "868.1 MHz"),
                                 "prop.yaml", {"devices.d.indoor={ penetration: 12 dB }"}));
  EXPECT_NEAR(outdoor.devices[0].best_rx_dBm - indoor.devices[0].best_rx_dBm, 12.0, 0.011);
  EXPECT_DOUBLE_EQ(indoor.devices[0].penetration_dB, 12.0);
}

TEST(IndoorPenetration, The3gppModelDrawsOneLossPerDeviceWithinItsRange) {
  // Low-loss buildings at 868.1 MHz: PL_tw = 5 − 10·log10(0.3·10^(−2.17362/10)
  // + 0.7·10^(−8.4724/10)) = 10.5071 dB (TR 38.901 Table 7.4.3-2 by hand),
  // plus 0.5·d_2D-in ≤ 12.5 dB, plus N(0, 4.4 dB). Forty co-located devices:
  // each link loses exactly the device's own drawn loss, and the draws differ.
  std::string points = "[1 km, 0 m]";
  for (int i = 1; i < 40; ++i) points += ", [1 km, 0 m]";
  const auto outdoor = engine::run_native(
      engine::load_scenario_text(scenario_with("{ model: free-space }", points, 30, 1.5, "868.1 MHz"), "prop.yaml"));
  const auto indoor = engine::run_native(
      engine::load_scenario_text(scenario_with("{ model: free-space }", points, 30, 1.5, "868.1 MHz"), "prop.yaml",
                                 {"devices.d.indoor={ model: 3gpp-38901, high_loss: 0 % }"}));
  double sum = 0.0;
  for (std::size_t i = 0; i < 40; ++i) {
    const double loss = indoor.devices[i].penetration_dB;
    EXPECT_NEAR(outdoor.devices[i].best_rx_dBm - indoor.devices[i].best_rx_dBm, loss, 0.011);
    sum += loss;
  }
  EXPECT_NE(indoor.devices[0].penetration_dB, indoor.devices[1].penetration_dB);
  // Mean 10.5071 + 25/6 = 14.6738 dB, sd 5.2953 dB: the mean of 40 lies
  // within 5 standard errors (5 · 5.2953/√40 = 4.19 dB).
  EXPECT_NEAR(sum / 40.0, 14.6738, 4.19);
}

TEST(CoverageInScenario, TheSectorsOfASiteShareTheirShadowing) {
  // TR 36.942 §4.3: the sectors of one site see the same shadowing. 2000
  // NB-IoT devices at one place, bearing 60 deg from a three-sector site
  // (azimuths 0, 120, 240 deg): sectors s0 and s1 are both 60 deg off,
  // 12·(60/65)² = 10.2249 dB down (TR 36.942 §4.5); s2 is 180 deg off, 20 dB.
  // At d = 10^((164 − 31.5 + 15 − 10.2249) / 30) = 37 652.3 m their
  // coupling loss is 164 dB, the maximum: median margin 0 dB on s0 and s1,
  // −9.7751 dB on s2. With one draw for the site, a device is covered when
  // it is ≥ 0: P = Φ(0) = 0.5 (independent draws per sector would give
  // 1 − 0.5 · 0.5 · (1 − Φ(−9.7751/6)) = 0.763).
  const double d = std::pow(10.0, (164.0 - 31.5 + 15.0 - 12.0 * (60.0 / 65.0) * (60.0 / 65.0)) / 30.0);
  const double x = d * std::sin(60.0 * 3.141592653589793 / 180.0), y = d * std::cos(60.0 * 3.141592653589793 / 180.0);
  const std::string point = "[" + std::to_string(x) + " m, " + std::to_string(y) + " m]";
  const std::string text =
      "name: sectors\n"
      "duration: 1 min\n"
      "area: { width: 40 km, height: 40 km }\n"
      "environment: { propagation: { model: log-distance, reference_distance: 1 m, reference_loss: 31.5 dB, "
      "exponent: 3.0, shadowing: { sigma: 6 dB } } }\n"
      "gateways: [ { name: enb, technology: nbiot, position: [0 m, 0 m], height: 1.5 m, antenna_gain: 15 dBi, "
      "sectors: 3 } ]\n"
      "devices:\n"
      "  - group: d\n"
      "    placement: { list: [" +
      many_points(2000, point) +
      "] }\n"
      "    height: 1.5 m\n"
      "    radio: { technology: nbiot }\n"
      "    traffic: { periodic: { every: 1 h }, payload: 10 B }\n";
  for (const char* field : {"", "environment.propagation.shadowing.decorrelation=50m"}) {
    const std::vector<std::string> sets = *field ? std::vector<std::string>{field} : std::vector<std::string>{};
    const auto r = engine::run_native(engine::load_scenario_text(text, "s.yaml", sets));
    EXPECT_NEAR(r.devices[0].coverage_probability, 0.5, 1e-3) << field;
    if (*field) continue;  // one field: 2000 devices at one place are one draw
    // Independent draws per device: the share covered is 0.5 within 4.5
    // binomial standard deviations (√(0.25/2000) = 0.0112).
    double covered = 0;
    for (const auto& dev : r.devices) covered += dev.covered ? 1 : 0;
    EXPECT_NEAR(covered / 2000.0, 0.5, 0.05);
  }
}

}  // namespace
}  // namespace m2msim

namespace m2msim {
namespace {

TEST(SectorAntennas, PatternFollowsTr36942) {
  // TR 36.942 §4.5: A(θ) = −min(12·(θ/65°)², 20 dB).
  propagation::SectorAntenna a;
  EXPECT_EQ(a.attenuation_dB(123.0), 0.0);  // omnidirectional
  a.directional = true;
  a.azimuth_deg = 120.0;
  EXPECT_DOUBLE_EQ(a.attenuation_dB(120.0), 0.0);
  EXPECT_NEAR(a.attenuation_dB(120.0 + 32.5), 3.0, 1e-12);  // half the beamwidth: 3 dB
  EXPECT_NEAR(a.attenuation_dB(120.0 - 65.0), 12.0, 1e-12);
  EXPECT_DOUBLE_EQ(a.attenuation_dB(300.0), 20.0);  // behind: the front-to-back ratio
  EXPECT_NEAR(a.attenuation_dB(90.0), 12.0 * (30.0 / 65.0) * (30.0 / 65.0), 1e-12);
  a.azimuth_deg = 350.0;  // across north
  EXPECT_NEAR(a.attenuation_dB(10.0), 12.0 * (20.0 / 65.0) * (20.0 / 65.0), 1e-12);
  // Bearings clockwise from north (+y).
  EXPECT_DOUBLE_EQ(propagation::bearing_deg(0.0, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(propagation::bearing_deg(1.0, 0.0), 90.0);
  EXPECT_DOUBLE_EQ(propagation::bearing_deg(0.0, -1.0), 180.0);
  EXPECT_DOUBLE_EQ(propagation::bearing_deg(-1.0, 0.0), 270.0);
}

TEST(SectorAntennas, ADeviceIsServedByTheSectorFacingIt) {
  // Three sectors at azimuths 0, 120 and 240 deg; a device due east (bearing
  // 90 deg) is 30 deg off sector s1's boresight: 12·(30/65)² = 2.5562 dB
  // below the omnidirectional link; s0 and s2 are 90 and 150 deg off: 20 dB.
  const std::string base =
      "name: sectors\n"
      "duration: 1 min\n"
      "area: { width: 4 km, height: 4 km }\n"
      "environment: { propagation: { model: log-distance, reference_distance: 1 m, reference_loss: 31.5 dB, "
      "exponent: 3.0 } }\n"
      "gateways: [ { name: enb, technology: nbiot, position: [2 km, 2 km], height: 1.5 m, antenna_gain: 15 dBi";
  const std::string devices =
      " } ]\n"
      "devices:\n"
      "  - group: d\n"
      "    placement: { list: [[3 km, 2 km]] }\n"
      "    height: 1.5 m\n"
      "    radio: { technology: nbiot }\n"
      "    traffic: { periodic: { every: 1 h }, payload: 10 B }\n";
  const auto omni = engine::run_native(engine::load_scenario_text(base + devices, "s.yaml"));
  const auto sectored = engine::run_native(engine::load_scenario_text(base + ", sectors: 3" + devices, "s.yaml"));
  EXPECT_EQ(sectored.devices[0].best_gateway, "enb-s1");
  EXPECT_NEAR(sectored.devices[0].best_rx_dBm, omni.devices[0].best_rx_dBm - 12.0 * (30.0 / 65.0) * (30.0 / 65.0),
              1e-3);
  // Coupling loss: 31.5 + 30·log10(1000) − 15 dBi = 106.5 dB omnidirectional.
  EXPECT_NEAR(omni.technology_value(omni.devices[0], "coupling_loss_dB"), 106.5, 1e-3);
}

}  // namespace
}  // namespace m2msim
