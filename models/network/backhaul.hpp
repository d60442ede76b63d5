// The backhaul between the sites and the servers, as every technology sees
// it: the one-way delay of a message that crosses it from (or to) a site at
// a given time. Today a constant per site (gateways[].backhaul_delay); a
// backhaul network (links, queues, outages) is to replace this function
// without any technology changing.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace m2msim::network {

class Backhaul {
 public:
  Backhaul() = default;
  /// [site] the one-way delay between the site and the servers.
  explicit Backhaul(std::vector<Time> site_delay) : delay_(std::move(site_delay)) {}

  /// The one-way delay of a message crossing the backhaul of `site` at `now`
  /// (the same in both directions).
  [[nodiscard]] Time delay(std::size_t site, [[maybe_unused]] Time now) const { return delay_[site]; }

 private:
  std::vector<Time> delay_;
};

}  // namespace m2msim::network
