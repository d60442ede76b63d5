// The event scheduler: a priority queue of events with O(1) cancel.
//
// Total order of events (the one rule every result depends on):
//   events run in increasing time; events with equal time run in the order in
//   which they were scheduled (FIFO by insertion sequence).
//
// Storage: the queue holds each event's 16-byte record (time, slot,
// generation). A slot is a 32-byte entry per pending event (its generation,
// a free-list link and the callback, in one half cache line), recycled
// LIFO, so the slot an event frees is the one the event it schedules takes,
// usually still in cache. The queue moves only 16-byte records; the
// generation words are what it reads to drop cancelled records. When records
// reach the queue's front run, the radix heap copies their callbacks beside
// it (front_payload()), so that running an event reads sequential memory
// rather than a random slot (measured on 10^5-device whole runs).
// Cancelling bumps the slot's generation and frees it at once; the stale
// record is discarded when it reaches the front (or earlier, when its bucket
// is redistributed). The queue counts the stale records it holds and, while
// there are none (models that never cancel), reads no generation word when
// it moves records. After warm-up nothing allocates.
//
// The queue is a template parameter so that bench/ can measure the
// alternatives; `Scheduler` is the one chosen by that measurement
// (docs/performance.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/event_queue.hpp"
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

template <EventQueue Queue>
class BasicScheduler {
 public:
  using Callback = InlineFunction;

  BasicScheduler() = default;
  BasicScheduler(const BasicScheduler&) = delete;
  BasicScheduler& operator=(const BasicScheduler&) = delete;

  [[nodiscard]] Time now() const { return now_; }

  /// Schedules `f` (a lambda or an InlineFunction) at an absolute time,
  /// which must not be in the past.
  template <class F>
  EventId schedule_at(Time when, F&& f) {
    if (when < now_) [[unlikely]]
      throw_past(when, now_);
    std::uint32_t slot;
    if (free_head_ != kNone) {
      slot = free_head_;
      free_head_ = slots_[slot].next_free;
    } else {
      slot = grow_slots();
    }
    Slot& s = slots_[slot];
    s.next_free = kArmed;
    if constexpr (std::is_same_v<std::decay_t<F>, InlineFunction>) {
      s.callback = f;
    } else {
      s.callback.assign(std::forward<F>(f));  // built in place: no temporary to copy
    }
    const std::uint32_t generation = s.generation;
    queue_.push(when.ns(), slot, generation, next_seq_++);
    return EventId{slot, generation};
  }
  /// Schedules after a non-negative delay from now().
  template <class F>
  EventId schedule_in(Time delay, F&& f) {
    return schedule_at(now_ + delay, std::forward<F>(f));
  }

  /// Cancels a pending event. Returns false if it already ran or was cancelled.
  bool cancel(EventId id) {
    if (!is_pending(id)) return false;
    release(id.slot);
    ++cancelled_;
    if constexpr (requires { queue_.note_cancelled(); }) queue_.note_cancelled();
    return true;
  }
  [[nodiscard]] bool is_pending(EventId id) const {
    return id.slot < slots_.size() && slots_[id.slot].next_free == kArmed &&
           slots_[id.slot].generation == id.generation;
  }

  /// Runs events until none are left or stop() is called.
  void run() { run_until(Time::max()); }
  /// Runs every event with time <= until, then sets the clock to `until`
  /// (unless stopped earlier). Later events stay pending.
  void run_until(Time until) {
    stopped_ = false;
    const std::int64_t limit = until.ns();
    while (!stopped_) {
      const EventRecord* top = queue_.peek();
      if (top == nullptr) break;
      if (slots_[top->slot].generation != top->generation) {  // cancelled: drop the stale record
        if constexpr (requires { queue_.pop_cancelled(); }) {
          queue_.pop_cancelled();
        } else {
          queue_.pop();
        }
        continue;
      }
      if (top->time > limit) break;
      now_ = Time::nanoseconds(top->time);
      // Copy the callback out: the slot is reused by what the callback
      // schedules. A queue that keeps copies beside its front run hands
      // one over (sequential memory instead of a random slot).
      Callback cb;
      if constexpr (requires { queue_.front_payload(); }) {
        std::memcpy(static_cast<void*>(&cb), queue_.front_payload(), sizeof(Callback));
      } else {
        cb = slots_[top->slot].callback;
      }
      release(top->slot);
      queue_.pop();
      ++executed_;
      cb();
    }
    if (!stopped_ && until != Time::max() && now_ < until) now_ = until;
  }
  /// Makes run()/run_until() return after the current event.
  void stop() { stopped_ = true; }

  /// Events scheduled and neither run nor cancelled.
  [[nodiscard]] std::size_t pending() const { return static_cast<std::size_t>(next_seq_ - executed_ - cancelled_); }
  [[nodiscard]] std::uint64_t executed() const { return executed_; }
  /// The event queue, for tests and benchmarks that look inside it.
  [[nodiscard]] const Queue& queue() const { return queue_; }
  /// Bytes held by the queue and the slot pool (capacity, not size).
  [[nodiscard]] std::size_t memory_bytes() const { return queue_.memory_bytes() + slots_.capacity() * sizeof(Slot); }
  /// Pre-sizes the internal arrays for `n` simultaneously pending events.
  void reserve(std::size_t n) {
    queue_.reserve(n);
    slots_.reserve(n);
    tell_queue_where_slots_are();
  }

 private:
  [[noreturn, gnu::cold, gnu::noinline]] static void throw_past(Time when, Time now) {
    throw std::logic_error("Scheduler: event scheduled in the past (" + when.to_string() + " < " + now.to_string() +
                           ")");
  }
  static constexpr std::uint32_t kNone = UINT32_MAX;
  static constexpr std::uint32_t kArmed = UINT32_MAX - 1;  ///< next_free of a pending slot
  // A slot is one 32-byte, 32-aligned entry, so that the generation word
  // the scheduler checks and the callback it runs share a cache line: at
  // 10^6 pending every event's slot is a cache miss, and one instead of
  // two (measured, docs/performance.md section 2).
  struct alignas(32) Slot {
    std::uint32_t generation = 0;
    std::uint32_t next_free = kNone;  ///< free-list link, or kArmed while pending
    Callback callback;
  };
  [[gnu::noinline]] std::uint32_t grow_slots() {
    const auto slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
    tell_queue_where_slots_are();
    return slot;
  }
  void tell_queue_where_slots_are() {
    static_assert(offsetof(Slot, generation) == 0 && sizeof(Slot) == 32);
    if constexpr (requires { queue_.set_slot_tables(nullptr, 0, nullptr, 0); }) {
      if (slots_.empty()) return;
      queue_.set_slot_tables(&slots_[0].generation, sizeof(Slot) / sizeof(std::uint32_t), &slots_[0].callback,
                             sizeof(Slot));
    }
  }
  void release(std::uint32_t slot) {
    Slot& s = slots_[slot];
    ++s.generation;
    s.next_free = free_head_;
    free_head_ = slot;
  }

  /// Slot words and callbacks grow by 1.25× (a slot and its callback are
  /// 32 bytes, so slack is most of the memory beyond the queue's records:
  /// measured as bytes per pending event in bench/); they grow only while
  /// the number of pending events reaches a new peak.
  template <class T>
  using Table = FlatArray<T, GrowFrom64ByQuarter>;

  Queue queue_;
  Table<Slot> slots_;
  std::uint32_t free_head_ = kNone;
  std::uint64_t next_seq_ = 0;
  std::uint64_t executed_ = 0;
  // No "live" counter updated on both paths: pending() is derived, which
  // keeps the per-event stores independent (measured: a combined
  // increment/decrement of adjacent counters stalled store forwarding).
  std::uint64_t cancelled_ = 0;
  Time now_{};
  bool stopped_ = false;
};

/// The scheduler every simulation uses.
using Scheduler = BasicScheduler<RadixHeapQueue>;

extern template class BasicScheduler<RadixHeapQueue>;

}  // namespace m2msim
