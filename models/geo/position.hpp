// Positions and areas, in metres, in a flat local frame (x east, y north,
// z up). Scenario areas are kilometres wide, where the Earth's curvature is
// negligible for path loss.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "sim/random.hpp"

namespace m2msim::geo {

struct Position {
  double x_m = 0.0;
  double y_m = 0.0;
  double z_m = 0.0;  ///< height above ground
};

/// Straight-line (3-D) distance.
inline double distance_m(const Position& a, const Position& b) {
  const double dx = a.x_m - b.x_m, dy = a.y_m - b.y_m, dz = a.z_m - b.z_m;
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

struct Rectangle {
  double x0_m = 0.0, y0_m = 0.0;  ///< lower-left corner
  double width_m = 0.0, height_m = 0.0;
};

struct Disc {
  double cx_m = 0.0, cy_m = 0.0;
  double radius_m = 0.0;
};

/// n points uniform in the rectangle, at height z_m.
std::vector<Position> place_uniform(std::size_t n, const Rectangle& r, double z_m, RandomStream& rng);
/// n points uniform (by area) in the disc: radius = R·sqrt(U), angle = 2πU'.
std::vector<Position> place_uniform(std::size_t n, const Disc& d, double z_m, RandomStream& rng);
/// n points on a regular grid filling the rectangle: cols = ceil(sqrt(n·w/h)),
/// rows = ceil(n / cols), each point at the centre of its cell, filled row by
/// row from the lower-left; the last row may be partly empty.
std::vector<Position> place_grid(std::size_t n, const Rectangle& r, double z_m);

/// Sites on a lattice with the given spacing, in the rectangle, row by row
/// from the lower left:
///   square:    (i + ½)·s, (j + ½)·s
///   hexagonal: ((i + ½ + (j mod 2)/2)·s, (j + ½)·s·√3/2), every site at
///              distance s from its six neighbours (the inter-site distance
///              of 3GPP hexagonal layouts, TR 36.942 §4.2 / TR 38.901 §7.8)
/// keeping the points strictly inside the rectangle (and, with `disc`, the
/// disc). At most `limit` points; more is an error the caller reports.
enum class Lattice { Square, Hexagonal };
std::vector<Position> place_lattice(Lattice lattice, double spacing_m, const Rectangle& r, const Disc* disc, double z_m,
                                    std::size_t limit);

}  // namespace m2msim::geo
