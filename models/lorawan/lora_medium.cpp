#include "models/lorawan/lora_medium.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace m2msim::lora {

const IsolationMatrix& goursaud_isolation() {
  // ns-3 lorawan, model/lora-interference-helper.cc, m_collisionSnirGoursaud:
  // row = desired SF7..SF12, column = interferer SF7..SF12.
  static const IsolationMatrix m{{{6, -16, -18, -19, -19, -20},
                                  {-24, 6, -20, -22, -22, -22},
                                  {-27, -27, 6, -23, -25, -25},
                                  {-30, -30, -30, 6, -26, -28},
                                  {-33, -33, -33, -33, 6, -29},
                                  {-36, -36, -36, -36, -36, 6}}};
  return m;
}

const IsolationMatrix& croce_isolation() {
  // FLoRa, src/LoRaPhy/LoRaReceiver.h, nonOrthDelta: row = desired SF,
  // column = interferer SF.
  static const IsolationMatrix m{{{1, -8, -9, -9, -9, -9},
                                  {-11, 1, -11, -12, -13, -13},
                                  {-15, -13, 1, -13, -14, -15},
                                  {-19, -18, -17, 1, -17, -18},
                                  {-22, -22, -21, -20, 1, -20},
                                  {-25, -25, -25, -24, -23, 1}}};
  return m;
}

LoraMedium::LoraMedium(std::vector<std::uint32_t> demodulators, std::vector<Channel> channels, std::size_t max_links,
                       ReceptionRules rules)
    : gateways_(demodulators.size()),
      channels_(std::move(channels)),
      overlapping_(channels_.size()),
      max_links_(max_links == 0 || max_links > gateways_ ? gateways_ : max_links),
      rules_(rules),
      active_(gateways_ * channels_.size()),
      demodulators_(std::move(demodulators)),
      busy_demodulators_(gateways_, 0),
      transmitting_(gateways_) {
  if (gateways_ == 0) throw std::invalid_argument("LoraMedium: at least one gateway");
  // Two channels overlap when [f − BW/2, f + BW/2] intersect (touching
  // edges do not).
  for (std::size_t a = 0; a < channels_.size(); ++a) {
    for (std::size_t b = 0; b < channels_.size(); ++b) {
      const double fa = static_cast<double>(channels_[a].frequency_hz),
                   fb = static_cast<double>(channels_[b].frequency_hz);
      const double half = 0.5 * (channels_[a].bandwidth_hz + channels_[b].bandwidth_hz);
      if (std::abs(fa - fb) < half) overlapping_[a].push_back(static_cast<std::uint32_t>(b));
    }
  }
}

void LoraMedium::interact(std::uint32_t p, std::uint32_t jp, std::uint32_t q, std::uint32_t jq) {
  Link& lp = link(p, jp);
  const Link& lq = link(q, jq);
  const Transmission& tp = records_[p].t;
  const Transmission& tq = records_[q].t;
  const int sp = tp.spreading_factor - 7, sq = tq.spreading_factor - 7;
  using I = ReceptionRules::Interference;
  switch (rules_.interference) {
    case I::Aloha:
      // Same SF and heard by the gateway: both are lost (the caller calls
      // this both ways).
      if (sp == sq && lq.heard) lp.destroyed = true;
      return;
    case I::Pairwise: {
      if (rules_.orthogonal && sp != sq) return;
      // The overlap ends at the earlier end; if that is before p's lock
      // instant, q does p no harm.
      const Time overlap_end = std::min(tp.start + tp.duration, tq.start + tq.duration);
      if (rules_.lock_symbols >= 0 && overlap_end <= tp.start + tp.lock_after) return;
      if (static_cast<double>(lp.rx_dBm) - static_cast<double>(lq.rx_dBm) <
          rules_.threshold_dB[static_cast<std::size_t>(sp)][static_cast<std::size_t>(sq)]) {
        lp.destroyed = true;
      }
      return;
    }
    case I::Energy: {
      if (rules_.orthogonal && sp != sq) return;
      const Time overlap = std::min(tp.start + tp.duration, tq.start + tq.duration) - std::max(tp.start, tq.start);
      if (overlap > Time::zero()) lp.energy[static_cast<std::size_t>(sq)] += lq.rx_mW * overlap.to_seconds();
      return;
    }
  }
}

std::uint32_t LoraMedium::begin(const Transmission& t, LinkSet links, const float* sensitivity_dBm) {
  if (t.channel >= channels_.size() || t.spreading_factor < 7 || t.spreading_factor > 12) {
    throw std::out_of_range("LoraMedium: channel or SF out of range");
  }
  if (links.size > max_links_) throw std::out_of_range("LoraMedium: more links than max_links");
  std::uint32_t h;
  if (free_head_ != UINT32_MAX) {
    h = free_head_;
    free_head_ = records_[h].next_free;
  } else {
    h = static_cast<std::uint32_t>(records_.size());
    records_.emplace_back();
    links_.resize(records_.size() * max_links_);
  }
  Record& r = records_[h];
  r.t = t;
  r.links = links.size;
  for (std::uint32_t j = 0; j < links.size; ++j) {
    const std::int32_t g = links.gateway[j];
    Link& l = link(h, j);
    l.gateway = g;
    l.rx_dBm = links.rx_dBm[j] + t.rx_offset_dB;
    l.rx_mW = std::pow(10.0, static_cast<double>(l.rx_dBm) / 10.0);
    l.heard = l.rx_dBm >= sensitivity_dBm[g];
    l.destroyed = false;
    l.energy.fill(0.0);
    // A heard packet takes a demodulator if one is free; it keeps it to the end.
    l.demodulating = false;
    const auto gs = static_cast<std::size_t>(g);
    if (l.heard && (demodulators_[gs] == 0 || busy_demodulators_[gs] < demodulators_[gs])) {
      l.demodulating = true;
      ++busy_demodulators_[gs];
    }
    // Everything in the air on an overlapping channel with a link at this
    // gateway interferes with the new transmission, and it with them.
    for (std::uint32_t c : overlapping_[t.channel]) {
      for (const Entry& e : list(g, c)) {
        if (l.heard) interact(h, j, e.handle, e.link);
        if (link(e.handle, e.link).heard) interact(e.handle, e.link, h, j);
      }
    }
    auto& own = list(g, t.channel);
    l.position = static_cast<std::uint32_t>(own.size());
    own.push_back(Entry{h, j});
  }
  ++in_air_;
  longest_ = std::max(longest_, t.duration);
  return h;
}

void LoraMedium::gateway_transmits(std::int32_t g, Time from, Time to) {
  auto& v = transmitting_[static_cast<std::size_t>(g)];
  // Intervals that ended before any transmission still in the air began
  // can no longer matter.
  const Time horizon = from - longest_ - Time::seconds(10);
  std::size_t keep = 0;
  while (keep < v.size() && v[keep].second < horizon) ++keep;
  if (keep > 0) v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(keep));
  v.emplace_back(from, to);
}

LoraMedium::Outcome LoraMedium::end(std::uint32_t h) {
  Record& r = records_[h];
  const Transmission& t = r.t;
  Outcome out{PacketFate::BelowSensitivity, -1};
  float best_received = 0.0F, best_heard = -std::numeric_limits<float>::infinity();
  PacketFate strongest_reason = PacketFate::BelowSensitivity;
  const double own_energy_scale = t.duration.to_seconds();
  const auto sf = static_cast<std::size_t>(t.spreading_factor - 7);
  for (std::uint32_t j = 0; j < r.links; ++j) {
    Link& l = link(h, j);
    // Swap-remove from the gateway's list, fixing the moved entry's position.
    auto& own = list(l.gateway, t.channel);
    const Entry last = own.back();
    own[l.position] = last;
    link(last.handle, last.link).position = l.position;
    own.pop_back();
    if (!l.heard) continue;
    if (l.demodulating) --busy_demodulators_[static_cast<std::size_t>(l.gateway)];
    if (rules_.interference == ReceptionRules::Interference::Energy && !l.destroyed) {
      const double signal = l.rx_mW * own_energy_scale;
      for (std::size_t s = 0; s < 6; ++s) {
        if (l.energy[s] > 0.0 && 10.0 * std::log10(signal / l.energy[s]) < rules_.threshold_dB[sf][s])
          l.destroyed = true;
      }
    }
    bool gateway_busy = false;
    for (const auto& [from, to] : transmitting_[static_cast<std::size_t>(l.gateway)]) {
      if (from < t.start + t.duration && t.start < to) gateway_busy = true;
    }
    const bool received = l.demodulating && !l.destroyed && !gateway_busy;
    // Links are in ascending gateway order: ties go to the lower gateway.
    if (received && (out.gateway < 0 || l.rx_dBm > best_received)) {
      out.gateway = static_cast<int>(l.gateway);
      best_received = l.rx_dBm;
    }
    if (l.rx_dBm > best_heard) {
      best_heard = l.rx_dBm;
      out.heard = static_cast<int>(l.gateway);
      strongest_reason = gateway_busy      ? PacketFate::GatewayTransmitting
                         : !l.demodulating ? PacketFate::NoDemodulator
                                           : PacketFate::Interference;
    }
  }
  out.fate = out.gateway >= 0 ? PacketFate::Delivered : strongest_reason;
  --in_air_;
  r.next_free = free_head_;
  free_head_ = h;
  return out;
}

}  // namespace m2msim::lora
