#include "models/cellular/cell_network.hpp"

#include <algorithm>
#include <cmath>

#include "models/cellular/ltem_link.hpp"

namespace m2msim::cellular {

namespace {

// Gaps between the steps of the procedure, their minimum values in the
// standard (docs/models/cellular.md §3.2), by technology.
struct Gaps {
  Time rar, rar_long;  // from the preamble's end to the response window (64 or more repetitions: rar_long)
  Time dci_to_pdsch;   // from the end of a downlink assignment to its block
  Time rar_to_msg3;    // from the response's end to Msg3
  Time dci_to_pusch;   // from the end of an uplink grant to its block
  Time pdsch_to_ack;   // from a downlink block's end to its HARQ-ACK
};
constexpr Gaps kNbiotGaps{
    Time::milliseconds(4),   // TS 36.321 §5.1.4: the window opens 4 subframes after the preamble (fewer than 64 reps)
    Time::milliseconds(41),  // ... 41 subframes after a preamble of 64 or more repetitions
    Time::milliseconds(5),   // TS 36.213 §16.4.1: NPDSCH at least 5 subframes after its NPDCCH
    Time::milliseconds(12),  // TS 36.213 §16.3.3: Msg3 at least 12 subframes after the response (k0 ≥ 12)
    Time::milliseconds(8),   // TS 36.213 Table 16.5.1-1: NPUSCH at least 8 subframes after its grant (k0 ≥ 8)
    Time::milliseconds(12),  // TS 36.213 §16.4.2: HARQ-ACK at least 12 subframes after the NPDSCH
};
constexpr Gaps kLtemGaps{
    Time::milliseconds(3),  // TS 36.321 §5.1.4 (BL/CE): the window starts 3 subframes after the last repetition
    Time::milliseconds(3),
    Time::milliseconds(2),  // TS 36.213 §7.1.11: PDSCH starts 2 subframes after the last MPDCCH subframe
    Time::milliseconds(6),  // TS 36.213 §6.1.1: Msg3 in subframe n + k1, k1 ≥ 6
    Time::milliseconds(4),  // TS 36.213 §8.0 (FDD): PUSCH 4 subframes after the last MPDCCH subframe of its grant
    Time::milliseconds(4),  // TS 36.213 §10.2 (FDD): HARQ-ACK 4 subframes after the PDSCH
};
const Gaps& gaps(const LevelConfig& c) { return c.rat == Rat::Ltem ? kLtemGaps : kNbiotGaps; }

// The tracking area update's retries after a lower-layer failure (TS 24.301
// §5.5.3.2.6, Table 10.2.1): T3411 while the attempt counter is below 5,
// then T3402 (its default; the network may send another).
constexpr Time kT3411 = Time::seconds(10);
constexpr Time kT3402 = Time::minutes(12);
constexpr std::uint8_t kTauAttempts = 5;

// Message sizes (bits):
constexpr int kRarBits = 56;         // TS 36.321 §6.1.5, §6.2.3: one MAC subheader (1 B) and a MAC RAR (6 B)
constexpr int kTauAcceptBits = 256;  // model: NAS tracking area update accept with headers (32 B)
constexpr int kPagingBits = 56;      // model: one paging record with headers (7 B)

Time ms(std::int64_t v) { return Time::milliseconds(v); }

/// The end of a downlink transmission of `subframes` from `t`: NB-IoT's on
/// valid subframes only (LevelConfig::downlink), LTE-M's contiguous.
Time downlink_after(const LevelConfig& c, Time t, std::int64_t subframes) {
  return c.rat == Rat::Nbiot ? c.downlink->end(t, subframes) : t + ms(subframes);
}

std::int64_t subframes_of(Time air) { return air.ns() / 1'000'000; }

/// The first search-space occasion (a whole multiple of `period`) at or after `t`.
Time next_occasion(Time t, Time period) {
  return Time::nanoseconds((t.ns() + period.ns() - 1) / period.ns() * period.ns());
}

Time harq_ack(const LevelConfig& c) {
  if (c.rat == Rat::Ltem) return ms(c.ack_repetitions);  // PUCCH, one subframe per repetition
  return Time::nanoseconds(nbiot::npusch_ack_ru_duration(c.pusch_spacing).ns() * c.pusch_repetitions);
}

/// The largest I_RU the table has at `itbs`.
int max_iru(int itbs) {
  int i = 7;
  while (i > 0 && nbiot::npusch_tbs_bits(itbs, i) == 0) --i;
  return i;
}
int max_isf(int itbs) {
  int i = 7;
  while (i > 0 && nbiot::npdsch_tbs_bits(itbs, i) == 0) --i;
  return i;
}

}  // namespace

const std::pair<Time, Time>* Lane::next_after(Time t) const {
  // Disjoint and in order: the ends are in order too.
  const auto it = std::upper_bound(busy_.begin() + static_cast<std::ptrdiff_t>(head_), busy_.end(), t,
                                   [](Time v, const std::pair<Time, Time>& b) { return v < b.second; });
  return it == busy_.end() ? nullptr : &*it;
}

void Lane::book(Time start, Time end) {
  if (end <= start) return;  // nothing to keep; and next_after's order needs end > start
  const auto it = std::lower_bound(busy_.begin() + static_cast<std::ptrdiff_t>(head_), busy_.end(), start,
                                   [](const std::pair<Time, Time>& b, Time v) { return b.first < v; });
  busy_.insert(it, {start, end});
  if (start < horizon_) booked_ += std::min(end, horizon_) - start;
}

void Lane::prune(Time now) {
  while (head_ < busy_.size() && busy_[head_].second <= now) ++head_;
  // Compact now and then: the vector keeps its capacity, so a steady load
  // allocates nothing.
  if (head_ > 32 && head_ * 2 > busy_.size()) {
    busy_.erase(busy_.begin(), busy_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

namespace {

/// The earliest start at or after `want` at which lanes [first, first + n)
/// are all free for `duration`.
Time earliest_fit(const Lane* lanes, std::size_t n, Time want, Time duration) {
  Time t = want;
  for (bool moved = true; moved;) {
    moved = false;
    for (std::size_t l = 0; l < n; ++l) {
      const auto* b = lanes[l].next_after(t);
      if (b != nullptr && b->first < t + duration) {
        t = b->second;
        moved = true;
      }
    }
  }
  return t;
}

}  // namespace

namespace {

/// A booking: its start and how long it holds its lanes.
struct Booking {
  Time start, span;
};

/// Books `width` adjacent lanes from the start position (of those
/// `for_each_start` offers) where the booking ends soonest, starting at or
/// after `want` and holding its lanes for `span_of(position, start)`.
template <class ForEachStart, class SpanOf>
Booking book_earliest(Lane* lanes, std::size_t width, Time want, ForEachStart for_each_start, SpanOf span_of,
                      bool commit = true) {
  std::size_t best = 0;
  Booking b{Time::max(), Time::zero()};
  for_each_start([&](std::size_t p) {
    // The span may depend on the start: move on until both agree.
    Time start = want;
    for (;;) {
      const Time span = span_of(p, start);
      const Time fit = earliest_fit(&lanes[p], width, start, span);
      if (fit == start) {
        if (b.start == Time::max() || start + span < b.start + b.span) {
          b = {start, span};
          best = p;
        }
        return;
      }
      start = fit;
    }
  });
  if (commit)
    for (std::size_t l = best; l < best + width; ++l) lanes[l].book(b.start, b.start + b.span);
  return b;
}

}  // namespace

Time postponed_span(std::span<const NprachResource> nprach, std::size_t first, std::size_t n, Time start,
                    Time duration) {
  Time t = start, left = duration;
  for (;;) {
    // Past every resource window that holds t; then the next one to begin.
    Time next = Time::max();
    bool moved = false;
    for (const NprachResource& r : nprach) {
      if (r.lanes == 0 || r.first_lane >= first + n || first >= r.first_lane + r.lanes) continue;
      // The window that began last at or before t (or the first one).
      const std::int64_t k = t < r.start ? -1 : (t - r.start).ns() / r.period.ns();
      const Time window = k < 0 ? r.start - r.period : r.start + Time::nanoseconds(k * r.period.ns());
      if (t >= window && t < window + r.length) {
        t = window + r.length;
        moved = true;
      } else {
        next = std::min(next, window + r.period);
      }
    }
    if (moved) continue;
    if (left <= next - t) return t + left - start;
    left -= next - t;
    t = next;
  }
}

Time CellCalendar::book_uplink(Time want, Time duration, int tones, nbiot::Spacing spacing, Time* span) {
  return uplink_fit(want, duration, tones, spacing, span, true);
}

Time CellCalendar::earliest_uplink(Time want, Time duration, int tones, nbiot::Spacing spacing, Time* span) {
  return uplink_fit(want, duration, tones, spacing, span, false);
}

Time CellCalendar::uplink_fit(Time want, Time duration, int tones, nbiot::Spacing spacing, Time* span, bool commit) {
  const std::size_t width = spacing == nbiot::Spacing::Khz15 ? 4 * static_cast<std::size_t>(tones) : 1;
  const Booking b = book_earliest(
      uplink.data(), width, want,
      [&](auto offer) {
        for (std::size_t p = 0; p + width <= uplink.size(); p += width) offer(p);
      },
      [&](std::size_t p, Time start) {
        return nprach.empty() ? duration : postponed_span(nprach, p, width, start, duration);
      },
      commit);
  if (span != nullptr) *span = b.span;
  return b.start;
}

Time CellCalendar::book_prbs(Time want, Time duration, int prbs) {
  const auto width = static_cast<std::size_t>(prbs);
  return book_earliest(
             uplink.data(), width, want,
             [&](auto offer) {
               for (std::size_t nb = 0; nb < static_cast<std::size_t>(narrowbands); ++nb)
                 for (std::size_t p = nb * 6; p + width <= nb * 6 + 6; ++p) offer(p);
             },
             [&](std::size_t, Time) { return duration; })
      .start;
}

Time CellCalendar::book_downlink(Time want, Time duration) {
  const std::size_t lanes = narrowbands == 0 ? 1 : static_cast<std::size_t>(narrowbands);
  return book_earliest(
             downlink.data(), 1, want,
             [&](auto offer) {
               for (std::size_t l = 0; l < lanes; ++l) offer(l);
             },
             [&](std::size_t, Time) { return duration; })
      .start;
}

Time CellCalendar::book_control(Time want, std::int64_t subframes, std::int64_t rmax, Time period,
                                const nbiot::DownlinkPattern* valid, int* occasions, Time* end, Time* occasion) {
  const Time first = next_occasion(want, period);
  const std::size_t lanes = narrowbands == 0 ? 1 : static_cast<std::size_t>(narrowbands);
  // A message of R repetitions may start at any of the occasion's Rmax / R
  // candidates, b = u·R downlink subframes (NB-IoT: valid ones) after its
  // start, u = 0 .. Rmax/R − 1 (TS 36.213 §16.6, §9.1.5).
  const std::int64_t candidates = std::max<std::int64_t>(1, rmax / std::max<std::int64_t>(1, subframes));
  const auto after = [&](Time from, std::int64_t n) {
    if (n == 0) return from;
    return valid != nullptr ? valid->end(from, n) : from + Time::milliseconds(n);
  };
  Time at = first;
  // Past the bookings in the way on every lane and candidate, to the
  // occasion in which the earliest of them ends.
  for (;;) {
    Time resume = Time::max();
    for (std::int64_t u = 0; u < candidates; ++u) {
      const Time start = after(at, u * subframes);
      const Time stop = after(at, (u + 1) * subframes);
      for (std::size_t l = 0; l < lanes; ++l) {
        const auto* b = downlink[l].next_after(start);
        if (b == nullptr || b->first >= stop) {
          *occasions = static_cast<int>((at - first).ns() / period.ns()) + 1;
          *end = stop;
          if (occasion != nullptr) *occasion = at;
          downlink[l].book(start, stop);
          return start;
        }
        resume = std::min(resume, b->second);
      }
    }
    const Time occasion_of_resume = Time::nanoseconds(resume.ns() - resume.ns() % period.ns());
    at = std::max(at + period, occasion_of_resume);
  }
}

Time CellCalendar::book_npdsch(Time want, std::int64_t subframes, const nbiot::DownlinkPattern& valid, Time* end) {
  const Booking b = book_earliest(
      downlink.data(), 1, want, [&](auto offer) { offer(0); },
      [&](std::size_t, Time start) { return valid.end(start, subframes) - start; });
  *end = b.start + b.span;
  return b.start;
}

void CellCalendar::prune(Time now) {
  for (auto& l : uplink) l.prune(now);
  for (auto& l : downlink) l.prune(now);
}

namespace {

/// Books an uplink block of `width` (subcarriers or PRBs) on the cell that
/// transmits for `air`; `*span`: how long it lasts (NB-IoT: its slots
/// postponed around the NPRACH); `*sent`: how long the device transmits.
/// NB-IoT: the cell may narrow a multi-tone block to 6 or 3 subcarriers
/// (the same resource units, each longer, TS 36.211 Table 10.1.2.3-1; the
/// same resource elements at a higher SNR each, so it still decodes) when
/// that ends it sooner, e.g. off the NPRACH's subcarriers.
Time book_pusch(CellCalendar& cell, const LevelConfig& c, Time want, Time air, int width, Time* span, Time* sent) {
  *span = air;
  *sent = air;
  if (c.rat == Rat::Ltem) return cell.book_prbs(want, air, width);
  if (c.pusch_spacing != nbiot::Spacing::Khz15 || width <= 3)
    return cell.book_uplink(want, air, width, c.pusch_spacing, span);
  const Time unit = *nbiot::npusch_ru_duration(nbiot::Spacing::Khz15, width);
  int best = width;
  Time best_end = Time::max();
  for (const int w : {12, 6, 3}) {
    if (w > width) continue;
    const Time a = Time::nanoseconds(air.ns() / unit.ns() * nbiot::npusch_ru_duration(nbiot::Spacing::Khz15, w)->ns());
    // A narrower block cannot end before want + a: none can beat this one.
    if (best_end <= want + a) break;
    Time s{};
    const Time start = cell.earliest_uplink(want, a, w, c.pusch_spacing, &s);
    if (start + s < best_end) {
      best_end = start + s;
      best = w;
      *sent = a;
    }
  }
  return cell.book_uplink(want, *sent, best, c.pusch_spacing, span);
}

/// Air time of a downlink message of `bits` in one block (the response, paging).
Time single_downlink_block(const LevelConfig& c, int bits) {
  if (c.rat == Rat::Ltem) return ltem::block_duration(c.pdsch_repetitions);
  return nbiot::npdsch_duration(*nbiot::npdsch_isf_for(c.pdsch_itbs, bits), c.pdsch_repetitions);
}

Time msg3_air(const LevelConfig& c) {
  if (c.rat == Rat::Ltem) return ltem::block_duration(c.pusch_repetitions);
  return nbiot::npusch_duration(c.pusch_spacing, c.pusch_width, *nbiot::npusch_iru_for(c.pusch_itbs, kMsg3Bits),
                                c.pusch_repetitions);
}

int msg3_width(const LevelConfig& c) {
  if (c.rat == Rat::Ltem) return ltem::prbs_for(c.pusch_itbs, kMsg3Bits, c.pusch_width).value_or(c.pusch_width);
  return c.pusch_width;
}

}  // namespace

int Harq::transmissions() const {
  if (rng == nullptr || bler <= 0.0) return 1;
  int n = 1;
  while (n < max_transmissions && rng->uniform() < bler) ++n;
  if (retransmissions != nullptr) *retransmissions += static_cast<std::uint64_t>(n - 1);
  return n;
}

namespace {

/// A control message (an uplink grant or a downlink assignment) for a step
/// ready at `t`; its end: in the first search-space occasion at or after `t`
/// where the cell's downlink (NB-IoT's carrier, one of LTE-M's narrowbands)
/// is free (on an idle cell, the first); the device reads every occasion
/// until its own and waits between them.
Time control_message(const LevelConfig& c, Time t, StepTime& s, CellCalendar* cell) {
  if (c.control_period <= Time::zero()) {
    const Time end = downlink_after(c, t, c.control_repetitions);
    s.rx += end - t;
    return end;
  }
  int occasions = 1;
  Time at{}, end{}, occasion{};
  if (cell != nullptr) {
    at = cell->book_control(t, c.control_repetitions, c.control_rmax, c.control_period,
                            c.rat == Rat::Nbiot ? c.downlink : nullptr, &occasions, &end, &occasion);
  } else {
    at = occasion = next_occasion(t, c.control_period);
    end = downlink_after(c, at, c.control_repetitions);
  }
  // The device decodes every candidate of an occasion up to its own: the
  // whole search space (Rmax subframes) of each occasion without its
  // message, its own from the start to its message's end; it waits between.
  const Time space = occasions == 1
                         ? Time::zero()
                         : downlink_after(c, occasion, std::max(c.control_rmax, c.control_repetitions)) - occasion;
  const Time read = std::min(space * (occasions - 1) + (end - occasion), end - t);
  s.rx += read;
  s.wait += end - t - read;
  return end;
}

/// A downlink data block of `air` at `want` or later (booked on `cell`
/// unless null); its start, and `*end`. NB-IoT's take valid subframes only.
Time downlink_block(const LevelConfig& c, CellCalendar* cell, Time want, Time air, Time* end) {
  if (c.rat == Rat::Nbiot) {
    if (cell != nullptr) return cell->book_npdsch(want, subframes_of(air), *c.downlink, end);
    *end = c.downlink->end(want, subframes_of(air));
    return want;
  }
  const Time start = cell != nullptr ? cell->book_downlink(want, air) : want;
  *end = start + air;
  return start;
}

}  // namespace

Time uplink_message(const LevelConfig& c, int bits, Time t, StepTime& s, CellCalendar* cell, bool msg3,
                    const Harq& harq) {
  const Gaps& g = gaps(c);
  bool in_response = msg3;
  const auto send = [&](Time air, int width) {
    // Each transmission's grant (a retransmission's too: adaptive HARQ), then
    // the gap to its PUSCH; Msg3's first grant is the response's.
    for (int k = harq.transmissions(); k > 0; --k) {
      Time ready = t, gap = g.rar_to_msg3;
      if (!in_response) {
        ready = control_message(c, t, s, cell);
        gap = g.dci_to_pusch;
      }
      in_response = false;
      const Time want = ready + gap;
      Time span = air, sent = air;
      const Time start = cell != nullptr ? book_pusch(*cell, c, want, air, width, &span, &sent) : want;
      s.wait += start - ready + (span - sent);  // postponed slots: waiting, not sending
      s.transmit(sent, c.tx_mA);
      t = start + span;
    }
  };
  if (c.rat == Rat::Ltem) {
    // Blocks on the allocation's PRBs, the last in the fewest that carry the rest.
    const ltem::Segmentation seg = ltem::segments(c.pusch_itbs, c.pusch_width, bits);
    const Time air = ltem::block_duration(c.pusch_repetitions);
    for (int i = 0; i < seg.full; ++i) send(air, seg.full_prbs);
    if (seg.tail_prbs > 0) send(air, seg.tail_prbs);
    return t;
  }
  // Blocks of the largest size the allocation allows (pusch_max_block, or the
  // table's largest at its I_TBS), then the rest in the smallest block that
  // carries it: the segmentation link adaptation checked (nbiot_link.cpp).
  const int cap = std::min(c.pusch_max_block, max_iru(c.pusch_itbs));
  const nbiot::Segmentation seg = nbiot::npusch_segments(c.pusch_itbs, cap, bits);
  const auto air = [&](int iru) {
    return nbiot::npusch_duration(c.pusch_spacing, c.pusch_width, iru, c.pusch_repetitions);
  };
  for (int i = 0; i < seg.full; ++i) send(air(cap), c.pusch_width);
  if (seg.tail_iru >= 0) send(air(seg.tail_iru), c.pusch_width);
  return t;
}

Time downlink_message(const LevelConfig& c, int bits, Time t, StepTime& s, CellCalendar* cell, const Harq& harq) {
  const Gaps& g = gaps(c);
  int block = 0;
  if (c.rat == Rat::Ltem) {
    int w = c.pdsch_width;
    while (w > 1 && ltem::tbs_bits(c.pdsch_itbs, w) == 0) --w;
    block = ltem::tbs_bits(c.pdsch_itbs, w);
  } else {
    block = nbiot::npdsch_tbs_bits(c.pdsch_itbs, max_isf(c.pdsch_itbs));
  }
  do {
    const int here = std::min(bits, block);
    const Time air = c.rat == Rat::Ltem
                         ? ltem::block_duration(c.pdsch_repetitions)
                         : nbiot::npdsch_duration(*nbiot::npdsch_isf_for(c.pdsch_itbs, here), c.pdsch_repetitions);
    // Each transmission: its assignment, the block, its HARQ-ACK (a NACK
    // before a retransmission).
    for (int k = harq.transmissions(); k > 0; --k) {
      const Time assigned = control_message(c, t, s, cell);
      Time end{};
      const Time start = downlink_block(c, cell, assigned + g.dci_to_pdsch, air, &end);
      s.wait += start - assigned + g.pdsch_to_ack;
      s.rx += end - start;
      s.transmit(harq_ack(c), c.ack_mA);
      t = end + g.pdsch_to_ack + harq_ack(c);
    }
    bits -= here;
  } while (bits > 0);
  return t;
}

LevelConfig with_allocation(const LevelConfig& base, const std::optional<UplinkChoice>& a) {
  LevelConfig x = base;
  if (a) {
    x.pusch_spacing = a->spacing;
    x.pusch_width = a->width;
    x.pusch_itbs = a->itbs;
    x.pusch_max_block = a->max_block;
    x.pusch_repetitions = a->repetitions;
  }
  return x;
}

double npusch_dBm(const GroupConfig& g, const LevelConfig& x, double p0_dBm, double alpha, double coupling_loss_dB) {
  if (!g.power_control) return g.tx_power_dBm;
  return nbiot::npusch_power_dBm(g.tx_power_dBm, x.pusch_spacing, x.pusch_width, x.pusch_repetitions, p0_dBm, alpha,
                                 coupling_loss_dB);
}

double ack_dBm(const GroupConfig& g, const LevelConfig& c, double coupling_loss_dB) {
  LevelConfig one = c;
  one.pusch_width = 1;
  return npusch_dBm(g, one, g.p0_dBm, 1.0, coupling_loss_dB);
}

double tx_current_mA(const GroupConfig& g, double dBm) {
  return dBm >= g.tx_power_dBm ? g.tx_mA : g.profile->tx_mA(dBm);
}

LevelConfig downlink_for(const LevelConfig& c, int halvings) {
  LevelConfig d = c;
  if (halvings <= 0) return d;
  d.control_repetitions = std::max(1, c.control_repetitions >> std::min(halvings, 3));
  // Halved, then the smallest repetition number the standard has at or
  // above it (192 halved is 96: 128).
  const int halved = std::max(1, c.pdsch_repetitions >> std::min(halvings, 30));
  d.pdsch_repetitions = *std::lower_bound(nbiot::kNpdschRepetitions.begin(), nbiot::kNpdschRepetitions.end(), halved);
  return d;
}

nbiot::GrantTiming grant_timing(const LevelConfig& c) {
  // NB-IoT's grant on valid subframes, on average period / valid ones each.
  const Time read =
      c.rat == Rat::Nbiot
          ? Time::nanoseconds(c.control_repetitions * c.downlink->period() * 1'000'000 / c.downlink->valid_per_period())
          : ms(c.control_repetitions);
  return {c.control_period, read, gaps(c).dci_to_pusch};
}

StepTime uplink_message(const LevelConfig& c, int bits) {
  StepTime s;
  (void)uplink_message(c, bits, Time::zero(), s, nullptr);
  return s;
}

StepTime downlink_message(const LevelConfig& c, int bits) {
  StepTime s;
  (void)downlink_message(c, bits, Time::zero(), s, nullptr);
  return s;
}

bool uplink_decodes(const LevelConfig& c, int bits, double snr15_dB, double gain_dB, double pc_snr_dB) {
  if (c.rat == Rat::Ltem) {
    // Blocks on the allocation's PRBs, the last on the fewest that carry the
    // rest (uplink_message); the SNR on each of their 12 subcarriers a PRB.
    const ltem::Segmentation seg = ltem::segments(c.pusch_itbs, c.pusch_width, bits);
    const auto decodes = [&](int prbs) {
      return ltem::pusch_required_snr_dB(ltem::tbs_bits(c.pusch_itbs, prbs), prbs, c.pusch_repetitions, gain_dB) <=
             ltem::subcarrier_snr_dB(snr15_dB, prbs);
    };
    return (seg.full == 0 || decodes(seg.full_prbs)) && (seg.tail_prbs == 0 || decodes(seg.tail_prbs));
  }
  const bool narrow = c.pusch_spacing == nbiot::Spacing::Khz3_75;
  double snr = nbiot::subcarrier_snr_dB(snr15_dB, c.pusch_spacing, c.pusch_width);
  if (c.pusch_repetitions <= 2) snr = std::min(snr, pc_snr_dB);
  const int tones = narrow ? 1 : c.pusch_width;
  const int cap = std::min(c.pusch_max_block, max_iru(c.pusch_itbs));
  const nbiot::Segmentation seg = nbiot::npusch_segments(c.pusch_itbs, cap, bits);
  const auto decodes = [&](int iru) {
    return nbiot::npusch_required_snr_dB(nbiot::npusch_tbs_bits(c.pusch_itbs, iru),
                                         nbiot::kUnitsByIndex[static_cast<std::size_t>(iru)], tones,
                                         c.pusch_repetitions, gain_dB) <= snr;
  };
  return (seg.full == 0 || decodes(cap)) && (seg.tail_iru < 0 || decodes(seg.tail_iru));
}

namespace {
/// From a preamble's end to its response window's opening (TS 36.321 §5.1.4).
Time response_gap(const LevelConfig& c) {
  const Gaps& g = gaps(c);
  return c.prach_repetitions >= 64 ? g.rar_long : g.rar;
}
}  // namespace

LevelTiming level_timing(const LevelConfig& c) {
  LevelTiming t;
  t.sync = c.sync_time;
  if (c.rat == Rat::Ltem) {
    t.preamble = ltem::kPreambleSubframe * c.prach_repetitions;
    t.preamble_span = ltem::preamble_span(c.prach_repetitions);
  } else {
    t.preamble = nbiot::nprach_duration(nbiot::PreambleFormat::F0, c.prach_repetitions);
    t.preamble_span = t.preamble;
  }
  // The response and a collision's depend on the subframes of their moment
  // (response_after, collided_after); an unheard preamble's do not.
  t.msg3 = msg3_air(c);
  t.unheard.wait = response_gap(c);
  t.unheard.rx = c.response_window;
  return t;
}

StepTime response_after(const LevelConfig& c, Time preamble_end) {
  const Gaps& g = gaps(c);
  const Time gap = response_gap(c);
  // Its assignment and its block (no HARQ-ACK), NB-IoT's on valid subframes.
  StepTime response;
  const Time control_end = downlink_after(c, preamble_end + gap, c.control_repetitions);
  const Time block_start = control_end + g.dci_to_pdsch;
  const Time block_end = downlink_after(c, block_start, subframes_of(single_downlink_block(c, kRarBits)));
  response.rx = (control_end - (preamble_end + gap)) + (block_end - block_start);
  response.wait = block_end - preamble_end - response.rx;
  return response;
}

StepTime collided_after(const LevelConfig& c, Time preamble_end) {
  // The response, Msg3 on the grant it carries, then a contention
  // resolution that never comes.
  StepTime s = response_after(c, preamble_end);
  s.wait += gaps(c).rar_to_msg3;
  s.transmit(msg3_air(c), c.tx_mA);
  s.rx += c.contention_resolution;
  return s;
}

CellNetwork::CellNetwork(Simulation& sim, CellNetworkConfig config)
    : sim_(sim), net_(config), occasions_(config.sites * kMaxLevels), cells_(config.sites), site_load_(config.sites) {
  for (auto& c : cells_) {
    c.narrowbands = config.narrowbands;
    c.nprach = net_.nprach;
  }
}

void CellNetwork::add_device(const GroupConfig& config, std::uint32_t group, const DeviceLink& link,
                             RandomStream traffic_rng, RandomStream mac_rng, RandomStream downlink_rng) {
  Downlinks dl;
  if (config.downlinks) {
    // The device's paging occasions: a fixed offset within the cycle (set by
    // its identity, TS 36.304 §7), drawn uniformly.
    dl.paging_offset = Time::nanoseconds(
        static_cast<std::int64_t>(downlink_rng.uniform() * static_cast<double>(config.paging_cycle.ns())));
    dl.traffic = traffic::TrafficSource(config.downlink, downlink_rng);
  }
  downlinks_.push_back(std::move(dl));
  CellDevice d;
  d.config = &config;
  d.group = group;
  d.link = link;
  d.traffic = traffic::TrafficSource(config.traffic, traffic_rng);
  d.mac_rng = mac_rng;
  if (link.camps) ++site_load_[link.cell].camped;
  devices_.push_back(std::move(d));
}

void CellNetwork::start(Time end) {
  end_ = end;
  for (auto& cell : cells_) {
    for (auto& l : cell.uplink) l.set_horizon(end);
    for (auto& l : cell.downlink) l.set_horizon(end);
  }
  for (std::uint32_t d = 0; d < devices_.size(); ++d) {
    CellDevice& dev = devices_[d];
    const Time first_report = dev.traffic.next();
    if (first_report < end_) sim_.schedule_at(first_report, [this, d] { on_generate(d); });
    // The window opens on a device in its steady state: T3412 last
    // restarted when it last left connected mode (TS 24.301 §5.3.5), after
    // its last report before the window (periodic: one period before its
    // first; Poisson: an exponential draw back, the arrivals being
    // memoryless), and again at each update since, every T3412. A device
    // that reports at least once per T3412 therefore makes no periodic
    // update: the first report's release restarts the timer first (at a
    // tie, the report was scheduled first). If that access fails, nothing
    // restarts it, and the update falls due as scheduled here.
    // A device that finds no cell never attached: no updates.
    const traffic::TrafficPattern& tp = dev.config->traffic;
    const Time last_report = tp.kind == traffic::TrafficPattern::Kind::Periodic
                                 ? first_report - tp.interval
                                 : Time::zero() - Time::from_seconds(dev.mac_rng.exponential(tp.interval.to_seconds()));
    const std::int64_t t3412 = dev.config->periodic_tau.ns();
    // (A jittered period may put that report after the window's start.)
    const Time first = last_report >= Time::zero() ? last_report + dev.config->periodic_tau
                                                   : Time::nanoseconds((t3412 - (-last_report.ns()) % t3412) % t3412);
    if (first < end_ && dev.link.camps) dev.tau_event = sim_.schedule_at(first, [this, d] { on_tau(d); });
    if (dev.config->downlinks) {
      const Time t = downlinks_[d].traffic.next();
      if (t < end_) sim_.schedule_at(t, [this, d] { on_downlink_generate(d); });
    }
  }
}

void CellNetwork::schedule_next(std::uint32_t d) {
  const Time t = devices_[d].traffic.next();
  if (t < end_) sim_.schedule_at(t, [this, d] { on_generate(d); });
}

void CellNetwork::book(CellDevice& dev, const StepTime& all, Time from, Time to) {
  const GroupConfig& cfg = *dev.config;
  // An access that runs past the run's end is charged for the share of its
  // time inside the run (its steps taken as spread evenly), as a device's
  // sleep is counted up to the end: in a short run, or behind a long queue,
  // the whole access would otherwise raise the average current above what
  // the radio can draw.
  const StepTime s =
      to > end_ && to > from
          ? all.scaled(
                std::clamp(static_cast<double>((end_ - from).ns()) / static_cast<double>((to - from).ns()), 0.0, 1.0))
          : all;
  for (const auto& [mA, t] : s.tx_by_mA)
    if (t > Time::zero()) dev.energy.add_awake(kTx, t, mA);
  if (s.rx > Time::zero()) dev.energy.add_awake(kRx, s.rx, cfg.profile->rx_mA);
  if (s.wait > Time::zero()) dev.energy.add_awake(kConnected, s.wait, cfg.profile->connected_or_rx_mA());
}

void CellNetwork::settle_idle(CellDevice& dev, Time now) {
  // Idle mode from the last release until PSM, or until now if earlier.
  const Time until = std::min(now, dev.psm_at);
  if (until > dev.idle_since) {
    dev.energy.add_awake(kIdle, until - dev.idle_since, dev.config->idle_mode_mA);
    dev.idle_mode_time += until - dev.idle_since;
  }
  dev.idle_since = dev.psm_at = std::max(until, dev.idle_since);
}

void CellNetwork::fail_waiting(CellDevice& dev, PacketFate fate) {
  dev.counters.fates[static_cast<std::size_t>(fate)] += dev.queued;
  dev.queued = 0;
}

void CellNetwork::on_generate(std::uint32_t d) {
  CellDevice& dev = devices_[d];
  const GroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  ++dev.counters.generated;
  schedule_next(d);
  if (energy::battery_empty(dev.energy, now, cfg.idle_mA(), cfg.board, cfg.battery, dev.battery_empty_at)) {
    ++dev.counters.fates[static_cast<std::size_t>(PacketFate::BatteryEmpty)];
    return;
  }
  dev.energy.add_packet();
  if (dev.queued == dev.queue.size()) {
    ++dev.counters.fates[static_cast<std::size_t>(PacketFate::QueueFull)];
    return;
  }
  dev.queue[dev.queued++] = now;
  if (dev.link.camps) ++dev.counters.sent;  // without a cell, no attempt starts
  if (!dev.busy) start_access(d);
}

void CellNetwork::on_tau(std::uint32_t d) {
  CellDevice& dev = devices_[d];
  if (dev.busy) {
    // An access under way: its release restarts T3412; if it fails, the
    // update follows it (on_connection_end).
    dev.tau_due = true;
    return;
  }
  const GroupConfig& cfg = *dev.config;
  if (energy::battery_empty(dev.energy, sim_.now(), cfg.idle_mA(), cfg.board, cfg.battery, dev.battery_empty_at))
    return;
  dev.tau_access = true;
  ++dev.tracking_area_updates;
  start_access(d);
}

void CellNetwork::start_access(std::uint32_t d, Time not_before) {
  CellDevice& dev = devices_[d];
  const Time now = sim_.now();
  dev.busy = true;
  dev.level = dev.link.level;
  dev.attempts = 0;
  // From PSM the device must regain synchronisation and read the system
  // information; in idle mode it is still synchronised.
  const bool from_psm = now >= dev.psm_at;
  settle_idle(dev, now);
  if (!dev.link.camps) {
    // No cell passes cell selection: the device searches, receiving, then
    // gives up until its next report (reports generated meanwhile wait for
    // the search's end and fail with it).
    const Time search = dev.config->search_time;
    if (search > Time::zero()) dev.energy.add_awake(kRx, search, dev.config->profile->rx_mA);
    sim_.schedule_at(now + search, [this, d] {
      fail_waiting(devices_[d], PacketFate::NoCell);
      on_connection_end(d, false);
    });
    return;
  }
  Time ready = std::max(now, not_before);
  if (from_psm) {
    const Time sync = dev.config->timing[dev.level].sync;
    if (sync > Time::zero()) dev.energy.add_awake(kRx, sync, dev.config->profile->rx_mA);
    ready = now + sync;
  }
  schedule_preamble(d, ready);
}

void CellNetwork::schedule_preamble(std::uint32_t d, Time not_before) {
  CellDevice& dev = devices_[d];
  const Time period = dev.config->levels[dev.level].prach_period;
  // The level's NPRACH occasions are at its start time plus whole
  // multiples of its period.
  const Time first = dev.config->levels[dev.level].prach_start;
  const std::int64_t k = not_before <= first ? 0 : ((not_before - first).ns() + period.ns() - 1) / period.ns();
  const Time at = first + Time::nanoseconds(k * period.ns());
  if (at > not_before) dev.energy.add_awake(kIdle, at - not_before, dev.config->profile->standby_mA);
  sim_.schedule_at(at, [this, d] { on_preamble(d); });
}

namespace {

/// The current of the device's next preamble: with power control, CE level
/// 0's from its target, ramped each attempt (TS 36.321 §5.1.3, TS 36.213
/// §16.3.1); otherwise, and at the other levels, tx_power's.
double preamble_mA(const GroupConfig& cfg, const CellDevice& dev) {
  if (!cfg.power_control) return cfg.tx_mA;
  const double p =
      nbiot::nprach_power_dBm(cfg.tx_power_dBm, dev.level, cfg.levels[dev.level].prach_repetitions, dev.attempts,
                              cfg.preamble_target_dBm, cfg.ramping_step_dB, dev.link.coupling_loss_dB);
  return tx_current_mA(cfg, p);
}

}  // namespace

void CellNetwork::on_preamble(std::uint32_t d) {
  CellDevice& dev = devices_[d];
  const Time now = sim_.now();
  const LevelConfig& c = dev.config->levels[dev.level];
  dev.subcarrier = static_cast<std::uint8_t>(dev.mac_rng.uniform_int(static_cast<std::uint64_t>(c.preambles)));
  ++dev.preambles;
  // Only a preamble the site hears takes part in its occasion.
  if (dev.link.covered) {
    Occasion& o = occasions_[dev.link.cell * kMaxLevels + dev.level];
    if (o.at != now) {
      close_occasion(o, dev.link.cell);
      o.at = now;
    }
    ++o.picks[dev.subcarrier];
    ++site_load_[dev.link.cell].preambles;
  }
  const LevelTiming& t = dev.config->timing[dev.level];
  dev.energy.add_awake(kTx, t.preamble, preamble_mA(*dev.config, dev));
  if (t.preamble_span > t.preamble)
    dev.energy.add_awake(kConnected, t.preamble_span - t.preamble, dev.config->profile->connected_or_rx_mA());
  sim_.schedule_in(t.preamble_span, [this, d] { on_preamble_end(d); });
}

void CellNetwork::on_preamble_end(std::uint32_t d) {
  CellDevice& dev = devices_[d];
  const GroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  const LevelTiming& t = cfg.timing[dev.level];
  const LevelConfig& c = cfg.levels[dev.level];
  // A level's occasions are a period apart and its preamble is shorter than
  // the period, so the occasion counted is still this preamble's.
  const bool collided =
      dev.link.covered && occasions_[dev.link.cell * kMaxLevels + dev.level].picks[dev.subcarrier] > 1;
  if (dev.link.covered && !collided) {
    connect(d, now);
    return;
  }
  StepTime failed = t.unheard;
  if (collided) {
    LevelConfig mine = c;  // Msg3 (the level's allocation) at the device's power
    mine.tx_mA = tx_current_mA(cfg, npusch_dBm(cfg, c, cfg.msg3_p0_dBm, 1.0, dev.link.coupling_loss_dB));
    failed = collided_after(mine, now);
    ++dev.collisions;
  }
  const Time after = now + failed.total();
  book(dev, failed, now, after);
  if (++dev.attempts >= c.max_attempts) {
    if (dev.level + 1U < cfg.level_count) {
      ++dev.level;  // TS 36.321 §5.1.4: on to the next CE level's resource
      dev.attempts = 0;
    } else {
      fail_waiting(dev, dev.link.covered ? PacketFate::RandomAccessFailed : PacketFate::BelowSensitivity);
      end_connection(d, after, false);
      return;
    }
  }
  const Time backoff =
      Time::nanoseconds(static_cast<std::int64_t>(dev.mac_rng.uniform() * static_cast<double>(cfg.backoff.ns())));
  if (backoff > Time::zero()) dev.energy.add_awake(kIdle, backoff, cfg.profile->standby_mA);
  schedule_preamble(d, after + backoff);
}

void CellNetwork::connect(std::uint32_t d, Time now) {
  CellDevice& dev = devices_[d];
  const GroupConfig& cfg = *dev.config;
  // The level as this device is served: its HARQ-ACKs (NPUSCH format 2,
  // one subcarrier, the level's repetitions, alpha 1) at its own power.
  const double cl = dev.link.coupling_loss_dB;
  LevelConfig c = cfg.levels[dev.level];
  c.ack_mA = tx_current_mA(cfg, ack_dBm(cfg, c, cl));
  CellCalendar* cell = &cells_[dev.link.cell];
  cell->prune(now);
  const Harq harq{cfg.bler, 4, &dev.mac_rng, &dev.harq_retransmissions};
  // The random-access response (one per occasion, for every preamble heard:
  // not booked), then Msg3 on the grant it carries, booked on the uplink.
  // With link adaptation each uplink message goes on the allocation chosen
  // for it (for Msg3 an idealisation: a real grant follows the CE level).
  // Once connected (after Msg4), the network serves the device's downlink
  // with the repetitions its margin needs (downlink link adaptation).
  const LevelConfig served = downlink_for(c, dev.link.downlink_halvings[dev.level]);
  // Each message on its allocation, at the power that allocation takes
  // (power control: P0 and alpha of its grant, §3.3.5).
  const auto on = [&](const std::optional<UplinkChoice>& a, const LevelConfig& base, double p0, double alpha) {
    LevelConfig x = with_allocation(base, a);
    x.tx_mA = tx_current_mA(cfg, npusch_dBm(cfg, x, p0, alpha, cl));
    return x;
  };
  const LevelConfig data = on(dev.link.data, served, cfg.p0_dBm, cfg.alpha);
  const LevelConfig msg3_cfg = on(dev.link.msg3, c, cfg.msg3_p0_dBm, 1.0);
  StepTime conn = response_after(c, now);
  Time t = now + conn.total();
  const int data_bits = dev.queued * 8 * static_cast<int>(cfg.traffic.payload_bytes + cfg.header_overhead_bytes);
  // Waiting connected for the network: monitoring throughout (the connected
  // current), or with connected-mode DRX the on-durations only, which read
  // the control channel (the receive current), asleep (the standby current)
  // between them. A profile's connected current is a measured average over
  // such waits, a network's DRX included: the on-durations are not booked at it.
  const auto wait_connected = [&](Time span) {
    if (cfg.drx_cycle > Time::zero()) {
      const Time monitoring = Time::nanoseconds(
          static_cast<std::int64_t>(static_cast<double>(span.ns()) * static_cast<double>(cfg.drx_on_duration.ns()) /
                                    static_cast<double>(cfg.drx_cycle.ns())));
      conn.rx += monitoring;
      dev.energy.add_awake(kIdle, span - monitoring, cfg.profile->standby_mA);
    } else {
      conn.wait += span;
    }
    t += span;
  };
  // The application's acknowledgement leaves the site once the data has
  // gone through the backhaul to the server, the answer has come back, and
  // the network has handled both (network_delay).
  Time ack_ready = Time::zero();
  const auto deliver = [&](Time at) {
    const Time arrival = at + net_.backhaul->delay(dev.link.cell, at);
    ack_ready = arrival + net_.backhaul->delay(dev.link.cell, arrival) + cfg.network_delay;
    for (std::uint8_t i = 0; i < dev.queued; ++i) {
      if (arrival < end_) {
        ++dev.counters.fates[static_cast<std::size_t>(PacketFate::Delivered)];
        net_.latency->uplink_delivered(dev.group, (arrival - dev.queue[i]).to_seconds());
      } else {
        ++dev.counters.fates[static_cast<std::size_t>(PacketFate::InFlight)];
      }
    }
    dev.queued = 0;
  };
  // Early data (TS 36.300 §7.3b): the reports go in Msg3 when they fit the
  // level's EDT block with Msg3's own bits, and the network's answer (with
  // the application's acknowledgement) is Msg4; the device stays in idle
  // mode. Not for a tracking area update, nor with downlinks waiting (those
  // need a connection).
  if (cfg.early_data && !dev.tau_access && dev.queued > 0 && downlinks_[d].queued == 0 &&
      kMsg3Bits + data_bits <= cfg.edt_max_bits[dev.level]) {
    t = uplink_message(on(dev.link.edt, c, cfg.msg3_p0_dBm, 1.0), kMsg3Bits + data_bits, t, conn, cell, true, harq);
    deliver(t);
    // Msg4 carries the network's answer (TS 36.300 §7.3b.2): with the
    // application's acknowledgement once that is back, else after the
    // network's own handling.
    // Still in random access, not connected: no connected-mode DRX.
    const Time answer = std::max(cfg.application_ack ? ack_ready : t + cfg.network_delay, t) - t;
    conn.wait += answer;
    t += answer;
    t = downlink_message(c, kMsg4Bits + (cfg.application_ack ? cfg.ack_bits : 0), t, conn, cell, harq);
    ++dev.early_data_transmissions;
    book(dev, conn, now, t);
    end_connection(d, t, true);
    return;
  }
  const Time msg3 = msg3_air(msg3_cfg);
  Time span = msg3, msg3_sent = msg3;
  const Time msg3_start =
      book_pusch(*cell, msg3_cfg, t + gaps(c).rar_to_msg3, msg3, msg3_width(msg3_cfg), &span, &msg3_sent);
  conn.wait += msg3_start - t + (span - msg3_sent);
  conn.transmit(msg3_sent, msg3_cfg.tx_mA);
  t = msg3_start + span;
  // Msg3's retransmissions, each on an uplink grant (TS 36.321 §5.4.2).
  for (int k = harq.transmissions(); k > 1; --k) {
    const Time ready = control_message(c, t, conn, cell);
    const Time start =
        book_pusch(*cell, msg3_cfg, ready + gaps(c).dci_to_pusch, msg3, msg3_width(msg3_cfg), &span, &msg3_sent);
    conn.wait += start - ready + (span - msg3_sent);
    conn.transmit(msg3_sent, msg3_cfg.tx_mA);
    t = start + span;
  }
  t = downlink_message(c, kMsg4Bits, t, conn, cell, harq);
  if (dev.tau_access) {
    t = uplink_message(on(dev.link.tau, served, cfg.p0_dBm, cfg.alpha), kTauRequestBits, t, conn, cell, false, harq);
    wait_connected(cfg.network_delay);
    t = downlink_message(served, kTauAcceptBits, t, conn, cell, harq);
  }
  if (dev.queued > 0) {
    t = uplink_message(data, data_bits, t, conn, cell, false, harq);
    deliver(t);
    if (cfg.application_ack) {
      wait_connected(std::max(ack_ready, t) - t);
      t = downlink_message(served, cfg.ack_bits, t, conn, cell, harq);
    }
  }
  // Downlinks waiting at the server come after the uplink, each a message
  // of its own; one that reaches the site later waits for the next access.
  Downlinks& dl = downlinks_[d];
  std::uint8_t sent = 0;
  while (sent < dl.queued) {
    const Time at_site = dl.queue[sent] + net_.backhaul->delay(dev.link.cell, dl.queue[sent]);
    if (at_site > t) break;
    t = downlink_message(served, cfg.downlink_bits, t, conn, cell, harq);
    if (t < end_) {
      ++dl.delivered;
      net_.latency->downlink_delivered(dev.group, (t - dl.queue[sent]).to_seconds());
    }
    ++sent;
  }
  std::copy(dl.queue.begin() + sent, dl.queue.begin() + dl.queued, dl.queue.begin());
  dl.queued = static_cast<std::uint8_t>(dl.queued - sent);
  // The release. After a tracking area update alone (no data, no
  // downlinks) the core network releases the connection as it sends the
  // accept, which has waited already (no active flag, TS 24.301 §5.5.3.2.2).
  // Otherwise, with release assistance, the core network's release once it
  // has handled the device's last message (an S1 release, TS 23.401
  // §5.3.5); without, the cell's, when the inactivity timer expires.
  const bool update_only = dev.tau_access && data_bits == 0 && sent == 0;
  if (!update_only) wait_connected(cfg.release_assistance ? cfg.network_delay : cfg.inactivity_timer);
  t = downlink_message(served, kReleaseBits, t, conn, cell, harq);
  book(dev, conn, now, t);
  end_connection(d, t, true);
}

void CellNetwork::end_connection(std::uint32_t d, Time at, bool released) {
  sim_.schedule_at(at, [this, d, released] { on_connection_end(d, released); });
}

void CellNetwork::on_connection_end(std::uint32_t d, bool released) {
  CellDevice& dev = devices_[d];
  const Time now = sim_.now();
  const bool was_tau = dev.tau_access;
  dev.busy = false;
  dev.tau_access = false;
  dev.idle_since = now;
  if (released) {
    dev.psm_at = now + dev.config->active_timer;
    // T3412 restarts when the device leaves connected mode (TS 24.301
    // §5.3.5): the pending update, or its retry, is cancelled, not left to
    // fire stale.
    sim_.cancel(dev.tau_event);
    dev.tau_due = false;
    dev.tau_failures = 0;
    const Time tau = now + dev.config->periodic_tau;
    if (tau < end_) dev.tau_event = sim_.schedule_at(tau, [this, d] { on_tau(d); });
  } else {
    // A failed access never left idle mode: the device goes back to PSM,
    // and T3412 runs on.
    dev.psm_at = now;
    Time retry = Time::max();
    if (was_tau) {
      // A tracking area update that failed in the lower layers (TS 24.301
      // §5.5.3.2.6 b): the attempt counter goes up; below 5 the update is
      // tried again when T3411 expires, at 5 when T3402 does, which also
      // resets the counter (§5.5.3.1; Table 10.2.1's default values).
      ++dev.tau_failures;
      retry = now + (dev.tau_failures < kTauAttempts ? kT3411 : kT3402);
      if (dev.tau_failures >= kTauAttempts) dev.tau_failures = 0;
    } else if (dev.tau_due) {
      // T3412 expired during this failed access: the update follows it.
      retry = now;
    }
    dev.tau_due = false;
    if (retry < end_) {
      sim_.cancel(dev.tau_event);
      dev.tau_event = sim_.schedule_at(retry, [this, d] { on_tau(d); });
    }
  }
  if (dev.queued > 0) {
    start_access(d);
  } else if (downlinks_[d].queued > 0) {
    // Page from when the oldest waiting downlink reaches the site.
    const Time first = downlinks_[d].queue[0];
    page(d, std::max(now, first + net_.backhaul->delay(dev.link.cell, first)));
  }
}

void CellNetwork::on_downlink_generate(std::uint32_t d) {
  Downlinks& dl = downlinks_[d];
  const Time now = sim_.now();
  ++dl.generated;
  const Time next = dl.traffic.next();
  if (next < end_) sim_.schedule_at(next, [this, d] { on_downlink_generate(d); });
  if (dl.queued == dl.queue.size()) {
    ++dl.dropped;
    return;
  }
  dl.queue[dl.queued++] = now;
  if (!devices_[d].busy) page(d, now + net_.backhaul->delay(devices_[d].link.cell, now));
}

void CellNetwork::page(std::uint32_t d, Time from) {
  CellDevice& dev = devices_[d];
  Downlinks& dl = downlinks_[d];
  if (dl.paging || !dev.link.covered) return;
  const Time cycle = dev.config->paging_cycle;
  const std::int64_t k =
      (from - dl.paging_offset).ns() <= 0 ? 0 : ((from - dl.paging_offset).ns() + cycle.ns() - 1) / cycle.ns();
  const Time occasion = dl.paging_offset + cycle * k;
  // In PSM the device cannot be paged: the downlinks wait for its next access.
  if (occasion >= dev.psm_at || occasion >= end_) return;
  dl.paging = true;
  sim_.schedule_at(occasion, [this, d] { on_paging_occasion(d); });
}

void CellNetwork::on_paging_occasion(std::uint32_t d) {
  CellDevice& dev = devices_[d];
  Downlinks& dl = downlinks_[d];
  dl.paging = false;
  if (dev.busy || dl.queued == 0 || sim_.now() >= dev.psm_at) return;
  const GroupConfig& cfg = *dev.config;
  if (energy::battery_empty(dev.energy, sim_.now(), cfg.idle_mA(), cfg.board, cfg.battery, dev.battery_empty_at))
    return;
  // The paging message: the paging NPDCCH and its NPDSCH, on the cell's
  // downlink, no HARQ-ACK (the idle-mode monitoring of every occasion is in
  // the profile's standby current); the access starts once it is received.
  const LevelConfig& c = dev.config->levels[dev.link.level];
  const Time now = sim_.now();
  StepTime paging;
  const Time control_end = downlink_after(c, now, c.control_repetitions);
  paging.rx = control_end - now;
  const Time air = single_downlink_block(c, kPagingBits);
  Time end{};
  const Time start = downlink_block(c, &cells_[dev.link.cell], control_end + gaps(c).dci_to_pdsch, air, &end);
  paging.wait = start - control_end;
  paging.rx += end - start;
  book(dev, paging, now, now + paging.total());
  start_access(d, now + paging.total());
}

void CellNetwork::close_occasion(Occasion& o, std::size_t site) {
  unsigned heard = 0;
  for (auto p : o.picks) {
    heard += p;
    if (p > 1) site_load_[site].collided += p;
  }
  if (heard > 0) ++contention_[std::min(heard, 255U)];
  o.picks.fill(0);
}

void CellNetwork::finish() {
  for (std::size_t i = 0; i < occasions_.size(); ++i) close_occasion(occasions_[i], i / kMaxLevels);
  for (auto& dev : devices_) {
    fail_waiting(dev, PacketFate::InFlight);
    if (!dev.busy) settle_idle(dev, end_);
  }
}

}  // namespace m2msim::cellular
