#include "analysis/results_store.hpp"

#include <sqlite3.h>

#include <boost/math/distributions/students_t.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace m2msim::analysis {

namespace {

/// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) != SQLITE_OK) {
      throw StoreError(std::string("results database: ") + sqlite3_errmsg(db) + " (in: " + sql + ")");
    }
  }
  ~Statement() { sqlite3_finalize(st_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(st_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::uint64_t v) {
    sqlite3_bind_int64(st_, i, static_cast<sqlite3_int64>(v));
    return *this;
  }
  Statement& bind(int i, double v) {
    if (std::isnan(v)) {
      sqlite3_bind_null(st_, i);
    } else {
      sqlite3_bind_double(st_, i, v);
    }
    return *this;
  }
  /// True while there is a row.
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(std::string("results database: ") + sqlite3_errmsg(db_));
  }
  void reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  [[nodiscard]] std::string text(int c) const {
    const auto* p = sqlite3_column_text(st_, c);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  [[nodiscard]] std::uint64_t u64(int c) const { return static_cast<std::uint64_t>(sqlite3_column_int64(st_, c)); }
  [[nodiscard]] double real(int c) const {
    return sqlite3_column_type(st_, c) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(st_, c);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

void add_group(std::vector<StoredMetric>& out, const results::RunRecord& r, const results::GroupSummary& g) {
  auto put = [&](const char* m, double v) { out.push_back({g.name, m, v}); };
  put("devices", static_cast<double>(g.devices));
  put("packets_generated", static_cast<double>(g.generated));
  put("packets_sent", static_cast<double>(g.sent));
  put("packets_delivered", static_cast<double>(g.delivered));
  put("delivery_ratio", g.delivery_ratio);
  put("coverage_ratio", g.coverage_ratio);
  put("coverage_probability", g.coverage_probability);
  put("latency_p50_s", g.latency_p50_s);
  put("latency_p95_s", g.latency_p95_s);
  put("latency_p99_s", g.latency_p99_s);
  put("battery_p5_years", g.battery_p5_years);
  put("battery_median_years", g.battery_median_years);
  put("battery_p95_years", g.battery_p95_years);
  put("downlinks_generated", static_cast<double>(g.downlinks_generated));
  put("downlinks_delivered", static_cast<double>(g.downlinks_delivered));
  put("downlink_delivery_ratio", g.downlink_delivery_ratio);
  put("downlink_latency_p50_s", g.downlink_latency_p50_s);
  put("downlink_latency_p95_s", g.downlink_latency_p95_s);
  for (std::size_t i = 0; i < r.fate_names.size() && i < g.fates.size(); ++i) {
    out.push_back({g.name, "fate_" + r.fate_names[i], static_cast<double>(g.fates[i])});
  }
}

// Appends s as a JSON string (metric names are identifiers, but escape anyway).
void append_json_string(std::string& out, const std::string& s) {
  out += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

// Appends v as a JSON number: the shortest text that reads back as exactly
// v (std::to_chars); NaN (undefined in this run) as null, ±infinity as
// ±9e999, which SQLite's JSON functions read as ±infinity.
void append_json_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "null";
  } else if (std::isinf(v)) {
    out += v > 0 ? "9e999" : "-9e999";
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }
}

// The schema's tables; version 1 kept one `metrics` row per (run, group,
// metric), version 2 one `group_metrics` row per (run, group), its values a
// JSON object in the order the run listed them, and a view `metrics` of the
// version-1 shape over it.
constexpr const char* kGroupMetricsTable =
    "CREATE TABLE group_metrics (point INTEGER NOT NULL, replication INTEGER NOT NULL, grp TEXT NOT NULL, "
    "vals TEXT NOT NULL, PRIMARY KEY (point, replication, grp))";
constexpr const char* kMetricsView =
    "CREATE VIEW metrics AS SELECT g.point AS point, g.replication AS replication, g.grp AS grp, j.key AS metric, "
    "CAST(j.value AS REAL) AS value FROM group_metrics AS g, json_each(g.vals) AS j";

}  // namespace

std::vector<StoredMetric> metrics_of(const results::RunRecord& r) {
  std::vector<StoredMetric> out;
  add_group(out, r, r.total);
  for (const auto& g : r.groups) add_group(out, r, g);
  return out;
}

ResultsStore::ResultsStore(const std::string& path, bool read_only) : path_(path) {
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    if (read_only) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError(path + ": no such results database (m2msim sweep writes one)");
    }
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(path + ": cannot open the results database: " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
  // Is it ours, and which version?
  bool has_meta = false;
  {
    std::uint64_t tables = 0;
    try {
      Statement st(db_, "SELECT count(*) FROM sqlite_master WHERE type='table'");
      if (st.step()) tables = st.u64(0);
      Statement m(db_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
      has_meta = m.step() && m.u64(0) == 1;
    } catch (const StoreError&) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError(path + ": not an SQLite database (is it an m2msim results file?)");
    }
    if (tables > 0 && !has_meta) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError(path + ": not an m2msim results database (it has no meta table)");
    }
  }
  if (!has_meta && read_only) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(path + ": not an m2msim results database (it has no meta table)");
  }
  // WAL with synchronous=NORMAL: a committed run survives the process being
  // killed (kill -9); only a power cut may lose the last few commits.
  if (!read_only) {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
  }
  if (has_meta) {
    const std::string v = meta("schema_version");
    if (v == "1") {
      // The previous layout: read as it is; begin_sweep converts it once it
      // knows the file holds that sweep.
      schema_ = 1;
      return;
    }
    if (v != std::to_string(kStoreSchemaVersion)) {
      const bool newer = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v.size() < 9 &&
                         std::stoi(v) > kStoreSchemaVersion;
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError(path + ": results database schema version " + (v.empty() ? "unknown" : v) + "; this m2msim reads versions 1 and " +
                       std::to_string(kStoreSchemaVersion) +
                       (newer ? " (written by a newer m2msim: use that version)"
                              : " (written by an older m2msim, or damaged: re-run the sweep into a new file)"));
    }
    return;
  }
  // Two sweeps creating the same new file at once: one waits for the other.
  exec("BEGIN IMMEDIATE");
  exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  exec("CREATE TABLE IF NOT EXISTS parameters (idx INTEGER PRIMARY KEY, path TEXT NOT NULL)");
  exec("CREATE TABLE IF NOT EXISTS points (point INTEGER NOT NULL, idx INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (point, idx))");
  exec("CREATE TABLE IF NOT EXISTS runs (point INTEGER NOT NULL, replication INTEGER NOT NULL, seed TEXT NOT NULL, wall_s REAL, "
       "events INTEGER, PRIMARY KEY (point, replication))");
  // (Another process may have created the tables while this one waited.)
  if (meta("schema_version").empty()) {
    exec(kGroupMetricsTable);
    exec(kMetricsView);
    exec("INSERT INTO meta VALUES ('schema_version', '" + std::to_string(kStoreSchemaVersion) + "')");
  }
  exec("COMMIT");
}

// Ends a failed transaction without hiding why it failed: SQLite may have
// rolled it back itself (a full disk, an I/O error).
void ResultsStore::rollback() const {
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void ResultsStore::migrate_from_1() {
  exec("BEGIN IMMEDIATE");
  try {
    if (meta("schema_version") == "1") {  // not converted by another process meanwhile
      exec(kGroupMetricsTable);
      // The values again through the same writer as new runs, in the order
      // they were stored (which is the order `results` lists them in); each
      // run's rows are consecutive, having been written in one transaction.
      std::uint64_t point = 0, replication = 0;
      std::vector<StoredMetric> run;
      const auto flush = [&] {
        if (!run.empty()) insert_group_metrics(point, replication, run);
        run.clear();
      };
      Statement st(db_, "SELECT point, replication, grp, metric, value FROM metrics ORDER BY rowid");
      while (st.step()) {
        if (st.u64(0) != point || st.u64(1) != replication) flush();
        point = st.u64(0);
        replication = st.u64(1);
        run.push_back({st.text(2), st.text(3), st.real(4)});
      }
      flush();
      exec("DROP TABLE metrics");
      exec(kMetricsView);
      exec("UPDATE meta SET value = '" + std::to_string(kStoreSchemaVersion) + "' WHERE key = 'schema_version'");
      migrated_from_ = 1;
    }
    exec("COMMIT");
  } catch (...) {
    rollback();
    throw;
  }
  schema_ = kStoreSchemaVersion;
}

ResultsStore::~ResultsStore() {
  sqlite3_finalize(insert_run_);
  sqlite3_finalize(insert_group_);
  sqlite3_finalize(begin_);
  sqlite3_finalize(commit_);
  sqlite3_close(db_);
}

void ResultsStore::exec(const std::string& sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw StoreError(path_ + ": " + msg);
  }
}

std::string ResultsStore::meta(const std::string& key) const {
  Statement st(db_, "SELECT value FROM meta WHERE key = ?");
  st.bind(1, key);
  return st.step() ? st.text(0) : "";
}

void ResultsStore::begin_sweep(const std::string& fingerprint, const std::string& scenario_file,
                               const std::string& scenario_text, const std::vector<std::string>& parameters,
                               const std::vector<std::vector<std::string>>& points) {
  const std::string existing = meta("sweep_fingerprint");
  if (!existing.empty() && existing != fingerprint) {
    throw StoreError(path_ + ": this database holds a different sweep (scenario " + meta("scenario_file") +
                     "); write to another file with --db, or delete it to start over");
  }
  if (schema_ == 1) migrate_from_1();  // this sweep's file, about to be written to
  if (!existing.empty()) return;
  exec("BEGIN");
  try {
    Statement m(db_, "INSERT INTO meta VALUES (?, ?)");
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"sweep_fingerprint", fingerprint}, {"scenario_file", scenario_file}, {"scenario_text", scenario_text}}) {
      m.bind(1, k).bind(2, v);
      m.step();
      m.reset();
    }
    Statement p(db_, "INSERT INTO parameters VALUES (?, ?)");
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      p.bind(1, static_cast<std::uint64_t>(i)).bind(2, parameters[i]);
      p.step();
      p.reset();
    }
    Statement q(db_, "INSERT INTO points VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < points.size(); ++i) {
      for (std::size_t j = 0; j < points[i].size(); ++j) {
        q.bind(1, static_cast<std::uint64_t>(i)).bind(2, static_cast<std::uint64_t>(j)).bind(3, points[i][j]);
        q.step();
        q.reset();
      }
    }
    exec("COMMIT");
  } catch (...) {
    rollback();
    throw;
  }
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> ResultsStore::finished_runs() const {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> v;
  Statement st(db_, "SELECT point, replication FROM runs ORDER BY point, replication");
  while (st.step()) v.emplace_back(st.u64(0), st.u64(1));
  return v;
}

void ResultsStore::prepare(sqlite3_stmt*& st, const char* sql) {
  if (st == nullptr && sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) {
    throw StoreError(path_ + ": " + sqlite3_errmsg(db_));
  }
}

void ResultsStore::step_done(sqlite3_stmt* st) {
  const int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) throw StoreError(path_ + ": " + sqlite3_errmsg(db_));
}

void ResultsStore::insert_group_metrics(std::uint64_t point, std::uint64_t replication,
                                        const std::vector<StoredMetric>& metrics) {
  prepare(insert_group_, "INSERT INTO group_metrics VALUES (?, ?, ?, ?)");
  // One row per group, in the order the groups first appear.
  std::vector<const std::string*> groups;
  for (const auto& x : metrics)
    if (std::find_if(groups.begin(), groups.end(), [&](const std::string* g) { return *g == x.group; }) == groups.end())
      groups.push_back(&x.group);
  std::string vals;
  for (const std::string* g : groups) {
    vals.assign(1, '{');
    for (const auto& x : metrics) {
      if (x.group != *g) continue;
      if (vals.size() > 1) vals += ',';
      append_json_string(vals, x.metric);
      vals += ':';
      append_json_number(vals, x.value);
    }
    vals += '}';
    sqlite3_bind_int64(insert_group_, 1, static_cast<sqlite3_int64>(point));
    sqlite3_bind_int64(insert_group_, 2, static_cast<sqlite3_int64>(replication));
    sqlite3_bind_text(insert_group_, 3, g->c_str(), static_cast<int>(g->size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_group_, 4, vals.c_str(), static_cast<int>(vals.size()), SQLITE_TRANSIENT);
    step_done(insert_group_);
  }
}

void ResultsStore::add_run(std::uint64_t point, std::uint64_t replication, std::uint64_t seed, double wall_s,
                           std::uint64_t events, const std::vector<StoredMetric>& metrics) {
  prepare(insert_run_, "INSERT INTO runs VALUES (?, ?, ?, ?, ?)");
  prepare(begin_, "BEGIN IMMEDIATE");  // prepared, not parsed again for every run
  prepare(commit_, "COMMIT");
  step_done(begin_);
  try {
    // The seed as text: SQLite integers are signed 64-bit.
    const std::string seed_text = std::to_string(seed);
    sqlite3_bind_int64(insert_run_, 1, static_cast<sqlite3_int64>(point));
    sqlite3_bind_int64(insert_run_, 2, static_cast<sqlite3_int64>(replication));
    sqlite3_bind_text(insert_run_, 3, seed_text.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(insert_run_, 4, wall_s);
    sqlite3_bind_int64(insert_run_, 5, static_cast<sqlite3_int64>(events));
    step_done(insert_run_);
    insert_group_metrics(point, replication, metrics);
    step_done(commit_);
  } catch (...) {
    rollback();
    throw;
  }
}

std::vector<std::string> ResultsStore::parameters() const {
  std::vector<std::string> v;
  Statement st(db_, "SELECT path FROM parameters ORDER BY idx");
  while (st.step()) v.push_back(st.text(0));
  return v;
}

std::vector<std::vector<std::string>> ResultsStore::points() const {
  std::vector<std::vector<std::string>> v;
  Statement st(db_, "SELECT point, idx, value FROM points ORDER BY point, idx");
  while (st.step()) {
    const auto p = st.u64(0);
    if (v.size() <= p) v.resize(p + 1);
    v[p].push_back(st.text(2));
  }
  return v;
}

std::vector<ResultsStore::RunRow> ResultsStore::runs() const {
  std::vector<RunRow> v;
  Statement st(db_, "SELECT point, replication, seed, wall_s, events FROM runs ORDER BY point, replication");
  while (st.step()) v.push_back({st.u64(0), st.u64(1), std::stoull(st.text(2)), st.real(3), st.u64(4)});
  return v;
}

std::map<std::uint64_t, std::vector<double>> ResultsStore::values(const std::string& group, const std::string& metric) const {
  std::map<std::uint64_t, std::vector<double>> v;
  Statement st(db_, "SELECT point, value FROM metrics WHERE grp = ? AND metric = ? ORDER BY point, replication");
  st.bind(1, group).bind(2, metric);
  while (st.step()) v[st.u64(0)].push_back(st.real(1));
  return v;
}

std::vector<std::pair<std::string, std::string>> ResultsStore::metric_names() const {
  std::vector<std::pair<std::string, std::string>> v;
  // Groups in the order the first run wrote them ("all" first), metrics likewise.
  // Over every run: groups may differ between points (a swept group name).
  // (Version 2: the first group row that has the metric, then its place in that row.)
  Statement st(db_, schema_ == 1 ? "SELECT grp, metric FROM metrics GROUP BY grp, metric ORDER BY MIN(rowid)"
                                 : "SELECT g.grp, j.key FROM group_metrics AS g, json_each(g.vals) AS j "
                                   "GROUP BY g.grp, j.key ORDER BY MIN(g.rowid * 4294967296 + j.id)");
  while (st.step()) v.emplace_back(st.text(0), st.text(1));
  return v;
}

std::map<std::pair<std::string, std::string>, double> ResultsStore::run_metrics(std::uint64_t point,
                                                                               std::uint64_t replication) const {
  std::map<std::pair<std::string, std::string>, double> v;
  Statement st(db_, "SELECT grp, metric, value FROM metrics WHERE point = ? AND replication = ?");
  st.bind(1, point).bind(2, replication);
  while (st.step()) v[{st.text(0), st.text(1)}] = st.real(2);
  return v;
}

MeanCi mean_ci95(const std::vector<double>& values) {
  MeanCi r;
  std::vector<double> x;
  for (double v : values)
    if (!std::isnan(v)) x.push_back(v);
  r.n = x.size();
  if (x.empty()) {
    r.mean = r.sd = r.half_width = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  double sum = 0.0;
  for (double v : x) sum += v;
  r.mean = sum / static_cast<double>(x.size());
  if (x.size() < 2) {
    r.sd = r.half_width = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  double ss = 0.0;
  for (double v : x) ss += (v - r.mean) * (v - r.mean);
  r.sd = std::sqrt(ss / static_cast<double>(x.size() - 1));
  const boost::math::students_t t(static_cast<double>(x.size() - 1));
  r.half_width = boost::math::quantile(t, 0.975) * r.sd / std::sqrt(static_cast<double>(x.size()));
  return r;
}

}  // namespace m2msim::analysis
