#include "models/cellular/nbiot_link.hpp"

#include <array>
#include <cmath>

namespace m2msim::cellular::nbiot {

int npusch_ru_elements(int tones) { return tones == 1 ? 96 : 144; }

double npusch_required_snr_dB(int tbs_bits, int n_ru, int tones, int repetitions, double gain_dB) {
  const double r = static_cast<double>(tbs_bits + 24) / (n_ru * npusch_ru_elements(tones));
  return 10.0 * std::log10(std::exp2(r / kShannonAttenuation) - 1.0) -
         gain_dB * std::log2(static_cast<double>(repetitions));
}

std::optional<UplinkAllocation> adapt_uplink(double snr15_dB, int bits, bool narrow, double gain_dB,
                                             int max_repetitions) {
  struct Option {
    Spacing spacing;
    int tones;
  };
  constexpr std::array<Option, 5> kOptions{
      {{Spacing::Khz15, 12}, {Spacing::Khz15, 6}, {Spacing::Khz15, 3}, {Spacing::Khz15, 1}, {Spacing::Khz3_75, 1}}};
  std::optional<UplinkAllocation> best;
  Time best_time = Time::max();
  for (const auto& o : kOptions) {
    if (o.spacing == Spacing::Khz3_75 && !narrow) continue;
    // The SNR per subcarrier of this allocation.
    const double snr = o.spacing == Spacing::Khz3_75 ? snr15_dB + 10.0 * std::log10(4.0)
                                                     : snr15_dB - 10.0 * std::log10(static_cast<double>(o.tones));
    const int max_itbs = o.tones == 1 ? 10 : kMaxItbs;  // TS 36.213 Table 16.5.1.2-1
    for (int itbs = 0; itbs <= max_itbs; ++itbs) {
      for (int iru = 0; iru < 8; ++iru) {
        const int tbs = npusch_tbs_bits(itbs, iru);
        if (tbs == 0) continue;
        const int n_ru = kUnitsByIndex[static_cast<std::size_t>(iru)];
        // The fewest repetitions (a power of two) that decode.
        int reps = 1;
        while (reps <= max_repetitions && npusch_required_snr_dB(tbs, n_ru, o.tones, reps, gain_dB) > snr) reps *= 2;
        if (reps > max_repetitions) continue;
        const int blocks = (bits + tbs - 1) / tbs;
        const Time t = Time::nanoseconds(npusch_duration(o.spacing, o.tones, iru, reps).ns() * blocks);
        if (t < best_time) {
          best_time = t;
          best = UplinkAllocation{o.spacing, o.tones, itbs, iru, reps};
        }
      }
    }
  }
  return best;
}

}  // namespace m2msim::cellular::nbiot
