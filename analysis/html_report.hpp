// Self-contained HTML reports: one file, with its plots embedded as PNG data
// URIs and its styles inline, that opens in any browser without the
// results folder around it.
#pragma once

#include <string>
#include <vector>

#include "results/run_record.hpp"

namespace m2msim::analysis {

class ResultsStore;

/// Writes the plots of a run into `directory` (latency_cdf, battery_life:
/// PNG and SVG) and report.html (summary table, plots, coverage map, the
/// scenario text). Returns the report's path.
std::string write_run_report(const results::RunRecord& r, const std::string& scenario_text,
                             const std::string& directory);

/// A sweep: one plot per metric against the first swept parameter (a curve
/// per combination of the others, with its 95 % confidence band), and
/// report.html with the table of every point. Returns the report's path.
std::string write_sweep_report(const ResultsStore& store, const std::vector<std::string>& metrics,
                               const std::string& group, const std::string& directory);

/// One metric against one parameter (x); stem.png and stem.svg. False
/// without a plotting library.
bool write_sweep_plot(const ResultsStore& store, const std::string& metric, const std::string& x_parameter,
                      const std::string& group, const std::string& stem);

}  // namespace m2msim::analysis
