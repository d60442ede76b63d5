#include "models/propagation/macro_36942.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace m2msim::propagation {

Macro36942Loss::Macro36942Loss(double bs_height_above_rooftop_m) : delta_hb_m_(bs_height_above_rooftop_m) {
  if (!(delta_hb_m_ > 0.0 && delta_hb_m_ < 250.0)) {
    std::ostringstream os;
    os << "TR 36.942 macro-cell model: base-station height above rooftop must be within (0, 250) m, got " << delta_hb_m_
       << " m";
    throw std::invalid_argument(os.str());
  }
}

// TR 36.942 §4.5.2: L = 40·(1 − 4·10⁻³·Δhb)·log10(R km) − 18·log10(Δhb) + 21·log10(f MHz) + 80 dB.
double Macro36942Loss::do_link_loss_db(const LinkGeometry& link) const {
  const double r_km = link.distance_3d_m() / 1000.0;
  const double f_mhz = link.frequency_hz / 1e6;
  return 40.0 * (1.0 - 4e-3 * delta_hb_m_) * std::log10(r_km) - 18.0 * std::log10(delta_hb_m_) +
         21.0 * std::log10(f_mhz) + 80.0;
}

std::string Macro36942Loss::describe() const {
  std::ostringstream os;
  os << "3GPP TR 36.942 macro cell (BS " << delta_hb_m_ << " m above rooftop)";
  return os.str();
}

}  // namespace m2msim::propagation
