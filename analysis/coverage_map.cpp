#include "analysis/coverage_map.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "analysis/plots.hpp"

#ifdef M2MSIM_HAVE_MATHGL
#include <mgl2/mgl.h>
#endif

namespace m2msim::analysis {

std::vector<SiteMark> site_marks(const results::CoverageMap& m) {
  std::vector<SiteMark> marks;
  std::vector<int> more;
  std::map<std::pair<long long, long long>, std::size_t> at_place;
  for (std::size_t k = 0; k < m.gateway_xy_m.size(); ++k) {
    if (k < m.gateway_serves.size() && !m.gateway_serves[k]) continue;
    const auto [x, y] = m.gateway_xy_m[k];
    const auto [at, added] = at_place.try_emplace({std::llround(x), std::llround(y)}, marks.size());
    if (added) {
      marks.push_back({x, y, m.gateway_names[k]});
      more.push_back(0);
    } else {
      ++more[at->second];
    }
  }
  for (std::size_t i = 0; i < marks.size(); ++i)
    if (more[i] > 0) marks[i].label += " +" + std::to_string(more[i]);
  return marks;
}

void write_coverage_csv(const results::CoverageMap& m, std::ostream& out) {
  out << "x_m,y_m,best_gateway,best_rx_dBm,margin_dB,covered\n";
  char buf[160];
  for (std::size_t j = 0; j < m.ny; ++j) {
    for (std::size_t i = 0; i < m.nx; ++i) {
      const std::size_t p = j * m.nx + i;
      std::snprintf(buf, sizeof buf, "%.2f,%.2f,", m.x0_m + static_cast<double>(i) * m.resolution_m,
                    m.y0_m + static_cast<double>(j) * m.resolution_m);
      out << buf << m.gateway_names[m.best[p]];
      std::snprintf(buf, sizeof buf, ",%.2f,%.2f,%s\n", static_cast<double>(m.rx_dBm[p]),
                    static_cast<double>(m.margin_dB[p]), m.margin_dB[p] >= 0.0F ? "true" : "false");
      out << buf;
    }
  }
}

bool can_plot() {
#ifdef M2MSIM_HAVE_MATHGL
  return true;
#else
  return false;
#endif
}

#ifdef M2MSIM_HAVE_MATHGL
namespace {
// Colour scale symmetric about 0 dB so that white is the coverage edge:
// blue below sensitivity, red above; margins beyond ±30 dB are clipped.
constexpr double kLow = -30.0, kHigh = 30.0;

/// The margin, clipped to the colour scale, averaged over blocks of
/// block × block pixels (block = 1: every pixel).
mglData margin_grid(const results::CoverageMap& m, std::size_t block) {
  const std::size_t nx = (m.nx + block - 1) / block, ny = (m.ny + block - 1) / block;
  mglData z(static_cast<long>(nx), static_cast<long>(ny));
  for (std::size_t J = 0; J < ny; ++J) {
    for (std::size_t I = 0; I < nx; ++I) {
      double sum = 0.0;
      std::size_t n = 0;
      for (std::size_t j = J * block; j < std::min(m.ny, (J + 1) * block); ++j) {
        for (std::size_t i = I * block; i < std::min(m.nx, (I + 1) * block); ++i) {
          sum += std::clamp(static_cast<double>(m.margin_dB[j * m.nx + i]), kLow, kHigh);
          ++n;
        }
      }
      z.a[J * nx + I] = sum / static_cast<double>(n);
    }
  }
  return z;
}

/// Draws the map of z (spanning the map's area) with gateways, axes in km
/// (metres would print as "×10³") and the colour bar.
void draw_map(mglGraph& gr, const results::CoverageMap& m, const mglData& z) {
  const double x0 = m.x0_m / 1000.0, y0 = m.y0_m / 1000.0;
  const double x1 = (m.x0_m + static_cast<double>(m.nx - 1) * m.resolution_m) / 1000.0;
  const double y1 = (m.y0_m + static_cast<double>(m.ny - 1) * m.resolution_m) / 1000.0;
  gr.SetFontSizePT(6);
  gr.SetRanges(x0, std::max(x1, x0 + 0.001), y0, std::max(y1, y0 + 0.001), kLow, kHigh);
  gr.SetRange('c', kLow, kHigh);
  gr.Title(
      ("Best margin above sensitivity (dB), group " + m.group + (m.with_shadowing ? ", with shadowing" : ", median"))
          .c_str(),
      "", -1.4);
  gr.Dens(z, "BbcwyrR");
  gr.Colorbar(">BbcwyrR");
  gr.Axis();
  gr.Label('x', "x (km)", 0);
  gr.Label('y', "y (km)", 0);
  // One mark and label per place (site_marks): the sectors of a site would
  // print their names over each other.
  const auto marks = site_marks(m);
  const long n = static_cast<long>(marks.size());
  if (n == 0) return;
  mglData gx(n), gy(n);
  for (long k = 0; k < n; ++k) {
    gx.a[k] = marks[static_cast<std::size_t>(k)].x_m / 1000.0;
    gy.a[k] = marks[static_cast<std::size_t>(k)].y_m / 1000.0;
  }
  gr.Plot(gx, gy, " k^#");
  for (long k = 0; k < n; ++k)
    gr.Puts(mglPoint(gx.a[k], gy.a[k]), (" " + marks[static_cast<std::size_t>(k)].label).c_str(), ":kL");
}
}  // namespace
#endif

namespace {
/// The PNG (every pixel) or the SVG (blocks of pixels, at most kSvgCells a side).
bool write_map(const results::CoverageMap& m, const std::string& path, bool svg) {
#ifdef M2MSIM_HAVE_MATHGL
  const std::size_t block = svg ? std::max<std::size_t>((std::max(m.nx, m.ny) + kSvgCells - 1) / kSvgCells, 1) : 1;
  mglGraph gr(0, 1000, 860);
  draw_map(gr, m, margin_grid(m, block));
  if (svg) {
    gr.WriteSVG(path.c_str());
    strip_svg_creation_date(path);
  } else {
    gr.WritePNG(path.c_str(), "", false);
  }
  return true;
#else
  (void)m;
  (void)path;
  (void)svg;
  return false;
#endif
}
}  // namespace

bool write_coverage_png(const results::CoverageMap& m, const std::string& path) { return write_map(m, path, false); }
bool write_coverage_svg(const results::CoverageMap& m, const std::string& path) { return write_map(m, path, true); }

}  // namespace m2msim::analysis
