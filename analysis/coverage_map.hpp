// Coverage map outputs: coverage.csv (every pixel) and coverage.png (a
// heatmap of the best margin, gateways marked, colour scale in dB).
#pragma once

#include <ostream>
#include <string>

#include "analysis/run_record.hpp"

namespace m2msim::analysis {

void write_coverage_csv(const results::CoverageMap& m, std::ostream& out);
/// True when the PNG was written; false when m2msim was built without a
/// plotting library (then only coverage.csv is written, and run says so).
bool write_coverage_png(const results::CoverageMap& m, const std::string& path);
[[nodiscard]] bool can_plot();

}  // namespace m2msim::analysis
