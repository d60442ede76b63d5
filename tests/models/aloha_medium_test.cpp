#include "models/lora/aloha_medium.hpp"

#include <gtest/gtest.h>

namespace m2msim::lora {
namespace {

using metrics::PacketFate;

// One gateway with a flat −130 dBm sensitivity unless stated otherwise.
const float kSens1[1] = {-130.0F};
const float kStrong[1] = {-100.0F};
const float kStrong2[1] = {-110.0F};
const float kWeak[1] = {-140.0F};

TEST(AlohaMedium, ALoneTransmissionAboveSensitivityIsDelivered) {
  AlohaMedium m(1, 1);
  const auto h = m.begin(0, 7, kStrong, kSens1);
  const auto o = m.end(h);
  EXPECT_EQ(o.fate, PacketFate::Delivered);
  EXPECT_EQ(o.gateway, 0);
}

TEST(AlohaMedium, BelowSensitivityIsLost) {
  AlohaMedium m(1, 1);
  EXPECT_EQ(m.end(m.begin(0, 7, kWeak, kSens1)).fate, PacketFate::BelowSensitivity);
}

TEST(AlohaMedium, OverlappingSameChannelSameSfDestroysBoth) {
  AlohaMedium m(1, 1);
  const auto a = m.begin(0, 9, kStrong, kSens1);
  const auto b = m.begin(0, 9, kStrong2, kSens1);
  EXPECT_EQ(m.end(a).fate, PacketFate::Interference);
  EXPECT_EQ(m.end(b).fate, PacketFate::Interference);  // pure ALOHA: no capture
}

TEST(AlohaMedium, OtherSpreadingFactorsAndChannelsAreOrthogonal) {
  AlohaMedium m(1, 2);
  const auto a = m.begin(0, 7, kStrong, kSens1);
  const auto b = m.begin(0, 8, kStrong, kSens1);
  const auto c = m.begin(1, 7, kStrong, kSens1);
  EXPECT_EQ(m.end(a).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(b).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(c).fate, PacketFate::Delivered);
}

TEST(AlohaMedium, AnInterfererTheGatewayCannotHearDoesNotCollide) {
  AlohaMedium m(1, 1);
  const auto a = m.begin(0, 7, kStrong, kSens1);
  const auto b = m.begin(0, 7, kWeak, kSens1);
  EXPECT_EQ(m.end(b).fate, PacketFate::BelowSensitivity);
  EXPECT_EQ(m.end(a).fate, PacketFate::Delivered);
}

TEST(AlohaMedium, SequentialTransmissionsDoNotCollide) {
  AlohaMedium m(1, 1);
  EXPECT_EQ(m.end(m.begin(0, 7, kStrong, kSens1)).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(m.begin(0, 7, kStrong, kSens1)).fate, PacketFate::Delivered);
  EXPECT_EQ(m.in_air(), 0u);
}

TEST(AlohaMedium, ASecondGatewayThatHearsOnlyOneTransmissionDeliversIt) {
  AlohaMedium m(2, 1);
  const float sens[2] = {-130.0F, -130.0F};
  const float a_rx[2] = {-100.0F, -105.0F};  // both gateways hear a
  const float b_rx[2] = {-100.0F, -150.0F};  // only gateway 0 hears b
  const auto a = m.begin(0, 7, a_rx, sens);
  const auto b = m.begin(0, 7, b_rx, sens);
  const auto oa = m.end(a);
  EXPECT_EQ(oa.fate, PacketFate::Delivered);
  EXPECT_EQ(oa.gateway, 1);
  EXPECT_EQ(m.end(b).fate, PacketFate::Interference);
}

TEST(AlohaMedium, ManyOverlapsKeepBucketsConsistent) {
  // Start 50 transmissions, end them in a scrambled order: every one overlapped
  // every other, so all are lost and the medium ends empty.
  AlohaMedium m(1, 1);
  std::vector<std::uint32_t> h;
  for (int i = 0; i < 50; ++i) h.push_back(m.begin(0, 10, kStrong, kSens1));
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(m.end(h[static_cast<std::size_t>((i * 17) % 50)]).fate, PacketFate::Interference);
  }
  EXPECT_EQ(m.in_air(), 0u);
}

}  // namespace
}  // namespace m2msim::lora
