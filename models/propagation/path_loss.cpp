#include "models/propagation/path_loss.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace m2msim::propagation {

double free_space_loss_db(double distance_m, double frequency_hz) {
  return 20.0 * std::log10(4.0 * std::numbers::pi * distance_m * frequency_hz / kSpeedOfLight_m_per_s);
}

double PathLossModel::loss_db(double distance_m) const { return do_loss_db(std::max(distance_m, 1e-3)); }

double PathLossModel::loss_db(const LinkGeometry& link) const {
  LinkGeometry clamped = link;
  clamped.distance_2d_m = std::max(link.distance_2d_m, 1e-3);
  return do_link_loss_db(clamped);
}

double PathLossModel::do_link_loss_db(const LinkGeometry& link) const { return do_loss_db(link.distance_3d_m()); }

double GeometricPathLossModel::do_loss_db(double /*distance_m*/) const {
  throw std::logic_error(describe() +
                         " needs antenna heights and a frequency: call loss_db(const LinkGeometry&)");
}

LogDistanceLoss::LogDistanceLoss(double reference_distance_m, double reference_loss_db, double exponent)
    : d0_(reference_distance_m), pl0_(reference_loss_db), n_(exponent) {
  if (!(d0_ > 0.0)) throw std::invalid_argument("log-distance: reference distance must be > 0 m");
}

double LogDistanceLoss::do_loss_db(double distance_m) const {
  if (distance_m <= d0_) return pl0_;
  return pl0_ + 10.0 * n_ * std::log10(distance_m / d0_);
}

std::string LogDistanceLoss::describe() const {
  std::ostringstream os;
  os << "log-distance (d0 = " << d0_ << " m, PL(d0) = " << pl0_ << " dB, n = " << n_ << ")";
  return os.str();
}

double FreeSpaceLoss::do_link_loss_db(const LinkGeometry& link) const {
  return free_space_loss_db(link.distance_3d_m(), link.frequency_hz);
}

std::string FreeSpaceLoss::describe() const { return "free space (Friis)"; }

}  // namespace m2msim::propagation
