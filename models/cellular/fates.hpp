// The fates of an NB-IoT uplink (docs/models/cellular.md §4): the core fates
// of results/packet_fate.hpp and one of NB-IoT's own. The enum indexes the
// device's counters on the per-event path; the list gives the names, in the
// order summaries print them.
#pragma once

#include <array>
#include <cstdint>

#include "results/packet_fate.hpp"

namespace m2msim::cellular {

enum class PacketFate : std::uint8_t {
  Delivered,           ///< its data reached the site and crossed the backhaul
  BelowSensitivity,    ///< the device is beyond the maximum coupling loss: no preamble was heard
  NoCell,              ///< the device found no cell to camp on (q_rxlev_min): it sent nothing
  RandomAccessFailed,  ///< every preamble attempt at every CE level collided or went unanswered
  QueueFull,           ///< generated while four earlier packets were waiting; dropped
  BatteryEmpty,        ///< generated after the device's battery was spent
  InFlight,            ///< still being handled when the window ended
};
inline constexpr std::size_t kPacketFateCount = 7;

inline constexpr std::array<results::FateSpec, kPacketFateCount> kFates{{
    results::core_fate::kDelivered,
    results::core_fate::kBelowSensitivity,
    {"no_cell", "the device found no cell it may camp on (cell selection, q_rxlev_min) and sent nothing"},
    {"random_access_failed", "every preamble attempt at every coverage-enhancement level collided or went unanswered"},
    {"queue_full", "generated while four earlier packets were waiting for the connection; dropped"},
    results::core_fate::kBatteryEmpty,
    results::core_fate::kInFlight,
}};

static_assert(static_cast<std::size_t>(PacketFate::Delivered) == 0,
              "results::DeviceCounters counts delivered packets at index 0");

using DeviceCounters = results::DeviceCounters<kPacketFateCount>;

}  // namespace m2msim::cellular
