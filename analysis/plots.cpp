#include "analysis/plots.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>

#ifdef M2MSIM_HAVE_MATHGL
#include <mgl2/mgl.h>
#endif

namespace m2msim::analysis {

void strip_svg_creation_date(const std::string& path) {
  // MathGL stamps the SVG with the time of writing.
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  const auto at = text.find("<!--CreationDate:");
  if (at == std::string::npos) return;
  const auto end = text.find('\n', at);
  text.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

namespace {
#ifdef M2MSIM_HAVE_MATHGL
const char* kColours[] = {"b", "r", "g", "m", "c", "k", "q", "h"};

/// MathGL reads '_' as a subscript: show it as a space.
std::string text(const std::string& s) {
  std::string o = s;
  for (char& c : o)
    if (c == '_') c = ' ';
  return o;
}

void write_both(mglGraph& gr, const std::string& stem) {
  gr.WritePNG((stem + ".png").c_str(), "", false);
  gr.WriteSVG((stem + ".svg").c_str());
  strip_svg_creation_date(stem + ".svg");
  if (!std::filesystem::exists(stem + ".png") || !std::filesystem::exists(stem + ".svg")) {
    throw std::runtime_error(stem + ".png: cannot write the plot (does the folder exist and is it writable?)");
  }
}

void range_of(const std::vector<double>& v, double& lo, double& hi) {
  for (double x : v) {
    if (!std::isfinite(x)) continue;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
}
#endif
}  // namespace

bool write_curve_plot(const std::string& stem, const std::string& title, const std::string& x_label,
                      const std::string& y_label, const std::vector<CurveSeries>& series) {
#ifdef M2MSIM_HAVE_MATHGL
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const auto& s : series) {
    range_of(s.x, x0, x1);
    range_of(s.low, y0, y1);
    range_of(s.high, y0, y1);
    range_of(s.mean, y0, y1);
  }
  if (!std::isfinite(x0)) x0 = 0, x1 = 1;
  if (!std::isfinite(y0)) y0 = 0, y1 = 1;
  if (x1 <= x0) x1 = x0 + 1;
  // A constant metric (or one constant up to rounding) still gets a
  // visible range around its value.
  const double span = y1 - y0;
  const double pad = span > 1e-9 * std::max(1.0, std::abs(y0)) ? 0.05 * span : std::max(0.05 * std::abs(y0), 1e-3);
  mglGraph gr(0, 900, 600);
  gr.SetFontSizePT(7);
  gr.SetRanges(x0, x1, y0 - pad, y1 + pad);
  gr.Alpha(true);  // the confidence bands are translucent
  gr.SetAlphaDef(0.3);
  gr.Title(text(title).c_str(), "", -1.4);  // smaller than the default (-2), so long titles fit
  gr.Axis();
  gr.Grid("xy", "h;");
  gr.Label('x', text(x_label).c_str(), 0);
  gr.Label('y', text(y_label).c_str(), 0);
  std::size_t k = 0;
  for (const auto& s : series) {
    const auto n = static_cast<long>(s.x.size());
    if (n == 0) continue;
    mglData x(n), m(n), lo(n), hi(n);
    for (long i = 0; i < n; ++i) {
      const auto u = static_cast<std::size_t>(i);
      x.a[i] = s.x[u];
      m.a[i] = s.mean[u];
      lo.a[i] = std::isfinite(s.low[u]) ? s.low[u] : s.mean[u];
      hi.a[i] = std::isfinite(s.high[u]) ? s.high[u] : s.mean[u];
    }
    const std::string c = kColours[k++ % 8];
    gr.Region(x, lo, hi, c.c_str());  // the 95 % confidence band, translucent
    gr.Plot(x, m, (c + "o2").c_str(), ("legend '" + text(s.label) + "'").c_str());
  }
  if (!series.empty()) {
    // The legend goes in the corner where it hides the fewest points (the
    // box spans about half the width and a band of the height).
    const double band = std::min(0.6, 0.08 * static_cast<double>(series.size()) + 0.05);
    const double ylo = y0 - pad, yhi = y1 + pad;
    int best = 3, fewest = std::numeric_limits<int>::max();
    const double corners[4][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    for (int c = 3; c >= 0; --c) {  // top right first: the default on a tie
      int hidden = 0;
      for (const auto& s : series)
        for (std::size_t i = 0; i < s.x.size(); ++i) {
          const double u = (s.x[i] - x0) / (x1 - x0), v = (s.mean[i] - ylo) / (yhi - ylo);
          if (std::abs(u - corners[c][0]) < 0.55 && std::abs(v - corners[c][1]) < band) ++hidden;
        }
      if (hidden < fewest) fewest = hidden, best = c;
    }
    gr.Legend(corners[best][0], corners[best][1], "#");
  }
  write_both(gr, stem);
  return true;
#else
  (void)stem, (void)title, (void)x_label, (void)y_label, (void)series;
  return false;
#endif
}

bool write_cdf_plot(const std::string& stem, const std::string& title, const std::string& x_label,
                    const std::vector<CdfSeries>& series, bool log_x) {
#ifdef M2MSIM_HAVE_MATHGL
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0;
  for (const auto& s : series) range_of(s.sorted, x0, x1);
  if (!std::isfinite(x0)) x0 = 0, x1 = 1;
  // A margin around the data (a sample of one value is one vertical step):
  // on a log axis a factor, so that it does not reach down decades below
  // the data.
  if (log_x && x0 > 0) {
    x0 /= 1.25;
    x1 *= 1.25;
  } else {
    const double span = x1 > x0 ? x1 - x0 : std::max(std::abs(x0) * 0.2, 1e-3);
    x0 -= 0.05 * span;
    x1 += 0.05 * span;
    if (log_x) x0 = x0 > 0 ? x0 : std::max(x1 * 1e-4, 1e-6);
  }
  mglGraph gr(0, 900, 600);
  gr.SetFontSizePT(7);
  gr.SetRanges(x0, x1, 0, 1.02);
  if (log_x) gr.SetFunc("lg(x)", "");
  gr.Title(text(title).c_str(), "", -1.4);  // smaller than the default (-2), so long titles fit
  gr.Axis();
  gr.Grid("xy", "h;");
  gr.Label('x', text(x_label).c_str(), 0);
  gr.Label('y', "share of samples at or below x", 0);
  std::size_t k = 0;
  for (const auto& s : series) {
    // The empirical CDF as a staircase, thinned to at most 2000 steps.
    const std::size_t n = s.sorted.size();
    if (n == 0) continue;
    const std::size_t steps = std::min<std::size_t>(n, 2000);
    mglData x(static_cast<long>(2 * steps + 2)), y(static_cast<long>(2 * steps + 2));
    long q = 0;
    x.a[q] = x0, y.a[q++] = 0.0;
    double prev = 0.0;
    for (std::size_t i = 0; i < steps; ++i) {
      const std::size_t j = steps == n ? i : (i * (n - 1)) / (steps - 1);
      const double f = static_cast<double>(j + 1) / static_cast<double>(n);
      x.a[q] = s.sorted[j], y.a[q++] = prev;
      x.a[q] = s.sorted[j], y.a[q++] = f;
      prev = f;
    }
    x.a[q] = x1, y.a[q++] = prev;
    const std::string c = kColours[k++ % 8];
    gr.Plot(x, y, (c + "2").c_str(), ("legend '" + text(s.label) + "'").c_str());
  }
  gr.Legend(1, 0.3, "#");
  write_both(gr, stem);
  return true;
#else
  (void)stem, (void)title, (void)x_label, (void)series, (void)log_x;
  return false;
#endif
}

bool write_stacked_bar_plot(const std::string& stem, const std::string& title, const std::string& y_label,
                            const std::vector<std::string>& categories, const std::vector<std::string>& parts,
                            const std::vector<std::vector<double>>& values) {
#ifdef M2MSIM_HAVE_MATHGL
  const auto n = static_cast<long>(categories.size());
  const auto m = static_cast<long>(parts.size());
  if (n == 0 || m == 0) return false;
  // MathGL's Bars draws nothing from a single point: one category gets an
  // empty second one beyond the x range.
  const long cols = std::max(n, 2L);
  double top = 0.0;
  mglData x(cols), y(cols, m);
  for (long i = 0; i < cols; ++i) {
    x.a[i] = static_cast<double>(i);
    double sum = 0.0;
    for (long j = 0; j < m; ++j) {
      const double v = i < n ? values[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] : 0.0;
      y.a[i + cols * j] = std::isfinite(v) ? v : 0.0;
      sum += y.a[i + cols * j];
    }
    top = std::max(top, sum);
  }
  mglGraph gr(0, 900, 600);
  gr.SetFontSizePT(7);
  // Room above the bars for the legend.
  gr.SetRanges(-0.7, static_cast<double>(n) - 0.3, 0.0, top > 0.0 ? 1.9 * top : 1.0);
  std::string ticks;
  for (const auto& c : categories) ticks += (ticks.empty() ? "" : "\n") + text(c);
  if (n < cols) ticks += "\n ";
  gr.SetTicksVal('x', x, ticks.c_str());
  gr.Title(text(title).c_str(), "", -1.4);  // smaller than the default (-2), so long titles fit
  gr.Axis();
  gr.Grid("y", "h;");
  gr.Label('y', text(y_label).c_str(), 0);
  std::string colours;
  for (long j = 0; j < m; ++j) {
    colours += kColours[j % 8];
    gr.AddLegend(text(parts[static_cast<std::size_t>(j)]).c_str(), (std::string(kColours[j % 8]) + "s").c_str());
  }
  gr.SetBarWidth(0.6);
  gr.Bars(x, y, ("a" + colours).c_str());
  gr.Legend(1, 1, "#");
  write_both(gr, stem);
  return true;
#else
  (void)stem, (void)title, (void)y_label, (void)categories, (void)parts, (void)values;
  return false;
#endif
}

}  // namespace m2msim::analysis
