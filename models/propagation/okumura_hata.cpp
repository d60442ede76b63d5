#include "models/propagation/okumura_hata.hpp"

#include <cmath>

namespace m2msim::propagation {
namespace {

// ns-3 switches from Hata to COST-231-Hata above 1.5 GHz, the upper end of
// Hata's range (f <= 1.5 GHz uses Hata, as in ns-3's `m_frequency <= 1.500e9`).
constexpr double kHataMaxFrequency_hz = 1.5e9;

constexpr double square(double x) { return x * x; }

// Hata's mobile-antenna height correction a(hm) for small and medium cities,
// dB (COST 231 final report eq. 4.4.1; eq. 4.4.3 reuses it).
double small_city_mobile_correction_db(double log10_f_mhz, double hm_m) {
  return (1.1 * log10_f_mhz - 0.7) * hm_m - (1.56 * log10_f_mhz - 0.8);
}

// −13.82·log10(hb) + (44.9 − 6.55·log10(hb))·log10(d km): the base-height and
// distance terms common to eq. 4.4.1 and eq. 4.4.3 of the COST 231 report.
double height_and_distance_terms_db(double hb_m, double d_km) {
  const double log10_hb = std::log10(hb_m);
  return -13.82 * log10_hb + (44.9 - 6.55 * log10_hb) * std::log10(d_km);
}

// COST-231-Hata, COST 231 final report eq. 4.4.3:
// L = 46.3 + 33.9·log10 f − 13.82·log10 hb − a(hm) + (44.9 − 6.55·log10 hb)·log10 d + Cm.
double cost231_hata_db(double log10_f_mhz, double hb_m, double d_km, double a_hm_db, double cm_db) {
  return 46.3 + 33.9 * log10_f_mhz + height_and_distance_terms_db(hb_m, d_km) - a_hm_db + cm_db;
}

const char* name(OkumuraHataLoss::Environment e) {
  switch (e) {
    case OkumuraHataLoss::Environment::Urban: return "urban";
    case OkumuraHataLoss::Environment::Suburban: return "suburban";
    case OkumuraHataLoss::Environment::Open: return "open area";
  }
  return "invalid environment";
}

const char* name(OkumuraHataLoss::CitySize c) {
  switch (c) {
    case OkumuraHataLoss::CitySize::Small: return "small city";
    case OkumuraHataLoss::CitySize::Medium: return "medium city";
    case OkumuraHataLoss::CitySize::Large: return "large city";
  }
  return "invalid city size";
}

}  // namespace

double OkumuraHataLoss::do_link_loss_db(const LinkGeometry& link) const {
  const double f_mhz = link.frequency_hz / 1e6;
  const double log10_f = std::log10(f_mhz);
  const double hb = link.height_bs_m;
  const double hm = link.height_ut_m;
  const double d_km = link.distance_3d_m() / 1000.0;
  const bool large_city = city_size_ == CitySize::Large;

  if (link.frequency_hz <= kHataMaxFrequency_hz) {
    // Hata / COST 231 final report eq. 4.4.1. Hata gives the large-city
    // correction for f <= 200 MHz and for f >= 400 MHz; ns-3 splits at 200 MHz
    // and so do we.
    double a_hm = 0.0;
    if (!large_city) {
      a_hm = small_city_mobile_correction_db(log10_f, hm);
    } else if (f_mhz < 200.0) {
      a_hm = 8.29 * square(std::log10(1.54 * hm)) - 1.1;
    } else {
      a_hm = 3.2 * square(std::log10(11.75 * hm)) - 4.97;
    }
    double loss = 69.55 + 26.16 * log10_f + height_and_distance_terms_db(hb, d_km) - a_hm;
    // Suburban and open-area corrections (Hata 1980, as coded in ns-3).
    if (environment_ == Environment::Suburban) {
      loss += -2.0 * square(std::log10(f_mhz / 28.0)) - 5.4;
    } else if (environment_ == Environment::Open) {
      loss += -4.78 * square(log10_f) + 18.33 * log10_f - 40.94;
    }
    return loss;
  }

  // COST-231-Hata branch (eq. 4.4.3); the environment is ignored, as in ns-3.
  // Large city: a(hm) = 3.2·(log10(11.75·hm))² WITHOUT the −4.97 dB of Hata's
  // large-city correction, and Cm = 3 dB. This is deliberate: it is what ns-3
  // implements and what the octave scripts behind its reference values
  // (src/propagation/test/reference/loss_COST231_large_cities_urban.m) compute,
  // so the ns-3 vector "COST231 OH Urban Large city" (148.55 dB) is reproduced;
  // with the −4.97 dB term the loss would be 4.97 dB lower (143.58 dB there).
  const double a_hm = large_city ? 3.2 * square(std::log10(11.75 * hm)) : small_city_mobile_correction_db(log10_f, hm);
  const double cm_db = large_city ? 3.0 : 0.0;
  return cost231_hata_db(log10_f, hb, d_km, a_hm, cm_db);
}

std::string OkumuraHataLoss::describe() const {
  return std::string("Okumura-Hata/COST-231 (") + name(environment_) + ", " + name(city_size_) + ")";
}

double Cost231HataLoss::do_link_loss_db(const LinkGeometry& link) const {
  const double log10_f = std::log10(link.frequency_hz / 1e6);
  const double a_hm = small_city_mobile_correction_db(log10_f, link.height_ut_m);
  const double cm_db = area_ == Area::Metropolitan ? 3.0 : 0.0;
  return cost231_hata_db(log10_f, link.height_bs_m, link.distance_3d_m() / 1000.0, a_hm, cm_db);
}

std::string Cost231HataLoss::describe() const {
  return area_ == Area::Metropolitan ? "COST-231-Hata (metropolitan centre, Cm = 3 dB)"
                                     : "COST-231-Hata (medium city or suburban, Cm = 0 dB)";
}

}  // namespace m2msim::propagation
