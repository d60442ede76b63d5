// The event scheduler: a priority queue of (time, sequence) with O(1) cancel.
//
// Total order of events (the one rule every result depends on):
//   events run in increasing time; events with equal time run in the order in
//   which they were scheduled (FIFO by a 64-bit insertion sequence number).
//
// Storage: callbacks live in a slot pool that is recycled through a free
// list, and the heap holds 24-byte (time, sequence, slot, generation) keys,
// so after warm-up scheduling does not allocate. Cancelling bumps the slot's
// generation; the stale key is discarded when it reaches the top of the heap.
// The queue is a binary heap for now; issue 3 measures the alternatives.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/inline_function.hpp"
#include "sim/time.hpp"

namespace m2msim {

/// Identifies one scheduled event; stays valid (and harmless) after the event
/// ran or was cancelled.
struct EventId {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
  [[nodiscard]] bool valid() const { return slot != UINT32_MAX; }
};

class Scheduler {
 public:
  using Callback = InlineFunction;

  Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  [[nodiscard]] Time now() const { return now_; }

  /// Schedules at an absolute time, which must not be in the past.
  EventId schedule_at(Time when, Callback cb);
  /// Schedules after a non-negative delay from now().
  EventId schedule_in(Time delay, Callback cb) { return schedule_at(now_ + delay, cb); }
  /// Cancels a pending event. Returns false if it already ran or was cancelled.
  bool cancel(EventId id);
  [[nodiscard]] bool is_pending(EventId id) const;

  /// Runs events until none are left or stop() is called.
  void run();
  /// Runs every event with time <= until, then sets the clock to `until`
  /// (unless stopped earlier). Later events stay pending.
  void run_until(Time until);
  /// Makes run()/run_until() return after the current event.
  void stop() { stopped_ = true; }

  [[nodiscard]] std::size_t pending() const { return live_; }
  [[nodiscard]] std::uint64_t executed() const { return executed_; }

  /// Pre-sizes the internal arrays for `n` simultaneously pending events.
  void reserve(std::size_t n);

 private:
  struct Key {
    std::int64_t time;
    std::uint64_t seq;
    std::uint32_t slot;
    std::uint32_t generation;
  };
  struct Slot {
    Callback cb;
    std::uint32_t generation = 0;
    std::uint32_t next_free = UINT32_MAX;
    bool armed = false;
  };
  static bool later(const Key& a, const Key& b) {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
  bool pop_next(Time limit, Key& out);
  void release(std::uint32_t slot);

  std::vector<Key> heap_;
  std::vector<Slot> slots_;
  std::uint32_t free_head_ = UINT32_MAX;
  std::uint64_t next_seq_ = 0;
  std::uint64_t executed_ = 0;
  std::size_t live_ = 0;
  Time now_{};
  bool stopped_ = false;
};

}  // namespace m2msim
