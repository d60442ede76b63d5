#include "models/energy/energy.hpp"

namespace m2msim::energy {

double CurrentProfile::tx_mA(double p) const {
  const auto& t = tx_mA_by_dBm;
  if (p <= t.front().first) return t.front().second;
  if (p >= t.back().first) return t.back().second;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (p <= t[i].first) {
      const double f = (p - t[i - 1].first) / (t[i].first - t[i - 1].first);
      return t[i - 1].second + f * (t[i].second - t[i - 1].second);
    }
  }
  return t.back().second;
}

}  // namespace m2msim::energy
