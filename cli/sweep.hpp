// m2msim sweep / results / export: the experiment layer of the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/results_store.hpp"

namespace m2msim::cli {

struct SweepArgs {
  std::string file;
  std::vector<std::string> sets;
  std::string db;              ///< default: results/<scenario name>/sweep.db
  unsigned jobs = 0;           ///< 0: every core
  long long replications = 0;  ///< 0: the file's (or 1)
  bool quiet = false;
  std::string engine = "native";  ///< a name from engine::engines()
  std::string max_memory;         ///< a size with its unit; empty: the memory available
};
/// Runs (or resumes) a sweep. Returns the process exit code.
int run_sweep(const SweepArgs& args);

/// Prints the table of metrics per point (mean and 95 % CI over replications); with `paired_with`, each point's
/// difference from that point, replication by replication (mean and 95 % CI of the paired differences).
int show_results(const std::string& db, const std::vector<std::string>& metrics, const std::string& group,
                 std::optional<std::uint64_t> paired_with = std::nullopt);

/// The error for a metric the database has no value of for `group`: the
/// groups it has when the group is not one of them, else the group's metrics.
std::string missing_metric_error(const analysis::ResultsStore& store, const std::string& db, const std::string& group,
                                 const std::string& metric);

/// Writes runs.csv (one row per run and group) and points.csv (one row per
/// point and group) into `directory`.
int export_csv(const std::string& db, const std::string& directory);

}  // namespace m2msim::cli
