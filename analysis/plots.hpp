// Plots (MathGL, from Debian's libmgl-dev): curves with confidence bands and
// cumulative distributions, each written as PNG and SVG.
#pragma once

#include <string>
#include <vector>

namespace m2msim::analysis {

/// One curve of a metric against a swept parameter: mean and the 95 %
/// confidence interval at each x.
struct CurveSeries {
  std::string label;
  std::vector<double> x, mean, low, high;
};
/// Writes stem.png and stem.svg; false without a plotting library.
bool write_curve_plot(const std::string& stem, const std::string& title, const std::string& x_label,
                      const std::string& y_label, const std::vector<CurveSeries>& series);

/// One empirical CDF: the sorted sample.
struct CdfSeries {
  std::string label;
  std::vector<double> sorted;
};
bool write_cdf_plot(const std::string& stem, const std::string& title, const std::string& x_label,
                    const std::vector<CdfSeries>& series, bool log_x = false);

/// Stacked bars: one bar per category (a device group), stacked by part.
/// values[category][part]; parts and categories name the legend and the
/// ticks.
bool write_stacked_bar_plot(const std::string& stem, const std::string& title, const std::string& y_label,
                            const std::vector<std::string>& categories, const std::vector<std::string>& parts,
                            const std::vector<std::vector<double>>& values);

/// Removes the creation time MathGL writes into an SVG file, so that the
/// same results give byte-identical files.
void strip_svg_creation_date(const std::string& path);

}  // namespace m2msim::analysis
