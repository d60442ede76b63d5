#include "sim/time.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <string>

namespace m2msim {

namespace {
struct TimeUnit {
  std::string_view name;
  std::int64_t ns;
};
// Largest first: to_string() picks the first unit that divides the value.
constexpr std::array<TimeUnit, 7> kTimeUnits{{{"d", 86400 * Time::kNsPerSecond},
                                              {"h", 3600 * Time::kNsPerSecond},
                                              {"min", 60 * Time::kNsPerSecond},
                                              {"s", Time::kNsPerSecond},
                                              {"ms", 1'000'000},
                                              {"us", 1'000},
                                              {"ns", 1}}};
}  // namespace

Time Time::from_seconds(double s) {
  const double ns = std::round(s * 1e9);
  if (ns >= 9.2e18) return Time::max();
  if (ns <= -9.2e18) return Time{std::numeric_limits<std::int64_t>::min()};
  return Time{static_cast<std::int64_t>(ns)};
}

std::string Time::to_string() const {
  if (ns_ == 0) return "0 s";
  for (const auto& u : kTimeUnits) {
    if (ns_ % u.ns == 0) return std::to_string(ns_ / u.ns) + " " + std::string(u.name);
  }
  return std::to_string(ns_) + " ns";
}

}  // namespace m2msim
