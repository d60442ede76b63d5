// LTE-M (3GPP Rel-13 category M1, eMTC) physical-layer numerology: transport
// block sizes within a 6-PRB narrowband, how long a block and a random-access
// preamble take. docs/models/cellular.md §9.2 gives every table with its
// source; tests/models/cellular/ltem_phy_test.cpp checks them by hand.
//
// Every LTE-M channel is sent in whole 1 ms subframes: a PUSCH or PDSCH
// transport block takes one subframe per repetition (TS 36.213 §7.1.11,
// §8.0), across its PRBs.
#pragma once

#include <array>
#include <optional>

#include "sim/time.hpp"

namespace m2msim::cellular::ltem {

/// PRBs of a narrowband (TS 36.211 §6.2.7): every LTE-M allocation is within one.
inline constexpr int kNarrowbandPrbs = 6;
/// Largest transport block of category M1 (TS 36.306 §4.1A): 1000 bits, uplink and downlink.
inline constexpr int kMaxTbsBits = 1000;
/// Largest I_TBS an M1 device's PUSCH or PDSCH uses: 14 in CE mode A (I_MCS
/// up to 15, TS 36.213 Table 8.6.1-1 with 16QAM), 10 in CE mode B (QPSK only,
/// I_MCS up to 10).
inline constexpr int kMaxItbsModeA = 14;
inline constexpr int kMaxItbsModeB = 10;
/// PUSCH PRBs in CE mode B: 1 or 2 (TS 36.213 §8.1.5, resource allocation type 2).
inline constexpr int kMaxPrbsModeB = 2;

/// Transport block size in bits for (I_TBS, N_PRB), N_PRB 1..6
/// (TS 36.213 Table 7.1.7.2.1-1, its first six columns); 0 where the table
/// has none or the block exceeds category M1's 1000 bits.
int tbs_bits(int itbs, int prbs);
/// The fewest PRBs (at most `max_prbs`) whose block at `itbs` carries `bits`.
std::optional<int> prbs_for(int itbs, int bits, int max_prbs = kNarrowbandPrbs);

/// How a message of `bits` goes at `itbs` in blocks of at most `cap` PRBs:
/// `full` blocks of TBS(itbs, cap), then (when bits remain) one tail block
/// in the fewest PRBs that carry them (0: none). The full blocks take
/// `full_prbs`: `cap`, or fewer where the category caps the block at
/// kMaxTbsBits (I_TBS 10 on 6 PRBs would be 1032 bits: 5 PRBs).
struct Segmentation {
  int full = 0;
  int tail_prbs = 0;
  int full_prbs = 0;
};
Segmentation segments(int itbs, int cap, int bits);

/// Air time of one PUSCH or PDSCH block: one subframe per repetition.
Time block_duration(int repetitions);

/// PRACH preamble format 0 (TS 36.211 Table 5.7.1-1): a 3168·Ts cyclic
/// prefix and a 24576·Ts sequence (0.903 ms) in one 1 ms subframe.
inline constexpr Time kPreambleSubframe = Time::milliseconds(1);
/// The PRACH occurs in one subframe of every radio frame (PRACH
/// configuration index 3, TS 36.211 Table 5.7.1-2): a preamble's repetitions
/// go in consecutive occurrences, 10 ms apart.
inline constexpr Time kPrachInterval = Time::milliseconds(10);
/// From the first repetition's start to the last one's end.
Time preamble_span(int repetitions);

/// Configurable values (TS 36.331 PRACH-ParametersCE-r13, RACH-CE-LevelInfo-r13,
/// PUSCH-ConfigCommon-v1310, PUCCH-ConfigCommon-v1310).
inline constexpr std::array<int, 8> kPrachRepetitions{1, 2, 4, 8, 16, 32, 64, 128};
inline constexpr std::array<int, 9> kMpdcchRepetitions{1, 2, 4, 8, 16, 32, 64, 128, 256};
inline constexpr std::array<int, 8> kResponseWindowMs{20, 50, 80, 120, 180, 240, 320, 400};
inline constexpr std::array<int, 16> kRepetitions{1,   2,   4,   8,   16,  32,   64,   128,
                                                  192, 256, 384, 512, 768, 1024, 1536, 2048};
inline constexpr int kMaxRepetitionsModeA = 32;  ///< PUSCH and PDSCH in CE mode A (TS 36.213 §8.0, §7.1.11)
inline constexpr std::array<int, 4> kPucchRepetitionsModeA{1, 2, 4, 8};
inline constexpr std::array<int, 4> kPucchRepetitionsModeB{4, 8, 16, 32};

}  // namespace m2msim::cellular::ltem
