// Every packet ends in exactly one named fate; summaries count them, so a
// user can see why data was lost. Names are stable identifiers used in
// summary.json, devices.csv and the sweep database.
//
// A technology declares its own list of fates (models/<technology>/): the
// core fates below, whose meaning every technology shares, and fates of its
// own (a LoRa gateway's busy demodulators, a cellular cell's random-access
// failure, ...). A run's fate columns are the fates of the technologies in
// use, in registration order, each name once (run_fate_names).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace m2msim::results {

struct FateSpec {
  std::string_view name;
  std::string_view meaning;  ///< for docs and `m2msim schema`
};

/// The fates every technology means the same by.
namespace core_fate {
inline constexpr FateSpec kDelivered{"delivered", "reached the network server or application"};
inline constexpr FateSpec kBelowSensitivity{"below_sensitivity", "no receiver heard it above its sensitivity"};
inline constexpr FateSpec kInterference{"interference", "heard, but destroyed by an overlapping transmission"};
inline constexpr FateSpec kRetriesExhausted{"retries_exhausted",
                                            "no attempt reached the network (more than one attempt allowed)"};
inline constexpr FateSpec kNotJoined{"not_joined", "generated before the device had joined or attached; dropped"};
inline constexpr FateSpec kRadioBusy{"radio_busy",
                                     "generated while the device was still busy with an earlier one; dropped"};
inline constexpr FateSpec kBatteryEmpty{"battery_empty", "generated after the device's battery was spent"};
inline constexpr FateSpec kInFlight{"in_flight_at_end", "still being handled when the simulated window ended"};
}  // namespace core_fate

/// The fate columns of a run whose technologies declare `lists` (in
/// registration order): every list's names in order, each name once.
inline std::vector<std::string> run_fate_names(std::span<const std::span<const FateSpec>> lists) {
  std::vector<std::string> names;
  for (const auto& list : lists) {
    for (const auto& f : list) {
      if (std::find(names.begin(), names.end(), f.name) == names.end()) names.emplace_back(f.name);
    }
  }
  return names;
}

/// A device's packet counters for a technology with `Fates` fates, shared by
/// every technology. By convention a technology's fate list starts with
/// core_fate::kDelivered, so delivered() is the count at index 0.
template <std::size_t Fates>
struct DeviceCounters {
  std::uint64_t generated = 0;
  std::uint64_t sent = 0;  ///< transmissions started (first attempts)
  std::array<std::uint64_t, Fates> fates{};
  [[nodiscard]] std::uint64_t delivered() const { return fates[0]; }
};

}  // namespace m2msim::results
