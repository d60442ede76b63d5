// Simulated time: a signed 64-bit count of nanoseconds (±292 years).
// There is no floating-point clock anywhere in m2msim: doubles appear only at
// the edges (a model computing seconds from a formula), and are rounded to
// the nearest nanosecond when they enter the clock.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace m2msim {

class Time {
 public:
  constexpr Time() = default;

  static constexpr Time nanoseconds(std::int64_t n) { return Time{n}; }
  static constexpr Time microseconds(std::int64_t n) { return Time{n * 1'000}; }
  static constexpr Time milliseconds(std::int64_t n) { return Time{n * 1'000'000}; }
  static constexpr Time seconds(std::int64_t n) { return Time{n * kNsPerSecond}; }
  static constexpr Time minutes(std::int64_t n) { return Time{n * 60 * kNsPerSecond}; }
  static constexpr Time hours(std::int64_t n) { return Time{n * 3600 * kNsPerSecond}; }
  static constexpr Time days(std::int64_t n) { return Time{n * 86400 * kNsPerSecond}; }
  /// Rounds to the nearest nanosecond. Values outside ±292 years saturate.
  static Time from_seconds(double s);
  static constexpr Time max() { return Time{std::numeric_limits<std::int64_t>::max()}; }
  static constexpr Time zero() { return Time{0}; }

  [[nodiscard]] constexpr std::int64_t ns() const { return ns_; }
  [[nodiscard]] constexpr double to_seconds() const { return static_cast<double>(ns_) * 1e-9; }
  [[nodiscard]] constexpr double to_hours() const { return to_seconds() / 3600.0; }

  /// Human-readable, with the largest unit that divides the value exactly:
  /// "1 d", "90 min", "1500 ms", "12 ns".
  [[nodiscard]] std::string to_string() const;

  constexpr Time& operator+=(Time o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Time& operator-=(Time o) {
    ns_ -= o.ns_;
    return *this;
  }
  friend constexpr Time operator+(Time a, Time b) { return Time{a.ns_ + b.ns_}; }
  friend constexpr Time operator-(Time a, Time b) { return Time{a.ns_ - b.ns_}; }
  friend constexpr Time operator*(Time a, std::int64_t k) { return Time{a.ns_ * k}; }
  friend constexpr Time operator*(std::int64_t k, Time a) { return Time{a.ns_ * k}; }
  friend constexpr auto operator<=>(Time, Time) = default;

  static constexpr std::int64_t kNsPerSecond = 1'000'000'000;

 private:
  constexpr explicit Time(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

namespace time_literals {
constexpr Time operator""_ns(unsigned long long v) { return Time::nanoseconds(static_cast<std::int64_t>(v)); }
constexpr Time operator""_us(unsigned long long v) { return Time::microseconds(static_cast<std::int64_t>(v)); }
constexpr Time operator""_ms(unsigned long long v) { return Time::milliseconds(static_cast<std::int64_t>(v)); }
constexpr Time operator""_s(unsigned long long v) { return Time::seconds(static_cast<std::int64_t>(v)); }
constexpr Time operator""_min(unsigned long long v) { return Time::minutes(static_cast<std::int64_t>(v)); }
constexpr Time operator""_h(unsigned long long v) { return Time::hours(static_cast<std::int64_t>(v)); }
constexpr Time operator""_d(unsigned long long v) { return Time::days(static_cast<std::int64_t>(v)); }
}  // namespace time_literals

}  // namespace m2msim
