#include "sim/scheduler.hpp"

#include <algorithm>
#include <stdexcept>

namespace m2msim {

void Scheduler::reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
}

EventId Scheduler::schedule_at(Time when, Callback cb) {
  if (when < now_) {
    throw std::logic_error("Scheduler: event scheduled in the past (" + when.to_string() + " < " +
                           now_.to_string() + ")");
  }
  std::uint32_t slot;
  if (free_head_ != UINT32_MAX) {
    slot = free_head_;
    free_head_ = slots_[slot].next_free;
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.cb = cb;
  s.armed = true;
  heap_.push_back(Key{when.ns(), next_seq_++, slot, s.generation});
  std::push_heap(heap_.begin(), heap_.end(), later);
  ++live_;
  return EventId{slot, s.generation};
}

void Scheduler::release(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.armed = false;
  ++s.generation;
  s.next_free = free_head_;
  free_head_ = slot;
}

bool Scheduler::cancel(EventId id) {
  if (!is_pending(id)) return false;
  release(id.slot);
  --live_;
  return true;
}

bool Scheduler::is_pending(EventId id) const {
  return id.slot < slots_.size() && slots_[id.slot].armed && slots_[id.slot].generation == id.generation;
}

bool Scheduler::pop_next(Time limit, Key& out) {
  while (!heap_.empty()) {
    const Key& top = heap_.front();
    const Slot& s = slots_[top.slot];
    if (!s.armed || s.generation != top.generation) {  // cancelled: discard the stale key
      std::pop_heap(heap_.begin(), heap_.end(), later);
      heap_.pop_back();
      continue;
    }
    if (top.time > limit.ns()) return false;
    out = top;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
    return true;
  }
  return false;
}

void Scheduler::run() { run_until(Time::max()); }

void Scheduler::run_until(Time until) {
  stopped_ = false;
  Key key{};
  while (!stopped_ && pop_next(until, key)) {
    now_ = Time::nanoseconds(key.time);
    Callback cb = slots_[key.slot].cb;  // copy out: the callback may reuse its slot
    release(key.slot);
    --live_;
    ++executed_;
    cb();
  }
  if (!stopped_ && until != Time::max() && now_ < until) now_ = until;
}

}  // namespace m2msim
