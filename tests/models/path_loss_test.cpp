#include "models/propagation/path_loss.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace m2msim::propagation {
namespace {

TEST(FreeSpace, MatchesFriisByHand) {
  // 20·log10(4π · 1000 m · 868.1e6 Hz / 299 792 458 m/s)
  //   = 20·log10(36 387.7) = 91.219 dB
  EXPECT_NEAR(free_space_loss_db(1000.0, 868.1e6), 91.219, 0.001);
  // Doubling the distance adds 20·log10(2) = 6.0206 dB.
  EXPECT_NEAR(free_space_loss_db(2000.0, 868.1e6) - free_space_loss_db(1000.0, 868.1e6), 6.0206, 1e-4);
  // At 1 m and 868.1 MHz: 31.219 dB (the quick-start reference loss).
  EXPECT_NEAR(free_space_loss_db(1.0, 868.1e6), 31.219, 0.001);
}

TEST(LogDistance, MatchesTheFormulaByHand) {
  // Bor et al. (MSWiM 2016) parameters: d0 = 40 m, PL(d0) = 127.41 dB, n = 2.08.
  // At 400 m: 127.41 + 10·2.08·log10(10) = 148.21 dB.
  LogDistanceLoss m(40.0, 127.41, 2.08);
  EXPECT_NEAR(m.loss_db(400.0), 148.21, 1e-9);
  // At 1 km: 127.41 + 20.8·log10(25) = 127.41 + 20.8·1.397940 = 156.48715 dB.
  EXPECT_NEAR(m.loss_db(1000.0), 156.48715, 1e-4);
}

TEST(LogDistance, IsFlatInsideTheReferenceDistance) {
  LogDistanceLoss m(40.0, 127.41, 2.08);
  EXPECT_DOUBLE_EQ(m.loss_db(10.0), 127.41);
  EXPECT_DOUBLE_EQ(m.loss_db(0.0), 127.41);
}

TEST(LogDistance, CanFollowTheFormulaInsideTheReferenceDistance) {
  // As LoRaSim's loraDir.py computes it (Lpl = Lpld0 + 10·gamma·log10(d/d0)
  // at every d): 127.41 + 20.8·log10(20/40) = 127.41 − 6.261424 = 121.148576 dB.
  LogDistanceLoss m(40.0, 127.41, 2.08, true);
  EXPECT_NEAR(m.loss_db(20.0), 121.148576, 1e-6);
  EXPECT_DOUBLE_EQ(m.loss_db(80.0), LogDistanceLoss(40.0, 127.41, 2.08).loss_db(80.0));
}

}  // namespace
}  // namespace m2msim::propagation
