#include "models/propagation/link_budget.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace m2msim::propagation {
namespace {

// A synthetic budget: device d at x = 100·d m, gateways at x = 0, 1000,
// 2000 m; a link is kept when the distance is at most 450 m (a stand-in for
// the range cut-off). Received power = −(distance in m) / 10, median = that
// minus 1 (distinct values, so a mix-up between the arrays shows).
constexpr std::size_t kDevices = 25, kGateways = 3;
auto links_of = [](std::size_t d, LinkBudget::RowWriter& out) {
  for (std::size_t k = 0; k < kGateways; ++k) {
    const double dist = std::abs(100.0 * static_cast<double>(d) - 1000.0 * static_cast<double>(k));
    if (dist <= 450.0) out.add(k, static_cast<float>(-dist / 10.0), static_cast<float>(-dist / 10.0 - 1.0));
  }
};

TEST(LinkBudget, KeepsExactlyTheLinksWithinTheCutOffInGatewayOrder) {
  const auto b = LinkBudget::build(kDevices, kGateways, 2, links_of);
  EXPECT_EQ(b.devices(), kDevices);
  EXPECT_EQ(b.gateways(), kGateways);
  // Gateway 0 keeps d = 0..4, gateway 1 d = 6..14, gateway 2 d = 16..24;
  // d = 5 and d = 15 are 500 m from both neighbours, so they have no link.
  EXPECT_EQ(b.links(), 5u + 9u + 9u);
  EXPECT_EQ(b.max_links_per_device(), 1u);
  EXPECT_TRUE(b.gateways_of(5).empty());
  EXPECT_TRUE(b.gateways_of(15).empty());
  ASSERT_EQ(b.gateways_of(12).size(), 1u);
  EXPECT_EQ(b.gateways_of(12)[0], 1);
  EXPECT_FLOAT_EQ(b.rx_of(12)[0], -20.0F);  // 200 m from gateway 1
  EXPECT_FLOAT_EQ(b.median_of(12)[0], -21.0F);
  // The Eigen view agrees: stored coefficient and an absent one (zero).
  EXPECT_FLOAT_EQ(b.rx_dBm().coeff(12, 1), -20.0F);
  EXPECT_EQ(b.rx_dBm().coeff(12, 0), 0.0F);
  EXPECT_EQ(b.rx_dBm().nonZeros(), 23);
}

TEST(LinkBudget, SeveralLinksPerDeviceStayInAscendingGatewayOrder) {
  auto wide = [](std::size_t d, LinkBudget::RowWriter& out) {
    for (std::size_t k = 0; k < 4; ++k)
      if ((d + k) % 2 == 0 || k == 3) out.add(k, static_cast<float>(k), static_cast<float>(d));
  };
  const auto b = LinkBudget::build(6, 4, 2, wide);
  EXPECT_EQ(b.max_links_per_device(), 3u);  // even d: gateways 0, 2, 3
  const auto g = b.gateways_of(4);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0], 0);
  EXPECT_EQ(g[1], 2);
  EXPECT_EQ(g[2], 3);
  const auto g1 = b.gateways_of(1);  // odd d: gateways 1, 3
  ASSERT_EQ(g1.size(), 2u);
  EXPECT_EQ(g1[0], 1);
  EXPECT_EQ(g1[1], 3);
}

TEST(LinkBudget, DoesNotDependOnTheThreadCount) {
  const auto one = LinkBudget::build(kDevices, kGateways, 1, links_of);
  for (unsigned threads : {2u, 3u, 7u, 40u}) {
    const auto b = LinkBudget::build(kDevices, kGateways, threads, links_of);
    ASSERT_EQ(b.links(), one.links()) << threads;
    for (std::size_t d = 0; d < kDevices; ++d) {
      ASSERT_EQ(b.gateways_of(d).size(), one.gateways_of(d).size());
      for (std::size_t i = 0; i < b.gateways_of(d).size(); ++i) {
        EXPECT_EQ(b.gateways_of(d)[i], one.gateways_of(d)[i]);
        EXPECT_EQ(b.rx_of(d)[i], one.rx_of(d)[i]);
        EXPECT_EQ(b.median_of(d)[i], one.median_of(d)[i]);
      }
    }
  }
}

}  // namespace
}  // namespace m2msim::propagation
