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

namespace {

/// I = a + b/T through (t0, i0) and (t1, i1), at `cycle_s`.
double through(std::pair<double, double> p0, std::pair<double, double> p1, double cycle_s) {
  const auto [t0, i0] = p0;
  const auto [t1, i1] = p1;
  const double b = (i0 - i1) / (1.0 / t0 - 1.0 / t1);
  const double a = i0 - b / t0;
  return a + b / cycle_s;
}

}  // namespace

double CurrentProfile::idle_mA(double cycle_s) const {
  const auto& t = idle_mA_by_cycle_s;
  if (t.empty()) return standby_mA;
  if (cycle_s <= t.front().first) return t.front().second;
  if (cycle_s >= t.back().first) return t.back().second;
  std::size_t i = 1;
  while (cycle_s > t[i].first) ++i;
  return through(t[i - 1], t[i], cycle_s);
}

double CurrentProfile::idle_mA_extrapolated(double cycle_s) const {
  const auto& t = idle_mA_by_cycle_s;
  if (t.size() < 2) return idle_mA(cycle_s);
  return cycle_s < t.front().first ? through(t[0], t[1], cycle_s) : idle_mA(cycle_s);
}

CurrentProfile CurrentProfile::for_technology(std::string_view tech) const {
  CurrentProfile p = *this;
  p.by_technology.clear();
  for (const auto& v : by_technology) {
    if (v.technology != tech) continue;
    if (v.sleep_mA) p.sleep_mA = *v.sleep_mA;
    if (v.standby_mA) p.standby_mA = *v.standby_mA;
    if (v.rx_mA) p.rx_mA = *v.rx_mA;
    if (v.connected_mA) p.connected_mA = *v.connected_mA;
    if (!v.tx_mA_by_dBm.empty()) p.tx_mA_by_dBm = v.tx_mA_by_dBm;
    if (!v.idle_mA_by_cycle_s.empty()) p.idle_mA_by_cycle_s = v.idle_mA_by_cycle_s;
  }
  return p;
}

}  // namespace m2msim::energy
