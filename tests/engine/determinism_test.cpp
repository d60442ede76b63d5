#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "analysis/report.hpp"
#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "scenarios/loader.hpp"

namespace m2msim {
namespace {

const std::string kQuickstart = std::string(M2MSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.yaml";

std::string outputs_of(const scenario::Scenario& s) {
  const auto r = engine::run_native(s);
  std::ostringstream os;
  analysis::write_summary_json(r, os);
  analysis::write_devices_csv(r, os);
  return os.str();
}

TEST(Determinism, SameSeedGivesByteIdenticalOutputs) {
  const auto s = engine::load_scenario_file(kQuickstart);
  EXPECT_EQ(outputs_of(s), outputs_of(s));
}

TEST(Determinism, DifferentSeedOrReplicationGivesDifferentOutputs) {
  const auto s1 = engine::load_scenario_file(kQuickstart);
  const auto s2 = engine::load_scenario_file(kQuickstart, {"seed=43"});
  const auto s3 = engine::load_scenario_file(kQuickstart, {"replication=1"});
  const auto a = outputs_of(s1);
  EXPECT_NE(a, outputs_of(s2));
  EXPECT_NE(a, outputs_of(s3));
}

TEST(Determinism, TwoRunsInTwoThreadsEqualTheSameRunsInSequence) {
  const auto s1 = engine::load_scenario_file(kQuickstart);
  const auto s2 = engine::load_scenario_file(kQuickstart, {"seed=99", "devices.meters.count=300"});
  const auto seq1 = outputs_of(s1), seq2 = outputs_of(s2);
  std::string par1, par2;
  std::thread t1([&] { par1 = outputs_of(s1); });
  std::thread t2([&] { par2 = outputs_of(s2); });
  t1.join();
  t2.join();
  EXPECT_EQ(seq1, par1);
  EXPECT_EQ(seq2, par2);
}

TEST(Determinism, TheThreadCountDoesNotChangeAnyNumber) {
  // A sweep runs each run on one thread, `run` on two: the results, the
  // correlated-shadowing coverage map included, must be byte-identical.
  const auto s = engine::load_scenario_file(std::string(M2MSIM_SOURCE_DIR) + "/scenarios/examples/coverage-city.yaml");
  for (unsigned threads : {1U, 3U}) {
    const auto two = engine::run_native(s, {2});
    const auto other = engine::run_native(s, {threads});
    std::ostringstream a, b;
    analysis::write_summary_json(two, a);
    analysis::write_summary_json(other, b);
    EXPECT_EQ(a.str(), b.str()) << threads;
    ASSERT_TRUE(two.coverage_map && other.coverage_map);
    EXPECT_EQ(two.coverage_map->margin_dB, other.coverage_map->margin_dB) << threads;
    for (std::size_t d = 0; d < two.devices.size(); ++d)
      ASSERT_EQ(two.devices[d].best_rx_dBm, other.devices[d].best_rx_dBm);
  }
}

TEST(Determinism, NbiotBesideLorawanIsByteIdenticalWhateverTheThreadCount) {
  // Sectors sharing their site's shadowing field, the cells' shared
  // channels and link adaptation: every byte of summary.json and devices.csv.
  const auto s = engine::load_scenario_file(std::string(M2MSIM_SOURCE_DIR) +
                                            "/scenarios/examples/nbiot-vs-lorawan-basements.yaml");
  const auto text = [&](unsigned threads) {
    const auto r = engine::run_native(s, {threads});
    std::ostringstream os;
    analysis::write_summary_json(r, os);
    analysis::write_devices_csv(r, os);
    return os.str();
  };
  const std::string two = text(2);
  EXPECT_EQ(text(1), two);
  EXPECT_EQ(text(3), two);
}

TEST(Determinism, ResizingOneGroupDoesNotChangeAnotherGroupsStreams) {
  // Named streams: each group's placement and traffic depend only on its own
  // name and the device's index within it. Growing the first group (meters)
  // must leave the second (alarms) exactly as it was, and vice versa.
  const auto a = engine::run_native(engine::load_scenario_file(kQuickstart));
  const auto b = engine::run_native(engine::load_scenario_file(kQuickstart, {"devices.meters.count=260"}));
  const auto c = engine::run_native(engine::load_scenario_file(kQuickstart, {"devices.alarms.count=80"}));
  ASSERT_EQ(a.groups[0].name, "meters");
  ASSERT_EQ(a.groups[1].name, "alarms");
  EXPECT_EQ(a.groups[1].generated, b.groups[1].generated);
  EXPECT_DOUBLE_EQ(a.devices[200].x_m, b.devices[260].x_m);  // the first alarm device
  EXPECT_EQ(a.groups[0].generated, c.groups[0].generated);
  EXPECT_DOUBLE_EQ(a.devices[0].x_m, c.devices[0].x_m);
}

}  // namespace
}  // namespace m2msim
