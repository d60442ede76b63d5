#include "models/cellular/ltem_link.hpp"

#include <cmath>
#include <limits>

#include "models/cellular/nbiot_link.hpp"

namespace m2msim::cellular::ltem {

double pusch_required_snr_dB(int tbs_bits, int prbs, int repetitions, double gain_dB) {
  const double r = static_cast<double>(tbs_bits + 24) / (prbs * kPrbElements);
  return 10.0 * std::log10(std::exp2(r / nbiot::kShannonAttenuation) - 1.0) -
         gain_dB * std::log2(static_cast<double>(repetitions));
}

double subcarrier_snr_dB(double snr15_dB, int prbs) { return snr15_dB - 10.0 * std::log10(12.0 * prbs); }

std::optional<UplinkAllocation> adapt_uplink(double snr15_dB, int bits, const ModeLimits& mode, double gain_dB,
                                             const nbiot::GrantTiming& grants) {
  std::optional<UplinkAllocation> best;
  Time best_time = Time::max();
  int best_blocks = 0;
  for (int prbs = 1; prbs <= mode.max_prbs; ++prbs) {
    const double snr = subcarrier_snr_dB(snr15_dB, prbs);
    for (int itbs = 0; itbs <= mode.max_itbs; ++itbs) {
      if (tbs_bits(itbs, prbs) == 0) continue;
      // The message as uplink_message sends it: every block must decode.
      const Segmentation g = segments(itbs, prbs, bits);
      double at_one = -std::numeric_limits<double>::infinity();
      if (g.full > 0) at_one = pusch_required_snr_dB(tbs_bits(itbs, prbs), prbs, 1, gain_dB);
      if (g.tail_prbs > 0)
        at_one = std::max(at_one, pusch_required_snr_dB(tbs_bits(itbs, g.tail_prbs), g.tail_prbs, 1, gain_dB));
      const int blocks = g.full + (g.tail_prbs > 0 ? 1 : 0);
      int reps = 1;
      if (at_one > snr) {
        if (gain_dB <= 0.0) continue;
        const double doublings = std::ceil((at_one - snr) / gain_dB - 1e-12);
        if (doublings > std::log2(static_cast<double>(mode.max_repetitions))) continue;
        reps = 1 << static_cast<int>(doublings);
      }
      // The message's time with its grants plus its transmit time; every
      // block lasts its repetitions' subframes. PRBs ascend: of equal costs
      // and blocks, the fewest PRBs stays.
      const Time air = Time::milliseconds(reps);
      const Time t = grants.message(blocks, air, air) + air * blocks;
      if (t < best_time || (t == best_time && blocks < best_blocks)) {
        best_time = t;
        best_blocks = blocks;
        best = UplinkAllocation{prbs, itbs, reps};
      }
    }
  }
  return best;
}

}  // namespace m2msim::cellular::ltem
