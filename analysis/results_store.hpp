// The results store of a sweep: an SQLite database (docs/sweeps.md gives the
// schema). Every finished run is written in its own transaction, so a sweep
// killed at any moment keeps every run it finished, and running the same
// sweep again skips them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/run_record.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace m2msim::analysis {

class StoreError : public std::runtime_error {
 public:
  explicit StoreError(const std::string& m, int sqlite_code = 0) : std::runtime_error(m), code_(sqlite_code) {}
  /// The SQLite result code behind it (0: none).
  [[nodiscard]] int sqlite_code() const { return code_; }

 private:
  int code_;
};

/// The schema version this m2msim writes. It also reads versions 1 to 3,
/// and converts such a database to this version before writing to it.
inline constexpr int kStoreSchemaVersion = 4;

/// One metric of one group of one run, as stored.
struct StoredMetric {
  std::string group;
  std::string metric;
  double value;
};

/// The metrics of a run record, by group ("all" and each group): the
/// summary's numbers and its fate counts ("fate_<name>"); and by
/// technology of its sites ("gateways.<technology>"): each site column's
/// largest and mean value over the technology's sites ("<column>_max",
/// "<column>_mean").
std::vector<StoredMetric> metrics_of(const results::RunRecord& r);

/// One warning of one group of a run, as stored: the summary's "warning:"
/// lines under the group's battery life (the engine's and its technology's:
/// a pulse rating exceeded, interference that did not settle, ...), which a
/// sweep's tables and report must carry as a single run's summary does.
struct StoredWarning {
  std::string group;
  std::string text;
};

/// The summary warnings of a run record, by group in the record's order.
std::vector<StoredWarning> warnings_of(const results::RunRecord& r);

class ResultsStore {
 public:
  /// Opens (or creates) `path`. A database of schema version 1, 2 or 3 is
  /// read as it is (begin_sweep converts it); one of another version, or not
  /// written by m2msim at all, is a StoreError with a clear message.
  /// `read_only`: the database must exist (results, export, plot, report).
  /// A read-only open checks the sweep's tables before anything is read
  /// (parameters, points, runs: their types and that every run's point
  /// exists): a damaged database is a StoreError naming what is wrong,
  /// never a crash. A database locked by another process is read without
  /// locking, with notice() saying what that leaves out.
  explicit ResultsStore(const std::string& path, bool read_only = false);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  /// Records the sweep this database holds (its fingerprint, scenario and
  /// parameters). A database that already holds a different sweep is a
  /// StoreError (resume only the same sweep).
  void begin_sweep(const std::string& fingerprint, const std::string& scenario_file, const std::string& scenario_text,
                   const std::vector<std::string>& parameters, const std::vector<std::vector<std::string>>& points);
  /// (point, replication) pairs already finished.
  [[nodiscard]] std::vector<std::pair<std::uint64_t, std::uint64_t>> finished_runs() const;
  /// Writes one finished run in its own transaction (points below 2^31,
  /// replications below 2^32).
  void add_run(std::uint64_t point, std::uint64_t replication, std::uint64_t seed, double wall_s, std::uint64_t events,
               const std::vector<StoredMetric>& metrics, const std::vector<StoredWarning>& warnings = {});

  /// For the user, after a read-only open: what reading this database left
  /// out or assumed (empty: nothing).
  [[nodiscard]] const std::string& notice() const { return notice_; }

  // ---- reading (m2msim results / export)
  [[nodiscard]] std::vector<std::string> parameters() const;
  /// [point] → parameter values.
  [[nodiscard]] std::vector<std::vector<std::string>> points() const;
  struct RunRow {
    std::uint64_t point, replication, seed;
    double wall_s;
    std::uint64_t events;
  };
  [[nodiscard]] std::vector<RunRow> runs() const;
  /// Every stored value of one metric of one group: [point] → values over replications.
  [[nodiscard]] std::map<std::uint64_t, std::vector<double>> values(const std::string& group,
                                                                    const std::string& metric) const;
  /// The same by replication: [point][replication] → value (for paired comparisons of points).
  [[nodiscard]] std::map<std::uint64_t, std::map<std::uint64_t, double>> values_by_replication(
      const std::string& group, const std::string& metric) const;
  /// All (group, metric) names present. Version 3: the names of the first
  /// run (by point, then replication) in the order it listed them ("all"
  /// first, then its groups), then each name another run adds, in the order
  /// of the first run that has it. Versions 1 and 2, read as they are: in
  /// the order the names were first written.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> metric_names() const;
  /// Every stored value of run (point, replication): (group, metric) → value.
  [[nodiscard]] std::map<std::pair<std::string, std::string>, double> run_metrics(std::uint64_t point,
                                                                                  std::uint64_t replication) const;
  [[nodiscard]] std::string meta(const std::string& key) const;
  struct RunWarning {
    std::uint64_t point, replication;
    std::string group, text;
  };
  /// Every stored warning, by point, replication, then as the run listed them.
  [[nodiscard]] std::vector<RunWarning> warnings() const;
  /// How many of the runs were written before the store kept warnings
  /// (schema versions 1 to 3): their warnings are not known.
  [[nodiscard]] std::uint64_t runs_without_warnings() const;
  /// The schema version this database had, if begin_sweep converted it
  /// (1 to 3), else 0.
  [[nodiscard]] int migrated_from() const { return migrated_from_; }

 private:
  void open(bool read_only);
  /// A StoreError for the last SQLite failure, by its kind.
  [[nodiscard]] StoreError failure(const std::string& doing) const;
  /// The read-only commands' checks of a database's sweep tables.
  void validate() const;
  void close() noexcept;
  void exec(const std::string& sql) const;
  void migrate();
  void rollback() const;
  /// Calls f(point, replication, value) for every stored value of one metric of one group, in the runs' order.
  void each_value(const std::string& group, const std::string& metric,
                  const std::function<void(std::uint64_t, std::uint64_t, double)>& f) const;
  void prepare(sqlite3_stmt*& st, const char* sql);
  void step_done(sqlite3_stmt* st);
  std::int64_t layout_of(const std::vector<StoredMetric>& metrics);
  const std::string& encode(const std::vector<StoredMetric>& metrics);
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_run_ = nullptr;  ///< prepared once: a sweep writes many runs
  sqlite3_stmt* insert_layout_ = nullptr;
  sqlite3_stmt* insert_warning_ = nullptr;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  std::string path_;
  int schema_ = kStoreSchemaVersion;  ///< of the database as it is now
  int migrated_from_ = 0;
  /// The layouts (lists of (group, metric)) by id, as far as read or written.
  std::vector<std::vector<std::pair<std::string, std::string>>> layouts_;
  std::size_t last_layout_ = 0;
  std::string vals_;  ///< the run being written, as JSON (kept: no allocation per run)
  std::string notice_;
};

/// How a stored warning reads in `group`'s row: its text in its own group's,
/// "<group>: <text>" in `all`'s, empty (not shown) in any other.
std::string warning_in_row(const ResultsStore::RunWarning& w, const std::string& group);

/// One group's warnings by point: each distinct text, in the order first
/// given, and how many of the point's runs gave it. For `all`, every
/// group's, each after its group's name ("meters: ...").
using PointWarnings = std::map<std::uint64_t, std::vector<std::pair<std::string, std::size_t>>>;
PointWarnings point_warnings(const std::vector<ResultsStore::RunWarning>& warnings, const std::string& group);

/// Whether the runs of different points share their seeds replication by
/// replication (sweep.common_random_numbers): every replication's runs have
/// one seed, and some replication has runs of two points or more.
bool points_share_seeds(const std::vector<ResultsStore::RunRow>& runs);

/// Mean and two-sided 95 % confidence interval of the mean (Student t with
/// n − 1 degrees of freedom); half-width NaN for fewer than 2 values.
struct MeanCi {
  std::size_t n = 0;
  double mean = 0.0, sd = 0.0, half_width = 0.0;
};
MeanCi mean_ci95(const std::vector<double>& values);

/// The interval's low end as written and drawn: mean − half-width, but not
/// below 0 for a metric that cannot be negative (a count, ratio, time or
/// battery life; every metric but those in dB or dBm), where the symmetric
/// Student interval of a small count would reach below 0.
double ci95_low(const std::string& metric, const MeanCi& ci);

/// The interval's high end as written and drawn: mean + half-width, but not
/// above 1 for a ratio or share (a metric named *_ratio, *probability* or
/// share_*) or above 100 for a percentage (*_percent*), which no run can
/// exceed (three delivery ratios of 0.99, 1 and 1 would reach 1.011).
double ci95_high(const std::string& metric, const MeanCi& ci);

}  // namespace m2msim::analysis
