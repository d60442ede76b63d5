#include "models/propagation/shadowing.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "sim/random.hpp"

namespace m2msim::propagation {

CorrelatedShadowing::CorrelatedShadowing(double sigma_db, double decorrelation_m, std::uint64_t seed,
                                         std::size_t components)
    : sigma_(sigma_db), dc_(decorrelation_m) {
  if (!(sigma_db >= 0.0)) throw std::invalid_argument("shadowing: sigma must be >= 0 dB");
  if (!(decorrelation_m > 0.0)) throw std::invalid_argument("shadowing: decorrelation distance must be > 0 m");
  if (components == 0) throw std::invalid_argument("shadowing: at least one component");
  amplitude_ = sigma_db * std::sqrt(2.0 / static_cast<double>(components));
  RandomStream rng(seed);
  kx_.reserve(components);
  ky_.reserve(components);
  phase_.reserve(components);
  for (std::size_t i = 0; i < components; ++i) {
    const double u = rng.uniform();  // [0, 1)
    const double one_minus = 1.0 - u;
    const double r = std::sqrt(1.0 / (one_minus * one_minus) - 1.0) / decorrelation_m;
    const double theta = 2.0 * std::numbers::pi * rng.uniform();
    kx_.push_back(r * std::cos(theta));
    ky_.push_back(r * std::sin(theta));
    phase_.push_back(2.0 * std::numbers::pi * rng.uniform());
  }
}

double CorrelatedShadowing::at(double x_m, double y_m) const {
  double sum = 0.0;
  for (std::size_t i = 0; i < kx_.size(); ++i) sum += std::cos(kx_[i] * x_m + ky_[i] * y_m + phase_[i]);
  return amplitude_ * sum;
}

}  // namespace m2msim::propagation
