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
// (channel, SF) bucket, never against all transmissions. Records live in a
// pool recycled through a free list, so steady-state operation allocates
// nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "models/metrics/packet_fate.hpp"

namespace m2msim::lora {

class AlohaMedium {
 public:
  /// `gateways` receivers and `channels` channels (each a distinct
  /// frequency and bandwidth); sensitivities come with each transmission.
  AlohaMedium(std::size_t gateways, std::size_t channels);

  /// A transmission begins. `rx_dBm` points at this device's received power
  /// at each gateway (gateways() values, kept alive by the caller);
  /// `sensitivity_dBm` likewise holds each gateway's sensitivity for this
  /// transmission's SF and bandwidth. Returns a handle for end().
  std::uint32_t begin(std::uint32_t channel, int spreading_factor, const float* rx_dBm,
                      const float* sensitivity_dBm);

  struct Outcome {
    metrics::PacketFate fate;
    int gateway = -1;  ///< receiving gateway with the strongest signal, or -1
  };
  /// The transmission ends: removes it from the air and decides its fate.
  Outcome end(std::uint32_t handle);

  [[nodiscard]] std::size_t gateways() const { return gateways_; }
  [[nodiscard]] std::size_t in_air() const { return in_air_; }

 private:
  struct Record {
    const float* rx_dBm = nullptr;
    const float* sensitivity_dBm = nullptr;
    std::uint32_t bucket = 0;
    std::uint32_t position = 0;  ///< index in its bucket's active list
    std::uint32_t next_free = UINT32_MAX;
  };
  [[nodiscard]] bool heard(const Record& r, std::size_t g) const { return r.rx_dBm[g] >= r.sensitivity_dBm[g]; }
  std::uint8_t& collided(std::uint32_t handle, std::size_t g) { return collided_[handle * gateways_ + g]; }

  std::size_t gateways_;
  std::size_t channels_;
  std::vector<Record> records_;
  std::vector<std::uint8_t> collided_;  ///< [handle][gateway]
  std::vector<std::vector<std::uint32_t>> active_;  ///< [channel·6 + sf−7] → handles in the air
  std::uint32_t free_head_ = UINT32_MAX;
  std::size_t in_air_ = 0;
};

}  // namespace m2msim::lora
