// Empirical path-loss models. Expected values come from ns-3's test suites
// (file and commit named beside each table) or are evaluated by hand from the
// cited formula, the arithmetic shown in the comment.
#include "models/propagation/macro_36942.hpp"
#include "models/propagation/okumura_hata.hpp"
#include "models/propagation/path_loss.hpp"
#include "models/propagation/three_gpp_38901.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>

namespace m2msim::propagation {
namespace {

LinkGeometry make_link(double distance_2d_m, double height_bs_m, double height_ut_m, double frequency_hz) {
  return LinkGeometry{.distance_2d_m = distance_2d_m,
                      .height_bs_m = height_bs_m,
                      .height_ut_m = height_ut_m,
                      .frequency_hz = frequency_hz};
}

// ---------------------------------------------------------------------------
// LinkGeometry and the geometry entry point of the base class

TEST(LinkGeometry, ThreeDimensionalDistanceIsTheHypotenuse) {
  // 2D 40 m, heights 31 m and 1 m: sqrt(40² + 30²) = 50 m (3-4-5 triangle).
  EXPECT_DOUBLE_EQ(make_link(40.0, 31.0, 1.0, 868.1e6).distance_3d_m(), 50.0);
}

TEST(LinkGeometry, DistanceOnlyModelsAreEvaluatedAtTheThreeDimensionalDistance) {
  LogDistanceLoss m(40.0, 127.41, 2.08);
  // d3D = 50 m: 127.41 + 20.8·log10(50/40) = 127.41 + 20.8·0.0969100 = 129.42573 dB.
  EXPECT_NEAR(m.loss_db(make_link(40.0, 31.0, 1.0, 868.1e6)), 129.42573, 1e-4);
  EXPECT_DOUBLE_EQ(m.loss_db(make_link(40.0, 31.0, 1.0, 868.1e6)), m.loss_db(50.0));
}

TEST(LinkGeometry, HorizontalDistancesBelowOneMillimetreAreTreatedAsOneMillimetre) {
  const FreeSpaceLoss m{};
  // Same heights, so d3D = max(d2D, 1 mm): 20·log10(4π·1e-3·868.1e6/c) = −28.7808 dB.
  EXPECT_NEAR(m.loss_db(make_link(0.0, 1.5, 1.5, 868.1e6)), -28.7808, 1e-4);
  EXPECT_DOUBLE_EQ(m.loss_db(make_link(-5.0, 1.5, 1.5, 868.1e6)), m.loss_db(make_link(1e-3, 1.5, 1.5, 868.1e6)));
}

TEST(FreeSpaceLoss, MatchesFriisAtTheThreeDimensionalDistance) {
  const FreeSpaceLoss m{};
  // Equal heights, d3D = 1000 m: 20·log10(4π·1000·868.1e6/299 792 458) = 91.2192 dB
  // (the hand value of path_loss_test.cpp).
  EXPECT_NEAR(m.loss_db(make_link(1000.0, 10.0, 10.0, 868.1e6)), 91.2192, 1e-4);
  // d3D = 50 m: 91.21918 − 20·log10(1000/50) = 91.21918 − 26.02060 = 65.19858 dB.
  EXPECT_NEAR(m.loss_db(make_link(40.0, 31.0, 1.0, 868.1e6)), 65.19858, 1e-4);
}

TEST(GeometricModels, RefuseTheDistanceOnlyEntryPoint) {
  // They need heights and a carrier; guessing them would be a silent fall-back.
  EXPECT_THROW(static_cast<void>(FreeSpaceLoss{}.loss_db(100.0)), std::logic_error);
  const OkumuraHataLoss hata(OkumuraHataLoss::Environment::Urban, OkumuraHataLoss::CitySize::Large);
  EXPECT_THROW(static_cast<void>(hata.loss_db(1000.0)), std::logic_error);
  const ThreeGppLoss uma(ThreeGppScenario::UMa, LosCondition::Los);
  EXPECT_THROW(static_cast<void>(uma.loss_db(1000.0)), std::logic_error);
}

// ---------------------------------------------------------------------------
// Okumura-Hata (with the COST-231 branch above 1.5 GHz)

struct OkumuraHataVector {
  const char* name;
  double frequency_hz;
  OkumuraHataLoss::Environment environment;
  OkumuraHataLoss::CitySize city_size;
  double exact_loss_db;  // the ns-3 formula recomputed exactly (see below)
  double ns3_loss_db;    // as published in the ns-3 test suite
};

TEST(OkumuraHata, ReproducesTheNs3TestVectors) {
  using Env = OkumuraHataLoss::Environment;
  using City = OkumuraHataLoss::CitySize;
  // nsnam/ns-3-dev-git src/propagation/test/okumura-hata-test-suite.cc @ 028f18e6d54eec92fecfb8eb86564b9ac420c9a8:
  // BS at (0, 0, 30 m), UT at (2000 m, 0, 1 m); checked there with a 0.1 dB
  // tolerance against octave scripts (src/propagation/test/reference/*.m).
  // exact_loss_db: the ns-3 formula evaluated in Python at the 3D distance
  // sqrt(2000² + 29²) = 2000.21 m (/tmp/propagation-refs.md §1.1).
  // The ns-3 open-area number, 109.66, is not reproducible by any variant of
  // the formula (small/large a(hm), 4.78 or the octave script's 4.70): it only
  // passes there thanks to the 0.1 dB tolerance. (An older copy of that test
  // file expects 110.21 dB: the octave script's 4.70 with the small-city a(hm).)
  const OkumuraHataVector vectors[] = {
      {"original OH Urban Large city", 869e6, Env::Urban, City::Large, 137.9323, 137.93},
      {"original OH Urban small city", 869e6, Env::Urban, City::Small, 137.8782, 137.88},
      {"original OH SubUrban", 869e6, Env::Suburban, City::Large, 128.0810, 128.03},
      {"original OH OpenAreas", 869e6, Env::Open, City::Large, 109.5757, 109.66},
      {"COST231 OH Urban Large city", 2.1140e9, Env::Urban, City::Large, 148.5487, 148.55},
      {"COST231 OH Urban small city and suburban", 2.1140e9, Env::Urban, City::Small, 150.6421, 150.64},
  };
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.name);
    const OkumuraHataLoss m(v.environment, v.city_size);
    const double loss = m.loss_db(make_link(2000.0, 30.0, 1.0, v.frequency_hz));
    EXPECT_NEAR(loss, v.exact_loss_db, 1e-3);
    EXPECT_NEAR(loss, v.ns3_loss_db, 0.1);
  }
}

TEST(OkumuraHata, MediumCityUsesTheSmallCityCorrection) {
  using Env = OkumuraHataLoss::Environment;
  using City = OkumuraHataLoss::CitySize;
  for (double f : {869e6, 2.114e9}) {
    const LinkGeometry g = make_link(3000.0, 40.0, 2.0, f);
    EXPECT_DOUBLE_EQ(OkumuraHataLoss(Env::Urban, City::Medium).loss_db(g),
                     OkumuraHataLoss(Env::Urban, City::Small).loss_db(g));
  }
}

TEST(OkumuraHata, IgnoresTheEnvironmentAboveOnePointFiveGigahertz) {
  using Env = OkumuraHataLoss::Environment;
  using City = OkumuraHataLoss::CitySize;
  const LinkGeometry g = make_link(2000.0, 30.0, 1.0, 2.114e9);
  const double urban = OkumuraHataLoss(Env::Urban, City::Large).loss_db(g);
  EXPECT_DOUBLE_EQ(OkumuraHataLoss(Env::Suburban, City::Large).loss_db(g), urban);
  EXPECT_DOUBLE_EQ(OkumuraHataLoss(Env::Open, City::Large).loss_db(g), urban);
}

TEST(OkumuraHata, UsesHataUpToAndIncludingOnePointFiveGigahertz) {
  // At 1500 MHz, small city, Hata (COST 231 eq. 4.4.1) and COST-231-Hata
  // (eq. 4.4.3, Cm = 0) share a(hm) and the height/distance terms, so they
  // differ by (69.55 − 46.3) + (26.16 − 33.9)·log10(1500)
  //   = 23.25 − 7.74·3.1760913 = −1.3329463 dB.
  const LinkGeometry g = make_link(5000.0, 50.0, 1.5, 1.5e9);
  const double hata = OkumuraHataLoss(OkumuraHataLoss::Environment::Urban, OkumuraHataLoss::CitySize::Small).loss_db(g);
  const double cost231 = Cost231HataLoss(Cost231HataLoss::Area::MediumCityOrSuburban).loss_db(g);
  EXPECT_NEAR(hata - cost231, -1.3329463, 1e-6);
}

// ---------------------------------------------------------------------------
// COST-231-Hata (COST 231 final report eq. 4.4.3)

TEST(Cost231Hata, MatchesTheFormulaByHand) {
  // L = 46.3 + 33.9·log10 f − 13.82·log10 hb + (44.9 − 6.55·log10 hb)·log10 d − a(hm) + Cm,
  // a(hm) = (1.1·log10 f − 0.7)·hm − (1.56·log10 f − 0.8); f MHz, d km (3D).
  // Heights and 2D distances are chosen from Pythagorean triples so that d3D is exact.
  const Cost231HataLoss medium(Cost231HataLoss::Area::MediumCityOrSuburban);
  const Cost231HataLoss metropolitan(Cost231HataLoss::Area::Metropolitan);

  // f = 1800 MHz, hb = 65 m, hm = 2 m, d2D = 1984 m -> d3D = 1985 m (63-1984-1985), Cm = 0:
  //   log10 f = 3.255273, 33.9·log10 f = 110.353738
  //   log10 hb = 1.812913, 13.82·log10 hb = 25.054463, 44.9 − 6.55·log10 hb = 33.025418
  //   log10 1.985 = 0.297761, 33.025418·0.297761 = 9.833665
  //   a(hm) = (1.1·3.255273 − 0.7)·2 − (1.56·3.255273 − 0.8) = 5.761600 − 4.278225 = 1.483374
  //   L = 46.3 + 110.353738 − 25.054463 + 9.833665 − 1.483374 = 139.949566 dB
  EXPECT_NEAR(medium.loss_db(make_link(1984.0, 65.0, 2.0, 1800e6)), 139.949566, 1e-4);

  // f = 2000 MHz, hb = 46.5 m, hm = 1.5 m, d2D = 1012 m -> d3D = 1013 m (45-1012-1013), Cm = 3:
  //   log10 f = 3.301030, 33.9·log10 f = 111.904917
  //   log10 hb = 1.667453, 13.82·log10 hb = 23.044200, 44.9 − 6.55·log10 hb = 33.978183
  //   log10 1.013 = 0.005609, 33.978183·0.005609 = 0.190599
  //   a(hm) = (1.1·3.301030 − 0.7)·1.5 − (1.56·3.301030 − 0.8) = 4.396699 − 4.349607 = 0.047093
  //   L = 46.3 + 111.904917 − 23.044200 + 0.190599 − 0.047093 + 3 = 138.304223 dB
  EXPECT_NEAR(metropolitan.loss_db(make_link(1012.0, 46.5, 1.5, 2000e6)), 138.304223, 1e-4);

  // f = 1900 MHz, hb = 100 m, hm = 1 m, d2D = 4900 m -> d3D = 4901 m (99-4900-4901), Cm = 0:
  //   log10 f = 3.278754, 33.9·log10 f = 111.149747
  //   log10 hb = 2, 13.82·2 = 27.64, 44.9 − 6.55·2 = 31.8
  //   log10 4.901 = 0.690285, 31.8·0.690285 = 21.951054
  //   a(hm) = (1.1·3.278754 − 0.7)·1 − (1.56·3.278754 − 0.8) = 2.906629 − 4.314856 = −1.408227
  //   L = 46.3 + 111.149747 − 27.64 + 21.951054 + 1.408227 = 153.169028 dB (153.169027 unrounded)
  EXPECT_NEAR(medium.loss_db(make_link(4900.0, 100.0, 1.0, 1900e6)), 153.169028, 1e-4);
}

TEST(Cost231Hata, MetropolitanCentresAddThreeDecibels) {
  const LinkGeometry g = make_link(3000.0, 35.0, 1.5, 1.9e9);
  EXPECT_NEAR(Cost231HataLoss(Cost231HataLoss::Area::Metropolitan).loss_db(g) -
                  Cost231HataLoss(Cost231HataLoss::Area::MediumCityOrSuburban).loss_db(g),
              3.0, 1e-12);
}

TEST(Cost231Hata, AgreesWithTheCost231BranchOfOkumuraHataForSmallCities) {
  // Both are eq. 4.4.3 with the small-city a(hm) and Cm = 0 above 1.5 GHz.
  const Cost231HataLoss cost231(Cost231HataLoss::Area::MediumCityOrSuburban);
  const OkumuraHataLoss hata(OkumuraHataLoss::Environment::Urban, OkumuraHataLoss::CitySize::Small);
  for (const LinkGeometry& g : {make_link(2000.0, 30.0, 1.0, 2.114e9), make_link(1984.0, 65.0, 2.0, 1.8e9),
                                make_link(15000.0, 150.0, 8.0, 1.6e9), make_link(800.0, 40.0, 3.0, 2.0e9)}) {
    EXPECT_NEAR(cost231.loss_db(g), hata.loss_db(g), 1e-9);
  }
}

// ---------------------------------------------------------------------------
// 3GPP TR 38.901 path loss and LOS probability

struct ThreeGppLossVector {
  ThreeGppScenario scenario;
  LosCondition condition;
  double bs_height_m;
  double distance_2d_m;
  double expected_loss_db;
  double tolerance_db;
};

TEST(ThreeGpp, ReproducesTheNs3PathLossVectors) {
  using S = ThreeGppScenario;
  using C = LosCondition;
  // nsnam/ns-3-dev-git src/propagation/test/three-gpp-propagation-loss-model-test-suite.cc
  // @ 0a0222c29935e259f14d928bba5cfb5003cbd97a: f = 5 GHz, UT at (d, 0, 1.5 m),
  // BS at (0, 0, hBS), shadowing off, expected loss = −(received power for
  // 0 dBm). ns-3 checks them with 5e-2 dB; recomputed from the formulas they
  // agree to 5e-5 dB (/tmp/propagation-refs.md §3.1), hence 5e-3 dB here.
  // (ns-3 registers only the first two UMi LOS rows; the others are checked
  // here all the same.)
  const ThreeGppLossVector vectors[] = {
      {S::RMa, C::Los, 35.0, 10.0, 77.3784, 5e-3},
      {S::RMa, C::Los, 35.0, 100.0, 87.2965, 5e-3},
      {S::RMa, C::Los, 35.0, 1000.0, 108.5577, 5e-3},
      {S::RMa, C::Los, 35.0, 10000.0, 140.3896, 5e-3},  // beyond dBP = 5497.79 m
      {S::RMa, C::Nlos, 35.0, 10.0, 77.3784, 5e-3},     // max(LOS, NLOS') picks LOS
      {S::RMa, C::Nlos, 35.0, 100.0, 95.7718, 5e-3},
      {S::RMa, C::Nlos, 35.0, 1000.0, 133.5223, 5e-3},
      {S::RMa, C::Nlos, 35.0, 5000.0, 160.5169, 5e-3},
      {S::UMa, C::Los, 25.0, 10.0, 72.9380, 5e-3},
      {S::UMa, C::Los, 25.0, 100.0, 86.2362, 5e-3},
      {S::UMa, C::Los, 25.0, 1000.0, 109.7252, 5e-3},  // beyond d'BP = 800 m
      {S::UMa, C::Los, 25.0, 5000.0, 137.6794, 5e-3},
      {S::UMa, C::Nlos, 25.0, 10.0, 82.5131, 5e-3},
      {S::UMa, C::Nlos, 25.0, 100.0, 106.1356, 5e-3},
      {S::UMa, C::Nlos, 25.0, 1000.0, 144.7641, 5e-3},
      {S::UMa, C::Nlos, 25.0, 5000.0, 172.0753, 5e-3},
      {S::UMiStreetCanyon, C::Los, 10.0, 10.0, 69.8591, 5e-3},
      {S::UMiStreetCanyon, C::Los, 10.0, 100.0, 88.4122, 5e-3},
      {S::UMiStreetCanyon, C::Los, 10.0, 1000.0, 119.3114, 5e-3},  // beyond d'BP = 300 m
      {S::UMiStreetCanyon, C::Los, 10.0, 5000.0, 147.2696, 5e-3},
      {S::UMiStreetCanyon, C::Nlos, 10.0, 10.0, 76.7563, 5e-3},
      {S::UMiStreetCanyon, C::Nlos, 10.0, 100.0, 107.9432, 5e-3},
      {S::UMiStreetCanyon, C::Nlos, 10.0, 1000.0, 143.1886, 5e-3},
      {S::UMiStreetCanyon, C::Nlos, 10.0, 5000.0, 167.8617, 5e-3},
  };
  for (const auto& v : vectors) {
    const ThreeGppLoss m(v.scenario, v.condition);
    SCOPED_TRACE(m.describe() + " at d2D = " + std::to_string(v.distance_2d_m) + " m");
    EXPECT_NEAR(m.loss_db(make_link(v.distance_2d_m, v.bs_height_m, 1.5, 5.0e9)), v.expected_loss_db, v.tolerance_db);
  }
}

TEST(ThreeGpp, RejectsRuralMacroParametersOutsideTheirRange) {
  // TR 38.901 Table 7.4.1-1 RMa applicability: 5 m <= h <= 50 m, 5 m <= W <= 50 m.
  const auto rma_nlos = [](double building_height_m, double street_width_m) {
    return ThreeGppLoss(ThreeGppScenario::RMa, LosCondition::Nlos,
                        {.building_height_m = building_height_m, .street_width_m = street_width_m});
  };
  EXPECT_THROW(rma_nlos(4.0, 20.0), std::invalid_argument);
  EXPECT_THROW(rma_nlos(5.0, 51.0), std::invalid_argument);
  EXPECT_NO_THROW(rma_nlos(50.0, 5.0));
  EXPECT_NO_THROW(rma_nlos(5.0, 50.0));
}

struct LosProbabilityVector {
  ThreeGppScenario scenario;
  double distance_2d_m;
  double height_ut_m;
  double expected;
  double tolerance;
};

TEST(ThreeGpp, LosProbabilityMatchesTheNs3Vectors) {
  using S = ThreeGppScenario;
  // nsnam/ns-3-dev-git src/propagation/test/channel-condition-model-test-suite.cc
  // @ 0a0222c29935e259f14d928bba5cfb5003cbd97a. ns-3 estimates them by Monte
  // Carlo (tolerance 2e-3); the expected values are its closed-form expressions,
  // quoted here and evaluated to 6 decimals (/tmp/propagation-refs.md §3.2).
  const LosProbabilityVector vectors[] = {
      {S::RMa, 10.0, 1.5, 1.0, 1e-5},                     // 1
      {S::RMa, 100.0, 1.5, 0.913931, 1e-5},               // exp(−(100−10)/1000)
      {S::RMa, 1000.0, 1.5, 0.371577, 1e-5},              // exp(−(1000−10)/1000)
      {S::UMa, 18.0, 1.5, 1.0, 1e-5},                     // 1
      {S::UMa, 50.0, 1.5, 0.649402, 1e-5},                // (18/50 + exp(−50/63)(1−18/50))·(1+0)
      {S::UMa, 50.0, 15.0, 0.655905, 1e-5},               // (…)·(1 + (2/10)^1.5·5/4·(50/100)³·exp(−50/150))
      {S::UMa, 100.0, 1.5, 0.347671, 1e-5},               // 18/100 + exp(−100/63)(1−18/100)
      {S::UMa, 100.0, 15.0, 0.367628, 1e-5},              // (…)·(1 + (2/10)^1.5·5/4·1·exp(−100/150))
      {S::UMiStreetCanyon, 18.0, 1.5, 1.0, 1e-5},         // 1
      {S::UMiStreetCanyon, 50.0, 1.5, 0.519585, 1e-5},    // 18/50 + exp(−50/36)(1−18/50)
      {S::UMiStreetCanyon, 100.0, 15.0, 0.230985, 1e-5},  // 18/100 + exp(−100/36)(1−18/100)
  };
  for (const auto& v : vectors) {
    SCOPED_TRACE("d2D = " + std::to_string(v.distance_2d_m) + " m, hUT = " + std::to_string(v.height_ut_m) + " m");
    EXPECT_NEAR(three_gpp_los_probability(v.scenario, v.distance_2d_m, v.height_ut_m), v.expected, v.tolerance);
  }
}

// ---------------------------------------------------------------------------
// TR 36.942 §4.5.2 macro-cell model

// A link whose 3D distance is exactly r_m, with a 30 m mast and a 1.5 m UE.
LinkGeometry at_3d_distance(double r_m, double frequency_hz) {
  const double dh = 30.0 - 1.5;
  return make_link(std::sqrt(r_m * r_m - dh * dh), 30.0, 1.5, frequency_hz);
}

TEST(Macro36942, ReducesToTheRoundedTrFormulasAtFifteenMetresAboveRooftop) {
  // Δhb = 15 m: slope 40·(1 − 0.06) = 37.6; constant −18·log10 15 + 21·log10 f + 80:
  //   2000 MHz: −21.169643 + 69.321630 + 80 = 128.151987 (TR: 128.1)
  //    900 MHz: −21.169643 + 62.039093 + 80 = 120.869450 (TR: 120.9)
  // so the exact model sits 0.052 dB above / 0.031 dB below the rounded forms.
  const Macro36942Loss m;
  for (double r_km : {0.1, 0.5, 1.0, 2.0, 5.0}) {
    SCOPED_TRACE("R = " + std::to_string(r_km) + " km");
    EXPECT_NEAR(m.loss_db(at_3d_distance(r_km * 1000.0, 2000e6)), 128.1 + 37.6 * std::log10(r_km), 0.1);
    EXPECT_NEAR(m.loss_db(at_3d_distance(r_km * 1000.0, 900e6)), 120.9 + 37.6 * std::log10(r_km), 0.1);
  }
  // And the exact values at 1 km:
  EXPECT_NEAR(m.loss_db(at_3d_distance(1000.0, 2000e6)), 128.151987, 1e-5);
  EXPECT_NEAR(m.loss_db(at_3d_distance(1000.0, 900e6)), 120.869450, 1e-5);
}

TEST(Macro36942, MatchesTheFormulaByHandForAnotherRooftopClearance) {
  // Δhb = 10 m, f = 868 MHz, R = 2 km:
  //   40·(1 − 0.04)·log10 2 − 18·log10 10 + 21·log10 868 + 80
  //   = 38.4·0.301030 − 18 + 61.708914 + 80 = 11.559552 − 18 + 61.708914 + 80 = 135.268466 dB
  const Macro36942Loss m(10.0);
  EXPECT_NEAR(m.loss_db(at_3d_distance(2000.0, 868e6)), 135.268466, 1e-5);
}

TEST(Macro36942, RejectsClearancesThatAreNotPositiveOrFlattenTheSlope) {
  // log10(Δhb) needs Δhb > 0; 40·(1 − 4e-3·Δhb) vanishes at 250 m.
  EXPECT_THROW(Macro36942Loss(0.0), std::invalid_argument);
  EXPECT_THROW(Macro36942Loss(-3.0), std::invalid_argument);
  EXPECT_THROW(Macro36942Loss(250.0), std::invalid_argument);
}

}  // namespace
}  // namespace m2msim::propagation
