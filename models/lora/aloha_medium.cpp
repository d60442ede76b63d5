#include "models/lora/aloha_medium.hpp"

#include <stdexcept>

namespace m2msim::lora {

AlohaMedium::AlohaMedium(std::size_t gateways, std::size_t channels)
    : gateways_(gateways), channels_(channels), active_(channels * 6) {
  if (gateways == 0) throw std::invalid_argument("AlohaMedium: at least one gateway");
}

std::uint32_t AlohaMedium::begin(std::uint32_t channel, int sf, const float* rx_dBm, const float* sensitivity_dBm) {
  if (channel >= channels_ || sf < 7 || sf > 12) throw std::out_of_range("AlohaMedium: channel or SF out of range");
  std::uint32_t h;
  if (free_head_ != UINT32_MAX) {
    h = free_head_;
    free_head_ = records_[h].next_free;
  } else {
    h = static_cast<std::uint32_t>(records_.size());
    records_.emplace_back();
    collided_.resize(records_.size() * gateways_);
  }
  Record& r = records_[h];
  r.rx_dBm = rx_dBm;
  r.sensitivity_dBm = sensitivity_dBm;
  r.bucket = channel * 6 + static_cast<std::uint32_t>(sf - 7);
  for (std::size_t g = 0; g < gateways_; ++g) collided(h, g) = 0;

  auto& bucket = active_[r.bucket];
  for (std::uint32_t other : bucket) {
    const Record& o = records_[other];
    for (std::size_t g = 0; g < gateways_; ++g) {
      if (heard(o, g)) collided(h, g) = 1;
      if (heard(r, g)) collided(other, g) = 1;
    }
  }
  r.position = static_cast<std::uint32_t>(bucket.size());
  bucket.push_back(h);
  ++in_air_;
  return h;
}

AlohaMedium::Outcome AlohaMedium::end(std::uint32_t h) {
  Record& r = records_[h];
  auto& bucket = active_[r.bucket];
  // Swap-remove from the bucket, fixing the moved record's position.
  const std::uint32_t last = bucket.back();
  bucket[r.position] = last;
  records_[last].position = r.position;
  bucket.pop_back();
  --in_air_;

  Outcome out{metrics::PacketFate::BelowSensitivity, -1};
  bool any_heard = false;
  float best = 0.0F;
  for (std::size_t g = 0; g < gateways_; ++g) {
    if (!heard(r, g)) continue;
    any_heard = true;
    if (collided(h, g)) continue;
    if (out.gateway < 0 || r.rx_dBm[g] > best) {
      out.gateway = static_cast<int>(g);
      best = r.rx_dBm[g];
    }
  }
  if (out.gateway >= 0) {
    out.fate = metrics::PacketFate::Delivered;
  } else if (any_heard) {
    out.fate = metrics::PacketFate::Interference;
  }
  r.next_free = free_head_;
  free_head_ = h;
  return out;
}

}  // namespace m2msim::lora
