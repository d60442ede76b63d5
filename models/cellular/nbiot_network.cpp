#include "models/cellular/nbiot_network.hpp"

#include <algorithm>

namespace m2msim::cellular {

namespace {

// Gaps between the steps of the procedure, their minimum values in the
// standard (docs/models/cellular.md §3.2):
constexpr Time kRarGap = Time::milliseconds(
    4);  // TS 36.321 §5.1.4: the response window opens 4 subframes after the preamble (fewer than 64 repetitions)
constexpr Time kRarGapLong = Time::milliseconds(41);  // ... 41 subframes after a preamble of 64 or more repetitions
constexpr Time kDciToNpdsch =
    Time::milliseconds(5);  // TS 36.213 §16.4.1: NPDSCH starts at least 5 subframes after its NPDCCH
constexpr Time kRarToMsg3 =
    Time::milliseconds(12);  // TS 36.213 §16.3.3: Msg3 at least 12 subframes after the response (k0 ≥ 12)
constexpr Time kDciToNpusch =
    Time::milliseconds(8);  // TS 36.213 Table 16.5.1-1: NPUSCH at least 8 subframes after its grant (k0 ≥ 8)
constexpr Time kNpdschToAck =
    Time::milliseconds(12);  // TS 36.213 §16.4.2: HARQ-ACK at least 12 subframes after the NPDSCH
// Message sizes (bits):
constexpr int kRarBits = 56;         // TS 36.321 §6.1.5, §6.2.3: one MAC subheader (1 B) and an NB-IoT MAC RAR (6 B)
constexpr int kTauAcceptBits = 256;  // model: NAS tracking area update accept with headers (32 B)
constexpr int kPagingBits = 56;      // model: one paging record with headers (7 B)

Time ms(std::int64_t v) { return Time::milliseconds(v); }

Time npdcch(const LevelConfig& c) { return ms(c.npdcch_repetitions); }

Time harq_ack(const LevelConfig& c) {
  return Time::nanoseconds(nbiot::npusch_ack_ru_duration(c.npusch_spacing).ns() * c.npusch_repetitions);
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

Time CellCalendar::book_uplink(Time want, Time duration, int tones, nbiot::Spacing spacing) {
  const std::size_t width = spacing == nbiot::Spacing::Khz15 ? 4 * static_cast<std::size_t>(tones) : 1;
  std::size_t best = 0;
  Time best_start = Time::max();
  for (std::size_t p = 0; p + width <= uplink.size(); p += width) {
    const Time start = earliest_fit(&uplink[p], width, want, duration);
    if (start < best_start) {
      best_start = start;
      best = p;
    }
  }
  for (std::size_t l = best; l < best + width; ++l) uplink[l].book(best_start, best_start + duration);
  return best_start;
}

Time CellCalendar::book_downlink(Time want, Time duration) {
  const Time start = earliest_fit(&downlink, 1, want, duration);
  downlink.book(start, start + duration);
  return start;
}

void CellCalendar::prune(Time now) {
  for (auto& l : uplink) l.prune(now);
  downlink.prune(now);
}

Time uplink_message(const LevelConfig& c, int bits, Time t, StepTime& s, CellCalendar* cell) {
  // Blocks of the largest size the allocation allows (npusch_max_iru, or the
  // table's largest at its I_TBS), then the rest in the smallest block that
  // carries it: the segmentation link adaptation checked (nbiot_link.cpp).
  const int cap = std::min(c.npusch_max_iru, max_iru(c.npusch_itbs));
  const nbiot::Segmentation g = nbiot::npusch_segments(c.npusch_itbs, cap, bits);
  const auto send = [&](int iru) {
    const Time air = nbiot::npusch_duration(c.npusch_spacing, c.npusch_subcarriers, iru, c.npusch_repetitions);
    s.rx += npdcch(c);
    const Time want = t + npdcch(c) + kDciToNpusch;
    const Time start = cell != nullptr ? cell->book_uplink(want, air, c.npusch_subcarriers, c.npusch_spacing) : want;
    s.wait += start - (t + npdcch(c));
    s.tx += air;
    t = start + air;
  };
  for (int i = 0; i < g.full; ++i) send(cap);
  if (g.tail_iru >= 0) send(g.tail_iru);
  return t;
}

Time downlink_message(const LevelConfig& c, int bits, Time t, StepTime& s, CellCalendar* cell) {
  const int top = max_isf(c.npdsch_itbs);
  const int block = nbiot::npdsch_tbs_bits(c.npdsch_itbs, top);
  do {
    const int here = std::min(bits, block);
    const int isf = *nbiot::npdsch_isf_for(c.npdsch_itbs, here);
    const Time air = nbiot::npdsch_duration(isf, c.npdsch_repetitions);
    s.rx += npdcch(c);
    const Time want = t + npdcch(c) + kDciToNpdsch;
    const Time start = cell != nullptr ? cell->book_downlink(want, air) : want;
    s.wait += start - (t + npdcch(c)) + kNpdschToAck;
    s.rx += air;
    s.tx += harq_ack(c);
    t = start + air + kNpdschToAck + harq_ack(c);
    bits -= here;
  } while (bits > 0);
  return t;
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

LevelTiming level_timing(const LevelConfig& c) {
  LevelTiming t;
  t.sync = c.sync_time;
  t.preamble =
      Time::nanoseconds(nbiot::nprach_repetition_duration(nbiot::PreambleFormat::F0).ns() * c.nprach_repetitions);
  const Time gap = c.nprach_repetitions >= 64 ? kRarGapLong : kRarGap;
  const Time period = ms(2LL * c.npdcch_repetitions);  // NPDCCH period Rmax × G, G = 2
  // The random-access response: its assignment and its block (no HARQ-ACK).
  StepTime& response = t.response;
  response.wait = gap + kDciToNpdsch;
  response.rx =
      npdcch(c) + nbiot::npdsch_duration(*nbiot::npdsch_isf_for(c.npdsch_itbs, kRarBits), c.npdsch_repetitions);
  // Msg3 on the grant the response carries.
  t.msg3 = nbiot::npusch_duration(c.npusch_spacing, c.npusch_subcarriers,
                                  *nbiot::npusch_iru_for(c.npusch_itbs, kMsg3Bits), c.npusch_repetitions);
  StepTime msg3;
  msg3.wait = kRarToMsg3;
  msg3.tx = t.msg3;

  t.unheard.wait = gap;
  t.unheard.rx = period * c.response_window_periods;

  t.collided = response;
  t.collided += msg3;
  t.collided.rx += period * c.contention_resolution_periods;
  return t;
}

NbiotNetwork::NbiotNetwork(Simulation& sim, NbiotNetworkConfig config)
    : sim_(sim), net_(config), occasions_(config.sites * kLevels), cells_(config.sites) {}

void NbiotNetwork::add_device(const GroupConfig& config, std::uint32_t group, const DeviceLink& link,
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
  NbiotDevice d;
  d.config = &config;
  d.group = group;
  d.link = link;
  d.traffic = traffic::TrafficSource(config.traffic, traffic_rng);
  d.mac_rng = mac_rng;
  devices_.push_back(std::move(d));
}

void NbiotNetwork::start(Time end) {
  end_ = end;
  for (std::uint32_t d = 0; d < devices_.size(); ++d) {
    NbiotDevice& dev = devices_[d];
    schedule_next(d);
    // The devices attached at unknown moments before the window: the first
    // tracking area update falls uniformly within one T3412.
    const Time first = Time::nanoseconds(
        static_cast<std::int64_t>(dev.mac_rng.uniform() * static_cast<double>(dev.config->periodic_tau.ns())));
    if (first < end_) dev.tau_event = sim_.schedule_at(first, [this, d] { on_tau(d); });
    if (dev.config->downlinks) {
      const Time t = downlinks_[d].traffic.next();
      if (t < end_) sim_.schedule_at(t, [this, d] { on_downlink_generate(d); });
    }
  }
}

void NbiotNetwork::schedule_next(std::uint32_t d) {
  const Time t = devices_[d].traffic.next();
  if (t < end_) sim_.schedule_at(t, [this, d] { on_generate(d); });
}

void NbiotNetwork::book(NbiotDevice& dev, const StepTime& s) {
  const GroupConfig& cfg = *dev.config;
  if (s.tx > Time::zero()) dev.energy.add_awake(kTx, s.tx, cfg.tx_mA);
  if (s.rx > Time::zero()) dev.energy.add_awake(kRx, s.rx, cfg.profile->rx_mA);
  if (s.wait > Time::zero()) dev.energy.add_awake(kConnected, s.wait, cfg.profile->connected_or_rx_mA());
}

void NbiotNetwork::settle_idle(NbiotDevice& dev, Time now) {
  // Idle mode from the last release until PSM, or until now if earlier.
  const Time until = std::min(now, dev.psm_at);
  if (until > dev.idle_since) dev.energy.add_awake(kIdle, until - dev.idle_since, dev.config->profile->standby_mA);
  dev.idle_since = dev.psm_at = std::max(until, dev.idle_since);
}

void NbiotNetwork::fail_waiting(NbiotDevice& dev, PacketFate fate) {
  dev.counters.fates[static_cast<std::size_t>(fate)] += dev.queued;
  dev.queued = 0;
}

void NbiotNetwork::on_generate(std::uint32_t d) {
  NbiotDevice& dev = devices_[d];
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
  ++dev.counters.sent;
  if (!dev.busy) start_access(d);
}

void NbiotNetwork::on_tau(std::uint32_t d) {
  NbiotDevice& dev = devices_[d];
  if (dev.busy) return;  // an access under way; its release restarts T3412
  const GroupConfig& cfg = *dev.config;
  if (energy::battery_empty(dev.energy, sim_.now(), cfg.idle_mA(), cfg.board, cfg.battery, dev.battery_empty_at))
    return;
  dev.tau_access = true;
  ++dev.tracking_area_updates;
  start_access(d);
}

void NbiotNetwork::start_access(std::uint32_t d, Time not_before) {
  NbiotDevice& dev = devices_[d];
  const Time now = sim_.now();
  dev.busy = true;
  dev.level = dev.link.level;
  dev.attempts = 0;
  // From PSM the device must regain synchronisation and read the system
  // information; in idle mode it is still synchronised.
  const bool from_psm = now >= dev.psm_at;
  settle_idle(dev, now);
  Time ready = std::max(now, not_before);
  if (from_psm) {
    const Time sync = dev.config->timing[dev.level].sync;
    if (sync > Time::zero()) dev.energy.add_awake(kRx, sync, dev.config->profile->rx_mA);
    ready = now + sync;
  }
  schedule_preamble(d, ready);
}

void NbiotNetwork::schedule_preamble(std::uint32_t d, Time not_before) {
  NbiotDevice& dev = devices_[d];
  const Time period = dev.config->levels[dev.level].nprach_period;
  // The level's NPRACH occasions are at whole multiples of its period.
  const std::int64_t k = (not_before.ns() + period.ns() - 1) / period.ns();
  const Time at = Time::nanoseconds(k * period.ns());
  if (at > not_before) dev.energy.add_awake(kIdle, at - not_before, dev.config->profile->standby_mA);
  sim_.schedule_at(at, [this, d] { on_preamble(d); });
}

void NbiotNetwork::on_preamble(std::uint32_t d) {
  NbiotDevice& dev = devices_[d];
  const Time now = sim_.now();
  const LevelConfig& c = dev.config->levels[dev.level];
  dev.subcarrier = static_cast<std::uint8_t>(dev.mac_rng.uniform_int(static_cast<std::uint64_t>(c.nprach_subcarriers)));
  ++dev.preambles;
  // Only a preamble the site hears takes part in its occasion.
  if (dev.link.covered) {
    Occasion& o = occasions_[dev.link.cell * kLevels + dev.level];
    if (o.at != now) {
      close_occasion(o);
      o.at = now;
    }
    ++o.picks[dev.subcarrier];
  }
  const Time preamble = dev.config->timing[dev.level].preamble;
  dev.energy.add_awake(kTx, preamble, dev.config->tx_mA);
  sim_.schedule_in(preamble, [this, d] { on_preamble_end(d); });
}

void NbiotNetwork::on_preamble_end(std::uint32_t d) {
  NbiotDevice& dev = devices_[d];
  const GroupConfig& cfg = *dev.config;
  const Time now = sim_.now();
  const LevelTiming& t = cfg.timing[dev.level];
  const LevelConfig& c = cfg.levels[dev.level];
  // A level's occasions are a period apart and its preamble is shorter than
  // the period, so the occasion counted is still this preamble's.
  const bool collided = dev.link.covered && occasions_[dev.link.cell * kLevels + dev.level].picks[dev.subcarrier] > 1;
  if (dev.link.covered && !collided) {
    connect(d, now);
    return;
  }
  const StepTime& failed = collided ? t.collided : t.unheard;
  if (collided) ++dev.collisions;
  book(dev, failed);
  const Time after = now + failed.total();
  if (++dev.attempts >= c.max_attempts) {
    if (dev.level + 1U < kLevels) {
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

void NbiotNetwork::connect(std::uint32_t d, Time now) {
  NbiotDevice& dev = devices_[d];
  const GroupConfig& cfg = *dev.config;
  const LevelConfig& c = cfg.levels[dev.level];
  CellCalendar* cell = &cells_[dev.link.cell];
  cell->prune(now);
  // The random-access response (one per occasion, for every preamble heard:
  // not booked), then Msg3 on the grant it carries, booked on the uplink.
  // With link adaptation each uplink message goes on the allocation chosen
  // for it (for Msg3 an idealisation: a real grant follows the CE level).
  const auto on = [&](const std::optional<nbiot::UplinkAllocation>& a) {
    LevelConfig x = c;
    if (a) {
      x.npusch_spacing = a->spacing;
      x.npusch_subcarriers = a->tones;
      x.npusch_itbs = a->itbs;
      x.npusch_max_iru = a->iru;
      x.npusch_repetitions = a->repetitions;
    }
    return x;
  };
  const LevelConfig data = on(dev.link.data);
  const LevelConfig msg3_cfg = on(dev.link.msg3);
  StepTime conn = cfg.timing[dev.level].response;
  Time t = now + conn.total();
  const Time msg3 = dev.link.msg3 ? nbiot::npusch_duration(msg3_cfg.npusch_spacing, msg3_cfg.npusch_subcarriers,
                                                           *nbiot::npusch_iru_for(msg3_cfg.npusch_itbs, kMsg3Bits),
                                                           msg3_cfg.npusch_repetitions)
                                  : cfg.timing[dev.level].msg3;
  const Time msg3_start = cell->book_uplink(t + kRarToMsg3, msg3, msg3_cfg.npusch_subcarriers, msg3_cfg.npusch_spacing);
  conn.wait += msg3_start - t;
  conn.tx += msg3;
  t = msg3_start + msg3;
  t = downlink_message(c, kMsg4Bits, t, conn, cell);
  if (dev.tau_access) {
    t = uplink_message(on(dev.link.tau), kTauRequestBits, t, conn, cell);
    t = downlink_message(c, kTauAcceptBits, t, conn, cell);
  }
  if (dev.queued > 0) {
    const int bits = dev.queued * 8 * static_cast<int>(cfg.traffic.payload_bytes + cfg.header_overhead_bytes);
    t = uplink_message(data, bits, t, conn, cell);
    const Time arrival = t + net_.backhaul->delay(dev.link.cell, t);
    for (std::uint8_t i = 0; i < dev.queued; ++i) {
      if (arrival < end_) {
        ++dev.counters.fates[static_cast<std::size_t>(PacketFate::Delivered)];
        net_.latency->uplink_delivered(dev.group, (arrival - dev.queue[i]).to_seconds());
      } else {
        ++dev.counters.fates[static_cast<std::size_t>(PacketFate::InFlight)];
      }
    }
    dev.queued = 0;
    if (cfg.application_ack) t = downlink_message(c, cfg.ack_bits, t, conn, cell);
  }
  // Downlinks waiting at the server come after the uplink, each a message
  // of its own; one that reaches the site later waits for the next access.
  Downlinks& dl = downlinks_[d];
  std::uint8_t sent = 0;
  while (sent < dl.queued) {
    const Time at_site = dl.queue[sent] + net_.backhaul->delay(dev.link.cell, dl.queue[sent]);
    if (at_site > t) break;
    t = downlink_message(c, cfg.downlink_bits, t, conn, cell);
    if (t < end_) {
      ++dl.delivered;
      net_.latency->downlink_delivered(dev.group, (t - dl.queue[sent]).to_seconds());
    }
    ++sent;
  }
  std::copy(dl.queue.begin() + sent, dl.queue.begin() + dl.queued, dl.queue.begin());
  dl.queued = static_cast<std::uint8_t>(dl.queued - sent);
  if (!cfg.release_assistance) {
    conn.wait += cfg.inactivity_timer;
    t += cfg.inactivity_timer;
  }
  t = downlink_message(c, kReleaseBits, t, conn, cell);
  book(dev, conn);
  end_connection(d, t, true);
}

void NbiotNetwork::end_connection(std::uint32_t d, Time at, bool released) {
  sim_.schedule_at(at, [this, d, released] { on_connection_end(d, released); });
}

void NbiotNetwork::on_connection_end(std::uint32_t d, bool released) {
  NbiotDevice& dev = devices_[d];
  const Time now = sim_.now();
  dev.busy = false;
  dev.tau_access = false;
  dev.idle_since = now;
  if (released) {
    dev.psm_at = now + dev.config->active_timer;
    // T3412 restarts when the device leaves connected mode (TS 24.301
    // §5.3.5): the pending update is cancelled, not left to fire stale.
    sim_.cancel(dev.tau_event);
    const Time tau = now + dev.config->periodic_tau;
    if (tau < end_) dev.tau_event = sim_.schedule_at(tau, [this, d] { on_tau(d); });
  } else {
    // A failed access never left idle mode: the device goes back to PSM,
    // and T3412 runs on.
    dev.psm_at = now;
  }
  if (dev.queued > 0) {
    start_access(d);
  } else if (downlinks_[d].queued > 0) {
    // Page from when the oldest waiting downlink reaches the site.
    const Time first = downlinks_[d].queue[0];
    page(d, std::max(now, first + net_.backhaul->delay(dev.link.cell, first)));
  }
}

void NbiotNetwork::on_downlink_generate(std::uint32_t d) {
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

void NbiotNetwork::page(std::uint32_t d, Time from) {
  NbiotDevice& dev = devices_[d];
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

void NbiotNetwork::on_paging_occasion(std::uint32_t d) {
  NbiotDevice& dev = devices_[d];
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
  paging.rx = npdcch(c);
  const Time air = nbiot::npdsch_duration(*nbiot::npdsch_isf_for(c.npdsch_itbs, kPagingBits), c.npdsch_repetitions);
  const Time start = cells_[dev.link.cell].book_downlink(now + npdcch(c) + kDciToNpdsch, air);
  paging.wait = start - (now + npdcch(c));
  paging.rx += air;
  book(dev, paging);
  start_access(d, now + paging.total());
}

void NbiotNetwork::close_occasion(Occasion& o) {
  unsigned heard = 0;
  for (auto p : o.picks) heard += p;
  if (heard > 0) ++contention_[std::min(heard, 255U)];
  o.picks.fill(0);
}

void NbiotNetwork::finish() {
  for (auto& o : occasions_) close_occasion(o);
  for (auto& dev : devices_) {
    fail_waiting(dev, PacketFate::InFlight);
    if (!dev.busy) settle_idle(dev, end_);
  }
}

}  // namespace m2msim::cellular
