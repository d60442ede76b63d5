#include "models/lora/aloha_medium.hpp"

#include <stdexcept>

namespace m2msim::lora {

AlohaMedium::AlohaMedium(std::size_t gateways, std::size_t channels, std::size_t max_links)
    : gateways_(gateways), channels_(channels), max_links_(max_links), active_(gateways * channels * 6) {
  if (gateways == 0) throw std::invalid_argument("AlohaMedium: at least one gateway");
  if (max_links == 0 || max_links > gateways) max_links_ = gateways;
}

std::uint32_t AlohaMedium::begin(std::uint32_t channel, int sf, LinkSet links, const float* sensitivity_dBm) {
  if (channel >= channels_ || sf < 7 || sf > 12) throw std::out_of_range("AlohaMedium: channel or SF out of range");
  if (links.size > max_links_) throw std::out_of_range("AlohaMedium: more links than max_links");
  std::uint32_t h;
  if (free_head_ != UINT32_MAX) {
    h = free_head_;
    free_head_ = records_[h].next_free;
  } else {
    h = static_cast<std::uint32_t>(records_.size());
    records_.emplace_back();
    heard_.resize(records_.size() * max_links_);
  }
  Record& r = records_[h];
  r.bucket = channel * 6 + static_cast<std::uint32_t>(sf - 7);
  r.heard = 0;
  for (std::uint32_t i = 0; i < links.size; ++i) {
    const std::int32_t g = links.gateway[i];
    if (links.rx_dBm[i] < sensitivity_dBm[g]) continue;  // not heard: neither collides nor is collided
    const std::uint32_t j = r.heard++;
    auto& in_air = list(g, r.bucket);
    // Everything this gateway already hears on this channel and SF overlaps
    // the new transmission, and the new one overlaps each of them.
    for (const Entry& e : in_air) heard(e.handle, e.link).collided = 1;
    heard(h, j) = Heard{g, links.rx_dBm[i], static_cast<std::uint32_t>(in_air.size()),
                        static_cast<std::uint8_t>(in_air.empty() ? 0 : 1)};
    in_air.push_back(Entry{h, j});
  }
  ++in_air_;
  return h;
}

AlohaMedium::Outcome AlohaMedium::end(std::uint32_t h) {
  Record& r = records_[h];
  Outcome out{metrics::PacketFate::BelowSensitivity, -1};
  float best = 0.0F;
  for (std::uint32_t j = 0; j < r.heard; ++j) {
    const Heard& x = heard(h, j);
    // Swap-remove from the gateway's list, fixing the moved entry's position.
    auto& in_air = list(x.gateway, r.bucket);
    const Entry last = in_air.back();
    in_air[x.position] = last;
    heard(last.handle, last.link).position = x.position;
    in_air.pop_back();
    // Links are in ascending gateway order: ties go to the lower gateway.
    if (!x.collided && (out.gateway < 0 || x.rx_dBm > best)) {
      out.gateway = static_cast<int>(x.gateway);
      best = x.rx_dBm;
    }
  }
  if (out.gateway >= 0) {
    out.fate = metrics::PacketFate::Delivered;
  } else if (r.heard > 0) {
    out.fate = metrics::PacketFate::Interference;
  }
  --in_air_;
  r.next_free = free_head_;
  free_head_ = h;
  return out;
}

}  // namespace m2msim::lora
