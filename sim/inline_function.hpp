// A non-allocating callable for events: the callable is stored in place.
//
// Events are scheduled millions of times per second; std::function may
// allocate when the captured state is larger than its small buffer, and its
// size is implementation-defined. An event callback here must be trivially
// copyable and destructible and fit in kCapacity bytes (a lambda capturing a
// pointer and an index, e.g. [this, device]) — checked at compile time, so a
// capture that would need the heap does not compile instead of silently
// allocating.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace m2msim {

class InlineFunction {
 public:
  static constexpr std::size_t kCapacity = 16;

  InlineFunction() = default;

  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InlineFunction>>>
  InlineFunction(F&& f) {  // NOLINT(google-explicit-constructor): a lambda converts implicitly
    assign(std::forward<F>(f));
  }

  /// Stores `f` in place (used by the scheduler to build the callback
  /// directly inside the queue's record, with no intermediate copy).
  template <typename F>
  void assign(F&& f) {
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= kCapacity, "event callback captures too much: keep it to a pointer and an index");
    static_assert(alignof(Fn) <= alignof(void*), "over-aligned event callback");
    static_assert(std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
                  "event callbacks must be trivially copyable (capture pointers and values, not owning objects)");
    static_assert(std::is_invocable_r_v<void, Fn&>, "event callbacks take no arguments");
    ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
    invoke_ = [](void* p) { (*std::launder(static_cast<Fn*>(p)))(); };
  }

  void operator()() { invoke_(storage_); }
  explicit operator bool() const { return invoke_ != nullptr; }

 private:
  // Deliberately not zero-filled: a callback smaller than kCapacity leaves
  // the tail unused, and the copy of those bytes is harmless.
  alignas(void*) unsigned char storage_[kCapacity];
  void (*invoke_)(void*) = nullptr;
};

}  // namespace m2msim
