#include "models/cellular/nbiot_phy.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <numeric>
#include <stdexcept>

namespace m2msim::cellular::nbiot {

namespace {

// TS 36.213 v13.2.0 Table 16.5.1.2-2, rows I_TBS 0..12, columns I_RU 0..7;
// 0: no entry (Rel-13 NPUSCH blocks are at most 1000 bits). The same
// numbers are in srsRAN's tbs_tables_nbiot.h (tests check rows by hand).
constexpr int kNpuschTbs[13][8] = {
    {16, 32, 56, 88, 120, 152, 208, 256},     {24, 56, 88, 144, 176, 208, 256, 344},
    {32, 72, 144, 176, 208, 256, 328, 424},   {40, 104, 176, 208, 256, 328, 440, 568},
    {56, 120, 208, 256, 328, 408, 552, 680},  {72, 144, 224, 328, 424, 504, 680, 872},
    {88, 176, 256, 392, 504, 600, 808, 1000}, {104, 224, 328, 472, 584, 712, 1000, 0},
    {120, 256, 392, 536, 680, 808, 0, 0},     {136, 296, 456, 616, 776, 936, 0, 0},
    {144, 328, 504, 680, 872, 1000, 0, 0},    {176, 376, 584, 776, 1000, 0, 0, 0},
    {208, 440, 680, 1000, 0, 0, 0, 0},
};

// TS 36.213 v13.2.0 Table 16.4.1.5.1-1, rows I_TBS 0..12, columns I_SF
// 0..7; 0: no entry (Rel-13 NPDSCH blocks are at most 680 bits).
constexpr int kNpdschTbs[13][8] = {
    {16, 32, 56, 88, 120, 152, 208, 256},    {24, 56, 88, 144, 176, 208, 256, 344},
    {32, 72, 144, 176, 208, 256, 328, 424},  {40, 104, 176, 208, 256, 328, 440, 568},
    {56, 120, 208, 256, 328, 408, 552, 680}, {72, 144, 224, 328, 424, 504, 680, 0},
    {88, 176, 256, 392, 504, 600, 0, 0},     {104, 224, 328, 472, 584, 680, 0, 0},
    {120, 256, 392, 536, 680, 0, 0, 0},      {136, 296, 456, 616, 0, 0, 0, 0},
    {144, 328, 504, 680, 0, 0, 0, 0},        {176, 376, 584, 0, 0, 0, 0, 0},
    {208, 440, 680, 0, 0, 0, 0, 0},
};

bool in_table(int itbs, int index) { return itbs >= 0 && itbs <= kMaxItbs && index >= 0 && index < 8; }

}  // namespace

std::optional<Time> npusch_ru_duration(Spacing spacing, int tones) {
  if (spacing == Spacing::Khz3_75) {
    if (tones == 1) return Time::milliseconds(32);  // 16 slots of 2 ms
    return std::nullopt;
  }
  switch (tones) {
    case 1: return Time::milliseconds(8);   // 16 slots of 0.5 ms
    case 3: return Time::milliseconds(4);   // 8 slots
    case 6: return Time::milliseconds(2);   // 4 slots
    case 12: return Time::milliseconds(1);  // 2 slots
    default: return std::nullopt;
  }
}

Time npusch_ack_ru_duration(Spacing spacing) {
  return spacing == Spacing::Khz15 ? Time::milliseconds(2) : Time::milliseconds(8);
}

int npusch_tbs_bits(int itbs, int iru) { return in_table(itbs, iru) ? kNpuschTbs[itbs][iru] : 0; }
int npdsch_tbs_bits(int itbs, int isf) { return in_table(itbs, isf) ? kNpdschTbs[itbs][isf] : 0; }

std::optional<int> npusch_iru_for(int itbs, int bits) {
  for (int i = 0; i < 8; ++i)
    if (npusch_tbs_bits(itbs, i) >= bits) return i;
  return std::nullopt;
}

std::optional<int> npdsch_isf_for(int itbs, int bits) {
  for (int i = 0; i < 8; ++i)
    if (npdsch_tbs_bits(itbs, i) >= bits) return i;
  return std::nullopt;
}

Segmentation npusch_segments(int itbs, int cap, int bits) {
  Segmentation g;
  const int block = npusch_tbs_bits(itbs, cap);
  if (block <= 0) return g;
  g.full = bits / block;
  const int rest = bits - g.full * block;
  if (rest > 0) g.tail_iru = *npusch_iru_for(itbs, rest);
  if (g.full == 0 && g.tail_iru < 0) g.tail_iru = 0;  // an empty message still takes one block
  return g;
}

Time npusch_duration(Spacing spacing, int tones, int iru, int repetitions) {
  const auto ru = npusch_ru_duration(spacing, tones);
  if (!ru || iru < 0 || iru >= 8) return Time::zero();
  return Time::nanoseconds(ru->ns() * kUnitsByIndex[static_cast<std::size_t>(iru)] * repetitions);
}

Time npdsch_duration(int isf, int repetitions) {
  if (isf < 0 || isf >= 8) return Time::zero();
  return Time::milliseconds(static_cast<std::int64_t>(kUnitsByIndex[static_cast<std::size_t>(isf)]) * repetitions);
}

namespace {
constexpr std::int64_t kSubframeNs = 1'000'000;

/// SIB1-NB, NPSS, NSSS or NPBCH in subframe k (of a 256-frame cycle).
bool broadcast(std::int64_t k, int sib1_repetitions) {
  const std::int64_t sf = k % 10;
  const std::int64_t frame = (k / 10) % 256;
  const bool even = frame % 2 == 0;
  // SIB1-NB: the even frames of the first 16 of every 256 / N_rep.
  const bool sib1 = sf == 4 && even && frame % (256 / sib1_repetitions) < 16;
  return sf == 0 || sf == 5 || (sf == 9 && even) || sib1;
}
}  // namespace

DownlinkPattern::DownlinkPattern(const DownlinkConfig& config) : config_(config) {
  std::int64_t frames = 256;
  for (const SiMessage& m : config.si) frames = std::lcm(frames, static_cast<std::int64_t>(m.period_frames));
  period_ = frames * 10;
  if (period_ > 65535) throw std::invalid_argument("nbiot::DownlinkPattern: a period beyond 6553 frames");
  reserved_.assign(static_cast<std::size_t>(period_), false);
  for (std::int64_t k = 0; k < period_; ++k)
    reserved_[static_cast<std::size_t>(k)] = broadcast(k, config.sib1_repetitions);
  // Each SI message (TS 36.331 §5.2.3a): its window opens at the frames
  // where SFN mod T = ⌊x / 10⌋, x = (n − 1) · w ms; in it, from the window's
  // first frame and every repetition_frames, `subframes` subframes that
  // carry nothing above.
  for (std::size_t n = 0; n < config.si.size(); ++n) {
    const SiMessage& m = config.si[n];
    const std::int64_t window_start = static_cast<std::int64_t>(n) * config.si_window_frames;
    for (std::int64_t w = window_start; w < frames; w += m.period_frames) {
      for (std::int64_t f = w; f < w + config.si_window_frames; f += m.repetition_frames) {
        std::int64_t k = f * 10;
        for (int left = m.subframes; left > 0; ++k) {
          const auto i = static_cast<std::size_t>(k % period_);
          if (reserved_[i]) continue;
          reserved_[i] = true;
          --left;
        }
      }
    }
  }
  before_.assign(static_cast<std::size_t>(period_) + 1, 0);
  valid_.reserve(static_cast<std::size_t>(period_));
  for (std::int64_t k = 0; k < period_; ++k) {
    before_[static_cast<std::size_t>(k)] = static_cast<std::uint16_t>(count_);
    if (!reserved_[static_cast<std::size_t>(k)]) {
      valid_.push_back(static_cast<std::uint16_t>(k));
      ++count_;
    }
  }
  before_[static_cast<std::size_t>(period_)] = static_cast<std::uint16_t>(count_);
}

Time DownlinkPattern::start(Time t) const {
  const std::int64_t k = (t.ns() + kSubframeNs - 1) / kSubframeNs;
  // The first valid subframe at or after k has the index of the valid
  // subframes before k.
  const std::int64_t index = k / period_ * count_ + before_[static_cast<std::size_t>(k % period_)];
  return Time::nanoseconds((index / count_ * period_ + valid_[static_cast<std::size_t>(index % count_)]) * kSubframeNs);
}

Time DownlinkPattern::end(Time t, std::int64_t subframes) const {
  const Time first = start(t);
  if (subframes <= 0) return first;
  const std::int64_t k = first.ns() / kSubframeNs;
  const std::int64_t last = k / period_ * count_ + before_[static_cast<std::size_t>(k % period_)] + subframes - 1;
  return Time::nanoseconds((last / count_ * period_ + valid_[static_cast<std::size_t>(last % count_)] + 1) *
                           kSubframeNs);
}

const DownlinkPattern& downlink_pattern(const DownlinkConfig& config) {
  // Few configurations per process (a sweep's points share most); built at
  // set-up, looked up under a lock, never freed while the process runs.
  static std::mutex lock;
  static std::vector<std::unique_ptr<const DownlinkPattern>> patterns;
  const std::scoped_lock guard(lock);
  for (const auto& p : patterns)
    if (p->config() == config) return *p;
  patterns.push_back(std::make_unique<const DownlinkPattern>(config));
  return *patterns.back();
}

Time nprach_repetition_duration(PreambleFormat format) {
  // In Ts = 1/30.72 MHz: a symbol group is T_CP + 5 × 8192 Ts, with T_CP =
  // 2048 Ts (format 0) or 8192 Ts (format 1); four groups per repetition.
  const std::int64_t cp = format == PreambleFormat::F0 ? 2048 : 8192;
  const std::int64_t ts = 4 * (cp + 5 * 8192);
  // ts / 30.72e6 s in ns: ts × 1e9 / 30.72e6 = ts × 3125 / 96, exact for these values.
  return Time::nanoseconds(ts * 3125 / 96);
}

}  // namespace m2msim::cellular::nbiot
