// The fates of a LoRaWAN uplink (docs/models/lorawan.md, "Packet fates"):
// the core fates of results/packet_fate.hpp and three of LoRaWAN's own.
// The enum indexes the device's counters on the per-event path; the list
// gives the names, in the order summaries print them.
#pragma once

#include <array>
#include <cstdint>

#include "results/packet_fate.hpp"

namespace m2msim::lora {

enum class PacketFate : std::uint8_t {
  Delivered,            ///< received by at least one gateway
  BelowSensitivity,     ///< no gateway received it above its sensitivity
  Interference,         ///< heard, but destroyed by an overlapping transmission
  NoDemodulator,        ///< heard, but every demodulator path of the gateway was busy
  GatewayTransmitting,  ///< heard, but the gateway was sending a downlink (half-duplex)
  DutyCycle,            ///< generated while an earlier packet was held by the duty cycle; dropped
  RetriesExhausted,     ///< no attempt reached the network server (more than one attempt allowed)
  NotJoined,            ///< generated before the device had joined the network (OTAA); dropped
  RadioBusy,            ///< generated while the device's radio was still busy; dropped
  BatteryEmpty,         ///< generated after the device's battery was spent
  InFlight,             ///< still being handled (in the air, awaiting an ACK, ...) when the window ended
};
inline constexpr std::size_t kPacketFateCount = 11;

/// In PacketFate order.
inline constexpr std::array<results::FateSpec, kPacketFateCount> kFates{{
    results::core_fate::kDelivered,
    results::core_fate::kBelowSensitivity,
    results::core_fate::kInterference,
    {"no_free_demodulator", "heard, but every demodulator path of the gateway was busy"},
    {"gateway_transmitting", "heard, but the gateway was sending a downlink (half-duplex)"},
    {"duty_cycle", "generated while an earlier packet was held by the duty cycle; dropped"},
    results::core_fate::kRetriesExhausted,
    results::core_fate::kNotJoined,
    results::core_fate::kRadioBusy,
    results::core_fate::kBatteryEmpty,
    results::core_fate::kInFlight,
}};

static_assert(kFates[static_cast<std::size_t>(PacketFate::Delivered)].name == results::core_fate::kDelivered.name &&
                  static_cast<std::size_t>(PacketFate::Delivered) == 0,
              "results::DeviceCounters counts delivered packets at index 0");

/// Per-device packet counters (results::DeviceCounters, indexed by PacketFate).
using DeviceCounters = results::DeviceCounters<kPacketFateCount>;

}  // namespace m2msim::lora
