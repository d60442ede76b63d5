// The LoRa medium's reception rules. Expected outcomes come from the rule's
// arithmetic done by hand beside each case, from ns-3 lorawan's
// InterferenceTest (test/lorawan-test-suite.cc) for the energy rule, and from
// LoRaSim's (Bor et al., MSWiM 2016) capture rule for the pairwise one.
#include "models/lorawan/lora_medium.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace m2msim::lora {
namespace {

using lora::PacketFate;
using I = ReceptionRules::Interference;

const std::int32_t kG0[1] = {0};
const float kSens[2] = {-130.0F, -130.0F};  // every gateway, every SF (ample margin)

// Received powers are kept alive for the medium (it stores pointers only to
// the caller's arrays during begin()).
struct Tx {
  float rx;
  LinkSet links() const { return LinkSet{kG0, &rx, 1}; }
};

std::vector<Channel> one_channel() { return {Channel{868'100'000, 125'000}}; }

ReceptionRules rules(I mode) {
  ReceptionRules r;
  r.interference = mode;
  return r;
}

LoraMedium::Transmission tx(int sf, double start_s, double duration_s, std::uint32_t channel = 0, double lock_s = 0.0) {
  return {channel, sf, Time::from_seconds(start_s), Time::from_seconds(duration_s), Time::from_seconds(lock_s)};
}

// ------------------------------------------------------------------ aloha

TEST(LoraMediumAloha, ALoneTransmissionAboveSensitivityIsDelivered) {
  LoraMedium m({0}, one_channel(), 1, rules(I::Aloha));
  Tx a{-100.0F};
  const auto o = m.end(m.begin(tx(7, 0, 0.1), a.links(), kSens));
  EXPECT_EQ(o.fate, PacketFate::Delivered);
  EXPECT_EQ(o.gateway, 0);
}

TEST(LoraMediumAloha, BelowSensitivityIsLost) {
  LoraMedium m({0}, one_channel(), 1, rules(I::Aloha));
  Tx a{-140.0F};
  EXPECT_EQ(m.end(m.begin(tx(7, 0, 0.1), a.links(), kSens)).fate, PacketFate::BelowSensitivity);
}

TEST(LoraMediumAloha, AnyOverlapOfTheSameSfDestroysBothWhateverThePowers) {
  LoraMedium m({0}, one_channel(), 1, rules(I::Aloha));
  Tx a{-60.0F}, b{-120.0F};  // 60 dB apart: no capture under aloha
  const auto ha = m.begin(tx(9, 0, 0.2), a.links(), kSens);
  const auto hb = m.begin(tx(9, 0.1, 0.2), b.links(), kSens);
  EXPECT_EQ(m.end(ha).fate, PacketFate::Interference);
  EXPECT_EQ(m.end(hb).fate, PacketFate::Interference);
}

TEST(LoraMediumAloha, OtherSfsAndOtherChannelsAreOrthogonal) {
  LoraMedium m({0}, {Channel{868'100'000, 125'000}, Channel{868'300'000, 125'000}}, 1, rules(I::Aloha));
  Tx a{-100.0F};
  const auto h1 = m.begin(tx(7, 0, 0.1), a.links(), kSens);
  const auto h2 = m.begin(tx(8, 0, 0.1), a.links(), kSens);
  const auto h3 = m.begin(tx(7, 0, 0.1, 1), a.links(), kSens);
  EXPECT_EQ(m.end(h1).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(h2).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(h3).fate, PacketFate::Delivered);
}

TEST(LoraMediumAloha, AnInterfererTheGatewayCannotHearDoesNotCollide) {
  LoraMedium m({0}, one_channel(), 1, rules(I::Aloha));
  Tx a{-100.0F}, b{-140.0F};
  const auto ha = m.begin(tx(7, 0, 0.1), a.links(), kSens);
  const auto hb = m.begin(tx(7, 0, 0.1), b.links(), kSens);
  EXPECT_EQ(m.end(hb).fate, PacketFate::BelowSensitivity);
  EXPECT_EQ(m.end(ha).fate, PacketFate::Delivered);
}

TEST(LoraMediumAloha, ASecondGatewayThatHearsOnlyOneTransmissionDeliversIt) {
  LoraMedium m({0, 0}, one_channel(), 2, rules(I::Aloha));
  const std::int32_t both[2] = {0, 1};
  const float a_rx[2] = {-100.0F, -105.0F};  // both gateways hear a
  const float b_rx[2] = {-100.0F, -150.0F};  // only gateway 0 hears b
  const auto ha = m.begin(tx(7, 0, 0.1), LinkSet{both, a_rx, 2}, kSens);
  const auto hb = m.begin(tx(7, 0, 0.1), LinkSet{both, b_rx, 2}, kSens);
  const auto oa = m.end(ha);
  EXPECT_EQ(oa.fate, PacketFate::Delivered);
  EXPECT_EQ(oa.gateway, 1);
  EXPECT_EQ(m.end(hb).fate, PacketFate::Interference);
}

TEST(LoraMediumAloha, ManyOverlapsKeepTheListsConsistent) {
  LoraMedium m({0}, one_channel(), 1, rules(I::Aloha));
  Tx a{-100.0F};
  std::vector<std::uint32_t> h;
  for (int i = 0; i < 50; ++i) h.push_back(m.begin(tx(10, 0, 1), a.links(), kSens));
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(m.end(h[static_cast<std::size_t>((i * 17) % 50)]).fate, PacketFate::Interference);
  EXPECT_EQ(m.in_air(), 0u);
}

// ------------------------------------------------------------------ energy (ns-3)

// ns-3 lorawan InterferenceTest: the desired packet is SF7, 14 dBm, 2 s on
// 868.1 MHz, starting at 0 s with the interferers; Goursaud thresholds.
PacketFate desired_fate(const std::vector<std::pair<LoraMedium::Transmission, float>>& interferers) {
  LoraMedium m({0}, {Channel{868'100'000, 125'000}, Channel{868'300'000, 125'000}}, 1, rules(I::Energy));
  std::vector<Tx> powers;
  powers.reserve(interferers.size() + 1);
  powers.push_back(Tx{14.0F});
  const auto h = m.begin(tx(7, 0, 2), powers.back().links(), kSens);
  for (const auto& [t, p] : interferers) {
    powers.push_back(Tx{p});
    m.begin(t, powers.back().links(), kSens);
  }
  return m.end(h).fate;
}

TEST(LoraMediumEnergy, Ns3InterferenceTestCasesThatSurvive) {
  // SF12 at 14 dBm: 0 dB ≥ T[7][12] = −20 dB.
  EXPECT_EQ(desired_fate({{tx(12, 0, 2), 14.0F}}), PacketFate::Delivered);
  // SF7 at 7 dBm for 2 s: 7 dB ≥ 6 dB.
  EXPECT_EQ(desired_fate({{tx(7, 0, 2), 7.0F}}), PacketFate::Delivered);
  // SF7 at 8 dBm for 1 s: half the energy, 6 + 3.01 = 9.01 dB ≥ 6 dB.
  EXPECT_EQ(desired_fate({{tx(7, 0, 1), 8.0F}}), PacketFate::Delivered);
  // SF7 at 14 dBm on 868.3 MHz: another channel, no interference.
  EXPECT_EQ(desired_fate({{tx(7, 0, 2, 1), 14.0F}}), PacketFate::Delivered);
  // SF10 at 31 dBm: −17 dB ≥ T[7][10] = −19 dB.
  EXPECT_EQ(desired_fate({{tx(10, 0, 2), 31.0F}}), PacketFate::Delivered);
  // SF9 and SF10 at 30 dBm, summed per SF, never across SFs: −16 dB against
  // T[7][9] = −18 and T[7][10] = −19 dB.
  EXPECT_EQ(desired_fate({{tx(9, 0, 2), 30.0F}, {tx(10, 0, 2), 30.0F}}), PacketFate::Delivered);
}

TEST(LoraMediumEnergy, Ns3InterferenceTestCasesThatDestroy) {
  // SF8 at 31 dBm: −17 dB < T[7][8] = −16 dB.
  EXPECT_EQ(desired_fate({{tx(8, 0, 2), 31.0F}}), PacketFate::Interference);
  // Three SF8 at 30 dBm: −16 − 10·log10(3) = −20.77 dB < −16 dB.
  EXPECT_EQ(desired_fate({{tx(8, 0, 2), 30.0F}, {tx(8, 0, 2), 30.0F}, {tx(8, 0, 2), 30.0F}}), PacketFate::Interference);
}

TEST(LoraMediumEnergy, InterferenceAccumulatesOverInterferers) {
  // One SF7 interferer at 5 dBm for the whole 2 s: 9 dB ≥ 6 dB, survives.
  EXPECT_EQ(desired_fate({{tx(7, 0, 2), 5.0F}}), PacketFate::Delivered);
  // Two of them: 9 − 10·log10(2) = 5.99 dB < 6 dB, destroyed; each alone
  // would not have been (the pairwise rule would keep it).
  EXPECT_EQ(desired_fate({{tx(7, 0, 2), 5.0F}, {tx(7, 0, 2), 5.0F}}), PacketFate::Interference);
  // Partial overlap: an SF7 interferer at 12 dBm for 0.5 s of the 2 s:
  // 14 − 12 + 10·log10(2 / 0.5) = 8.02 dB ≥ 6 dB, survives; for 1.5 s:
  // 2 + 1.25 = 3.25 dB < 6 dB, destroyed.
  EXPECT_EQ(desired_fate({{tx(7, 1.5, 0.5), 12.0F}}), PacketFate::Delivered);
  EXPECT_EQ(desired_fate({{tx(7, 0.5, 1.5), 12.0F}}), PacketFate::Interference);
}

// ------------------------------------------------------------------ pairwise (LoRaSim / FLoRa)

TEST(LoraMediumPairwise, CaptureKeepsTheStrongerBySixDecibelsOrMore) {
  // Goursaud co-SF threshold 6 dB (LoRaSim's powerThreshold is 6 dB too).
  ReceptionRules r = rules(I::Pairwise);
  LoraMedium m({0}, one_channel(), 1, r);
  Tx strong{-90.0F}, weak{-96.0F};  // exactly 6 dB apart
  const auto hs = m.begin(tx(9, 0, 0.2), strong.links(), kSens);
  const auto hw = m.begin(tx(9, 0.05, 0.2), weak.links(), kSens);
  EXPECT_EQ(m.end(hs).fate, PacketFate::Delivered);     // 6 dB ≥ 6 dB
  EXPECT_EQ(m.end(hw).fate, PacketFate::Interference);  // −6 dB < 6 dB
  // 5 dB apart: both lost.
  Tx a{-90.0F}, b{-95.0F};
  const auto ha = m.begin(tx(9, 1, 0.2), a.links(), kSens);
  const auto hb = m.begin(tx(9, 1.05, 0.2), b.links(), kSens);
  EXPECT_EQ(m.end(ha).fate, PacketFate::Interference);
  EXPECT_EQ(m.end(hb).fate, PacketFate::Interference);
}

TEST(LoraMediumPairwise, AnInterfererThatEndsBeforeTheLockInstantDoesNoHarm) {
  // LoRaSim: the receiver needs the last 5 of the 8 preamble symbols, so it
  // locks on 3 symbols after the start (SF7/125 kHz: 3 × 1.024 ms).
  ReceptionRules r = rules(I::Pairwise);
  LoraMedium m({0}, one_channel(), 1, r);
  const double lock = 3 * 0.001024;
  Tx old_strong{-80.0F}, fresh{-100.0F};
  // The strong packet ends 1 ms after the fresh one starts (before its lock
  // at 3.072 ms): the fresh one survives; the old one, fully overlapped at
  // its end, is not harmed by a 20 dB weaker packet.
  const auto ho = m.begin(tx(7, 0, 0.051, 0, lock), old_strong.links(), kSens);
  const auto hf = m.begin(tx(7, 0.050, 0.05, 0, lock), fresh.links(), kSens);
  EXPECT_EQ(m.end(ho).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(hf).fate, PacketFate::Delivered);
  // Ending 5 ms after the fresh start (after its lock instant): destroyed.
  const auto ho2 = m.begin(tx(7, 1, 0.055, 0, lock), old_strong.links(), kSens);
  const auto hf2 = m.begin(tx(7, 1.050, 0.05, 0, lock), fresh.links(), kSens);
  EXPECT_EQ(m.end(ho2).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(hf2).fate, PacketFate::Interference);
}

TEST(LoraMediumPairwise, CroceMatrixAndIdealOrthogonality) {
  // Croce et al.: desired SF7 survives an SF8 interferer up to 8 dB
  // stronger (T[7][8] = −8 dB), not 9 dB.
  ReceptionRules r = rules(I::Pairwise);
  r.threshold_dB = croce_isolation();
  LoraMedium m({0}, one_channel(), 1, r);
  Tx d{-100.0F}, i8{-92.0F}, i9{-91.0F};
  auto h = m.begin(tx(7, 0, 0.1), d.links(), kSens);
  m.begin(tx(8, 0, 0.2), i8.links(), kSens);
  EXPECT_EQ(m.end(h).fate, PacketFate::Delivered);
  h = m.begin(tx(7, 1, 0.1), d.links(), kSens);
  m.begin(tx(8, 1, 0.2), i9.links(), kSens);
  EXPECT_EQ(m.end(h).fate, PacketFate::Interference);
  // Ideal orthogonality: another SF, however strong, does no harm.
  ReceptionRules ideal = rules(I::Pairwise);
  ideal.orthogonal = true;
  LoraMedium o({0}, one_channel(), 1, ideal);
  Tx huge{-40.0F};
  const auto ho = o.begin(tx(7, 0, 0.1), d.links(), kSens);
  o.begin(tx(12, 0, 1), huge.links(), kSens);
  EXPECT_EQ(o.end(ho).fate, PacketFate::Delivered);
}

TEST(LoraMedium, OverlappingChannelsInterfereAdjacentOnesDoNot) {
  // 125 kHz channels at 868.100 and 868.150 MHz overlap (50 kHz apart <
  // 125 kHz); at 868.100 and 868.225 MHz they only touch (125 kHz apart).
  LoraMedium m({0}, {Channel{868'100'000, 125'000}, Channel{868'150'000, 125'000}, Channel{868'225'000, 125'000}}, 1,
               rules(I::Aloha));
  Tx a{-100.0F};
  auto h0 = m.begin(tx(7, 0, 0.1, 0), a.links(), kSens);
  auto h1 = m.begin(tx(7, 0, 0.1, 1), a.links(), kSens);
  EXPECT_EQ(m.end(h0).fate, PacketFate::Interference);
  EXPECT_EQ(m.end(h1).fate, PacketFate::Interference);
  h0 = m.begin(tx(7, 1, 0.1, 0), a.links(), kSens);
  auto h2 = m.begin(tx(7, 1, 0.1, 2), a.links(), kSens);
  EXPECT_EQ(m.end(h0).fate, PacketFate::Delivered);
  EXPECT_EQ(m.end(h2).fate, PacketFate::Delivered);
}

TEST(LoraMedium, AGatewayWithAllDemodulatorsBusyLosesThePacket) {
  // Eight paths (SX1301): eight packets on eight different channels are all
  // received; a ninth in the meantime finds no free path. Once one ends,
  // its path is free again.
  std::vector<Channel> ch;
  for (int i = 0; i < 9; ++i) ch.push_back(Channel{867'100'000 + 200'000ULL * static_cast<unsigned>(i), 125'000});
  LoraMedium m({8}, ch, 1, rules(I::Energy));
  Tx a{-100.0F};
  std::vector<std::uint32_t> h;
  for (std::uint32_t i = 0; i < 8; ++i) h.push_back(m.begin(tx(7, 0, 1, i), a.links(), kSens));
  const auto ninth = m.begin(tx(7, 0.5, 1, 8), a.links(), kSens);
  EXPECT_EQ(m.end(ninth).fate, PacketFate::NoDemodulator);
  EXPECT_EQ(m.end(h[0]).fate, PacketFate::Delivered);
  const auto tenth = m.begin(tx(7, 1.1, 1, 0), a.links(), kSens);
  EXPECT_EQ(m.end(tenth).fate, PacketFate::Delivered);
  // A packet the gateway cannot hear takes no path.
  Tx weak{-140.0F};
  const auto w = m.begin(tx(7, 1.2, 1, 8), weak.links(), kSens);
  EXPECT_EQ(m.end(w).fate, PacketFate::BelowSensitivity);
}

TEST(LoraMedium, AGatewaySendingADownlinkCannotReceive) {
  // Half-duplex: gateway 0 transmits during [0.05 s, 0.09 s). An uplink over
  // [0, 0.1 s) overlaps it and is lost there; one over [0.2 s, 0.3 s) is not.
  // A second gateway that hears the first uplink still delivers it.
  LoraMedium m({0, 0}, one_channel(), 2, rules(I::Energy));
  m.gateway_transmits(0, Time::milliseconds(50), Time::milliseconds(90));
  Tx a{-100.0F};
  const auto h = m.begin(tx(7, 0, 0.1), a.links(), kSens);
  EXPECT_EQ(m.end(h).fate, PacketFate::GatewayTransmitting);
  const auto h2 = m.begin(tx(7, 0.2, 0.1), a.links(), kSens);
  EXPECT_EQ(m.end(h2).fate, PacketFate::Delivered);
  const std::int32_t both[2] = {0, 1};
  const float rx[2] = {-90.0F, -110.0F};
  m.gateway_transmits(0, Time::milliseconds(450), Time::milliseconds(470));
  const auto h3 = m.begin(tx(7, 0.4, 0.1), LinkSet{both, rx, 2}, kSens);
  const auto o = m.end(h3);
  EXPECT_EQ(o.fate, PacketFate::Delivered);
  EXPECT_EQ(o.gateway, 1);
}

}  // namespace
}  // namespace m2msim::lora
