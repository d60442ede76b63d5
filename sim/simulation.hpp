// One run of one scenario: owns its clock, scheduler and random streams. Nothing here is static or global, so any
// number of Simulations can run at once on different threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "sim/random.hpp"
#include "sim/scheduler.hpp"
#include "sim/statistics.hpp"
#include "sim/time.hpp"

namespace m2msim {

class Simulation {
 public:
  Simulation(std::uint64_t seed, std::uint64_t replication) : seed_(seed), replication_(replication) {}

  [[nodiscard]] Time now() const { return scheduler_.now(); }
  Scheduler& scheduler() { return scheduler_; }

  template <class F>
  EventId schedule_at(Time when, F&& f) {
    return scheduler_.schedule_at(when, std::forward<F>(f));
  }
  template <class F>
  EventId schedule_in(Time delay, F&& f) {
    return scheduler_.schedule_in(delay, std::forward<F>(f));
  }
  bool cancel(EventId id) { return scheduler_.cancel(id); }
  void run_until(Time t) { scheduler_.run_until(t); }
  void run() { scheduler_.run(); }

  /// The stream named (seed, replication, entity, purpose). Entities are
  /// numbered by the model that owns them (device index, gateway index...);
  /// purposes are short names ("traffic", "placement/meters", ...).
  [[nodiscard]] RandomStream stream(std::uint64_t entity, std::string_view purpose) const {
    return RandomStream(derive_stream_seed(seed_, replication_, entity, purpose));
  }

  [[nodiscard]] std::uint64_t seed() const { return seed_; }
  [[nodiscard]] std::uint64_t replication() const { return replication_; }

 private:
  std::uint64_t seed_;
  std::uint64_t replication_;
  Scheduler scheduler_;
};

}  // namespace m2msim
