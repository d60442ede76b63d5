// NB-IoT physical-layer numerology (3GPP Rel-13): how long the uplink and
// downlink channels take to carry a transport block, and how long a random-
// access preamble lasts. docs/models/cellular.md §2 gives every table with
// its source; tests/models/cellular/nbiot_phy_test.cpp checks them by hand.
//
// Durations are whole nanoseconds (sim::Time); every duration here is a
// whole number of microseconds or of Ts = 1/(15 000 × 2048) s sums that the
// spec states in Ts (the NPRACH), computed exactly in integer Ts first.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/time.hpp"

namespace m2msim::cellular::nbiot {

/// NPUSCH subcarrier spacing (TS 36.211 §10.1.2.1).
enum class Spacing : std::uint8_t { Khz3_75, Khz15 };

/// Resource-unit length of NPUSCH format 1 (data) for `tones` subcarriers
/// (TS 36.211 Table 10.1.2.3-1: N_slots^UL = 16, 8, 4, 2 for 1, 3, 6, 12
/// subcarriers at 15 kHz, slot 0.5 ms; 16 slots of 2 ms for one 3.75 kHz
/// subcarrier). nullopt for a combination the table does not have.
std::optional<Time> npusch_ru_duration(Spacing spacing, int tones);
/// Resource-unit length of NPUSCH format 2 (HARQ-ACK): 4 slots of one
/// subcarrier (TS 36.211 Table 10.1.2.3-1): 2 ms at 15 kHz, 8 ms at 3.75 kHz.
Time npusch_ack_ru_duration(Spacing spacing);

/// Number of resource units N_RU for I_RU 0..7 (TS 36.213 Table 16.5.1.1-2)
/// and of subframes N_SF for I_SF 0..7 (TS 36.213 Table 16.4.1.3-1).
inline constexpr std::array<int, 8> kUnitsByIndex{1, 2, 3, 4, 5, 6, 8, 10};
/// NPUSCH repetitions (TS 36.213 §16.5.1.1: 1, 2, 4, ..., 128).
inline constexpr std::array<int, 8> kNpuschRepetitions{1, 2, 4, 8, 16, 32, 64, 128};
/// The repetition numbers of an NPDSCH (TS 36.213 Table 16.4.1.3-2); LTE-M's
/// PDSCH takes the same values (ltem::kRepetitions).
inline constexpr std::array<int, 16> kNpdschRepetitions{1,   2,   4,   8,   16,  32,   64,   128,
                                                        192, 256, 384, 512, 768, 1024, 1536, 2048};

/// Largest I_TBS of Rel-13 NB-IoT (category NB1): 12 on NPUSCH (uplink
/// TBS at most 1000 bits) and 12 on NPDSCH (at most 680 bits).
inline constexpr int kMaxItbs = 12;

/// NPUSCH transport block size in bits for (I_TBS, I_RU)
/// (TS 36.213 Table 16.5.1.2-2); 0 where the table has no entry (Rel-13
/// allows at most 1000 bits).
int npusch_tbs_bits(int itbs, int iru);
/// NPDSCH transport block size in bits for (I_TBS, I_SF)
/// (TS 36.213 Table 16.4.1.5.1-1); 0 where Rel-13 has no entry (> 680 bits).
int npdsch_tbs_bits(int itbs, int isf);

/// The smallest allocation that carries `bits` in one NPUSCH transport
/// block at `itbs`: its I_RU, or nullopt when even I_RU 7 carries less.
std::optional<int> npusch_iru_for(int itbs, int bits);
/// The smallest I_SF whose NPDSCH block at `itbs` carries `bits`.
std::optional<int> npdsch_isf_for(int itbs, int bits);

/// How a message of `bits` goes on NPUSCH at `itbs` with blocks of at most
/// I_RU `cap`: `full` blocks of TBS(itbs, cap), then (when bits remain) one
/// tail block in the smallest I_RU that carries them (−1: none).
struct Segmentation {
  int full = 0;
  int tail_iru = -1;
};
Segmentation npusch_segments(int itbs, int cap, int bits);

/// Air time of one NPUSCH transport block: N_RU(I_RU) resource units of
/// `tones` subcarriers, sent `repetitions` times (TS 36.211 §10.1.3.6,
/// TS 36.213 §16.5.1).
Time npusch_duration(Spacing spacing, int tones, int iru, int repetitions);
/// Air time of one NPDSCH transport block: N_SF subframes of 1 ms, sent
/// `repetitions` times (TS 36.213 §16.4.1.3).
Time npdsch_duration(int isf, int repetitions);

/// One system-information message after SIB1-NB (SchedulingInfo-NB-r13):
/// its window opens every `period_frames` frames (si-Periodicity); in the
/// window it is sent every `repetition_frames` frames (si-RepetitionPattern),
/// each time in `subframes` valid subframes from the frame's start: 2 for
/// si-TB 56 or 120 bits, else 8 (TS 36.331 §5.2.3a, SystemInformation-NB).
struct SiMessage {
  int period_frames = 512;
  int repetition_frames = 4;
  int subframes = 8;
  friend bool operator==(const SiMessage&, const SiMessage&) = default;
};

/// What a stand-alone carrier's downlink broadcasts besides the NPSS, NSSS
/// and NPBCH: SIB1-NB's repetitions (4, 8 or 16) and the other
/// system-information messages, the n-th (from 1) in the window that opens
/// (n − 1) · `si_window_frames` frames into its period (si-WindowLength,
/// si-RadioFrameOffset 0). The default: SIB1-NB alone, 16 times.
struct DownlinkConfig {
  int sib1_repetitions = 16;
  int si_window_frames = 96;
  std::vector<SiMessage> si;
  friend bool operator==(const DownlinkConfig&, const DownlinkConfig&) = default;
};

/// The valid downlink subframes of a stand-alone carrier without a
/// downlinkBitmap (TS 36.213 §16.4.1): every subframe but those of the
/// NPBCH (subframe 0 of every frame, TS 36.211 §10.2.4), the NPSS (subframe
/// 5 of every frame, §10.2.7.1), the NSSS (subframe 9 of even frames,
/// §10.2.7.2), SIB1-NB (subframe 4 of every other frame in 16 frames,
/// `sib1_repetitions` times in each 256 frames, evenly spaced: TS 36.213
/// §16.4.1.3, Tables 16.4.1.3-3 and -4; TS 36.331 §5.2.1.2a; from frame 0 as
/// for a cell whose PCI is a multiple of 4) and the other system-information
/// messages (SiMessage). Subframe k counts from the start of SFN 0 (the
/// run's start); the pattern repeats every 256 frames, or the longest
/// si-Periodicity. docs/models/cellular.md §2.4.
class DownlinkPattern {
 public:
  explicit DownlinkPattern(const DownlinkConfig& config);
  [[nodiscard]] const DownlinkConfig& config() const { return config_; }
  [[nodiscard]] bool reserved(std::int64_t k) const { return reserved_[static_cast<std::size_t>(k % period_)]; }
  /// The pattern's length in subframes, and its valid subframes.
  [[nodiscard]] std::int64_t period() const { return period_; }
  [[nodiscard]] std::int64_t valid_per_period() const { return count_; }
  /// The start of the first valid subframe at or after `t` (`t` rounded up
  /// to a subframe boundary).
  [[nodiscard]] Time start(Time t) const;
  /// The end of `subframes` valid subframes, the first of them the first
  /// valid one at or after `t` (TS 36.213 §16.4.1, §16.6: NPDSCH and NPDCCH
  /// repetitions go on valid subframes only); for none, start(t).
  [[nodiscard]] Time end(Time t, std::int64_t subframes) const;

 private:
  DownlinkConfig config_;
  std::int64_t period_ = 0;
  std::int64_t count_ = 0;
  std::vector<bool> reserved_;
  std::vector<std::uint16_t> before_;  ///< valid subframes before each of the period's (and its end)
  std::vector<std::uint16_t> valid_;   ///< the period's valid subframes, in order
};
/// The pattern of `config`, built once per configuration (thread-safe; for
/// set-up, not the per-event path).
const DownlinkPattern& downlink_pattern(const DownlinkConfig& config = {});
/// TS 36.213 Table 16.4.1.3-3: SIB1-NB's repetitions by schedulingInfoSIB1.
inline constexpr std::array<int, 3> kSib1Repetitions{4, 8, 16};

/// NPRACH preamble format (TS 36.211 §10.1.6.1, Table 10.1.6.1-1): format 0
/// has a 66.7 us cyclic prefix (cells up to about 10 km), format 1 a
/// 266.7 us one (up to about 40 km).
enum class PreambleFormat : std::uint8_t { F0, F1 };
/// One preamble repetition: 4 symbol groups, each a cyclic prefix and 5
/// symbols of 8192·Ts (TS 36.211 Table 10.1.6.1-1, Ts = 1/30.72 MHz): 5.6 ms
/// for format 0, 6.4 ms for format 1.
Time nprach_repetition_duration(PreambleFormat format);
/// A whole preamble: `repetitions` of nprach_repetition_duration.
inline Time nprach_duration(PreambleFormat format, int repetitions) {
  return Time::nanoseconds(nprach_repetition_duration(format).ns() * repetitions);
}
/// NPRACH repetitions per attempt, periodicities and numbers of
/// subcarriers a cell may configure (TS 36.331 NPRACH-ConfigSIB-NB).
inline constexpr std::array<int, 8> kNprachRepetitions{1, 2, 4, 8, 16, 32, 64, 128};
inline constexpr std::array<int, 8> kNprachPeriodsMs{40, 80, 160, 240, 320, 640, 1280, 2560};
inline constexpr std::array<int, 4> kNprachSubcarriers{12, 24, 36, 48};
/// nprach-StartTime and nprach-SubcarrierOffset (TS 36.331 NPRACH-ConfigSIB-NB).
inline constexpr std::array<int, 8> kNprachStartTimesMs{8, 16, 32, 64, 128, 256, 512, 1024};
inline constexpr std::array<int, 7> kNprachSubcarrierOffsets{0, 2, 12, 18, 24, 34, 36};

}  // namespace m2msim::cellular::nbiot
