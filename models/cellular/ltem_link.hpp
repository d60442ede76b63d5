// LTE-M uplink link adaptation (docs/models/cellular.md §9.3): the PUSCH
// allocation (PRBs, I_TBS, repetitions) that sends a message at the least
// cost (its time with each block's grant, plus its transmit time) at a
// device's uplink SNR, with the decoding test of NB-IoT's
// (nbiot_link.hpp): an attenuated Shannon bound on the bits per resource
// element, less a gain per doubling of the repetitions,
//
//   SNR_req(r, N) = 10·log10(2^(r/α) − 1) − γ·log2(N)           [dB]
//   r = (TBS + 24) / (N_PRB · 144)
//
// with 144 data resource elements per PRB and subframe (12 subcarriers × 12
// SC-FDMA symbols: 14 less the 2 demodulation reference symbols, TS 36.211
// §5.5.2.1.2). The SNR is per subcarrier: a device's power over n PRBs gives
// each of its 12·n subcarriers 10·log10(12·n) dB less than one alone.
#pragma once

#include <optional>

#include "models/cellular/ltem_phy.hpp"
#include "models/cellular/nbiot_link.hpp"

namespace m2msim::cellular::ltem {

inline constexpr int kPrbElements = 144;

/// The SNR per subcarrier at which a block of `tbs_bits` on `prbs` PRBs,
/// sent `repetitions` times, decodes, with `gain_dB` per doubling.
double pusch_required_snr_dB(int tbs_bits, int prbs, int repetitions, double gain_dB);

/// The SNR on each of the 12·`prbs` subcarriers of an allocation, from
/// `snr15_dB`, one 15 kHz subcarrier with the whole power.
double subcarrier_snr_dB(double snr15_dB, int prbs);

/// A PUSCH allocation for a device's message.
struct UplinkAllocation {
  int prbs = 1;  ///< of a full block (the last block of a message may take fewer)
  int itbs = 0;
  int repetitions = 1;
};

/// What a CE mode allows: mode A 6 PRBs, I_TBS 14, 32 repetitions; mode B
/// 2 PRBs, I_TBS 10, 2048 repetitions (TS 36.213 §8.0, §8.6.1; TS 36.331
/// pusch-maxNumRepetitionCEmodeA/B).
struct ModeLimits {
  int max_prbs = kNarrowbandPrbs;
  int max_itbs = kMaxItbsModeA;
  int max_repetitions = kMaxRepetitionsModeA;
};
inline constexpr ModeLimits kModeA{kNarrowbandPrbs, kMaxItbsModeA, kMaxRepetitionsModeA};
inline constexpr ModeLimits kModeB{kMaxPrbsModeB, kMaxItbsModeB, 2048};

/// The allocation that sends `bits` at the least cost at `snr15_dB`, the
/// SNR of one 15 kHz subcarrier carrying the device's whole power: the
/// message's time, each block with its grant as `grants` counts them
/// (nbiot::GrantTiming), plus its transmit time; of equal costs the fewest
/// blocks, then the fewest PRBs; within `mode`'s limits, repetitions a
/// power of two. nullopt: nothing decodes.
std::optional<UplinkAllocation> adapt_uplink(double snr15_dB, int bits, const ModeLimits& mode, double gain_dB,
                                             const nbiot::GrantTiming& grants = {});

}  // namespace m2msim::cellular::ltem
