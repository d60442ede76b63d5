#include "models/cellular/ltem_phy.hpp"

namespace m2msim::cellular::ltem {

namespace {

// TS 36.213 Table 7.1.7.2.1-1, N_PRB = 1..6, I_TBS = 0..14 (bits). The
// table's 328 at (6, 1) breaks its monotony (one would expect 88) but is
// what the standard states, and what srsRAN's table, generated from it, has.
constexpr std::array<std::array<int, 6>, 15> kTbs{{
    {16, 32, 56, 88, 120, 152},
    {24, 56, 88, 144, 176, 208},
    {32, 72, 144, 176, 208, 256},
    {40, 104, 176, 208, 256, 328},
    {56, 120, 208, 256, 328, 408},
    {72, 144, 224, 328, 424, 504},
    {328, 176, 256, 392, 504, 600},
    {104, 224, 328, 472, 584, 712},
    {120, 256, 392, 536, 680, 808},
    {136, 296, 456, 616, 776, 936},
    {144, 328, 504, 680, 872, 1032},
    {176, 376, 584, 776, 1000, 1192},
    {208, 440, 680, 904, 1128, 1352},
    {224, 488, 744, 1000, 1256, 1544},
    {256, 552, 840, 1128, 1416, 1736},
}};

}  // namespace

int tbs_bits(int itbs, int prbs) {
  if (itbs < 0 || itbs >= static_cast<int>(kTbs.size()) || prbs < 1 || prbs > kNarrowbandPrbs) return 0;
  const int v = kTbs[static_cast<std::size_t>(itbs)][static_cast<std::size_t>(prbs - 1)];
  return v <= kMaxTbsBits ? v : 0;
}

std::optional<int> prbs_for(int itbs, int bits, int max_prbs) {
  for (int n = 1; n <= max_prbs; ++n) {
    const int v = tbs_bits(itbs, n);
    if (v >= bits) return n;
  }
  return std::nullopt;
}

Segmentation segments(int itbs, int cap, int bits) {
  // The largest block the cap and the category allow.
  while (cap > 1 && tbs_bits(itbs, cap) == 0) --cap;
  const int block = tbs_bits(itbs, cap);
  Segmentation g;
  if (block <= 0) return g;
  g.full_prbs = cap;
  g.full = bits / block;
  const int rest = bits - g.full * block;
  if (rest > 0) g.tail_prbs = *prbs_for(itbs, rest, cap);
  if (g.full == 0 && rest == 0) g.tail_prbs = *prbs_for(itbs, 0, cap);  // an empty message still takes a block
  return g;
}

Time block_duration(int repetitions) { return Time::milliseconds(repetitions); }

Time preamble_span(int repetitions) { return kPrachInterval * (repetitions - 1) + kPreambleSubframe; }

}  // namespace m2msim::cellular::ltem
