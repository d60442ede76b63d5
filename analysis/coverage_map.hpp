// Coverage map outputs: coverage.csv (every pixel), coverage.png (a heatmap
// of the best margin, gateways marked, colour scale in dB) and coverage.svg
// (the same map as vectors, averaged over blocks of pixels so that it has at
// most kSvgCells cells a side).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "results/run_record.hpp"

namespace m2msim::analysis {

void write_coverage_csv(const results::CoverageMap& m, std::ostream& out);
/// True when the PNG was written; false when m2msim was built without a
/// plotting library (then only coverage.csv is written, and run says so).
bool write_coverage_png(const results::CoverageMap& m, const std::string& path);
/// Cells a side of the SVG map: one vector element per cell, so a 1000 × 1000
/// map as an SVG would be a file of hundreds of megabytes.
inline constexpr std::size_t kSvgCells = 100;
/// The same map as an SVG, the margin averaged over square blocks of pixels
/// (in dB, after clipping to the colour scale) so that no side has more than
/// kSvgCells cells; false without a plotting library.
bool write_coverage_svg(const results::CoverageMap& m, const std::string& path);

/// A mark on the map: one per place (to the metre) of the sites of the mapped
/// group's technology, labelled with the first site's name and, when
/// others share the place (a site's sectors), "+n".
struct SiteMark {
  double x_m = 0, y_m = 0;
  std::string label;
};
[[nodiscard]] std::vector<SiteMark> site_marks(const results::CoverageMap& m);
[[nodiscard]] bool can_plot();

}  // namespace m2msim::analysis
