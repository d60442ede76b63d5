// The results store: schema versioning, transactions per run, and the
// confidence interval against a Student t table.
#include "analysis/results_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace m2msim::analysis {
namespace {

using ::testing::HasSubstr;

std::string temp_db(const std::string& name) {
  const auto p =
      std::filesystem::temp_directory_path() / ("m2msim-store-" + name + "-" + std::to_string(::getpid()) + ".db");
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

TEST(MeanCi95, ACountsIntervalStopsAtZeroADecibelsDoesNot) {
  // 0, 0, 1: mean 1/3, s = √(1/3) = 0.577350; t(0.975, 2 dof) = 4.302653;
  // half-width 4.302653 · 0.577350 / √3 = 1.434218: mean − half-width is
  // −1.100884, written as 0 for a count, as it is for a metric in dB.
  const auto ci = mean_ci95({0, 0, 1});
  EXPECT_NEAR(ci.half_width, 1.434218, 1e-6);
  EXPECT_EQ(ci95_low("fate_radio_busy", ci), 0.0);
  EXPECT_NEAR(ci95_low("uplink_interference_dB_mean", ci), -1.100884, 1e-6);
  EXPECT_NEAR(ci95_low("snr_dB", ci), -1.100884, 1e-6);
  // Above zero nothing changes.
  const auto high = mean_ci95({1, 2, 3, 4, 5});
  EXPECT_NEAR(ci95_low("delivery_ratio", high), 3.0 - 1.963243, 1e-6);
}

TEST(MeanCi95, ARatiosIntervalStopsAtOneAPercentagesAt100) {
  // Delivery ratios 0.99, 1, 1 over three replications: mean 0.996667,
  // s = √((0.006667² + 2 · 0.003333²) / 2) = 0.01/√3 = 0.005774, t(0.975, 2) = 4.302653,
  // half-width 4.302653 · 0.005774 / √3 = 0.014342: mean + half-width is
  // 1.011009, more than any run can deliver, written as 1.
  const auto ci = mean_ci95({0.99, 1.0, 1.0});
  EXPECT_NEAR(ci.half_width, 0.014342, 1e-6);
  EXPECT_EQ(ci95_high("delivery_ratio", ci), 1.0);
  EXPECT_EQ(ci95_high("coverage_probability", ci), 1.0);
  EXPECT_EQ(ci95_high("share_ce_level_0", ci), 1.0);
  // A count or a time is not bounded above.
  EXPECT_NEAR(ci95_high("packets_delivered", ci), 1.011009, 1e-6);
  // Percentages of time: 99, 100, 100 reach 101.1009, written as 100.
  const auto pc = mean_ci95({99.0, 100.0, 100.0});
  EXPECT_EQ(ci95_high("downlink_airtime_percent_max", pc), 100.0);
  EXPECT_NEAR(ci95_high("delivery_ratio", mean_ci95({0.5, 0.6, 0.7})), 0.6 + 4.302653 * 0.1 / std::sqrt(3.0), 1e-6);
}

TEST(ResultsStore, SitesGiveEachTechnologysBusiestAndMeanSite) {
  // Two NB-IoT cells booked 10 % and 30 % of the time, with 5 and 7 devices
  // camped, and a LoRaWAN gateway with its own column: the sweep keeps, per
  // technology, each column's largest and mean value over its sites (10 and
  // 30: 30 and 20; 5 and 7: 7 and 6), and a column no site of a technology
  // has (NaN) not at all.
  results::RunRecord r;
  r.sites = {{"a", "nbiot", 0, 0}, {"gw", "lorawan", 0, 0}, {"b", "nbiot", 0, 0}};
  r.site_columns = {{"camped_devices", "", 0}, {"downlink_busy_percent", "", 6}, {"uplinks_received", "", 0}};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  r.site_values = {5, 10, nan, nan, nan, 42, 7, 30, nan};
  std::vector<StoredMetric> sites;
  for (auto& m : metrics_of(r))
    if (m.group.rfind("gateways.", 0) == 0) sites.push_back(m);
  ASSERT_EQ(sites.size(), 6u);
  const auto is = [](const StoredMetric& m, const char* g, const char* name, double v) {
    return m.group == g && m.metric == name && m.value == v;
  };
  EXPECT_TRUE(is(sites[0], "gateways.nbiot", "camped_devices_max", 7));
  EXPECT_TRUE(is(sites[1], "gateways.nbiot", "camped_devices_mean", 6));
  EXPECT_TRUE(is(sites[2], "gateways.nbiot", "downlink_busy_percent_max", 30));
  EXPECT_TRUE(is(sites[3], "gateways.nbiot", "downlink_busy_percent_mean", 20));
  EXPECT_TRUE(is(sites[4], "gateways.lorawan", "uplinks_received_max", 42));
  EXPECT_TRUE(is(sites[5], "gateways.lorawan", "uplinks_received_mean", 42));
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
  for (const char* version : {"5", "0"}) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string sql = std::string("UPDATE meta SET value = '") + version + "' WHERE key = 'schema_version'";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    try {
      ResultsStore s(path);
      ADD_FAILURE() << "no error for version " << version;
    } catch (const StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr(std::string("results database schema version ") + version +
                                      "; this m2msim reads versions 1 to 4"));
      EXPECT_THAT(e.what(), HasSubstr(std::string(version) == "5" ? "newer m2msim" : "older m2msim"));
    }
  }
}

void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// The first column of the first row of `sql` on the database at `path`, as
// SQLite's text of it ("" if no row).
std::string scalar(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql << ": " << sqlite3_errmsg(db);
  std::string v;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr)
    v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

// A database written by schema version 1 (its tables as docs/sweeps.md
// section 6.2 gives them) is read as it is, and converted when opened for
// writing, with every value, NULL and each run's metric order kept.
TEST(ResultsStore, AVersion1DatabaseIsReadAndConvertedBeforeWriting) {
  const auto path = temp_db("v1");
  exec_sql(path,
           "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
           "CREATE TABLE parameters (idx INTEGER PRIMARY KEY, path TEXT NOT NULL);"
           "CREATE TABLE points (point INTEGER NOT NULL, idx INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY "
           "(point, idx));"
           "CREATE TABLE runs (point INTEGER NOT NULL, replication INTEGER NOT NULL, seed TEXT NOT NULL, wall_s REAL, "
           "events INTEGER, PRIMARY KEY (point, replication));"
           "CREATE TABLE metrics (point INTEGER NOT NULL, replication INTEGER NOT NULL, grp TEXT NOT NULL, metric TEXT "
           "NOT NULL, "
           "value REAL, PRIMARY KEY (point, replication, grp, metric));"
           "INSERT INTO meta VALUES ('schema_version', '1'), ('sweep_fingerprint', 'f'), ('scenario_file', 's.yaml'), "
           "('scenario_text', 't');"
           "INSERT INTO parameters VALUES (0, 'devices.n.count');"
           "INSERT INTO points VALUES (0, 0, '10'), (1, 0, '20');"
           // Point 1 first (a sweep starts the longest runs first), with a
           // group point 0 does not have (a swept group) before one it has;
           // metrics in the order the run listed them, not alphabetical.
           "INSERT INTO runs VALUES (1, 0, '18446744073709551615', 0.5, 7);"
           "INSERT INTO metrics VALUES (1, 0, 'all', 'packets_sent', 12), (1, 0, 'all', 'delivery_ratio', 0.1),"
           " (1, 0, 'all', 'latency_p50_s', NULL), (1, 0, 'alarms', 'packets_sent', 2), (1, 0, 'meters', "
           "'packets_sent', 10);"
           "INSERT INTO runs VALUES (0, 0, '5', 0.25, 3);"
           "INSERT INTO metrics VALUES (0, 0, 'all', 'packets_sent', 4), (0, 0, 'all', 'delivery_ratio', 0.7),"
           " (0, 0, 'all', 'latency_p50_s', 1.5), (0, 0, 'meters', 'packets_sent', 4);");
  // Version 1 listed names in the order they were stored (point 1's run
  // first); version 3 in the order of the first run, by point, that has
  // each name (point 0's run, then the name only point 1's run has).
  const std::vector<std::pair<std::string, std::string>> stored_order{{"all", "packets_sent"},
                                                                      {"all", "delivery_ratio"},
                                                                      {"all", "latency_p50_s"},
                                                                      {"alarms", "packets_sent"},
                                                                      {"meters", "packets_sent"}};
  const std::vector<std::pair<std::string, std::string>> order{{"all", "packets_sent"},
                                                               {"all", "delivery_ratio"},
                                                               {"all", "latency_p50_s"},
                                                               {"meters", "packets_sent"},
                                                               {"alarms", "packets_sent"}};
  {
    const ResultsStore r(path, true);  // read-only: read as version 1
    EXPECT_EQ(r.metric_names(), stored_order);
    EXPECT_EQ(r.meta("schema_version"), "1");
    EXPECT_EQ(r.values("all", "delivery_ratio").at(0), std::vector<double>{0.7});
  }
  {
    // Another sweep is refused before anything is converted.
    ResultsStore other(path);
    EXPECT_THROW(other.begin_sweep("g", "other.yaml", "u", {}, {}), StoreError);
    EXPECT_EQ(other.meta("schema_version"), "1");
  }
  ResultsStore w(path);
  w.begin_sweep("f", "s.yaml", "t", {"devices.n.count"}, {{"10"}, {"20"}});
  EXPECT_EQ(w.migrated_from(), 1);
  EXPECT_EQ(w.meta("schema_version"), "4");
  EXPECT_EQ(w.runs_without_warnings(), 2u);  // the two runs version 1 wrote
  EXPECT_EQ(w.metric_names(), order);
  EXPECT_EQ(w.values("all", "delivery_ratio").at(1), std::vector<double>{0.1});
  EXPECT_EQ(w.values("all", "packets_sent").at(0), std::vector<double>{4.0});
  EXPECT_TRUE(std::isnan(w.values("all", "latency_p50_s").at(1).at(0)));  // NULL stays undefined
  EXPECT_EQ(w.run_metrics(0, 0).at({"meters", "packets_sent"}), 4.0);
  EXPECT_EQ(w.run_metrics(1, 0).at({"alarms", "packets_sent"}), 2.0);
  EXPECT_EQ(w.run_metrics(1, 0).size(), 5u);
  EXPECT_EQ(w.runs().at(1).seed, 18446744073709551615ULL);
  EXPECT_EQ(w.runs().at(1).events, 7u);
  // A new run goes in beside the old ones.
  w.add_run(0, 1, 6, 0.3, 3, {{"all", "packets_sent", 5}, {"all", "delivery_ratio", 0.5}});
  EXPECT_EQ(w.values("all", "delivery_ratio").at(0), (std::vector<double>{0.7, 0.5}));
  ResultsStore again(path);
  again.begin_sweep("f", "s.yaml", "t", {"devices.n.count"}, {{"10"}, {"20"}});
  EXPECT_EQ(again.migrated_from(), 0);  // converted once
}

// A database as schema version 2 wrote it (its tables as docs/sweeps.md
// section 6.2 gives them): runs (1, 0), (0, 0) and (0, 1), a group only
// point 1 has, NULL and ±infinity, and a view a user added.
void write_version2_db(const std::string& path) {
  exec_sql(
      path,
      "PRAGMA journal_mode=WAL;"  // as m2msim made every results database
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE parameters (idx INTEGER PRIMARY KEY, path TEXT NOT NULL);"
      "CREATE TABLE points (point INTEGER NOT NULL, idx INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (point, "
      "idx));"
      "CREATE TABLE runs (point INTEGER NOT NULL, replication INTEGER NOT NULL, seed TEXT NOT NULL, wall_s REAL, "
      "events INTEGER, PRIMARY KEY (point, replication));"
      "CREATE TABLE group_metrics (point INTEGER NOT NULL, replication INTEGER NOT NULL, grp TEXT NOT NULL, "
      "vals TEXT NOT NULL, PRIMARY KEY (point, replication, grp));"
      "CREATE VIEW metrics AS SELECT g.point AS point, g.replication AS replication, g.grp AS grp, j.key AS metric, "
      "CAST(j.value AS REAL) AS value FROM group_metrics AS g, json_each(g.vals) AS j;"
      "INSERT INTO meta VALUES ('schema_version', '2'), ('sweep_fingerprint', 'f'), ('scenario_file', 's.yaml'), "
      "('scenario_text', 't');"
      "INSERT INTO parameters VALUES (0, 'devices.n.count');"
      "INSERT INTO points VALUES (0, 0, '10'), (1, 0, '20');"
      "INSERT INTO runs VALUES (1, 0, '9', 0.5, 7);"
      "INSERT INTO group_metrics VALUES (1, 0, 'all', '{\"packets_sent\":12,\"latency_p50_s\":null}'),"
      " (1, 0, 'alarms', '{\"packets_sent\":2}');"
      "INSERT INTO runs VALUES (0, 0, '5', 0.25, 3), (0, 1, '6', 0.25, NULL);"
      "INSERT INTO group_metrics VALUES (0, 0, 'all', '{\"packets_sent\":4,\"latency_p50_s\":9e999}'),"
      " (0, 1, 'all', '{\"packets_sent\":5,\"latency_p50_s\":-9e999}');"
      "CREATE VIEW my_seeds AS SELECT point, replication, seed FROM runs;");  // a user's own view
}

// A database written by schema version 2 (one `group_metrics` row per
// (run, group), docs/sweeps.md section 6.2) likewise: read as it is,
// converted before writing, with ±infinity (stored as ±9e999), NULL and each
// run's metric order kept.
TEST(ResultsStore, AVersion2DatabaseIsReadAndConvertedBeforeWriting) {
  const auto path = temp_db("v2");
  write_version2_db(path);
  {
    const ResultsStore r(path, true);
    EXPECT_EQ(r.meta("schema_version"), "2");
    EXPECT_EQ(r.values("all", "packets_sent").at(0), (std::vector<double>{4, 5}));
  }
  ResultsStore w(path);
  w.begin_sweep("f", "s.yaml", "t", {"devices.n.count"}, {{"10"}, {"20"}});
  EXPECT_EQ(w.migrated_from(), 2);
  EXPECT_EQ(w.meta("schema_version"), "4");
  EXPECT_EQ(w.runs_without_warnings(), 3u);
  EXPECT_TRUE(w.warnings().empty());
  const std::vector<std::pair<std::string, std::string>> order{
      {"all", "packets_sent"}, {"all", "latency_p50_s"}, {"alarms", "packets_sent"}};
  EXPECT_EQ(w.metric_names(), order);
  EXPECT_EQ(w.values("all", "latency_p50_s").at(0),
            (std::vector<double>{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}));
  EXPECT_TRUE(std::isnan(w.values("all", "latency_p50_s").at(1).at(0)));
  EXPECT_EQ(w.values("alarms", "packets_sent").at(1), std::vector<double>{2});
  EXPECT_EQ(w.finished_runs().size(), 3u);
  EXPECT_EQ(w.runs().at(1).wall_s, 0.25);
  EXPECT_EQ(w.runs().at(2).seed, 9u);
  // Run (1, 0)'s own order, all's metrics then alarms', is its layout's; and
  // a view of the user's that reads `runs` still reads it.
  EXPECT_EQ(scalar(path,
                   "SELECT group_concat(l.grp || '.' || l.metric, ' ') FROM (SELECT l.grp, l.metric FROM runs AS r "
                   "JOIN layouts AS l ON l.layout = r.layout WHERE r.point = 1 ORDER BY l.idx) AS l"),
            "all.packets_sent all.latency_p50_s alarms.packets_sent");
  EXPECT_EQ(scalar(path, "SELECT count(*) FROM my_seeds"), "3");
}

// Values of a run that has no `runs` row (only a file edited by hand has
// them) stop the conversion with a clear error, and the file stays as it was.
TEST(ResultsStore, ValuesWithoutTheirRunStopTheConversion) {
  const auto path = temp_db("orphan");
  write_version2_db(path);
  exec_sql(path, "DELETE FROM runs WHERE point = 1");
  ResultsStore w(path);
  try {
    w.begin_sweep("f", "s.yaml", "t", {"devices.n.count"}, {{"10"}, {"20"}});
    ADD_FAILURE() << "converted";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the values of point 1, replication 0 have no row in `runs`"));
  }
  EXPECT_EQ(w.meta("schema_version"), "2");
  EXPECT_EQ(w.values("alarms", "packets_sent").at(1), std::vector<double>{2});
}

// A reader reads one snapshot: a sweep converting the file and adding a run
// meanwhile changes nothing it sees; a reader opened afterwards sees both.
TEST(ResultsStore, AReaderKeepsItsSnapshotWhileASweepConvertsAndWrites) {
  const auto path = temp_db("snapshot");
  write_version2_db(path);
  const ResultsStore reader(path, true);
  {
    ResultsStore w(path);
    w.begin_sweep("f", "s.yaml", "t", {"devices.n.count"}, {{"10"}, {"20"}});
    ASSERT_EQ(w.migrated_from(), 2);
    w.add_run(0, 2, 7, 0.25, 3, {{"all", "packets_sent", 6}});
  }
  EXPECT_EQ(reader.meta("schema_version"), "2");
  EXPECT_EQ(reader.values("all", "packets_sent").at(0), (std::vector<double>{4, 5}));
  EXPECT_EQ(reader.metric_names().size(), 3u);
  EXPECT_EQ(reader.runs().size(), 3u);
  const ResultsStore later(path, true);
  EXPECT_EQ(later.meta("schema_version"), "4");
  EXPECT_EQ(later.values("all", "packets_sent").at(0), (std::vector<double>{4, 5, 6}));
}

// Schema version 3 writes one row per run; the `metrics` view gives the
// version-1 shape, and names are listed by point, not by which run was
// written first (a sweep with two workers writes in no fixed order).
TEST(ResultsStore, OneRowPerRunAViewOfMetricsAndAnOrderByPoint) {
  const auto path = temp_db("v3");
  {
    ResultsStore s(path);
    s.begin_sweep("f", "s.yaml", "t", {"groups.x"}, {{"a"}, {"b"}});
    s.add_run(1, 0, 1, 0.1, 10, {{"all", "packets_sent", 3}, {"b", "packets_sent", 3}});
    s.add_run(0, 0, 2, 0.1, 10, {{"all", "packets_sent", 2}, {"a", "packets_sent", 2}});
    s.add_run(0, 1, 3, 0.1, 10, {{"all", "packets_sent", 1}, {"a", "packets_sent", 1}});
    const std::vector<std::pair<std::string, std::string>> order{
        {"all", "packets_sent"}, {"a", "packets_sent"}, {"b", "packets_sent"}};
    EXPECT_EQ(s.metric_names(), order);
    // Beyond the run key (point · 2^32 + replication): refused, not wrapped
    // onto another run's key (these two would not collide with a stored run).
    for (const auto& [point, replication] :
         {std::pair<std::uint64_t, std::uint64_t>{5, std::uint64_t{1} << 32}, {std::uint64_t{1} << 31, 0}}) {
      try {
        s.add_run(point, replication, 4, 0.1, 10, {{"all", "packets_sent", 1}});
        ADD_FAILURE() << "no error for point " << point << ", replication " << replication;
      } catch (const StoreError& e) {
        EXPECT_THAT(e.what(), HasSubstr("points below 2^31 and replications below 2^32"));
      }
    }
    EXPECT_EQ(s.finished_runs().size(), 3u);
    EXPECT_TRUE(s.run_metrics(0, std::uint64_t{1} << 32).empty());  // not run (1, 0)'s values
    // A run without metrics is stored (layout −1) and adds no values.
    s.add_run(2, 0, 5, 0.1, 10, {});
    EXPECT_EQ(s.finished_runs().size(), 4u);
    EXPECT_EQ(s.metric_names(), order);
    EXPECT_TRUE(s.run_metrics(2, 0).empty());
    EXPECT_EQ(s.values("all", "packets_sent").count(2), 0u);
  }
  EXPECT_EQ(scalar(path, "SELECT count(*) FROM runs"), "4");
  EXPECT_EQ(scalar(path, "SELECT layout FROM runs WHERE point = 2"), "-1");
  EXPECT_EQ(scalar(path, "SELECT count(*) FROM layouts"), "4");  // two layouts of two names
  EXPECT_EQ(scalar(path, "SELECT count(*) FROM metrics"), "6");
  EXPECT_EQ(scalar(path, "SELECT sum(value) FROM metrics WHERE grp = 'all'"), "6.0");  // 3 + 2 + 1
  EXPECT_EQ(scalar(path, "SELECT value FROM metrics WHERE point = 1 AND grp = 'b'"), "3.0");
}

// Every double a run can produce reads back bit for bit (the values are
// stored as JSON text: std::to_chars' shortest form, parsed by SQLite).
TEST(ResultsStore, StoredValuesReadBackExactly) {
  const auto path = temp_db("exact");
  ResultsStore s(path);
  s.begin_sweep("x", "s.yaml", "t", {}, {{}});
  std::vector<double> in{0.0,
                         1.0,
                         0.1,
                         1.0 / 3.0,
                         2.0 / 3.0,
                         123456789.0,
                         9007199254740993.0,      // 2^53 + 1, rounded to 2^53
                         18446744073709551616.0,  // 2^64: above SQLite's integers
                         std::numeric_limits<double>::max(),
                         std::numeric_limits<double>::min(),
                         std::numeric_limits<double>::denorm_min(),
                         std::numeric_limits<double>::epsilon(),
                         -2.5e-300,
                         std::numeric_limits<double>::infinity(),
                         -std::numeric_limits<double>::infinity()};
  std::uint64_t bits = 0x9E3779B97F4A7C15ULL;  // and 2000 arbitrary finite bit patterns (a fixed xorshift sequence)
  while (in.size() < 2015) {
    bits ^= bits << 13;
    bits ^= bits >> 7;
    bits ^= bits << 17;
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d)) in.push_back(d);
  }
  for (std::size_t i = 0; i < in.size(); ++i) s.add_run(0, i, i, 0.0, 0, {{"all", "x", in[i]}});
  const auto out = s.values("all", "x").at(0);
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(std::memcmp(&out[i], &in[i], sizeof(double)), 0)
        << "value " << i << ": " << in[i] << " read back as " << out[i];
  }
}

}  // namespace
}  // namespace m2msim::analysis

namespace m2msim::analysis {
namespace {

/// A small valid sweep database: one parameter, two points, two runs.
std::string valid_db(const std::string& name) {
  const auto path = temp_db(name);
  ResultsStore s(path);
  s.begin_sweep("abc", "s.yaml", "text", {"devices.n.count"}, {{"10"}, {"20"}});
  s.add_run(0, 0, 42, 0.5, 100, {{"all", "delivery_ratio", 0.9}});
  s.add_run(1, 0, 43, 0.5, 100, {{"all", "delivery_ratio", 0.8}});
  return path;
}

std::string read_error(const std::string& path) {
  try {
    ResultsStore s(path, true);
    (void)s.runs();
    (void)s.values("all", "delivery_ratio");
    (void)s.metric_names();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "no error";
}

TEST(DamagedResults, EveryDamageIsAClearErrorNotACrash) {
  const auto damaged = [](const std::string& name, const std::string& sql) {
    const auto path = valid_db(name);
    exec_sql(path, sql);
    return read_error(path);
  };
  EXPECT_THAT(damaged("nopoints", "DELETE FROM points"),
              HasSubstr("damaged results database: its points table is empty"));
  EXPECT_THAT(damaged("badpoint", "UPDATE runs SET point = 99 WHERE point = 1"),
              HasSubstr("a run names point 99, but the sweep has points 0 to 1"));
  EXPECT_THAT(damaged("noparams", "DELETE FROM parameters"), HasSubstr("its parameters table is empty"));
  EXPECT_THAT(damaged("shortpoint", "DELETE FROM points WHERE point = 1"),
              HasSubstr("a run names point 1, but the sweep has points 0 to 0"));
  EXPECT_THAT(damaged("extraparam", "INSERT INTO parameters VALUES (1, 'lora.region')"),
              HasSubstr("point 0 does not have one value for each of the 2 swept parameters"));
  EXPECT_THAT(damaged("seed", "UPDATE runs SET seed = 'abc' WHERE point = 0"),
              HasSubstr("run (point 0, replication 0) has seed 'abc', not a whole number"));
  EXPECT_THAT(damaged("pointtype", "UPDATE runs SET point = 'x' WHERE point = 0"),
              HasSubstr("a row of its runs table has a value of the wrong type"));
  // A layout id that skips ahead: the fuzzer's find, once a length_error
  // that ended the process.
  EXPECT_THAT(damaged("layoutid", "UPDATE layouts SET layout = 1099511627776"),
              HasSubstr("its layouts table has layout 1099511627776 after 0 layouts"));
  EXPECT_THAT(damaged("json", "UPDATE runs SET vals = '[\"0.9\"]' WHERE point = 0"),
              HasSubstr("a stored value of all delivery_ratio is not a number"));
  // Not a database, truncated, a folder, missing.
  const auto text = temp_db("text");
  std::FILE* f = std::fopen(text.c_str(), "w");
  std::fputs("name: not a database\n", f);
  std::fclose(f);
  EXPECT_THAT(read_error(text), HasSubstr("not an SQLite database"));
  const auto whole = valid_db("whole");
  {
    // Checkpoint the write-ahead log into the file, then keep its first 8 KiB.
    exec_sql(whole, "PRAGMA wal_checkpoint(TRUNCATE)");
    std::filesystem::resize_file(whole, 8192);
  }
  EXPECT_THAT(read_error(whole), HasSubstr("damaged SQLite database"));
  EXPECT_THAT(read_error(std::filesystem::temp_directory_path().string()), HasSubstr("is a folder"));
  EXPECT_THAT(read_error(temp_db("missing")), HasSubstr("no such results database"));
}

TEST(DamagedResults, AFileWithoutItsFingerprintIsNotResumed) {
  const auto path = valid_db("nofingerprint");
  exec_sql(path, "DELETE FROM meta WHERE key = 'sweep_fingerprint'");
  ResultsStore s(path);
  try {
    s.begin_sweep("abc", "s.yaml", "text", {"devices.n.count"}, {{"10"}, {"20"}});
    ADD_FAILURE() << "no error";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("holds a sweep's data but no sweep fingerprint"));
  }
}

TEST(DamagedResults, ALockedDatabaseIsReadWithoutLockingAndSaysSo) {
  const auto path = valid_db("locked");
  exec_sql(path, "PRAGMA wal_checkpoint(TRUNCATE)");
  // Another connection holds it exclusively, in the middle of a write.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE runs SET wall_s = 1;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  {
    ResultsStore s(path, true);
    EXPECT_THAT(s.notice(), HasSubstr("locked by another process: read without locking"));
    EXPECT_EQ(s.runs().size(), 2u);
  }
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  // A read-only copy (a folder the user cannot write is the same for SQLite).
  std::filesystem::permissions(path, std::filesystem::perms::owner_read, std::filesystem::perm_options::replace);
  ResultsStore s(path, true);
  EXPECT_EQ(s.runs().size(), 2u);
  EXPECT_TRUE(s.notice().empty());
}

// Version 4 keeps each run's battery warnings, in the order the run listed
// them; export, results and report gather them by point and group.
TEST(ResultsStore, EachRunsWarningsAreKeptAndGatheredByPoint) {
  const auto path = temp_db("warnings");
  {
    ResultsStore s(path);
    s.begin_sweep("f", "s.yaml", "t", {"devices.n.battery.cell"}, {{"ls14500"}, {"cr2032"}});
    s.add_run(1, 0, 1, 0.1, 10, {{"all", "packets_sent", 3}},
              {{"n", "peak above the pulse rating"}, {"n", "no self-discharge"}, {"m", "no self-discharge"}});
    s.add_run(1, 1, 2, 0.1, 10, {{"all", "packets_sent", 3}}, {{"n", "peak above the pulse rating"}});
    s.add_run(0, 0, 3, 0.1, 10, {{"all", "packets_sent", 2}});
  }
  const ResultsStore r(path, true);
  EXPECT_EQ(r.runs_without_warnings(), 0u);
  const auto w = r.warnings();
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].point, 1u);
  EXPECT_EQ(w[0].replication, 0u);
  EXPECT_EQ(w[1].text, "no self-discharge");  // as the run listed them
  EXPECT_EQ(w[2].group, "m");
  EXPECT_EQ(w[3].replication, 1u);
  // Group n at point 1: the pulse rating in both runs, self-discharge in one;
  // point 0 warns of nothing.
  const auto n = point_warnings(w, "n");
  ASSERT_EQ(n.size(), 1u);
  const std::vector<std::pair<std::string, std::size_t>> expected{{"peak above the pulse rating", 2},
                                                                  {"no self-discharge", 1}};
  EXPECT_EQ(n.at(1), expected);
  // `all`: every group's, after its name.
  const auto all = point_warnings(w, "all");
  ASSERT_EQ(all.at(1).size(), 3u);
  EXPECT_EQ(all.at(1)[2], (std::pair<std::string, std::size_t>{"m: no self-discharge", 1}));
}

// A version-3 database has no warnings table: read as it is, its runs'
// warnings are unknown (not "none"); a sweep into it converts it and says
// how many runs that leaves without.
TEST(ResultsStore, AVersion3DatabaseHasNoWarningsUntilConverted) {
  const auto path = temp_db("v3warn");
  {
    ResultsStore s(path);
    s.begin_sweep("f", "s.yaml", "t", {"groups.x"}, {{"a"}});
    s.add_run(0, 0, 1, 0.1, 10, {{"all", "packets_sent", 3}});
    s.add_run(0, 1, 2, 0.1, 10, {{"all", "packets_sent", 4}});
  }
  exec_sql(path, "DROP TABLE warnings; UPDATE meta SET value = '3' WHERE key = 'schema_version';");
  {
    const ResultsStore r(path, true);
    EXPECT_EQ(r.meta("schema_version"), "3");
    EXPECT_TRUE(r.warnings().empty());
    EXPECT_EQ(r.runs_without_warnings(), 2u);
  }
  ResultsStore w(path);
  w.begin_sweep("f", "s.yaml", "t", {"groups.x"}, {{"a"}});
  EXPECT_EQ(w.migrated_from(), 3);
  EXPECT_EQ(w.meta("schema_version"), "4");
  EXPECT_EQ(w.runs_without_warnings(), 2u);
  EXPECT_EQ(w.values("all", "packets_sent").at(0), (std::vector<double>{3, 4}));
  w.add_run(0, 2, 3, 0.1, 10, {{"all", "packets_sent", 5}}, {{"x", "a warning"}});
  ASSERT_EQ(w.warnings().size(), 1u);
  EXPECT_EQ(w.warnings()[0].replication, 2u);
}

}  // namespace
}  // namespace m2msim::analysis
