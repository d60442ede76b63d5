// NB-IoT uplink link adaptation (docs/models/cellular.md §3.3.1): whether a
// transport block on an NPUSCH allocation decodes at a given SNR, and the
// allocation a scheduler gives a device for its data.
//
// The decoding threshold is an attenuated Shannon bound (3GPP TR 36.942
// Annex A.2, uplink α = 0.4) on the block's bits per resource element r,
// less a gain per doubling of the repetitions:
//
//   SNR_req(r, N) = 10·log10(2^(r/α) − 1) − γ·log2(N)           [dB]
//   r = (TBS + 24) / (N_RU · RE_RU)
//
// with RE_RU the data resource elements of a resource unit (TS 36.211
// §10.1.3: 6 data symbols per slot; 96 for one subcarrier, 144 for 3, 6 or
// 12) and 24 the CRC bits. α = 0.4 and γ = 1.75 dB reproduce the NPUSCH
// performance requirement of TS 36.104 §8.5.1 (3.75 kHz, one subcarrier,
// a 32-bit block in 2 RUs: −1.9, −9.2 and −12.2 dB at 1, 16 and 64
// repetitions) within 0.4 dB (tests/models/cellular/nbiot_link_test.cpp).
// The SNR is per subcarrier of the allocation: a device's power spread over
// n subcarriers of 15 kHz gives each 10·log10(n) dB less than one alone, and
// one 3.75 kHz subcarrier 6.02 dB more than one of 15 kHz.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>

#include "models/cellular/nbiot_phy.hpp"

namespace m2msim::cellular::nbiot {

inline constexpr double kShannonAttenuation = 0.4;  ///< α, TR 36.942 Annex A.2 (uplink)
inline constexpr double kRepetitionGain_dB = 1.75;  ///< γ per doubling, fitted to TS 36.104 §8.5.1

/// Data resource elements of one NPUSCH format-1 resource unit.
int npusch_ru_elements(int tones);
/// The SNR on each subcarrier of an allocation of `tones` subcarriers at
/// `spacing`, from `snr15_dB`, one 15 kHz subcarrier with the whole power:
/// 10·log10(tones) dB less on 15 kHz, 6.02 dB more on one of 3.75 kHz.
double subcarrier_snr_dB(double snr15_dB, Spacing spacing, int tones);
/// The SNR per subcarrier at which a block of `tbs_bits` in `n_ru` units of
/// `tones` subcarriers, sent `repetitions` times, decodes, with `gain_dB`
/// per doubling of the repetitions.
double npusch_required_snr_dB(int tbs_bits, int n_ru, int tones, int repetitions, double gain_dB = kRepetitionGain_dB);

/// An NPUSCH allocation for a device's data.
struct UplinkAllocation {
  Spacing spacing = Spacing::Khz15;
  int tones = 1;
  int itbs = 0;
  int iru = 0;  ///< of a full block (the last block of a message may take fewer units)
  int repetitions = 1;
};

/// How each block of a message is granted, as link adaptation counts it:
/// grants start at search-space occasions `period` apart (0: at once), each
/// read for `read`, its block `gap` after it. Default: no grants counted.
struct GrantTiming {
  Time period{}, read{}, gap{};
  /// The time a message of `blocks` blocks of `air` each (the last of
  /// `last_air`) takes from a uniformly placed start: half a period to the
  /// first occasion; each grant, gap and block; and from the end of each
  /// block to the next occasion.
  [[nodiscard]] Time message(int blocks, Time air, Time last_air) const;
};

/// Open-loop uplink power control (TS 36.213 §16.2.1.1.1): an NPUSCH of at
/// most 2 repetitions goes at min(p_max, 10·log10(M) + p0 + alpha·PL), M its
/// subcarriers (1/4 for one of 3.75 kHz); one of more repetitions at p_max
/// (TS 36.101 §6.3.5F.1 names both cases). [dBm]
double npusch_power_dBm(double p_max_dBm, Spacing spacing, int tones, int repetitions, double p0_dBm, double alpha,
                        double path_loss_dB);
/// The NPRACH (TS 36.213 §16.3.1, TS 36.321 §5.1.3): CE level 0's preamble,
/// at its `attempt`-th try (0: the first), goes at min(p_max, target −
/// 10·log10(repetitions) + attempt·step + PL); the other levels' at p_max. [dBm]
double nprach_power_dBm(double p_max_dBm, std::size_t level, int repetitions, int attempt, double target_dBm,
                        double step_dB, double path_loss_dB);

/// The allocation that sends `bits` at the least cost at `snr15_dB`, the
/// SNR of one 15 kHz subcarrier carrying the device's whole power: the
/// message's time, each block with its grant as `grants` counts them, plus
/// its transmit time (the uplink resources it holds and the device's
/// dearest state, which waiting for an occasion would otherwise hide); of
/// equal costs, the fewest blocks. At most `max_repetitions` (TS 36.213 Table 16.5.1.1-3: 128);
/// 3.75 kHz single tones only when `narrow` allows them. With power control,
/// an allocation of at most 2 repetitions has at most `pc_snr_dB` on each
/// subcarrier (the SNR its open-loop power gives: p0 + alpha·PL less the
/// coupling loss and the noise of 15 kHz, whatever its subcarriers); one of
/// more, the whole power's. nullopt: nothing decodes.
std::optional<UplinkAllocation> adapt_uplink(double snr15_dB, int bits, bool narrow,
                                             double gain_dB = kRepetitionGain_dB, int max_repetitions = 128,
                                             const GrantTiming& grants = {},
                                             double pc_snr_dB = std::numeric_limits<double>::infinity());

}  // namespace m2msim::cellular::nbiot
