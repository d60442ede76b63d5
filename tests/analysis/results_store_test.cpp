// The results store: schema versioning, transactions per run, and the
// confidence interval against a Student t table.
#include "analysis/results_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <string>

namespace m2msim::analysis {
namespace {

using ::testing::HasSubstr;

std::string temp_db(const std::string& name) {
  const auto p = std::filesystem::temp_directory_path() / ("m2msim-store-" + name + "-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(p);
  return p.string();
}

TEST(MeanCi95, MatchesTheStudentTTable) {
  // 1, 2, 3, 4, 5: mean 3, s = √2.5 = 1.581139; t(0.975, 4 dof) = 2.776445
  // (any Student t table); half-width 2.776445 · 1.581139 / √5 = 1.963243.
  const auto ci = mean_ci95({1, 2, 3, 4, 5});
  EXPECT_EQ(ci.n, 5u);
  EXPECT_DOUBLE_EQ(ci.mean, 3.0);
  EXPECT_NEAR(ci.sd, 1.581139, 1e-6);
  EXPECT_NEAR(ci.half_width, 1.963243, 1e-6);
  // Two values: t(0.975, 1) = 12.706205; 10 and 12: s = √2, half-width
  // 12.706205 · √2 / √2 = 12.706205.
  EXPECT_NEAR(mean_ci95({10, 12}).half_width, 12.706205, 1e-6);
  // One value: no interval. NaN values (a metric undefined in a run) are left out.
  EXPECT_TRUE(std::isnan(mean_ci95({7}).half_width));
  EXPECT_EQ(mean_ci95({1, std::nan(""), 3}).n, 2u);
}

TEST(ResultsStore, KeepsRunsAndRefusesAnotherSweep) {
  const auto path = temp_db("keep");
  {
    ResultsStore s(path);
    s.begin_sweep("abc", "s.yaml", "text", {"devices.n.count"}, {{"10"}, {"20"}});
    s.add_run(1, 0, 42, 0.5, 100, {{"all", "delivery_ratio", 0.9}});
    s.add_run(0, 0, 43, 0.5, 100, {{"all", "delivery_ratio", 0.8}});
  }
  ResultsStore s(path);
  s.begin_sweep("abc", "s.yaml", "text", {"devices.n.count"}, {{"10"}, {"20"}});  // the same sweep: fine
  EXPECT_EQ(s.finished_runs().size(), 2u);
  EXPECT_EQ(s.points().size(), 2u);
  EXPECT_EQ(s.values("all", "delivery_ratio").at(1).front(), 0.9);
  EXPECT_THROW(s.begin_sweep("xyz", "t.yaml", "other", {}, {}), StoreError);
  // A run written twice is an error, not a duplicate row.
  EXPECT_THROW(s.add_run(1, 0, 42, 0.5, 100, {}), StoreError);
  EXPECT_EQ(s.finished_runs().size(), 2u);
}

TEST(ResultsStore, ANewerOrOlderSchemaIsAClearError) {
  const auto path = temp_db("schema");
  { ResultsStore s(path); }
  for (const char* version : {"2", "0"}) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string sql = std::string("UPDATE meta SET value = '") + version + "' WHERE key = 'schema_version'";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    try {
      ResultsStore s(path);
      ADD_FAILURE() << "no error for version " << version;
    } catch (const StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr(std::string("results database schema version ") + version + "; this m2msim reads version 1"));
      EXPECT_THAT(e.what(), HasSubstr(std::string(version) == "2" ? "newer m2msim" : "older m2msim"));
    }
  }
}

}  // namespace
}  // namespace m2msim::analysis
