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

std::vector<Position> place_lattice(Lattice lattice, double spacing_m, const Rectangle& r, const Disc* disc, double z_m,
                                    std::size_t limit) {
  std::vector<Position> out;
  const double row_step = lattice == Lattice::Hexagonal ? spacing_m * std::sqrt(3.0) / 2.0 : spacing_m;
  for (std::size_t j = 0;; ++j) {
    const double y = r.y0_m + (static_cast<double>(j) + 0.5) * row_step;
    if (y >= r.y0_m + r.height_m) break;
    const double shift = lattice == Lattice::Hexagonal && j % 2 == 1 ? 0.5 : 0.0;
    for (std::size_t i = 0;; ++i) {
      const double x = r.x0_m + (static_cast<double>(i) + 0.5 + shift) * spacing_m;
      if (x >= r.x0_m + r.width_m) break;
      if (disc != nullptr) {
        const double dx = x - disc->cx_m, dy = y - disc->cy_m;
        if (dx * dx + dy * dy >= disc->radius_m * disc->radius_m) continue;
      }
      out.push_back({x, y, z_m});
      if (out.size() > limit) return out;
    }
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
    out.push_back(
        {r.x0_m + (static_cast<double>(col) + 0.5) * dx, r.y0_m + (static_cast<double>(row) + 0.5) * dy, z_m});
  }
  return out;
}

}  // namespace m2msim::geo
