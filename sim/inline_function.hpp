// A non-allocating callable for events: the callable is stored in place.
//
// Events are scheduled millions of times per second; std::function may
// allocate when the captured state is larger than its small buffer, and its
// size is implementation-defined. An event callback here must be trivially
// copyable and destructible and fit in kCapacity bytes (a lambda capturing a
// few pointers and integers) — checked at compile time, so a capture that
// would need the heap does not compile instead of silently allocating.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace m2msim {

class InlineFunction {
 public:
  static constexpr std::size_t kCapacity = 32;

  InlineFunction() = default;

  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InlineFunction>>>
  InlineFunction(F f) {  // NOLINT(google-explicit-constructor): a lambda converts implicitly
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= kCapacity, "event callback captures too much: keep it to a few pointers/integers");
    static_assert(alignof(Fn) <= alignof(std::max_align_t), "over-aligned event callback");
    static_assert(std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
                  "event callbacks must be trivially copyable (capture pointers and values, not owning objects)");
    static_assert(std::is_invocable_r_v<void, Fn&>, "event callbacks take no arguments");
    ::new (static_cast<void*>(storage_)) Fn(std::move(f));
    invoke_ = [](void* p) { (*static_cast<Fn*>(p))(); };
  }

  void operator()() { invoke_(storage_); }
  explicit operator bool() const { return invoke_ != nullptr; }

 private:
  alignas(std::max_align_t) unsigned char storage_[kCapacity]{};
  void (*invoke_)(void*) = nullptr;
};

}  // namespace m2msim
