#include "models/cellular/nbiot_link.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace m2msim::cellular::nbiot {

int npusch_ru_elements(int tones) { return tones == 1 ? 96 : 144; }

double subcarrier_snr_dB(double snr15_dB, Spacing spacing, int tones) {
  return spacing == Spacing::Khz3_75 ? snr15_dB + 10.0 * std::log10(4.0)
                                     : snr15_dB - 10.0 * std::log10(static_cast<double>(tones));
}

double npusch_required_snr_dB(int tbs_bits, int n_ru, int tones, int repetitions, double gain_dB) {
  const double r = static_cast<double>(tbs_bits + 24) / (n_ru * npusch_ru_elements(tones));
  return 10.0 * std::log10(std::exp2(r / kShannonAttenuation) - 1.0) -
         gain_dB * std::log2(static_cast<double>(repetitions));
}

namespace {

/// The threshold at one repetition of every (single or multi-tone, I_TBS,
/// I_RU) block, computed once: adaptation then only compares.
struct Thresholds {
  std::array<std::array<std::array<double, 8>, kMaxItbs + 1>, 2> at_one{};  ///< [multi-tone][itbs][iru]; NaN: no block
  Thresholds() {
    for (int multi = 0; multi < 2; ++multi)
      for (int itbs = 0; itbs <= kMaxItbs; ++itbs)
        for (int iru = 0; iru < 8; ++iru) {
          const int tbs = npusch_tbs_bits(itbs, iru);
          at_one[static_cast<std::size_t>(multi)][static_cast<std::size_t>(itbs)][static_cast<std::size_t>(iru)] =
              tbs == 0 ? std::nan("")
                       : npusch_required_snr_dB(tbs, kUnitsByIndex[static_cast<std::size_t>(iru)], multi ? 12 : 1, 1);
        }
  }
};

const Thresholds& thresholds() {
  static const Thresholds t;
  return t;
}

}  // namespace

Time GrantTiming::message(int blocks, Time air, Time last_air) const {
  if (blocks <= 0) return Time::zero();
  const auto cycle = [&](Time a) {
    const Time busy = read + gap + a;
    if (period <= Time::zero()) return busy;
    return period * ((busy.ns() + period.ns() - 1) / period.ns());
  };
  const Time first_wait = period <= Time::zero() ? Time::zero() : Time::nanoseconds(period.ns() / 2);
  return first_wait + cycle(air) * (blocks - 1) + read + gap + last_air;
}

double npusch_power_dBm(double p_max_dBm, Spacing spacing, int tones, int repetitions, double p0_dBm, double alpha,
                        double path_loss_dB) {
  if (repetitions > 2) return p_max_dBm;
  const double m_dB = spacing == Spacing::Khz3_75 ? -10.0 * std::log10(4.0) : 10.0 * std::log10(tones);
  return std::min(p_max_dBm, m_dB + p0_dBm + alpha * path_loss_dB);
}

double nprach_power_dBm(double p_max_dBm, std::size_t level, int repetitions, int attempt, double target_dBm,
                        double step_dB, double path_loss_dB) {
  if (level > 0) return p_max_dBm;
  return std::min(p_max_dBm, target_dBm - 10.0 * std::log10(repetitions) + attempt * step_dB + path_loss_dB);
}

std::optional<UplinkAllocation> adapt_uplink(double snr15_dB, int bits, bool narrow, double gain_dB,
                                             int max_repetitions, const GrantTiming& grants, double pc_snr_dB) {
  struct Option {
    Spacing spacing;
    int tones;
  };
  constexpr std::array<Option, 5> kOptions{
      {{Spacing::Khz15, 12}, {Spacing::Khz15, 6}, {Spacing::Khz15, 3}, {Spacing::Khz15, 1}, {Spacing::Khz3_75, 1}}};
  const Thresholds& th = thresholds();
  std::optional<UplinkAllocation> best;
  Time best_time = Time::max();
  int best_blocks = 0;
  for (const auto& o : kOptions) {
    if (o.spacing == Spacing::Khz3_75 && !narrow) continue;
    // The SNR per subcarrier of this allocation.
    const double snr = subcarrier_snr_dB(snr15_dB, o.spacing, o.tones);
    const int max_itbs = o.tones == 1 ? 10 : kMaxItbs;  // TS 36.213 Table 16.5.1.2-1
    const auto& table = th.at_one[o.tones == 1 ? 0 : 1];
    const Time ru = *npusch_ru_duration(o.spacing, o.tones);
    for (int itbs = 0; itbs <= max_itbs; ++itbs) {
      for (int iru = 0; iru < 8; ++iru) {
        const auto& row = table[static_cast<std::size_t>(itbs)];
        if (std::isnan(row[static_cast<std::size_t>(iru)])) continue;
        // What the message takes with blocks of at most this size (as
        // uplink_message sends it): every block must decode.
        const Segmentation g = npusch_segments(itbs, iru, bits);
        double at_one = -std::numeric_limits<double>::infinity();
        if (g.full > 0) at_one = row[static_cast<std::size_t>(iru)];
        if (g.tail_iru >= 0) at_one = std::max(at_one, row[static_cast<std::size_t>(g.tail_iru)]);
        // The fewest repetitions (a power of two) that decode:
        // at_one − gain·log2(N) ≤ snr, where 1 and 2 repetitions have the
        // open-loop power's SNR, at most the whole power's.
        const double pc = std::min(snr, pc_snr_dB);
        int reps = 1;
        if (at_one <= pc) {
          reps = 1;
        } else if (at_one - gain_dB <= pc && max_repetitions >= 2) {
          reps = 2;
        } else {
          if (gain_dB <= 0.0) continue;
          const double doublings = std::max(std::ceil((at_one - snr) / gain_dB - 1e-12), pc < snr ? 2.0 : 0.0);
          if (doublings > std::log2(static_cast<double>(max_repetitions))) continue;
          reps = 1 << static_cast<int>(doublings);
        }
        // The least cost: the message's time, each block with its grant
        // (the tail, if any, last), plus its transmit time; of equal ones,
        // the fewest blocks.
        const int blocks = g.full + (g.tail_iru >= 0 ? 1 : 0);
        const auto air = [&](int i) {
          return Time::nanoseconds(ru.ns() * kUnitsByIndex[static_cast<std::size_t>(i)] * reps);
        };
        const Time full_air = g.full > 0 ? air(iru) : Time::zero();
        const Time last_air = g.tail_iru >= 0 ? air(g.tail_iru) : full_air;
        const Time sent = full_air * g.full + (g.tail_iru >= 0 ? last_air : Time::zero());
        const Time t = grants.message(blocks, full_air, last_air) + sent;
        if (t < best_time || (t == best_time && blocks < best_blocks)) {
          best_time = t;
          best_blocks = blocks;
          best = UplinkAllocation{o.spacing, o.tones, itbs, iru, reps};
        }
      }
    }
  }
  return best;
}

}  // namespace m2msim::cellular::nbiot
