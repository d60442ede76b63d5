// The HTML reports, opened in a real headless browser (Debian's chromium,
// installed by scripts/install-deps.sh): the page loads, its summary table
// is there and every image decodes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_helpers.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using m2msim::test::kCli;
const std::string kSource = M2MSIM_SOURCE_DIR;

std::string capture(const std::string& cmd, int* code = nullptr) {
  const auto r = m2msim::test::shell(cmd);
  if (code) *code = r.exit_code;
  return r.output;
}

std::string browser() {
  for (const char* b : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (fs::exists(b)) return b;
  return "";
}

/// The page's DOM after load, as chromium renders it.
std::string rendered_dom(const fs::path& html) {
  const fs::path profile = fs::temp_directory_path() / ("m2msim-chromium-" + std::to_string(::getpid()));
  return capture(browser() + " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir=" +
                 profile.string() + " --virtual-time-budget=10000 --dump-dom file://" + fs::absolute(html).string());
}

fs::path temp_dir(const std::string& name) { return m2msim::test::temp_dir("report-" + name); }

void expect_loaded_page(const std::string& dom, int min_images) {
  EXPECT_THAT(dom, HasSubstr("<table>"));
  EXPECT_THAT(dom, HasSubstr("</html>"));
  // Set by the page's own script once loaded: decoded images / all images.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dom, m, std::regex("data-images-loaded=\"(\\d+)/(\\d+)\""))) << dom.substr(0, 2000);
  EXPECT_EQ(m[1].str(), m[2].str()) << "some images did not decode";
  EXPECT_GE(std::stoi(m[2].str()), min_images);
}

TEST(Report, ARunsReportLoadsInABrowserWithItsTableAndImages) {
  ASSERT_FALSE(browser().empty()) << "chromium is not installed: run scripts/install-deps.sh";
  const auto d = temp_dir("run");
  int code = 0;
  const auto out =
      capture(kCli + " run " + kSource + "/scenarios/examples/coverage-city.yaml --report -q -o " + d.string(), &code);
  ASSERT_EQ(code, 0) << out;
  ASSERT_TRUE(fs::exists(d / "report.html"));
  const auto dom = rendered_dom(d / "report.html");
  expect_loaded_page(dom, 4);  // latency CDF, battery life, energy breakdown, coverage map
  EXPECT_THAT(dom, HasSubstr("delivery ratio (%)"));
  EXPECT_THAT(dom, HasSubstr("Battery life: what it includes"));
  EXPECT_THAT(dom, HasSubstr("board lorawan-sensor-node"));
  EXPECT_THAT(dom, HasSubstr("name: coverage-city"));  // the scenario text
  for (const char* f : {"latency_cdf.png", "latency_cdf.svg", "battery_life.png", "battery_life.svg",
                        "energy_breakdown.png", "energy_breakdown.svg", "coverage.png", "coverage.svg"}) {
    EXPECT_TRUE(fs::exists(d / f)) << f;
  }
}

TEST(Report, TheSameRunGivesByteIdenticalPlotsAndReport) {
  // Plots and report.html are results too: no timestamps in them.
  const auto a = temp_dir("same-a"), b = temp_dir("same-b");
  for (const auto& d : {a, b}) {
    ASSERT_EQ(
        m2msim::test::run("run " + kSource + "/scenarios/examples/coverage-city.yaml --report -q -o " + d.string())
            .exit_code,
        0);
  }
  for (const char* f : {"report.html", "latency_cdf.png", "latency_cdf.svg", "battery_life.png", "battery_life.svg",
                        "energy_breakdown.png", "energy_breakdown.svg", "coverage.png", "coverage.svg"}) {
    EXPECT_EQ(m2msim::test::slurp(a / f), m2msim::test::slurp(b / f)) << f;
  }
}

TEST(Report, ASweepsReportLoadsInABrowserWithItsTableAndPlots) {
  ASSERT_FALSE(browser().empty()) << "chromium is not installed: run scripts/install-deps.sh";
  const auto d = temp_dir("sweep");
  fs::create_directories(d);
  std::ofstream(d / "s.yaml")
      << "name: sw\nseed: 3\nduration: 1 h\narea: { radius: 200 m }\nlora: { interference: aloha }\n"
         "environment: { propagation: { model: log-distance, preset: bor2016 } }\n"
         "gateways: [ { name: gw, position: [200 m, 200 m], demodulators: unlimited } ]\n"
         "devices:\n  - group: nodes\n    count: 100\n"
         "    radio: { technology: lorawan, spreading_factor: 12, frequency: 868.1 MHz, receive_windows: false, "
         "duty_cycle: false }\n"
         "    traffic: { poisson: { mean_interval: 100 s }, payload: 20 B }\n"
         "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n"
         "sweep: { replications: 3, parameters: { devices.nodes.count: [50, 100, 200] } }\n";
  int code = 0;
  auto out = capture(kCli + " sweep " + (d / "s.yaml").string() + " -q --db " + (d / "r.db").string(), &code);
  ASSERT_EQ(code, 0) << out;
  out = capture(kCli + " report " + (d / "r.db").string(), &code);
  ASSERT_EQ(code, 0) << out;
  const auto dom = rendered_dom(d / "report.html");
  expect_loaded_page(dom, 4);  // one plot per default metric
  EXPECT_THAT(dom, HasSubstr("devices.nodes.count"));
  EXPECT_TRUE(fs::exists(d / "sweep_delivery_ratio.svg"));
}

}  // namespace
