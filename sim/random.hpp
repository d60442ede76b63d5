// Named random streams.
//
// Every consumer of randomness (a device's traffic, a placement, a gateway's
// shadowing draw, ...) owns its own stream, whose seed is a hash of
// (scenario seed, replication, entity, purpose). A stream's numbers therefore
// do not depend on event order, on thread count or on whether another entity
// exists — unlike first-use stream numbering (the ns-3 manual's caveat).
//
// Generator: xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom
// number generators", ACM TOMS 2021), state seeded through SplitMix64 as the
// authors recommend. The distributions are written here rather than taken from
// <random>, whose algorithms differ between standard libraries: m2msim's
// outputs must be the same wherever it is built.
#pragma once

#include <cstdint>
#include <string_view>

namespace m2msim {

/// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a bijective 64-bit mixer.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// FNV-1a 64-bit hash, used to turn a purpose name into a number.
constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

/// The seed of the stream named (seed, replication, entity, purpose).
std::uint64_t derive_stream_seed(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity,
                                 std::string_view purpose);

/// The seed of run (point, replication) of a sweep whose scenario seed is
/// `base_seed`. Every way of running a sweep's runs (threads, MPI ranks)
/// takes it through scenario::Sweep::run_seed, which passes point 0 with
/// common random numbers.
inline std::uint64_t sweep_run_seed(std::uint64_t base_seed, std::uint64_t point, std::uint64_t replication) {
  return derive_stream_seed(base_seed, replication, point, "sweep");
}

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed = 0);
  /// A generator with the given raw xoshiro256** state (for reference vectors).
  static RandomStream from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2, std::uint64_t s3);

  std::uint64_t next_u64();
  /// Uniform on [0, 1), 53 bits of resolution.
  double uniform();
  /// Uniform on [a, b).
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  /// Uniform integer on [0, n), without modulo bias (Lemire, ACM TOMACS 2019).
  std::uint64_t uniform_int(std::uint64_t n);
  /// Exponential with the given mean (inversion).
  double exponential(double mean);
  /// Normal(mean, sd) by the Marsaglia polar method.
  double normal(double mean, double sd);

 private:
  std::uint64_t s_[4];
  double spare_normal_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace m2msim
