#include <gtest/gtest.h>

#include <cmath>

#include "models/geo/position.hpp"

namespace m2msim::geo {
namespace {

TEST(Placement, GridPutsPointsAtCellCentres) {
  // 4 points in 100 m × 100 m: cols = ceil(sqrt(4)) = 2, rows = 2, cells
  // 50 m wide: centres at 25 m and 75 m.
  auto p = place_grid(4, Rectangle{0, 0, 100, 100}, 1.5);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_DOUBLE_EQ(p[0].x_m, 25);
  EXPECT_DOUBLE_EQ(p[0].y_m, 25);
  EXPECT_DOUBLE_EQ(p[3].x_m, 75);
  EXPECT_DOUBLE_EQ(p[3].y_m, 75);
  EXPECT_DOUBLE_EQ(p[3].z_m, 1.5);
  // 6 points in 300 m × 100 m: cols = ceil(sqrt(18)) = 5, rows = 2.
  auto q = place_grid(6, Rectangle{0, 0, 300, 100}, 0);
  EXPECT_DOUBLE_EQ(q[5].x_m, 30);  // second row, first column: (0 + 0.5)·60 m
  EXPECT_DOUBLE_EQ(q[5].y_m, 75);
}

TEST(Placement, HexagonalLatticeByHand) {
  // Spacing 2 km in 4 km × 4 km: rows at (j + ½)·2000·√3/2 = 866.03 m and
  // 2598.08 m (the next, 4330.1 m, is outside); row 0 at x = 1000, 3000 m,
  // row 1 shifted by 1000 m: x = 2000 m (4000 m is on the edge, outside).
  const double h = 2000.0 * std::sqrt(3.0) / 2.0;
  auto p = place_lattice(Lattice::Hexagonal, 2000, Rectangle{0, 0, 4000, 4000}, nullptr, 30, 100);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_DOUBLE_EQ(p[0].x_m, 1000);
  EXPECT_DOUBLE_EQ(p[0].y_m, 0.5 * h);
  EXPECT_DOUBLE_EQ(p[1].x_m, 3000);
  EXPECT_DOUBLE_EQ(p[2].x_m, 2000);
  EXPECT_DOUBLE_EQ(p[2].y_m, 1.5 * h);
  EXPECT_DOUBLE_EQ(p[2].z_m, 30);
  // Every site is one spacing from its neighbours in the other row.
  EXPECT_NEAR(std::hypot(p[2].x_m - p[0].x_m, p[2].y_m - p[0].y_m), 2000, 1e-9);
  EXPECT_NEAR(std::hypot(p[2].x_m - p[1].x_m, p[2].y_m - p[1].y_m), 2000, 1e-9);
}

TEST(Placement, SquareLatticeAndDiscByHand) {
  // Spacing 1 km in 3 km × 2 km: x = 500, 1500, 2500 m in rows y = 500, 1500 m.
  auto sq = place_lattice(Lattice::Square, 1000, Rectangle{0, 0, 3000, 2000}, nullptr, 0, 100);
  ASSERT_EQ(sq.size(), 6u);
  EXPECT_DOUBLE_EQ(sq[4].x_m, 1500);
  EXPECT_DOUBLE_EQ(sq[4].y_m, 1500);
  // A disc of radius 1 km centred at (1 km, 1 km), hexagonal spacing 1 km:
  // rows at 433.0 m and 1299.0 m; (500, 433), (1500, 433) are 756 m from the
  // centre and (1000, 1299) is 299 m: all three inside.
  const Disc d{1000, 1000, 1000};
  auto hex = place_lattice(Lattice::Hexagonal, 1000, Rectangle{0, 0, 2000, 2000}, &d, 0, 100);
  ASSERT_EQ(hex.size(), 3u);
  EXPECT_DOUBLE_EQ(hex[2].x_m, 1000);
  // The limit stops the lattice one point past it, for the caller to refuse.
  EXPECT_EQ(place_lattice(Lattice::Square, 1, Rectangle{0, 0, 1000, 1000}, nullptr, 0, 10).size(), 11u);
}

TEST(Placement, UniformRectangleStaysInsideWithTheRightMean) {
  RandomStream rng(11);
  auto p = place_uniform(100000, Rectangle{100, 200, 1000, 500}, 0, rng);
  double sx = 0, sy = 0;
  for (const auto& q : p) {
    ASSERT_GE(q.x_m, 100);
    ASSERT_LT(q.x_m, 1100);
    ASSERT_GE(q.y_m, 200);
    ASSERT_LT(q.y_m, 700);
    sx += q.x_m;
    sy += q.y_m;
  }
  // Mean of U(a, b) is (a+b)/2; standard error (b−a)/sqrt(12 n): 0.91 m and 0.46 m.
  EXPECT_NEAR(sx / 1e5, 600, 5 * 0.913);
  EXPECT_NEAR(sy / 1e5, 450, 5 * 0.457);
}

TEST(Placement, UniformDiscIsUniformByArea) {
  // Uniform by area: P(r < R/2) = 1/4 (a naive uniform radius would give 1/2).
  RandomStream rng(12);
  const int n = 100000;
  auto p = place_uniform(static_cast<std::size_t>(n), Disc{0, 0, 1000}, 0, rng);
  int inner = 0;
  for (const auto& q : p) {
    const double r = std::hypot(q.x_m, q.y_m);
    ASSERT_LE(r, 1000.0);
    if (r < 500.0) ++inner;
  }
  // Binomial(1e5, 0.25): sd = 137; allow 5 sd.
  EXPECT_NEAR(inner, 25000, 700);
}

TEST(Position, DistanceIsThreeDimensional) { EXPECT_DOUBLE_EQ(distance_m({0, 0, 0}, {3, 4, 12}), 13.0); }

}  // namespace
}  // namespace m2msim::geo
