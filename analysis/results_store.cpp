#include "analysis/results_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <set>

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
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(st_, i, v);
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
  /// The first column of the first row ("" if none).
  [[nodiscard]] std::string first_text() { return step() ? text(0) : ""; }
  [[nodiscard]] std::string text(int c) const {
    const auto* p = sqlite3_column_text(st_, c);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  [[nodiscard]] std::uint64_t u64(int c) const { return static_cast<std::uint64_t>(sqlite3_column_int64(st_, c)); }
  [[nodiscard]] int type(int c) const { return sqlite3_column_type(st_, c); }
  [[nodiscard]] double real(int c) const {
    return sqlite3_column_type(st_, c) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN()
                                                      : sqlite3_column_double(st_, c);
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
  for (const auto& [name, share] : g.shares) out.push_back({g.name, "share_" + name, share});
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

// The schema's tables. Version 1 kept one `metrics` row per (run, group,
// metric), version 2 one `group_metrics` row per (run, group) with a JSON
// object; version 3 keeps one `runs` row per run, its values a JSON array in
// the order of one of the `layouts` (the list of (group, metric) names the
// run has; runs with the same list share it), and a view `metrics` of the
// version-1 shape over both. `run` = point · 2^32 + replication is the
// rowid, so a run is one row in one B-tree (docs/sweeps.md section 6.1).
constexpr const char* kRunsTable =
    "CREATE TABLE runs (run INTEGER PRIMARY KEY, point INTEGER NOT NULL, replication INTEGER NOT NULL, "
    "seed TEXT NOT NULL, wall_s REAL, events INTEGER, layout INTEGER NOT NULL, vals TEXT NOT NULL)";
constexpr const char* kLayoutsTable =
    "CREATE TABLE layouts (layout INTEGER NOT NULL, idx INTEGER NOT NULL, grp TEXT NOT NULL, metric TEXT NOT NULL, "
    "PRIMARY KEY (layout, idx))";
// (CROSS JOIN fixes the order: a run, its array taken apart once, each
// value's name by key.)
constexpr const char* kMetricsView =
    "CREATE VIEW metrics AS SELECT r.point AS point, r.replication AS replication, l.grp AS grp, l.metric AS metric, "
    "CAST(j.value AS REAL) AS value FROM runs AS r CROSS JOIN json_each(r.vals) AS j CROSS JOIN layouts AS l "
    "WHERE l.layout = r.layout AND l.idx = j.key";
// Version 4 adds the runs' warnings, one row each, in the order the run
// listed them (its rowid).
constexpr const char* kWarningsTable =
    "CREATE TABLE warnings (run INTEGER NOT NULL, grp TEXT NOT NULL, text TEXT NOT NULL)";
constexpr std::uint64_t kMaxPoints = std::uint64_t{1} << 31;  // run = point · 2^32 + replication < 2^63
constexpr std::uint64_t kMaxReplications = std::uint64_t{1} << 32;
constexpr std::int64_t kNoLayout = -1;  // a run without metrics

std::int64_t run_key(std::uint64_t point, std::uint64_t replication) {
  return static_cast<std::int64_t>(point * kMaxReplications + replication);
}

using Layouts = std::vector<std::vector<std::pair<std::string, std::string>>>;

// Every layout of the file, by id. The writer numbers them densely from 0
// (layout_of), so a row whose id skips ahead (or is negative) is damage, and
// is refused before it sizes anything.
Layouts read_layouts(sqlite3* db) {
  Layouts layouts;
  Statement st(db, "SELECT layout, grp, metric FROM layouts ORDER BY layout, idx");
  while (st.step()) {
    const std::uint64_t id = st.u64(0);
    if (id > layouts.size())
      throw StoreError("damaged results database: its layouts table has layout " +
                       std::to_string(static_cast<std::int64_t>(id)) + " after " + std::to_string(layouts.size()) +
                       " layouts (they are numbered 0, 1, 2, ...)");
    if (id == layouts.size()) layouts.emplace_back();
    layouts[id].emplace_back(st.text(1), st.text(2));
  }
  return layouts;
}

bool same_names(const std::vector<std::pair<std::string, std::string>>& layout, const std::vector<StoredMetric>& m) {
  if (layout.size() != m.size()) return false;
  for (std::size_t i = 0; i < m.size(); ++i)
    if (layout[i].second != m[i].metric || layout[i].first != m[i].group) return false;
  return true;
}

}  // namespace

std::vector<StoredWarning> warnings_of(const results::RunRecord& r) {
  std::vector<StoredWarning> out;
  for (const auto& g : r.groups)
    for (const auto& w : g.battery_warnings) out.push_back({g.name, w});
  return out;
}

std::vector<StoredMetric> metrics_of(const results::RunRecord& r) {
  std::vector<StoredMetric> out;
  add_group(out, r, r.total);
  for (const auto& g : r.groups) add_group(out, r, g);
  // The sites (gateways.csv), one pseudo-group per technology in the order
  // its first site appears, "gateways.<technology>" (a device group's name
  // cannot hold a '.'): each site column's largest and mean value over that
  // technology's sites that have it, e.g. the busiest cell's downlink share.
  const std::size_t columns = r.site_columns.size();
  std::vector<std::string> technologies;
  for (const auto& site : r.sites)
    if (std::find(technologies.begin(), technologies.end(), site.technology) == technologies.end())
      technologies.push_back(site.technology);
  for (const auto& tech : technologies) {
    const std::string group = "gateways." + tech;
    for (std::size_t c = 0; c < columns; ++c) {
      double max = -std::numeric_limits<double>::infinity(), sum = 0.0;
      std::size_t n = 0;
      for (std::size_t s = 0; s < r.sites.size(); ++s) {
        const double v = r.site_values[s * columns + c];
        if (r.sites[s].technology != tech || std::isnan(v)) continue;
        max = std::max(max, v);
        sum += v;
        ++n;
      }
      if (n == 0) continue;
      out.push_back({group, std::string(r.site_columns[c].name) + "_max", max});
      out.push_back({group, std::string(r.site_columns[c].name) + "_mean", sum / static_cast<double>(n)});
    }
  }
  return out;
}

namespace {

/// `path` as an SQLite URI filename with `query` ("file:...?immutable=1").
std::string uri(const std::string& path, const char* query) {
  std::string u = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      u += buf;
    } else {
      u += c;
    }
  }
  return u + "?" + query;
}

bool is_locked(int code) { return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED; }

}  // namespace

ResultsStore::ResultsStore(const std::string& path, bool read_only) : path_(path) {
  if (read_only) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
      throw StoreError(path + ": no such results database (m2msim sweep writes one)");
    if (std::filesystem::is_directory(status))
      throw StoreError(path + ": is a folder, not a results database (m2msim sweep writes one)");
    if (!std::filesystem::is_regular_file(status))
      throw StoreError(path + ": not a regular file (a pipe or device cannot be a results database)");
  }
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    close();
    if (read_only) throw StoreError(path + ": cannot open the results database: " + msg);
    throw StoreError(path + ": cannot open the results database: " + msg);
  }
  try {
    open(read_only);
  } catch (const StoreError& e) {
    const bool locked = is_locked(e.sqlite_code());
    close();  // the destructor does not run for a constructor that throws
    if (!read_only || !locked) throw;
    // Another process holds the database locked (a sweep writing it in
    // exclusive mode, a tool): read the file as it is, without locking.
    if (sqlite3_open_v2(uri(path, "immutable=1").c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) !=
        SQLITE_OK) {
      close();
      throw StoreError(path + ": locked by another process, and cannot be read without locking");
    }
    try {
      open(true);
    } catch (...) {
      close();
      throw;
    }
    notice_ = path +
              " is locked by another process: read without locking, so runs that process has not yet "
              "written to the file itself (its write-ahead log) are not shown";
  } catch (...) {
    close();
    throw;
  }
}

StoreError ResultsStore::failure(const std::string& doing) const {
  const int code = sqlite3_errcode(db_);
  const std::string msg = sqlite3_errmsg(db_);
  switch (code & 0xff) {
    case SQLITE_NOTADB: return StoreError(path_ + ": not an SQLite database (is it an m2msim results file?)", code);
    case SQLITE_CORRUPT:
      return StoreError(path_ + ": damaged SQLite database (" + msg +
                            "; truncated or overwritten?): re-run the sweep into a new file",
                        code);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StoreError(path_ + ": locked by another process (a sweep writing it?); try again when it is done", code);
    default: return StoreError(path_ + ": cannot " + doing + ": " + msg, code);
  }
}

void ResultsStore::validate() const {
  const auto damaged = [&](const std::string& what) {
    return StoreError(path_ + ": damaged results database: " + what + " (re-run the sweep into a new file)");
  };
  std::uint64_t n = 0;  // parameters, numbered 0 .. n - 1, each with a path
  {
    Statement st(db_, "SELECT idx, typeof(idx), path, typeof(path) FROM parameters ORDER BY idx");
    while (st.step()) {
      if (st.text(1) != "integer" || st.u64(0) != n)
        throw damaged("its parameters table does not number the swept parameters 0, 1, 2, ...");
      if (st.text(3) != "text" || st.text(2).empty())
        throw damaged("swept parameter " + std::to_string(n) + " has no path");
      ++n;
    }
  }
  if (n == 0) throw damaged("its parameters table is empty (a sweep has at least one swept parameter)");
  std::uint64_t points = 0;  // points 0 .. points - 1, each with one value per parameter
  {
    Statement st(db_, "SELECT point, typeof(point), idx, typeof(idx), typeof(value) FROM points ORDER BY point, idx");
    std::uint64_t idx = 0;
    while (st.step()) {
      if (st.text(1) != "integer" || st.text(3) != "integer" || st.text(4) != "text")
        throw damaged("a row of its points table has a value of the wrong type");
      if (st.u64(0) != points || st.u64(2) != idx)
        throw damaged("point " + std::to_string(points) + " does not have one value for each of the " +
                      std::to_string(n) + " swept parameters");
      if (++idx == n) {
        idx = 0;
        ++points;
      }
    }
    if (idx != 0)
      throw damaged("point " + std::to_string(points) + " does not have one value for each of the " +
                    std::to_string(n) + " swept parameters");
  }
  if (points == 0) throw damaged("its points table is empty");
  Statement st(db_,
               "SELECT point, typeof(point), replication, typeof(replication), seed, typeof(events) FROM runs "
               "ORDER BY point, replication");
  while (st.step()) {
    if (st.text(1) != "integer" || st.text(3) != "integer" || (st.text(5) != "integer" && st.text(5) != "null"))
      throw damaged("a row of its runs table has a value of the wrong type");
    if (st.u64(0) >= points)
      throw damaged("a run names point " + std::to_string(st.u64(0)) + ", but the sweep has points 0 to " +
                    std::to_string(points - 1));
    std::uint64_t seed = 0;
    const std::string s = st.text(4);
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seed);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      throw damaged("run (point " + std::to_string(st.u64(0)) + ", replication " + std::to_string(st.u64(2)) +
                    ") has seed '" + s.substr(0, 24) + "', not a whole number");
  }
}

void ResultsStore::open(bool read_only) {
  // A writer waits for another sweep's commit; a reader of a locked file
  // soon reads it without locking instead (the constructor).
  sqlite3_busy_timeout(db_, read_only ? 2000 : 10000);
  // Is it ours, and which version?
  bool has_meta = false;
  {
    std::uint64_t tables = 0;
    try {
      // A reader reads one snapshot, from its first query to close: a sweep
      // committing runs (or converting the file) meanwhile changes nothing
      // it sees, so every metric it reads covers the same runs. Only in WAL
      // mode (every results database m2msim makes), where a reader does not
      // hold writers back; in a rollback journal it would lock a sweep out.
      if (read_only && Statement(db_, "PRAGMA journal_mode").first_text() == "wal") exec("BEGIN");
      Statement st(db_, "SELECT count(*) FROM sqlite_master WHERE type='table'");
      if (st.step()) tables = st.u64(0);
      Statement m(db_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
      has_meta = m.step() && m.u64(0) == 1;
    } catch (const StoreError&) {
      throw failure("read the results database");
    }
    if ((tables > 0 || read_only) && !has_meta) {
      throw StoreError(path_ + ": not an m2msim results database (it has no meta table)");
    }
  }
  // WAL with synchronous=NORMAL: a committed run survives the process being
  // killed (kill -9); only a power cut may lose the last few commits.
  if (!read_only) {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
  }
  if (!has_meta) {
    // Two sweeps creating the same new file at once: one waits for the other.
    exec("BEGIN IMMEDIATE");
    try {
      exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      // (Another process may have created the tables while this one waited.)
      if (meta("schema_version").empty()) {
        exec("CREATE TABLE parameters (idx INTEGER PRIMARY KEY, path TEXT NOT NULL)");
        exec(
            "CREATE TABLE points (point INTEGER NOT NULL, idx INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY "
            "(point, idx))");
        exec(kRunsTable);
        exec(kLayoutsTable);
        exec(kMetricsView);
        exec(kWarningsTable);
        exec("INSERT INTO meta VALUES ('schema_version', '" + std::to_string(kStoreSchemaVersion) + "')");
      }
      exec("COMMIT");
    } catch (...) {
      rollback();
      throw;
    }
  }
  const std::string v = meta("schema_version");
  if (v == "1" || v == "2" || v == "3") {
    // An earlier layout: read as it is; begin_sweep converts it once it
    // knows the file holds that sweep.
    schema_ = v[0] - '0';
    if (read_only) validate();
    return;
  }
  if (v != std::to_string(kStoreSchemaVersion)) {
    const bool newer = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v.size() < 9 &&
                       std::stoi(v) > kStoreSchemaVersion;
    throw StoreError(path_ + ": results database schema version " + (v.empty() ? "unknown" : v) +
                     "; this m2msim reads versions 1 to " + std::to_string(kStoreSchemaVersion) +
                     (newer ? " (written by a newer m2msim: use that version)"
                            : " (written by an older m2msim, or damaged: re-run the sweep into a new file)"));
  }
  if (read_only) validate();
}

void ResultsStore::close() noexcept {
  for (sqlite3_stmt* st : {insert_run_, insert_layout_, insert_warning_, begin_, commit_}) sqlite3_finalize(st);
  insert_run_ = insert_layout_ = insert_warning_ = begin_ = commit_ = nullptr;
  if (db_ != nullptr) rollback();  // a reader's snapshot
  sqlite3_close(db_);
  db_ = nullptr;
}

// Ends a failed transaction without hiding why it failed: SQLite may have
// rolled it back itself (a full disk, an I/O error).
void ResultsStore::rollback() const {
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

// Version 1, 2 or 3 to this version, in one transaction. From 1 or 2:
// every run with its values (bit for bit: they go through the same writer
// as new runs), NULLs and the order each run listed its metrics in. From
// any: the warnings table, empty, and the number of runs whose warnings
// were not kept.
void ResultsStore::migrate() {
  const int from = schema_;
  exec("BEGIN IMMEDIATE");
  try {
    if (meta("schema_version") == std::to_string(from)) {  // not converted by another process meanwhile
      if (from < 3) {
        std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<StoredMetric>> by_run;
        {
          // Each run's values in the order they were stored (the order the run listed them).
          Statement st(db_, from == 1 ? "SELECT point, replication, grp, metric, value FROM metrics ORDER BY rowid"
                                      : "SELECT g.point, g.replication, g.grp, j.key, CAST(j.value AS REAL) "
                                        "FROM group_metrics AS g, json_each(g.vals) AS j ORDER BY g.rowid, j.id");
          while (st.step()) by_run[{st.u64(0), st.u64(1)}].push_back({st.text(2), st.text(3), st.real(4)});
        }
        const auto beyond = [&](std::uint64_t point, std::uint64_t replication) {
          if (point < kMaxPoints && replication < kMaxReplications) return;
          throw StoreError(path_ + ": run (point " + std::to_string(point) + ", replication " +
                           std::to_string(replication) + ") is beyond what schema version " +
                           std::to_string(kStoreSchemaVersion) + " stores");
        };
        for (const auto& entry : by_run) beyond(entry.first.first, entry.first.second);
        if (from == 2) exec("DROP VIEW IF EXISTS metrics");
        // The table is renamed and a new one made under the old name; without
        // legacy_alter_table, SQLite would rewrite any view of the user's that
        // reads `runs` to read `old_runs`, which is about to go.
        exec("PRAGMA legacy_alter_table=ON");
        exec("ALTER TABLE runs RENAME TO old_runs");
        exec("PRAGMA legacy_alter_table=OFF");
        exec(kRunsTable);
        exec(kLayoutsTable);
        {
          Statement old(db_, "SELECT point, replication FROM old_runs");
          while (old.step()) beyond(old.u64(0), old.u64(1));
        }
        {
          // Every run, its key as run_key() makes it; values follow below.
          Statement copy(
              db_,
              "INSERT INTO runs SELECT point * ? + replication, point, replication, seed, wall_s, events, ?, '[]' "
              "FROM old_runs");
          copy.bind(1, kMaxReplications).bind(2, kNoLayout);
          copy.step();
        }
        Statement set(db_, "UPDATE runs SET layout = ?, vals = ? WHERE run = ?");
        for (const auto& [run, metrics] : by_run) {
          set.bind(1, layout_of(metrics)).bind(2, encode(metrics)).bind(3, run_key(run.first, run.second));
          set.step();
          set.reset();
          if (sqlite3_changes(db_) != 1) {  // only a file edited by hand has them
            throw StoreError(path_ + ": the values of point " + std::to_string(run.first) + ", replication " +
                             std::to_string(run.second) +
                             " have no row in `runs`, and converting the file to schema version " +
                             std::to_string(kStoreSchemaVersion) +
                             " would lose them: delete them, or write the sweep to another file with --db");
          }
        }
        exec("DROP TABLE old_runs");
        exec(from == 1 ? "DROP TABLE metrics" : "DROP TABLE group_metrics");
        exec(kMetricsView);
      }
      exec(kWarningsTable);
      exec("INSERT OR REPLACE INTO meta SELECT 'runs_without_warnings', CAST(count(*) AS TEXT) FROM runs");
      exec("UPDATE meta SET value = '" + std::to_string(kStoreSchemaVersion) + "' WHERE key = 'schema_version'");
      migrated_from_ = from;
    }
    exec("COMMIT");
  } catch (...) {
    layouts_.clear();  // they may name rows the rollback removed
    rollback();
    sqlite3_exec(db_, "PRAGMA legacy_alter_table=OFF", nullptr, nullptr, nullptr);
    throw;
  }
  schema_ = kStoreSchemaVersion;
}

ResultsStore::~ResultsStore() { close(); }

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
  return st.bind(1, key).first_text();
}

std::vector<ResultsStore::RunWarning> ResultsStore::warnings() const {
  std::vector<RunWarning> v;
  if (schema_ < 4) return v;  // not kept before version 4
  Statement st(db_,
               "SELECT r.point, r.replication, w.grp, w.text FROM warnings AS w JOIN runs AS r ON r.run = w.run "
               "ORDER BY w.run, w.rowid");
  while (st.step()) v.push_back({st.u64(0), st.u64(1), st.text(2), st.text(3)});
  return v;
}

std::uint64_t ResultsStore::runs_without_warnings() const {
  if (schema_ < 4) {
    Statement st(db_, "SELECT count(*) FROM runs");
    return st.step() ? st.u64(0) : 0;
  }
  const std::string n = meta("runs_without_warnings");
  return n.empty() ? 0 : std::stoull(n);
}

void ResultsStore::begin_sweep(const std::string& fingerprint, const std::string& scenario_file,
                               const std::string& scenario_text, const std::vector<std::string>& parameters,
                               const std::vector<std::vector<std::string>>& points) {
  const std::string existing = meta("sweep_fingerprint");
  if (!existing.empty() && existing != fingerprint) {
    throw StoreError(path_ + ": this database holds a different sweep (scenario " + meta("scenario_file") +
                     "); write to another file with --db, or delete it to start over");
  }
  if (existing.empty()) {
    // No sweep recorded: the file must hold nothing of one, or it is not
    // known to be this sweep (a damaged or hand-edited file).
    Statement any(
        db_,
        "SELECT (SELECT count(*) FROM meta WHERE key <> 'schema_version') + (SELECT count(*) FROM parameters) "
        "+ (SELECT count(*) FROM points) + (SELECT count(*) FROM runs)");
    if (any.step() && any.u64(0) > 0)
      throw StoreError(path_ +
                       ": damaged results database: it holds a sweep's data but no sweep fingerprint, so it "
                       "cannot be resumed as this sweep; write to another file with --db");
  }
  if (schema_ != kStoreSchemaVersion) migrate();  // this sweep's file, about to be written to
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

// The layout id of a run's list of (group, metric) names: the last one used
// (every run of a sweep usually has the same), else one already known, else
// one in the file (read again: another process may have added it; inside
// the write lock, so none is added meanwhile), else a new one, written in
// the caller's transaction.
std::int64_t ResultsStore::layout_of(const std::vector<StoredMetric>& metrics) {
  if (metrics.empty()) return kNoLayout;
  const auto known = [&]() -> bool {
    if (last_layout_ < layouts_.size() && same_names(layouts_[last_layout_], metrics)) return true;
    for (std::size_t i = 0; i < layouts_.size(); ++i) {
      if (same_names(layouts_[i], metrics)) {
        last_layout_ = i;
        return true;
      }
    }
    return false;
  };
  if (known()) return static_cast<std::int64_t>(last_layout_);
  layouts_ = read_layouts(db_);
  if (known()) return static_cast<std::int64_t>(last_layout_);
  const std::size_t id = layouts_.size();
  prepare(insert_layout_, "INSERT INTO layouts VALUES (?, ?, ?, ?)");
  auto& names = layouts_.emplace_back();
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const auto& m = metrics[i];
    sqlite3_bind_int64(insert_layout_, 1, static_cast<sqlite3_int64>(id));
    sqlite3_bind_int64(insert_layout_, 2, static_cast<sqlite3_int64>(i));
    sqlite3_bind_text(insert_layout_, 3, m.group.c_str(), static_cast<int>(m.group.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert_layout_, 4, m.metric.c_str(), static_cast<int>(m.metric.size()), SQLITE_STATIC);
    step_done(insert_layout_);
    names.emplace_back(m.group, m.metric);
  }
  last_layout_ = id;
  return static_cast<std::int64_t>(id);
}

// The values of a run as a JSON array, in the order of its metrics.
const std::string& ResultsStore::encode(const std::vector<StoredMetric>& metrics) {
  vals_.assign(1, '[');
  for (const auto& m : metrics) {
    if (vals_.size() > 1) vals_ += ',';
    append_json_number(vals_, m.value);
  }
  vals_ += ']';
  return vals_;
}

void ResultsStore::add_run(std::uint64_t point, std::uint64_t replication, std::uint64_t seed, double wall_s,
                           std::uint64_t events, const std::vector<StoredMetric>& metrics,
                           const std::vector<StoredWarning>& warnings) {
  if (schema_ != kStoreSchemaVersion) {
    throw StoreError(path_ + ": schema version " + std::to_string(schema_) +
                     " is converted by begin_sweep before runs are written");
  }
  if (point >= kMaxPoints || replication >= kMaxReplications) {
    throw StoreError(path_ + ": point " + std::to_string(point) + ", replication " + std::to_string(replication) +
                     ": the store holds points below 2^31 and replications below 2^32");
  }
  prepare(insert_run_, "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  prepare(insert_warning_, "INSERT INTO warnings VALUES (?, ?, ?)");
  prepare(begin_, "BEGIN IMMEDIATE");  // prepared, not parsed again for every run
  prepare(commit_, "COMMIT");
  step_done(begin_);
  try {
    // The seed as text: SQLite integers are signed 64-bit.
    char seed_text[24];
    const auto seed_end = std::to_chars(seed_text, seed_text + sizeof seed_text, seed).ptr;
    const std::int64_t layout = layout_of(metrics);
    const std::string& vals = encode(metrics);
    sqlite3_bind_int64(insert_run_, 1, run_key(point, replication));
    sqlite3_bind_int64(insert_run_, 2, static_cast<sqlite3_int64>(point));
    sqlite3_bind_int64(insert_run_, 3, static_cast<sqlite3_int64>(replication));
    sqlite3_bind_text(insert_run_, 4, seed_text, static_cast<int>(seed_end - seed_text), SQLITE_STATIC);
    sqlite3_bind_double(insert_run_, 5, wall_s);
    sqlite3_bind_int64(insert_run_, 6, static_cast<sqlite3_int64>(events));
    sqlite3_bind_int64(insert_run_, 7, layout);
    sqlite3_bind_text(insert_run_, 8, vals.c_str(), static_cast<int>(vals.size()), SQLITE_STATIC);
    step_done(insert_run_);
    for (const auto& w : warnings) {
      sqlite3_bind_int64(insert_warning_, 1, run_key(point, replication));
      sqlite3_bind_text(insert_warning_, 2, w.group.c_str(), static_cast<int>(w.group.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert_warning_, 3, w.text.c_str(), static_cast<int>(w.text.size()), SQLITE_STATIC);
      step_done(insert_warning_);
    }
    step_done(commit_);
  } catch (...) {
    layouts_.clear();  // one added here is gone with the rollback
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
  while (st.step()) {
    std::uint64_t seed = 0;
    const std::string s = st.text(2);
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seed);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      throw StoreError(path_ + ": damaged results database: a run's seed '" + s.substr(0, 24) +
                       "' is not a whole number (re-run the sweep into a new file)");
    v.push_back({st.u64(0), st.u64(1), seed, st.real(3), st.u64(4)});
  }
  return v;
}

void ResultsStore::each_value(const std::string& group, const std::string& metric,
                              const std::function<void(std::uint64_t, std::uint64_t, double)>& f) const {
  // Version 3: the metric's place in each layout that has it, read from each
  // run's array (json_extract, not the view: no taking every run apart).
  // CROSS JOIN: the layouts first (a few rows match), then their runs; the
  // planner's own order checks every name of a run's layout for every run,
  // three to four times slower at 10 000 runs.
  Statement st(db_, schema_ == kStoreSchemaVersion
                        ? "SELECT r.point, r.replication, json_extract(r.vals, '$[' || l.idx || ']') FROM layouts AS l "
                          "CROSS JOIN runs AS r WHERE l.grp = ? AND l.metric = ? AND r.layout = l.layout ORDER BY r.run"
                        : "SELECT point, replication, value FROM metrics WHERE grp = ? AND metric = ? "
                          "ORDER BY point, replication");
  st.bind(1, group).bind(2, metric);
  while (st.step()) {
    if (st.type(2) == SQLITE_TEXT || st.type(2) == SQLITE_BLOB)
      throw StoreError(path_ + ": damaged results database: a stored value of " + group + " " + metric +
                       " is not a number (re-run the sweep into a new file)");
    f(st.u64(0), st.u64(1), st.real(2));
  }
}

std::map<std::uint64_t, std::vector<double>> ResultsStore::values(const std::string& group,
                                                                  const std::string& metric) const {
  std::map<std::uint64_t, std::vector<double>> v;
  each_value(group, metric, [&](std::uint64_t p, std::uint64_t, double x) { v[p].push_back(x); });
  return v;
}

std::map<std::uint64_t, std::map<std::uint64_t, double>> ResultsStore::values_by_replication(
    const std::string& group, const std::string& metric) const {
  std::map<std::uint64_t, std::map<std::uint64_t, double>> v;
  each_value(group, metric, [&](std::uint64_t p, std::uint64_t r, double x) { v[p][r] = x; });
  return v;
}

std::vector<std::pair<std::string, std::string>> ResultsStore::metric_names() const {
  std::vector<std::pair<std::string, std::string>> v;
  if (schema_ == kStoreSchemaVersion) {
    // The layouts in the order of the first run (by point, then replication)
    // that has each, and in each its names not already listed: "all" first,
    // then the groups, each metric in the order the run listed it. Over
    // every run, as groups may differ between points (a swept group name);
    // by run, not by when it was written, so that the order does not depend
    // on which worker finished first.
    const Layouts layouts = read_layouts(db_);
    Statement first(db_, "SELECT layout FROM runs WHERE layout >= 0 GROUP BY layout ORDER BY MIN(run)");
    std::set<std::pair<std::string, std::string>> seen;
    while (first.step()) {
      const auto id = static_cast<std::size_t>(first.u64(0));
      if (id >= layouts.size()) continue;  // (a run naming no stored layout has no names)
      for (const auto& name : layouts[id])
        if (seen.insert(name).second) v.push_back(name);
    }
    return v;
  }
  // Versions 1 and 2 as they are: in the order first stored (the first row
  // that has the metric, then its place in that row).
  Statement st(db_, schema_ == 1 ? "SELECT grp, metric FROM metrics GROUP BY grp, metric ORDER BY MIN(rowid)"
                                 : "SELECT g.grp, j.key FROM group_metrics AS g, json_each(g.vals) AS j "
                                   "GROUP BY g.grp, j.key ORDER BY MIN(g.rowid * 4294967296 + j.id)");
  while (st.step()) v.emplace_back(st.text(0), st.text(1));
  return v;
}

std::map<std::pair<std::string, std::string>, double> ResultsStore::run_metrics(std::uint64_t point,
                                                                                std::uint64_t replication) const {
  std::map<std::pair<std::string, std::string>, double> v;
  if (schema_ == kStoreSchemaVersion) {
    if (point >= kMaxPoints || replication >= kMaxReplications) return v;  // no such run (and no key for one)
    // CROSS JOIN keeps this order: each run's array taken apart once, each
    // value's name found by key (left to itself, SQLite's planner puts the
    // layout first and takes the array apart once per name).
    Statement st(db_,
                 "SELECT l.grp, l.metric, CAST(j.value AS REAL) FROM runs AS r CROSS JOIN json_each(r.vals) AS j "
                 "CROSS JOIN layouts AS l WHERE r.run = ? AND l.layout = r.layout AND l.idx = j.key");
    st.bind(1, run_key(point, replication));
    while (st.step()) v[{st.text(0), st.text(1)}] = st.real(2);
    return v;
  }
  Statement st(db_, "SELECT grp, metric, value FROM metrics WHERE point = ? AND replication = ?");
  st.bind(1, point).bind(2, replication);
  while (st.step()) v[{st.text(0), st.text(1)}] = st.real(2);
  return v;
}

double ci95_low(const std::string& metric, const MeanCi& ci) {
  const double low = ci.mean - ci.half_width;
  const bool in_decibels = metric.ends_with("_dB") || metric.ends_with("_dBm") ||
                           metric.find("_dB_") != std::string::npos || metric.find("_dBm_") != std::string::npos;
  return in_decibels || !(low < 0.0) ? low : 0.0;
}

std::string warning_in_row(const ResultsStore::RunWarning& w, const std::string& group) {
  if (group == "all") return w.group + ": " + w.text;
  return w.group == group ? w.text : std::string();
}

PointWarnings point_warnings(const std::vector<ResultsStore::RunWarning>& warnings, const std::string& group) {
  PointWarnings out;
  for (const auto& w : warnings) {
    const std::string text = warning_in_row(w, group);
    if (text.empty()) continue;
    auto& seen = out[w.point];
    const auto f = std::find_if(seen.begin(), seen.end(), [&](const auto& e) { return e.first == text; });
    if (f == seen.end()) {
      seen.emplace_back(text, 1);
    } else {
      ++f->second;  // a run lists a text once
    }
  }
  return out;
}

double ci95_high(const std::string& metric, const MeanCi& ci) {
  const double high = ci.mean + ci.half_width;
  const bool share =
      metric.ends_with("_ratio") || metric.find("probability") != std::string::npos || metric.starts_with("share_");
  const bool percent = metric.find("_percent") != std::string::npos;
  if (share && high > 1.0) return 1.0;
  if (percent && high > 100.0) return 100.0;
  return high;
}

bool points_share_seeds(const std::vector<ResultsStore::RunRow>& runs) {
  std::map<std::uint64_t, std::pair<std::uint64_t, std::size_t>> by_replication;  // → (seed, runs)
  for (const auto& r : runs) {
    const auto [it, fresh] = by_replication.try_emplace(r.replication, r.seed, 0);
    if (!fresh && it->second.first != r.seed) return false;
    ++it->second.second;
  }
  for (const auto& [r, v] : by_replication)
    if (v.second > 1) return true;
  return false;
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
