// Latency recording shared by every technology: the engine owns one recorder
// per run, hands it to each technology's network through the Deployment,
// and summarises it per group and overall. A technology calls it where a
// packet is delivered; it never keeps latency samples of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/statistics.hpp"

namespace m2msim::results {

class LatencyRecorder {
 public:
  explicit LatencyRecorder(std::size_t groups) : uplink_(groups), downlink_(groups) {}
  /// An uplink of a device of `group` reached the application `latency_s`
  /// after it was generated.
  void uplink_delivered(std::uint32_t group, double latency_s) { uplink_[group].add(latency_s); }
  /// An application downlink to a device of `group` was received `latency_s`
  /// after the application generated it.
  void downlink_delivered(std::uint32_t group, double latency_s) { downlink_[group].add(latency_s); }

  [[nodiscard]] SampleCollector& uplink(std::size_t group) { return uplink_[group]; }
  [[nodiscard]] SampleCollector& downlink(std::size_t group) { return downlink_[group]; }

 private:
  std::vector<SampleCollector> uplink_;    ///< [group] seconds
  std::vector<SampleCollector> downlink_;  ///< [group] seconds
};

}  // namespace m2msim::results
