// The LoRa medium seen from a set of gateways: which uplinks each gateway
// receives, given every transmission in the air.
//
// A gateway g receives transmission p when
//   (1) p's power at g is at or above g's sensitivity for p's SF and bandwidth;
//   (2) g has a free demodulator path when p starts (SX1301-class gateways
//       have 8; the path is held until p ends); and
//   (3) p survives the interference at g, under one of three rules:
//       aloha    — any overlap with another transmission of the same SF that g
//                  hears (is at or above its sensitivity) destroys both: the
//                  pure-ALOHA rule of the classic scaling studies;
//       pairwise — each overlapping interferer q separately: p survives q when
//                  P_p − P_q ≥ T[SF_p][SF_q] dB (the capture / isolation
//                  threshold), as LoRaSim and FLoRa judge it; an interferer
//                  that ends before p's lock instant (the last `lock_symbols`
//                  preamble symbols, when the receiver locks on) does no harm;
//       energy   — the interference energy of each interferer SF, Σ P_q·overlap,
//                  against p's energy P_p·T_p: p survives when
//                  10·log10(E_p / E_SF) ≥ T[SF_p][SF] for every SF, as ns-3's
//                  lorawan module (LoraInterferenceHelper) judges it.
// Interferers are transmissions on an overlapping channel (frequency ranges
// [f − BW/2, f + BW/2] intersect) whose link to g is in the link budget,
// whether or not g could receive them. T is the isolation matrix: Goursaud et
// al. (co-SF 6 dB), Croce et al. (co-SF 1 dB) or ideal orthogonality (only
// the same SF interferes, with the co-SF threshold given).
//
// Cost: a transmission is compared only with those in the air on an
// overlapping channel at the gateways it has links to — each gateway keeps its
// own list per channel — never with all transmissions. Records are pooled;
// the steady state allocates nothing.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/lorawan/fates.hpp"
#include "sim/time.hpp"

namespace m2msim::lora {

/// A device's links from the link budget: gateway indices (ascending) and the
/// received power at each, `size` entries (gateways absent cannot hear it).
struct LinkSet {
  const std::int32_t* gateway = nullptr;
  const float* rx_dBm = nullptr;
  std::uint32_t size = 0;
};

/// Signal-to-interference thresholds [dB], [desired SF − 7][interferer SF − 7].
using IsolationMatrix = std::array<std::array<double, 6>, 6>;

/// Goursaud & Gorce, "Dedicated networks for IoT: PHY/MAC state of the art and
/// challenges", EAI Endorsed Trans. IoT 2015, as ns-3's lorawan module
/// (LoraInterferenceHelper, GOURSAUD) tabulates it: co-SF 6 dB.
const IsolationMatrix& goursaud_isolation();
/// Croce, Gucciardo, Mangione, Santaromita, Tinnirello, "Impact of LoRa
/// imperfect orthogonality: analysis of link-level performance", IEEE Commun.
/// Lett. 22(4), 2018, as FLoRa (LoRaReceiver, nonOrthDelta) tabulates it: co-SF 1 dB.
const IsolationMatrix& croce_isolation();

struct ReceptionRules {
  enum class Interference : std::uint8_t { Aloha, Pairwise, Energy };
  Interference interference = Interference::Energy;
  IsolationMatrix threshold_dB = goursaud_isolation();
  bool orthogonal = false;  ///< ideal orthogonality: only the same SF interferes
  /// Pairwise only: the receiver locks on after preamble_symbols − lock_symbols
  /// symbols; an interferer that has ended by then does no harm. Negative:
  /// every overlap counts.
  int lock_symbols = 5;
};

/// One channel: centre frequency and bandwidth.
struct Channel {
  std::uint64_t frequency_hz = 0;
  std::uint32_t bandwidth_hz = 0;
};

class LoraMedium {
 public:
  /// Receivers with `demodulators[g]` demodulator paths each (0: unlimited),
  /// the channels in use, and no device with more than `max_links` links.
  LoraMedium(std::vector<std::uint32_t> demodulators, std::vector<Channel> channels, std::size_t max_links,
             ReceptionRules rules);

  /// What one transmission is.
  struct Transmission {
    std::uint32_t channel = 0;
    int spreading_factor = 7;
    Time start{};
    Time duration{};
    /// From the start, the instant the receiver locks on (pairwise rule).
    Time lock_after{};
    /// Added to every link's received power (a device transmitting below
    /// the power its link budget was computed at).
    float rx_offset_dB = 0.0F;
  };
  /// A transmission begins at t.start (the current time). `links` (kept
  /// alive by the caller) are the device's links; `sensitivity_dBm[g]` is
  /// gateway g's sensitivity for its SF and bandwidth. Returns a handle for end().
  std::uint32_t begin(const Transmission& t, LinkSet links, const float* sensitivity_dBm);

  struct Outcome {
    PacketFate fate;
    int gateway = -1;  ///< receiving gateway with the strongest signal, or -1
    int heard = -1;    ///< the gateway that heard it strongest (received or not), or -1
  };
  /// Gateway g transmits (a downlink) during [from, to): it receives
  /// nothing that overlaps that interval (half-duplex). Intervals must be
  /// given before the uplinks they overlap end.
  void gateway_transmits(std::int32_t g, Time from, Time to);

  /// The transmission ends: removes it from the air and decides its fate.
  /// Delivered if some gateway received it; otherwise the reason at the
  /// gateway that heard it strongest (interference or no free demodulator),
  /// or below_sensitivity when none heard it.
  Outcome end(std::uint32_t handle);

  [[nodiscard]] std::size_t gateways() const { return gateways_; }
  [[nodiscard]] std::size_t in_air() const { return in_air_; }
  [[nodiscard]] const ReceptionRules& rules() const { return rules_; }

 private:
  struct Entry {
    std::uint32_t handle;
    std::uint32_t link;
  };
  struct Link {
    std::int32_t gateway;
    float rx_dBm;
    double rx_mW;
    std::uint32_t position;        ///< index in the gateway's list for the channel
    bool heard;                    ///< at or above the sensitivity
    bool demodulating;             ///< holds one of the gateway's demodulators
    bool destroyed;                ///< by interference
    std::array<double, 6> energy;  ///< interference energy by interferer SF [mW·s] (energy rule)
  };
  struct Record {
    Transmission t;
    std::uint32_t links = 0;
    std::uint32_t next_free = UINT32_MAX;
  };
  Link& link(std::uint32_t h, std::uint32_t j) { return links_[h * max_links_ + j]; }
  std::vector<Entry>& list(std::int32_t gateway, std::uint32_t channel) {
    return active_[static_cast<std::size_t>(gateway) * channels_.size() + channel];
  }
  // p (heard at its link jp) meets interferer q (link jq at the same gateway).
  void interact(std::uint32_t p, std::uint32_t jp, std::uint32_t q, std::uint32_t jq);

  std::size_t gateways_;
  std::vector<Channel> channels_;
  std::vector<std::vector<std::uint32_t>> overlapping_;  ///< [channel] → channels that overlap it (itself included)
  std::size_t max_links_;
  ReceptionRules rules_;
  std::vector<Record> records_;
  std::vector<Link> links_;                       ///< [handle · max_links + j]
  std::vector<std::vector<Entry>> active_;        ///< [gateway · channels + channel] → in the air with a link there
  std::vector<std::uint32_t> demodulators_;       ///< [gateway], 0: unlimited
  std::vector<std::uint32_t> busy_demodulators_;  ///< [gateway]
  std::vector<std::vector<std::pair<Time, Time>>> transmitting_;  ///< [gateway] → downlink intervals
  Time longest_{};  ///< the longest transmission seen (to forget old downlink intervals)
  std::uint32_t free_head_ = UINT32_MAX;
  std::size_t in_air_ = 0;
};

}  // namespace m2msim::lora
