#include "sim/random.hpp"

#include <cmath>

namespace m2msim {

namespace {
// 64×64→128-bit multiply for Lemire's method; __extension__ keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 u128;
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

std::uint64_t derive_stream_seed(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity,
                                 std::string_view purpose) {
  // Chain the four parts through SplitMix64 so that nearby inputs
  // (entity 1 vs 2) give unrelated seeds.
  std::uint64_t state = seed;
  std::uint64_t h = splitmix64(state);
  state = h ^ replication;
  h = splitmix64(state);
  state = h ^ entity;
  h = splitmix64(state);
  state = h ^ fnv1a64(purpose);
  return splitmix64(state);
}

RandomStream::RandomStream(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (auto& w : s_) w = splitmix64(state);
}

RandomStream RandomStream::from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2, std::uint64_t s3) {
  RandomStream r;
  r.s_[0] = s0;
  r.s_[1] = s1;
  r.s_[2] = s2;
  r.s_[3] = s3;
  return r;
}

std::uint64_t RandomStream::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double RandomStream::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

std::uint64_t RandomStream::uniform_int(std::uint64_t n) {
  if (n == 0) return 0;
  u128 m = static_cast<u128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<u128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double RandomStream::exponential(double mean) {
  // 1 - U lies in (0, 1], so the logarithm is finite.
  return -mean * std::log(1.0 - uniform());
}

double RandomStream::normal(double mean, double sd) {
  if (has_spare_) {
    has_spare_ = false;
    return mean + sd * spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * f;
  has_spare_ = true;
  return mean + sd * u * f;
}

}  // namespace m2msim
