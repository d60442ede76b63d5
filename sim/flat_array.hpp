// A growable array of trivially copyable values for the event kernel: like
// std::vector, but with the append inlined (growth out of line), nothing
// value-initialised that is not asked for, memory kept when cleared (in the
// steady state nothing allocates), and the growth step a policy, since the
// slack of these arrays is much of the kernel's memory per pending event
// (measured in bench/ as bytes per pending event).
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>

namespace m2msim {

/// Growth policies: Growth::next(capacity) is the capacity after the next growth.
struct GrowBy8ThenHalf {  ///< +8 while under 256, then ×1.5: little slack for small and large arrays
  static std::size_t next(std::size_t c) { return c < 256 ? c + 8 : c + c / 2; }
};
struct GrowFrom64ByQuarter {  ///< 64, then ×1.25
  static std::size_t next(std::size_t c) { return c < 64 ? 64 : c + c / 4; }
};

template <class T, class Growth>
class FlatArray {
  static_assert(std::is_trivially_copyable_v<T>, "FlatArray moves its values with memcpy");

 public:
  FlatArray() = default;
  FlatArray(const FlatArray&) = delete;
  FlatArray& operator=(const FlatArray&) = delete;
  ~FlatArray() { deallocate(data_); }

  /// A new value at the end, uninitialised apart from its storage.
  T& append() {
    if (size_ == capacity_) [[unlikely]]
      grow();
    return data_[size_++];
  }
  void push_back(const T& v) { append() = v; }
  /// A new, value-initialised value at the end.
  void emplace_back() { ::new (static_cast<void*>(&append())) T(); }
  void clear() { size_ = 0; }
  /// Frees the storage.
  void release() {
    deallocate(data_);
    data_ = nullptr;
    size_ = capacity_ = 0;
  }
  /// Makes the array n values long (the first ones kept, any new ones
  /// uninitialised), growing by the policy's steps; returns them. Pointers
  /// from before may be invalid.
  T* resize_for_overwrite(std::size_t n) {
    while (capacity_ < n) grow();
    size_ = n;
    return data_;
  }
  /// Capacity for exactly n values (no policy step), if there is less.
  void reserve(std::size_t n) {
    if (n > capacity_) reallocate(n);
  }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* data() { return data_; }

 private:
  [[gnu::noinline]] void grow() { reallocate(Growth::next(capacity_)); }
  // Values aligned beyond what operator new guarantees (the scheduler's
  // 32-byte slots, so that none straddles a cache line) get the aligned
  // form.
  static constexpr bool kOverAligned = alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  static T* allocate(std::size_t n) {
    if constexpr (kOverAligned) {
      return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{alignof(T)}));
    } else {
      return static_cast<T*>(::operator new(n * sizeof(T)));
    }
  }
  static void deallocate(T* p) {
    if constexpr (kOverAligned) {
      ::operator delete (p, std::align_val_t{alignof(T)});
    } else {
      ::operator delete(p);
    }
  }
  void reallocate(std::size_t cap) {
    T* p = allocate(cap);
    if (size_ != 0) std::memcpy(static_cast<void*>(p), data_, size_ * sizeof(T));
    deallocate(data_);
    data_ = p;
    capacity_ = cap;
  }
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace m2msim
