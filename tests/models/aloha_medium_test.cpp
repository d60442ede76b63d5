#include "models/lora/aloha_medium.hpp"

#include <gtest/gtest.h>

namespace m2msim::lora {
namespace {

using metrics::PacketFate;

// One gateway with a flat −130 dBm sensitivity unless stated otherwise.
const float kSens1[1] = {-130.0F};
const std::int32_t kGateway0[1] = {0};
const float kStrongRx[1] = {-100.0F};
const float kStrong2Rx[1] = {-110.0F};
const float kWeakRx[1] = {-140.0F};
const LinkSet kStrong{kGateway0, kStrongRx, 1};
const LinkSet kStrong2{kGateway0, kStrong2Rx, 1};
const LinkSet kWeak{kGateway0, kWeakRx, 1};

TEST(AlohaMedium, ALoneTransmissionAboveSensitivityIsDelivered) {
  AlohaMedium m(1, 1, 1);
  const auto h = m.begin(0, 7, kStrong, kSens1);
  const auto o = m.end(h);
  EXPECT_EQ(o.fate, PacketFate::Delivered);
  EXPECT_EQ(o.gateway, 0);
}

TEST(AlohaMedium, BelowSensitivityIsLost) {
  AlohaMedium m(1, 1, 1);
  EXPECT_EQ(m.end(m.begin(0, 7, kWeak, kSens1)).fate, PacketFate::BelowSensitivity);
}

TEST(AlohaMedium, OverlappingSameChannelSameSfDestroysBoth) {
  AlohaMedium m(1, 1, 1);
  const auto a = m.begin(0, 9, kStrong, kSens1);
  const auto b = m.begin(0, 9, kStrong2, kSens1);
  EXPECT_EQ(m.end(a).fate, PacketFate::Interference);
  EXPECT_EQ(m.end(b).fate, PacketFate::Interference);  // pure ALOHA: no capture
}

TEST(AlohaMedium, OtherSpreadingFactorsAndChannelsAreOrthogonal) {
  AlohaMedium m(1, 2, 1);
  const auto a = m.begin(0, 7, kStrong, kSens1);
  const auto b = m.begin(0, 8, kStrong, kSens1);
  const auto c = m.begin(1, 7, kStrong, kSens1);
  EXPECT_EQ(m.end(a).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(b).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(c).fate, PacketFate::Delivered);
}

TEST(AlohaMedium, AnInterfererTheGatewayCannotHearDoesNotCollide) {
  AlohaMedium m(1, 1, 1);
  const auto a = m.begin(0, 7, kStrong, kSens1);
  const auto b = m.begin(0, 7, kWeak, kSens1);
  EXPECT_EQ(m.end(b).fate, PacketFate::BelowSensitivity);
  EXPECT_EQ(m.end(a).fate, PacketFate::Delivered);
}

TEST(AlohaMedium, SequentialTransmissionsDoNotCollide) {
  AlohaMedium m(1, 1, 1);
  EXPECT_EQ(m.end(m.begin(0, 7, kStrong, kSens1)).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(m.begin(0, 7, kStrong, kSens1)).fate, PacketFate::Delivered);
  EXPECT_EQ(m.in_air(), 0u);
}

TEST(AlohaMedium, ASecondGatewayThatHearsOnlyOneTransmissionDeliversIt) {
  AlohaMedium m(2, 1, 2);
  const float sens[2] = {-130.0F, -130.0F};
  const std::int32_t both[2] = {0, 1};
  const float a_rx[2] = {-100.0F, -105.0F};  // both gateways hear a
  const float b_rx[2] = {-100.0F, -150.0F};  // only gateway 0 hears b
  const auto a = m.begin(0, 7, LinkSet{both, a_rx, 2}, sens);
  const auto b = m.begin(0, 7, LinkSet{both, b_rx, 2}, sens);
  const auto oa = m.end(a);
  EXPECT_EQ(oa.fate, PacketFate::Delivered);
  EXPECT_EQ(oa.gateway, 1);
  EXPECT_EQ(m.end(b).fate, PacketFate::Interference);
}

TEST(AlohaMedium, ALinkLeftOutOfTheBudgetIsUnheard) {
  // Gateway 1 is absent from b's links (beyond the range cut-off): b cannot
  // collide with a there, so a is delivered by gateway 1 and b is lost at 0.
  AlohaMedium m(2, 1, 2);
  const float sens[2] = {-130.0F, -130.0F};
  const std::int32_t both[2] = {0, 1};
  const float a_rx[2] = {-100.0F, -120.0F};
  const auto a = m.begin(0, 8, LinkSet{both, a_rx, 2}, sens);
  const auto b = m.begin(0, 8, kStrong, sens);
  const auto ob = m.end(b);
  EXPECT_EQ(ob.fate, PacketFate::Interference);
  const auto oa = m.end(a);
  EXPECT_EQ(oa.fate, PacketFate::Delivered);
  EXPECT_EQ(oa.gateway, 1);
}

TEST(AlohaMedium, ManyOverlapsKeepBucketsConsistent) {
  // Start 50 transmissions, end them in a scrambled order: every one overlapped
  // every other, so all are lost and the medium ends empty.
  AlohaMedium m(1, 1, 1);
  std::vector<std::uint32_t> h;
  for (int i = 0; i < 50; ++i) h.push_back(m.begin(0, 10, kStrong, kSens1));
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(m.end(h[static_cast<std::size_t>((i * 17) % 50)]).fate, PacketFate::Interference);
  }
  EXPECT_EQ(m.in_air(), 0u);
}

}  // namespace
}  // namespace m2msim::lora
