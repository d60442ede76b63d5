#include <cmath>
#include <numbers>

#include "models/geo/position.hpp"

namespace m2msim::geo {

std::vector<Position> place_uniform(std::size_t n, const Rectangle& r, double z_m, RandomStream& rng) {
  std::vector<Position> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = r.x0_m + r.width_m * rng.uniform();
    const double y = r.y0_m + r.height_m * rng.uniform();
    out.push_back({x, y, z_m});
  }
  return out;
}

std::vector<Position> place_uniform(std::size_t n, const Disc& d, double z_m, RandomStream& rng) {
  std::vector<Position> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double rho = d.radius_m * std::sqrt(rng.uniform());
    const double phi = 2.0 * std::numbers::pi * rng.uniform();
    out.push_back({d.cx_m + rho * std::cos(phi), d.cy_m + rho * std::sin(phi), z_m});
  }
  return out;
}

std::vector<Position> place_grid(std::size_t n, const Rectangle& r, double z_m) {
  std::vector<Position> out;
  if (n == 0) return out;
  out.reserve(n);
  const double aspect = r.height_m > 0.0 ? r.width_m / r.height_m : 1.0;
  auto cols = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n) * aspect)));
  cols = std::max<std::size_t>(cols, 1);
  const std::size_t rows = (n + cols - 1) / cols;
  const double dx = r.width_m / static_cast<double>(cols);
  const double dy = r.height_m / static_cast<double>(rows);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t row = i / cols, col = i % cols;
    out.push_back({r.x0_m + (static_cast<double>(col) + 0.5) * dx, r.y0_m + (static_cast<double>(row) + 0.5) * dy, z_m});
  }
  return out;
}

}  // namespace m2msim::geo
