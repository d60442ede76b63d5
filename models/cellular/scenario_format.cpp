// NB-IoT's part of the scenario format: the `nbiot:` section (the cells'
// configuration per coverage-enhancement level), the keys of an NB-IoT site,
// and a group's `radio:` keys with the checks that tie them to the traffic
// and the hardware.
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "models/cellular/nbiot_phy.hpp"
#include "models/cellular/parameters.hpp"
#include "models/cellular/scenario_settings.hpp"
#include "scenarios/hardware.hpp"

namespace m2msim::cellular {

namespace {

// The scenario reader's API (scenarios/reader.hpp, parameters.hpp).
using namespace m2msim::scenario;  // NOLINT(google-build-using-namespace)

/// A key that takes one value per CE level: a list of exactly three.
template <class Read>
void per_level(const Context& ctx, const ParamReader& r, std::string_view key, Read read) {
  // The default is a YAML list written as text in the parameter table.
  const YAML::Node n = r.has(key) ? r.get(key) : YAML::Load(std::string(parameters::kSection.find(key)->default_value));
  const std::string what = r.what(key);
  if (!n.IsSequence() || n.size() != kCeLevels)
    ctx.fail(n, what + " takes a list of 3 values, one per CE level ([CE0, CE1, CE2]), got " + kind_name(n));
  for (std::size_t i = 0; i < kCeLevels; ++i) read(n[i], what + "[" + std::to_string(i) + "]", i);
}

/// A whole number that must be one of `allowed`.
template <std::size_t N>
int one_of(const Context& ctx, const YAML::Node& n, const std::array<int, N>& allowed, const std::string& what) {
  const auto v = integer(ctx, n, allowed.front(), allowed.back(), what);
  for (int a : allowed)
    if (a == v) return a;
  std::string list;
  for (int a : allowed) list += (list.empty() ? "" : ", ") + std::to_string(a);
  ctx.fail(n, what + " must be one of " + list + ", got " + n.Scalar());
}

constexpr std::array<int, 16> kDownlinkRepetitions{1,   2,   4,   8,   16,  32,   64,   128,
                                                   192, 256, 384, 512, 768, 1024, 1536, 2048};
constexpr std::array<int, 12> kNpdcchRepetitions{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048};
constexpr std::array<int, 4> kUplinkTones{1, 3, 6, 12};
constexpr std::array<int, 7> kPreambleAttempts{3, 4, 5, 6, 7, 8, 10};

std::shared_ptr<const NetworkSettings> read_nbiot(const Context& ctx, const YAML::Node& n) {
  ParamReader r(ctx, n, "nbiot", parameters::kSection);
  auto out = std::make_shared<NetworkSettings>();
  NetworkSettings& s = *out;
  s.max_coupling_loss_dB = r.quantity("max_coupling_loss");
  s.link_adaptation = r.boolean("link_adaptation");
  s.repetition_gain_dB = r.quantity("repetition_gain");
  if (r.has("rsrp_thresholds")) {
    const YAML::Node t = r.get("rsrp_thresholds");
    if (!t.IsSequence() || t.size() != 2)
      ctx.fail(t, "nbiot.rsrp_thresholds takes a list of 2 powers ([CE level 0 from, CE level 1 from]), got " +
                      std::string(kind_name(t)));
    std::array<double, 2> v{};
    for (std::size_t i = 0; i < 2; ++i) {
      const std::string what = "nbiot.rsrp_thresholds[" + std::to_string(i) + "]";
      v[i] = quantity(ctx, t[i], Dimension::Power, what);
      check_range(ctx, t[i], v[i], -160, -40, what, "-160 dBm to -40 dBm");
    }
    if (!(v[0] > v[1]))
      ctx.fail(t[1],
               "nbiot.rsrp_thresholds[1] must be below nbiot.rsrp_thresholds[0] (CE level 1 starts where level "
               "0 ends)");
    s.rsrp_thresholds_dBm = v;
  }
  auto& L = s.levels;
  per_level(ctx, r, "nprach_period", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    const Time t = time_value(ctx, v, what);
    bool ok = false;
    for (int ms : nbiot::kNprachPeriodsMs) ok = ok || t == Time::milliseconds(ms);
    if (!ok) ctx.fail(v, what + " must be 40, 80, 160, 240, 320, 640, 1280 or 2560 ms, got '" + v.Scalar() + "'");
    L[i].nprach_period = t;
  });
  per_level(ctx, r, "nprach_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].nprach_repetitions = one_of(ctx, v, nbiot::kNprachRepetitions, what);
  });
  int subcarriers = 0;
  per_level(ctx, r, "nprach_subcarriers", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].nprach_subcarriers = one_of(ctx, v, nbiot::kNprachSubcarriers, what);
    subcarriers += L[i].nprach_subcarriers;
    if (subcarriers > 48)
      ctx.fail(v, "nbiot.nprach_subcarriers add up to " + std::to_string(subcarriers) +
                      "; the three levels share the carrier's 48 NPRACH subcarriers (TS 36.211 §10.1.6)");
  });
  per_level(ctx, r, "max_attempts", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].max_attempts = one_of(ctx, v, kPreambleAttempts, what);
  });
  per_level(ctx, r, "npdcch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].npdcch_repetitions = one_of(ctx, v, kNpdcchRepetitions, what);
  });
  per_level(ctx, r, "npdsch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].npdsch_repetitions = one_of(ctx, v, kDownlinkRepetitions, what);
  });
  per_level(ctx, r, "npusch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].npusch_repetitions = one_of(ctx, v, nbiot::kNpuschRepetitions, what);
  });
  per_level(ctx, r, "npusch_spacing", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    const double hz = quantity(ctx, v, Dimension::Frequency, what);
    if (hz != 15e3 && hz != 3.75e3) ctx.fail(v, what + " must be 15 kHz or 3.75 kHz, got '" + v.Scalar() + "'");
    L[i].npusch_spacing = hz == 15e3 ? nbiot::Spacing::Khz15 : nbiot::Spacing::Khz3_75;
  });
  per_level(ctx, r, "npusch_subcarriers", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].npusch_subcarriers = one_of(ctx, v, kUplinkTones, what);
    if (L[i].npusch_spacing == nbiot::Spacing::Khz3_75 && L[i].npusch_subcarriers != 1)
      ctx.fail(v, what + " must be 1 with npusch_spacing 3.75 kHz (single tone only; TS 36.211 Table 10.1.2.3-1)");
  });
  per_level(ctx, r, "npusch_itbs", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    const int hi = L[i].npusch_subcarriers == 1 ? 10 : 12;
    L[i].npusch_itbs = static_cast<int>(
        integer(ctx, v, 0, hi, what + (hi == 10 ? " (0 to 10 with one subcarrier, TS 36.213 Table 16.5.1.2-1)" : "")));
  });
  per_level(ctx, r, "npdsch_itbs", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].npdsch_itbs = static_cast<int>(integer(ctx, v, 0, nbiot::kMaxItbs, what));
  });
  per_level(ctx, r, "sync_time", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].sync_time = time_value(ctx, v, what);
    check_range(ctx, v, L[i].sync_time.to_seconds(), 0, 60, what, "0 s to 60 s");
  });
  // A level's preamble must end before its next occasion (TS 36.211
  // §10.1.6.1: the NPRACH resource lasts repetitions × 5.6 ms within the period).
  for (std::size_t i = 0; i < kCeLevels; ++i) {
    const Time preamble =
        Time::nanoseconds(nbiot::nprach_repetition_duration(nbiot::PreambleFormat::F0).ns() * L[i].nprach_repetitions);
    if (preamble >= L[i].nprach_period) {
      char msg[200];
      std::snprintf(msg, sizeof msg,
                    "nbiot.nprach_period[%zu] (%g ms) must be longer than the level's preamble, %d repetitions of "
                    "5.6 ms = %g ms",
                    i, L[i].nprach_period.to_seconds() * 1e3, L[i].nprach_repetitions, preamble.to_seconds() * 1e3);
      // At the period when the file gives it, else at the repetitions.
      const YAML::Node at = r.has("nprach_period") ? r.get("nprach_period") : r.get("nprach_repetitions");
      ctx.fail(std::as_const(at)[i], msg);
    }
  }
  s.backoff = r.time("backoff");
  s.inactivity_timer = r.time("inactivity_timer");
  return out;
}

/// The largest NB-IoT PDCP SDU (TS 36.323 §4.3.1): 1600 B of payload and headers.
constexpr std::uint32_t kMaxSdu = 1600;

RadioSettings read_radio_keys(const Context& ctx, const YAML::Node& n, const std::string& where) {
  ParamReader r(ctx, n, where, parameters::kRadio);
  RadioSettings s;
  [[maybe_unused]] const std::string technology = r.choice("technology");  // the loader chose this reader by it
  s.tx_power_dBm = r.quantity("tx_power");
  s.antenna_gain_dBi = r.quantity("antenna_gain");
  s.noise_figure_dB = r.quantity("noise_figure");
  s.frequency_hz = r.quantity("frequency");
  s.header_overhead_bytes = static_cast<std::uint32_t>(std::llround(r.quantity("header_overhead")));
  s.release_assistance = r.boolean("release_assistance");
  s.application_ack = r.boolean("application_ack");
  s.active_timer = r.time("active_timer");
  s.periodic_tau = r.time("periodic_tau");
  s.paging_cycle = r.time("paging_cycle");
  return s;
}

void check_group(const Context& ctx, const YAML::Node& group_node, const scenario::DeviceGroupSpec& g,
                 const RadioSettings& s, const std::string& where) {
  // The loader refuses to extrapolate the transmit current outside the datasheet's table.
  check_tx_power(ctx, std::as_const(group_node)["radio"], s.tx_power_dBm, g.hardware.radio, where);
  if (const YAML::Node t = std::as_const(group_node)["traffic"]) {
    const double bytes = static_cast<double>(g.traffic.payload_bytes) + s.header_overhead_bytes;
    char what[160];
    std::snprintf(what, sizeof what, "0 B to %u B (1600 B, the largest NB-IoT PDCP SDU, less %u B of headers)",
                  kMaxSdu - std::min(kMaxSdu, s.header_overhead_bytes), s.header_overhead_bytes);
    check_range(ctx, std::as_const(t)["payload"], bytes, 0.0, kMaxSdu, where + ".traffic.payload (with headers)", what);
  }
  if (g.downlink) {
    if (const YAML::Node t = std::as_const(group_node)["downlink"]) {
      const double bytes = static_cast<double>(g.downlink->payload_bytes) + s.header_overhead_bytes;
      char what[160];
      std::snprintf(what, sizeof what, "0 B to %u B (1600 B, the largest NB-IoT PDCP SDU, less %u B of headers)",
                    kMaxSdu - std::min(kMaxSdu, s.header_overhead_bytes), s.header_overhead_bytes);
      check_range(ctx, std::as_const(t)["payload"], bytes, 0.0, kMaxSdu, where + ".downlink.payload (with headers)",
                  what);
    }
  }
}

class NbiotFormat final : public scenario::TechnologyFormat {
 public:
  std::string_view name() const override { return kNbiot; }
  std::span<const scenario::ParamSection* const> sections() const override { return parameters::kSections; }
  std::string_view section_key() const override { return "nbiot"; }
  std::string_view radio_profile_technology() const override { return "cellular"; }
  std::string_view default_board() const override { return "nrf9160-tracker"; }
  std::string_view default_radio_profile() const override { return "nrf9160"; }
  // TR 45.820's eNB noise figure.
  double default_site_noise_figure_dB() const override { return 3.0; }

  std::shared_ptr<const scenario::TechnologySettings> read_network(const Context& ctx,
                                                                   const YAML::Node& section) const override {
    return read_nbiot(ctx, section);
  }

  std::shared_ptr<const scenario::TechnologySettings> read_site(const Context&, const ParamReader& r,
                                                                const scenario::TechnologySettings&) const override {
    auto s = std::make_shared<SiteSettings>();
    s->tx_power_dBm = r.quantity("carrier_power");
    s->load = r.quantity("load");
    return s;
  }

  std::shared_ptr<const scenario::TechnologySettings> read_radio(const Context& ctx, const YAML::Node& group_node,
                                                                 const scenario::DeviceGroupSpec& g,
                                                                 const scenario::TechnologySettings&,
                                                                 const std::string& where) const override {
    const YAML::Node radio = std::as_const(group_node)["radio"];
    auto s = std::make_shared<RadioSettings>(read_radio_keys(ctx, radio, where + ".radio"));
    check_group(ctx, group_node, g, *s, where);
    return s;
  }

  double carrier_hz(const scenario::TechnologySettings& radio) const override {
    return static_cast<const RadioSettings&>(radio).frequency_hz;
  }
};

}  // namespace

const scenario::TechnologyFormat& nbiot_format() {
  static const NbiotFormat f;
  return f;
}

}  // namespace m2msim::cellular
