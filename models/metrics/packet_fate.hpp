// Every packet ends in exactly one named fate; summaries count them, so a
// user can see why data was lost. The list grows with the models; names are
// stable identifiers used in summary.json and devices.csv.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace m2msim::metrics {

enum class PacketFate : std::uint8_t {
  Delivered,         ///< received by at least one gateway
  BelowSensitivity,  ///< no gateway received it above its sensitivity
  Interference,      ///< heard, but destroyed by an overlapping transmission
  NoDemodulator,     ///< heard, but every demodulator path of the gateway was busy
  GatewayTransmitting,  ///< heard, but the gateway was sending a downlink (half-duplex)
  DutyCycle,         ///< generated while an earlier packet was held by the duty cycle; dropped
  RetriesExhausted,  ///< no attempt reached the network server (more than one attempt allowed)
  NotJoined,         ///< generated before the device had joined the network (OTAA); dropped
  RadioBusy,         ///< generated while the device's radio was still busy; dropped
  BatteryEmpty,      ///< generated after the device's battery was spent
  InFlight,          ///< still being handled (in the air, awaiting an ACK, ...) when the window ended
};
inline constexpr std::size_t kPacketFateCount = 11;

inline constexpr std::array<std::string_view, kPacketFateCount> kPacketFateNames{
    "delivered",         "below_sensitivity", "interference",  "no_free_demodulator", "gateway_transmitting",
    "duty_cycle",        "retries_exhausted", "not_joined",    "radio_busy",          "battery_empty",
    "in_flight_at_end"};

constexpr std::string_view to_string(PacketFate f) { return kPacketFateNames[static_cast<std::size_t>(f)]; }

using FateCounts = std::array<std::uint64_t, kPacketFateCount>;

}  // namespace m2msim::metrics

namespace m2msim::metrics {

/// Per-device counters shared by every technology.
struct DeviceCounters {
  std::uint64_t generated = 0;
  std::uint64_t sent = 0;  ///< transmissions started (first attempts)
  FateCounts fates{};
  [[nodiscard]] std::uint64_t delivered() const { return fates[static_cast<std::size_t>(PacketFate::Delivered)]; }
};

}  // namespace m2msim::metrics
