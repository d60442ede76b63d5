// The LoRa medium as pure ALOHA, seen from a set of gateways.
//
// Rule (the classic single-gateway LoRa scaling model, issue 2's first model):
// gateway g receives transmission p when
//   (1) p's power at g is at or above g's sensitivity for p's SF and
//       bandwidth, and
//   (2) no other transmission on the same channel and SF that g can hear
//       (power at or above that sensitivity) overlaps p in time, even by 1 ns.
// A packet is delivered when at least one gateway receives it. Inter-SF
// interference, capture and demodulator limits are issue 5's SINR model.
//
// Cost: a transmission is checked only against those in the air on the same
// (channel, SF) that one of the gateways hearing it also hears — each gateway
// keeps its own list per (channel, SF) — never against all transmissions.
// Records live in a pool recycled through a free list, so steady-state
// operation allocates nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "models/metrics/packet_fate.hpp"

namespace m2msim::lora {

/// A device's links from the link budget: gateway indices (ascending) and the
/// received power at each, `size` entries (gateways absent are unheard).
struct LinkSet {
  const std::int32_t* gateway = nullptr;
  const float* rx_dBm = nullptr;
  std::uint32_t size = 0;
};

class AlohaMedium {
 public:
  /// `gateways` receivers and `channels` channels (each a distinct
  /// frequency and bandwidth); no device has more than `max_links` links.
  AlohaMedium(std::size_t gateways, std::size_t channels, std::size_t max_links);

  /// A transmission begins. `links` (kept alive by the caller) are the
  /// device's links; `sensitivity_dBm[g]` is gateway g's sensitivity for this
  /// transmission's SF and bandwidth. Returns a handle for end().
  std::uint32_t begin(std::uint32_t channel, int spreading_factor, LinkSet links, const float* sensitivity_dBm);

  struct Outcome {
    metrics::PacketFate fate;
    int gateway = -1;  ///< receiving gateway with the strongest signal, or -1
  };
  /// The transmission ends: removes it from the air and decides its fate.
  Outcome end(std::uint32_t handle);

  [[nodiscard]] std::size_t gateways() const { return gateways_; }
  [[nodiscard]] std::size_t in_air() const { return in_air_; }

 private:
  /// A transmission in a gateway's list: which one, and which of its heard links.
  struct Entry {
    std::uint32_t handle;
    std::uint32_t link;
  };
  /// Per heard link of a transmission in the air.
  struct Heard {
    std::int32_t gateway;
    float rx_dBm;
    std::uint32_t position;  ///< index in the gateway's list
    std::uint8_t collided;
  };
  struct Record {
    std::uint32_t bucket = 0;  ///< channel·6 + SF − 7
    std::uint32_t heard = 0;   ///< number of heard links
    std::uint32_t next_free = UINT32_MAX;
  };
  Heard& heard(std::uint32_t handle, std::uint32_t j) { return heard_[handle * max_links_ + j]; }
  std::vector<Entry>& list(std::int32_t gateway, std::uint32_t bucket) {
    return active_[static_cast<std::size_t>(gateway) * channels_ * 6 + bucket];
  }

  std::size_t gateways_;
  std::size_t channels_;
  std::size_t max_links_;
  std::vector<Record> records_;
  std::vector<Heard> heard_;                ///< [handle · max_links + j]
  std::vector<std::vector<Entry>> active_;  ///< [gateway][channel·6 + sf−7] → in the air, heard there
  std::uint32_t free_head_ = UINT32_MAX;
  std::size_t in_air_ = 0;
};

}  // namespace m2msim::lora
