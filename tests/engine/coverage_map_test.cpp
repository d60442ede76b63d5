// outputs.coverage_map: pixels follow the link budget, files are written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/coverage_map.hpp"
#include "analysis/report.hpp"
#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "scenarios/loader.hpp"

namespace m2msim {
namespace {

const std::string kMapScenario =
    "name: map\n"
    "duration: 1 min\n"
    "area: { width: 2 km, height: 1 km }\n"
    "environment: { propagation: { model: free-space } }\n"
    "gateways: [ { name: gw, position: [0 m, 0 m], height: 30 m } ]\n"
    "devices:\n"
    "  - group: d\n"
    "    count: 1\n"
    "    height: 1.5 m\n"
    "    radio: { technology: lorawan, spreading_factor: 7, tx_power: 14 dBm, frequency: 868.1 MHz }\n"
    "    traffic: { periodic: { every: 1 h }, payload: 10 B }\n"
    "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n"
    "outputs: { coverage_map: { resolution: 100 m } }\n";

TEST(CoverageMap, PixelsAreTheLinkBudgetAtTheirCentres) {
  const auto r = engine::run_native(engine::load_scenario_text(kMapScenario, "map.yaml"));
  ASSERT_TRUE(r.coverage_map.has_value());
  const auto& m = *r.coverage_map;
  EXPECT_EQ(m.nx, 20u);  // 2 km / 100 m
  EXPECT_EQ(m.ny, 10u);
  // Pixel (i = 7, j = 3): centre (750 m, 350 m); 3-D distance to the gateway
  // sqrt(750² + 350² + 28.5²) m. Friis: 20·log10(4π d f / c). Margin =
  // 14 dBm − FSPL − (−123 dBm), the SX1276 SF7/125 kHz sensitivity.
  const double d = std::sqrt(750.0 * 750.0 + 350.0 * 350.0 + 28.5 * 28.5);
  const double fspl = 20.0 * std::log10(4.0 * 3.141592653589793 * d * 868.1e6 / 299792458.0);
  EXPECT_NEAR(m.margin_dB[3 * m.nx + 7], 14.0 - fspl + 123.0, 1e-3);
  EXPECT_EQ(m.gateway_names[m.best[3 * m.nx + 7]], "gw");
}

// The map marks the sites that can serve the mapped group: a LoRaWAN map in
// a file with an NB-IoT site shows the gateways only; two at one place (as a
// site's sectors) share one mark, labelled "+1", instead of two names
// printed over each other.
TEST(CoverageMap, MarksOneLabelPerPlaceOfTheMappedTechnologysSites) {
  std::string mixed = kMapScenario;
  mixed.replace(mixed.find("gateways: [ "), 12,
                "gateways: [ { name: gw2, position: [0 m, 0 m], height: 30 m }, "
                "{ name: far, position: [1 km, 500 m], height: 30 m }, "
                "{ name: enb, technology: nbiot, position: [2 km, 1 km], height: 30 m }, ");
  const auto r = engine::run_native(engine::load_scenario_text(mixed, "map.yaml"));
  ASSERT_TRUE(r.coverage_map.has_value());
  const auto marks = analysis::site_marks(*r.coverage_map);
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[0].label, "gw2 +1");
  EXPECT_EQ(marks[1].label, "far");
  EXPECT_DOUBLE_EQ(marks[1].x_m, 1000.0);
}

TEST(CoverageMap, FilesAreWrittenAndTheCsvIsDeterministic) {
  const auto dir = std::filesystem::temp_directory_path() / "m2msim-coverage-map-test";
  std::filesystem::remove_all(dir);
  const auto s = engine::load_scenario_text(kMapScenario, "map.yaml");
  analysis::write_results(engine::run_native(s), dir.string());
  std::ostringstream again;
  analysis::write_coverage_csv(*engine::run_native(s).coverage_map, again);
  std::ifstream f(dir / "coverage.csv");
  std::stringstream first;
  first << f.rdbuf();
  EXPECT_EQ(first.str(), again.str());
  EXPECT_THAT(first.str(),
              ::testing::StartsWith("x_m,y_m,best_gateway,best_rx_dBm,margin_dB,covered\n50.00,50.00,gw,"));
  if (analysis::can_plot()) {
    std::ifstream png(dir / "coverage.png", std::ios::binary);
    char sig[8] = {};
    png.read(sig, 8);
    EXPECT_EQ(std::string(sig + 1, 3), "PNG");  // the PNG signature: \x89 P N G \r \n \x1a \n
    std::ifstream svg_file(dir / "coverage.svg");
    std::stringstream svg;
    svg << svg_file.rdbuf();
    EXPECT_THAT(svg.str(), ::testing::StartsWith("<?xml"));
    EXPECT_THAT(svg.str(), ::testing::HasSubstr("<svg"));
    EXPECT_THAT(svg.str(), ::testing::HasSubstr("</svg>"));
    EXPECT_THAT(svg.str(), ::testing::Not(::testing::HasSubstr("CreationDate")));  // byte-identical reruns
  }
  std::filesystem::remove_all(dir);
}

// A 2 km × 1 km map at 5 m is 400 × 200 pixels: the SVG averages blocks of
// ceil(400 / kSvgCells) = 4 × 4 pixels, 100 × 50 cells, and stays small
// (MathGL writes a few hundred bytes per cell; at one cell per pixel it
// would be 16 times larger).
TEST(CoverageMap, TheSvgOfALargeMapAveragesBlocksOfPixels) {
  if (!analysis::can_plot()) GTEST_SKIP() << "built without MathGL";
  const auto r =
      engine::run_native(engine::load_scenario_text(kMapScenario, "map.yaml", {"outputs.coverage_map.resolution=5 m"}));
  ASSERT_EQ(r.coverage_map->nx, 400u);
  const auto path = std::filesystem::temp_directory_path() / "m2msim-coverage-large.svg";
  ASSERT_TRUE(analysis::write_coverage_svg(*r.coverage_map, path.string()));
  const auto bytes = std::filesystem::file_size(path);
  EXPECT_GT(bytes, 100'000u);    // 5000 cells were drawn
  EXPECT_LT(bytes, 4'000'000u);  // and not 80 000
  std::filesystem::remove(path);
}

TEST(CoverageMap, TooFineAResolutionIsAnErrorWithItsPosition) {
  try {
    engine::load_scenario_text(kMapScenario, "map.yaml", {"outputs.coverage_map.resolution=0.5 m"});
    FAIL() << "no error";
  } catch (const scenario::ScenarioError& e) {
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("gives 8000000 pixels over the area; at most 4 000 000"));
  }
}

}  // namespace
}  // namespace m2msim

namespace m2msim {
namespace {

TEST(CoverageMap, PixelsAndDevicesSeeTheSameCorrelatedShadowing) {
  // A device at a pixel centre (750 m, 350 m) must get the same received
  // power as that pixel: the shadowing field is a pure function of position.
  const auto s = engine::load_scenario_text(
      kMapScenario, "map.yaml",
      {"environment.propagation={ model: free-space, shadowing: { sigma: 8 dB, decorrelation: 50 m } }",
       "devices.d.placement={ list: [[750 m, 350 m]] }"});
  const auto r = engine::run_native(s);
  const auto& m = *r.coverage_map;
  EXPECT_TRUE(m.with_shadowing);
  EXPECT_NEAR(m.rx_dBm[3 * m.nx + 7], r.devices[0].best_rx_dBm, 0.01);
}

}  // namespace
}  // namespace m2msim
