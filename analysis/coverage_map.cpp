#include "analysis/coverage_map.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#ifdef M2MSIM_HAVE_MATHGL
#include <mgl2/mgl.h>
#endif

namespace m2msim::analysis {

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

bool write_coverage_png(const results::CoverageMap& m, const std::string& path) {
#ifdef M2MSIM_HAVE_MATHGL
  // Colour scale symmetric about 0 dB so that white is the coverage edge:
  // blue below sensitivity, red above; margins beyond ±30 dB are clipped.
  constexpr double kLow = -30.0, kHigh = 30.0;
  mglData z(static_cast<long>(m.nx), static_cast<long>(m.ny));
  for (std::size_t p = 0; p < m.margin_dB.size(); ++p) {
    z.a[p] = std::clamp(static_cast<double>(m.margin_dB[p]), kLow, kHigh);
  }
  // Axes in km (metres would print as "×10³").
  const double x0 = m.x0_m / 1000.0, y0 = m.y0_m / 1000.0;
  const double x1 = (m.x0_m + static_cast<double>(m.nx - 1) * m.resolution_m) / 1000.0;
  const double y1 = (m.y0_m + static_cast<double>(m.ny - 1) * m.resolution_m) / 1000.0;
  mglGraph gr(0, 1000, 860);
  gr.SetFontSizePT(6);
  gr.SetRanges(x0, std::max(x1, x0 + 0.001), y0, std::max(y1, y0 + 0.001), kLow, kHigh);
  gr.SetRange('c', kLow, kHigh);
  gr.Title(("Best margin above sensitivity (dB), group " + m.group + (m.with_shadowing ? ", with shadowing" : ", median"))
               .c_str(),
           "", -1.4);
  gr.Dens(z, "BbcwyrR");
  gr.Colorbar(">BbcwyrR");
  gr.Axis();
  gr.Label('x', "x (km)", 0);
  gr.Label('y', "y (km)", 0);
  const long n = static_cast<long>(m.gateway_xy_m.size());
  mglData gx(n), gy(n);
  for (long k = 0; k < n; ++k) {
    gx.a[k] = m.gateway_xy_m[static_cast<std::size_t>(k)].first / 1000.0;
    gy.a[k] = m.gateway_xy_m[static_cast<std::size_t>(k)].second / 1000.0;
  }
  gr.Plot(gx, gy, " k^#");
  for (long k = 0; k < n; ++k) {
    gr.Puts(mglPoint(gx.a[k], gy.a[k]), (" " + m.gateway_names[static_cast<std::size_t>(k)]).c_str(), ":kL");
  }
  gr.WritePNG(path.c_str(), "", false);
  return true;
#else
  (void)m;
  (void)path;
  return false;
#endif
}

}  // namespace m2msim::analysis
