// NB-IoT's part of the scenario format: the `nbiot:` section (the cells'
// configuration per coverage-enhancement level), the keys of an NB-IoT site,
// and a group's `radio:` keys with the checks that tie them to the traffic
// and the hardware.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "models/cellular/cell_network.hpp"
#include "models/cellular/ltem_parameters.hpp"
#include "models/cellular/ltem_phy.hpp"
#include "models/cellular/nbiot_phy.hpp"
#include "models/cellular/parameters.hpp"
#include "models/cellular/scenario_settings.hpp"
#include "scenarios/hardware.hpp"

namespace m2msim::cellular {

namespace {

// The scenario reader's API (scenarios/reader.hpp, parameters.hpp).
using namespace m2msim::scenario;  // NOLINT(google-build-using-namespace)

/// A key that takes one value per CE level: a list of exactly `levels`.
template <class Read>
void per_level(const Context& ctx, const ParamReader& r, const ParamSection& section, std::size_t levels,
               std::string_view key, Read read) {
  // The default is a YAML list written as text in the parameter table.
  const YAML::Node n = r.has(key) ? r.get(key) : YAML::Load(std::string(section.find(key)->default_value));
  const std::string what = r.what(key);
  if (!n.IsSequence() || n.size() != levels)
    ctx.fail(n, what + " takes a list of " + std::to_string(levels) + " values, one per CE level (" +
                    (levels == 3 ? "[CE0, CE1, CE2]" : "[CE0, CE1, CE2, CE3]") + "), got " + kind_name(n));
  for (std::size_t i = 0; i < levels; ++i) read(n[i], what + "[" + std::to_string(i) + "]", i);
}

/// Reads a list of `count` powers, each below the one before.
std::array<double, kMaxCeLevels - 1> read_thresholds(const Context& ctx, const ParamReader& r, std::size_t count,
                                                     const std::string& name) {
  const YAML::Node t = r.get("rsrp_thresholds");
  if (!t.IsSequence() || t.size() != count)
    ctx.fail(t, name + ".rsrp_thresholds takes a list of " + std::to_string(count) + " powers (where CE levels 0 .. " +
                    std::to_string(count - 1) + " begin), got " + std::string(kind_name(t)));
  std::array<double, kMaxCeLevels - 1> v{};
  for (std::size_t i = 0; i < count; ++i) {
    const std::string what = name + ".rsrp_thresholds[" + std::to_string(i) + "]";
    v[i] = quantity(ctx, t[i], Dimension::Power, what);
    check_range(ctx, t[i], v[i], -160, -40, what, "-160 dBm to -40 dBm");
    if (i > 0 && !(v[i - 1] > v[i]))
      ctx.fail(t[i], what + " must be below " + name + ".rsrp_thresholds[" + std::to_string(i - 1) + "] (CE level " +
                         std::to_string(i) + " starts where level " + std::to_string(i - 1) + " ends)");
  }
  return v;
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

constexpr std::array<int, 12> kNpdcchRepetitions{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048};
constexpr std::array<int, 4> kUplinkTones{1, 3, 6, 12};
constexpr std::array<int, 7> kPreambleAttempts{3, 4, 5, 6, 7, 8, 10};

/// Connected-mode DRX: a cycle (0: none) and an on-duration shorter than it.
void read_drx(const Context& ctx, const ParamReader& r, NetworkSettings& s) {
  s.drx_cycle = r.time("connected_drx_cycle");
  s.drx_on_duration = r.time("connected_drx_on_duration");
  if (s.drx_cycle > Time::zero() && s.drx_on_duration >= s.drx_cycle)
    ctx.fail(r.has("connected_drx_on_duration") ? r.get("connected_drx_on_duration") : r.get("connected_drx_cycle"),
             r.what("connected_drx_on_duration") + " must be shorter than " + r.what("connected_drx_cycle"));
}

/// Cell selection (`q_rxlev_min`, in Q-RxLevMin's 2 dB steps) and the search
/// of a device that finds no cell (default: the last level's sync_time, so
/// after the levels are read).
void read_cell_selection(const Context& ctx, const ParamReader& r, NetworkSettings& s) {
  s.q_rxlev_min_dBm = r.quantity("q_rxlev_min");
  if (std::abs(s.q_rxlev_min_dBm / 2.0 - std::round(s.q_rxlev_min_dBm / 2.0)) > 1e-9)
    ctx.fail(r.get("q_rxlev_min"), r.what("q_rxlev_min") +
                                       " must be an even number of dBm (TS 36.331 Q-RxLevMin counts in steps of "
                                       "2 dB, -140 dBm to -44 dBm), got '" +
                                       r.get("q_rxlev_min").Scalar() + "'");
  s.search_time = r.has("search_time") ? r.time("search_time") : s.levels[s.level_count - 1].sync_time;
  s.uplink_interference = r.boolean("uplink_interference");
}

/// NB-IoT's uplink power control: each value as TS 36.331 can broadcast it.
void read_power_control(const Context& ctx, const ParamReader& r, NetworkSettings& s) {
  s.power_control = r.boolean("power_control");
  const auto stepped = [&](std::string_view key, double step, const char* what_it_is) {
    const double v = r.quantity(key);
    if (std::abs(v / step - std::round(v / step)) > 1e-9)
      ctx.fail(r.get(key), r.what(key) + (step == 1.0 ? " must be a whole number" : " must be in steps of 2") + " (" +
                               what_it_is + "), got '" + r.value_of(key).Scalar() + "'");
    return v;
  };
  s.p0_nominal_dBm = stepped("p0_nominal_npusch", 1.0, "TS 36.331 p0-NominalNPUSCH-r13, -126 to 24 dBm");
  s.preamble_target_dBm =
      stepped("preamble_target_power", 2.0, "TS 36.331 preambleInitialReceivedTargetPower, -120 to -90 dBm");
  s.ramping_step_dB = stepped("power_ramping_step", 2.0, "TS 36.331 powerRampingStep: 0, 2, 4 or 6 dB");
  s.delta_msg3_dB = stepped("delta_preamble_msg3", 2.0, "TS 36.331 deltaPreambleMsg3-r13, -1 to 6 times 2 dB");
  const YAML::Node a = r.value_of("alpha");
  double alpha = -1.0;
  try {
    alpha = a.as<double>();
  } catch (const YAML::Exception&) {}
  constexpr std::array<double, 8> kAlphas{0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
  if (std::none_of(kAlphas.begin(), kAlphas.end(), [&](double x) { return std::abs(x - alpha) < 1e-9; }))
    ctx.fail(a, r.what("alpha") + " must be 0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 or 1 (TS 36.331 alpha-r13), got '" +
                    a.Scalar() + "'");
  s.alpha = alpha;
}

/// `edt_max_tbs`: one of edt-TBS-r15's sizes per level.
void read_edt(const Context& ctx, const ParamReader& r, const ParamSection& section, NetworkSettings& s) {
  constexpr std::array<int, 8> kEdtTbs{328, 408, 504, 584, 680, 808, 936, 1000};
  per_level(
      ctx, r, section, s.level_count, "edt_max_tbs", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
        const double bits = quantity(ctx, v, Dimension::DataSize, what) * 8.0;
        for (int a : kEdtTbs)
          if (std::abs(bits - a) < 1e-6) {
            s.levels[i].edt_max_bits = a;
            return;
          }
        ctx.fail(
            v, what + " must be 328, 408, 504, 584, 680, 808, 936 or 1000 bit (edt-TBS-r15), got '" + v.Scalar() + "'");
      });
}

/// The time of a list entry that must be one of `allowed_ms`.
template <std::size_t N>
Time one_of_ms(const Context& ctx, const YAML::Node& v, const std::array<int, N>& allowed_ms, const std::string& what) {
  const Time t = time_value(ctx, v, what);
  std::string list;
  for (int a : allowed_ms) {
    if (t == Time::milliseconds(a)) return t;
    list += (list.empty() ? "" : ", ") + std::to_string(a);
  }
  ctx.fail(v, what + " must be one of " + list + " ms, got '" + v.Scalar() + "'");
}

/// SIB1-NB's repetitions and the other system-information messages
/// (si_periods, si_repetition_frames and si_sizes, one entry per message, in
/// si_window's windows), as SIB1-NB schedules them (TS 36.331 §5.2.3a).
void read_system_information(const Context& ctx, const ParamReader& r, nbiot::DownlinkConfig& d) {
  d.sib1_repetitions = one_of(ctx, r.value_of("sib1_repetitions"), nbiot::kSib1Repetitions,
                              "nbiot.sib1_repetitions (TS 36.213 Table 16.4.1.3-3)");
  constexpr std::array<int, 7> kWindowsMs{160, 320, 480, 640, 960, 1280, 1600};
  const YAML::Node w = r.value_of("si_window");
  d.si_window_frames = one_of_ms(ctx, w, kWindowsMs, "nbiot.si_window (si-WindowLength-r13)").ns() / 10'000'000;
  const auto list = [&](std::string_view key, const YAML::Node& fallback) {
    const YAML::Node n = r.has(key) ? r.get(key) : fallback;
    if (!n.IsSequence() || n.size() > 8)
      ctx.fail(n, r.what(key) +
                      " takes a list of at most 8 values, one per system-information message "
                      "(maxSI-Message-NB-r13), got " +
                      (n.IsSequence() ? std::to_string(n.size()) + " values" : std::string(kind_name(n))));
    return n;
  };
  // The default is a YAML list written as text in the parameter table; the
  // other two lists default per message: every 4th frame, 256 bits for the
  // first message and 56 for the others (the default network's).
  const YAML::Node periods =
      list("si_periods", YAML::Load(std::string(parameters::kSection.find("si_periods")->default_value)));
  YAML::Node every_default(YAML::NodeType::Sequence), sizes_default(YAML::NodeType::Sequence);
  for (std::size_t i = 0; i < periods.size(); ++i) {
    every_default.push_back(4);
    sizes_default.push_back(i == 0 ? "256 bit" : "56 bit");
  }
  const YAML::Node every = list("si_repetition_frames", every_default), sizes = list("si_sizes", sizes_default);
  d.si.clear();
  if (periods.size() == 0) {
    // None counted: lists given for the others would be ignored, so they
    // must be empty too.
    for (const char* key : {"si_repetition_frames", "si_sizes"})
      if (r.has(key) && r.get(key).size() > 0)
        ctx.fail(r.get(key), r.what(key) +
                                 " is given but nbiot.si_periods is empty: give each message a period, "
                                 "or leave " +
                                 key + " out");
    return;
  }
  for (const auto& [key, n] : {std::pair<const char*, const YAML::Node&>{"si_repetition_frames", every},
                               std::pair<const char*, const YAML::Node&>{"si_sizes", sizes}})
    if (n.size() != periods.size())
      ctx.fail(n, r.what(key) + " has " + std::to_string(n.size()) + " values but nbiot.si_periods has " +
                      std::to_string(periods.size()) + ": one per system-information message");
  constexpr std::array<int, 7> kPeriodsMs{640, 1280, 2560, 5120, 10240, 20480, 40960};
  constexpr std::array<int, 4> kEvery{2, 4, 8, 16};
  constexpr std::array<int, 8> kSizes{56, 120, 208, 256, 328, 440, 552, 680};
  std::int64_t cycle = 1;
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    nbiot::SiMessage m;
    m.period_frames = static_cast<int>(
        one_of_ms(ctx, periods[i], kPeriodsMs, "nbiot.si_periods" + at + " (si-Periodicity-r13)").ns() / 10'000'000);
    m.repetition_frames =
        one_of(ctx, every[i], kEvery, "nbiot.si_repetition_frames" + at + " (si-RepetitionPattern-r13)");
    const double bits = quantity(ctx, sizes[i], Dimension::DataSize, "nbiot.si_sizes" + at) * 8.0;
    const auto size = std::find_if(kSizes.begin(), kSizes.end(), [&](int b) { return std::abs(bits - b) < 1e-6; });
    if (size == kSizes.end())
      ctx.fail(sizes[i], "nbiot.si_sizes" + at +
                             " must be 56, 120, 208, 256, 328, 440, 552 or 680 bit (si-TB-r13), got '" +
                             sizes[i].Scalar() + "'");
    m.subframes = *size <= 120 ? 2 : 8;  // TS 36.331 SystemInformation-NB: 2 subframes for 56 and 120 bits
    cycle = std::lcm(cycle, static_cast<std::int64_t>(m.period_frames));
    d.si.push_back(m);
  }
  // TS 36.331 §5.2.3a: message n's window opens where SFN mod T_n =
  // (n − 1) · window; it must open within its period, and no two windows
  // may share a frame.
  const YAML::Node& where = r.has("si_window") ? w : periods;
  std::vector<int> owner(static_cast<std::size_t>(cycle), -1);
  for (std::size_t n = 0; n < d.si.size(); ++n) {
    const std::int64_t open = static_cast<std::int64_t>(n) * d.si_window_frames, T = d.si[n].period_frames;
    if (open + d.si_window_frames > T)
      ctx.fail(where, "nbiot: system-information message " + std::to_string(n + 1) + "'s window (" +
                          std::to_string(d.si_window_frames * 10) + " ms, opening " + std::to_string(open * 10) +
                          " ms into its period) does not fit in its si_periods[" + std::to_string(n) + "] (" +
                          std::to_string(T * 10) + " ms); give a shorter si_window or a longer period");
    for (std::int64_t start = open; start < cycle; start += T)
      for (std::int64_t f = start; f < start + d.si_window_frames; ++f) {
        int& o = owner[static_cast<std::size_t>(f % cycle)];
        if (o >= 0)
          ctx.fail(where, "nbiot: the windows of system-information messages " + std::to_string(o + 1) + " and " +
                              std::to_string(n + 1) + " meet at frame " + std::to_string(f % cycle) + " (si_window " +
                              std::to_string(d.si_window_frames * 10) +
                              " ms); give a shorter si_window or other si_periods");
        o = static_cast<int>(n);
      }
  }
}

std::shared_ptr<const NetworkSettings> read_nbiot(const Context& ctx, const YAML::Node& n) {
  ParamReader r(ctx, n, "nbiot", parameters::kSection);
  auto out = std::make_shared<NetworkSettings>();
  NetworkSettings& s = *out;
  if (r.has("max_coupling_loss")) s.max_coupling_loss_dB = r.quantity("max_coupling_loss");
  s.link_adaptation = r.boolean("link_adaptation");
  s.repetition_gain_dB = r.quantity("repetition_gain");
  s.level_count = 3;
  if (r.has("rsrp_thresholds")) s.rsrp_thresholds_dBm = read_thresholds(ctx, r, 2, "nbiot");
  auto& L = s.levels;
  const auto per_level = [&](std::string_view key, auto read) {
    cellular::per_level(ctx, r, parameters::kSection, 3, key, read);
  };
  per_level("nprach_period", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].prach_period = one_of_ms(ctx, v, nbiot::kNprachPeriodsMs, what);
  });
  per_level("nprach_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].prach_repetitions = one_of(ctx, v, nbiot::kNprachRepetitions, what);
  });
  per_level("nprach_start_time", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].prach_start = one_of_ms(ctx, v, nbiot::kNprachStartTimesMs, what);
  });
  per_level("nprach_subcarriers", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].preambles = one_of(ctx, v, nbiot::kNprachSubcarriers, what);
  });
  per_level("nprach_subcarrier_offset", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].prach_offset = one_of(ctx, v, nbiot::kNprachSubcarrierOffsets, what);
  });
  for (std::size_t i = 0; i < s.level_count; ++i) {
    if (L[i].prach_offset + L[i].preambles <= 48) continue;
    // At the key the file gives (the offset first), else the section.
    const char* key = r.has("nprach_subcarrier_offset") ? "nprach_subcarrier_offset"
                      : r.has("nprach_subcarriers")     ? "nprach_subcarriers"
                                                        : nullptr;
    const YAML::Node list = key != nullptr ? r.get(key) : YAML::Node();
    ctx.fail(key != nullptr ? std::as_const(list)[i] : n,
             "nbiot.nprach_subcarrier_offset[" + std::to_string(i) + "] (" + std::to_string(L[i].prach_offset) +
                 ") + nbiot.nprach_subcarriers[" + std::to_string(i) + "] (" + std::to_string(L[i].preambles) +
                 ") pass the carrier's 48 subcarriers (TS 36.211 §10.1.6)");
  }
  per_level("max_attempts", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].max_attempts = one_of(ctx, v, kPreambleAttempts, what);
  });
  per_level("npdcch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].control_repetitions = one_of(ctx, v, kNpdcchRepetitions, what);
  });
  per_level("npdsch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].pdsch_repetitions = one_of(ctx, v, nbiot::kNpdschRepetitions, what);
  });
  per_level("npusch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].pusch_repetitions = one_of(ctx, v, nbiot::kNpuschRepetitions, what);
  });
  per_level("npusch_spacing", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    const double hz = quantity(ctx, v, Dimension::Frequency, what);
    if (hz != 15e3 && hz != 3.75e3) ctx.fail(v, what + " must be 15 kHz or 3.75 kHz, got '" + v.Scalar() + "'");
    L[i].pusch_spacing = hz == 15e3 ? nbiot::Spacing::Khz15 : nbiot::Spacing::Khz3_75;
  });
  per_level("npusch_subcarriers", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].pusch_width = one_of(ctx, v, kUplinkTones, what);
    if (L[i].pusch_spacing == nbiot::Spacing::Khz3_75 && L[i].pusch_width != 1)
      ctx.fail(v, what + " must be 1 with npusch_spacing 3.75 kHz (single tone only; TS 36.211 Table 10.1.2.3-1)");
  });
  per_level("npusch_itbs", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    const int hi = L[i].pusch_width == 1 ? 10 : 12;
    L[i].pusch_itbs = static_cast<int>(
        integer(ctx, v, 0, hi, what + (hi == 10 ? " (0 to 10 with one subcarrier, TS 36.213 Table 16.5.1.2-1)" : "")));
  });
  per_level("npdsch_itbs", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].pdsch_itbs = static_cast<int>(integer(ctx, v, 0, nbiot::kMaxItbs, what));
  });
  per_level("sync_time", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].sync_time = time_value(ctx, v, what);
    check_range(ctx, v, L[i].sync_time.to_seconds(), 0, 60, what, "0 s to 60 s");
  });
  // A level's preamble must end before its next occasion (TS 36.211
  // §10.1.6.1: the NPRACH resource lasts repetitions × 5.6 ms within the period).
  const auto preamble_of = [&](std::size_t i) {
    return nbiot::nprach_duration(nbiot::PreambleFormat::F0, L[i].prach_repetitions);
  };
  for (std::size_t i = 0; i < s.level_count; ++i) {
    const Time preamble = preamble_of(i);
    if (preamble >= L[i].prach_period) {
      char msg[200];
      std::snprintf(msg, sizeof msg,
                    "nbiot.nprach_period[%zu] (%g ms) must be longer than the level's preamble, %d repetitions of "
                    "5.6 ms = %g ms",
                    i, L[i].prach_period.to_seconds() * 1e3, L[i].prach_repetitions, preamble.to_seconds() * 1e3);
      // At the period when the file gives it, else at the repetitions.
      const YAML::Node at = r.has("nprach_period") ? r.get("nprach_period") : r.get("nprach_repetitions");
      ctx.fail(std::as_const(at)[i], msg);
    }
    if (L[i].prach_start + preamble_of(i) > L[i].prach_period) {
      char msg[240];
      std::snprintf(msg, sizeof msg,
                    "nbiot.nprach_start_time[%zu] (%g ms) + the level's preamble (%g ms) must end within its "
                    "period, %g ms (TS 36.211 §10.1.6.1)",
                    i, L[i].prach_start.to_seconds() * 1e3, preamble_of(i).to_seconds() * 1e3,
                    L[i].prach_period.to_seconds() * 1e3);
      const YAML::Node at = r.has("nprach_start_time") ? r.get("nprach_start_time") : r.get("nprach_period");
      ctx.fail(at && at.IsSequence() ? std::as_const(at)[i] : n, msg);
    }
  }
  // Levels whose resources share subcarriers take turns in time: their
  // windows must not meet over the periods' common multiple.
  for (std::size_t i = 0; i < s.level_count; ++i) {
    for (std::size_t j = i + 1; j < s.level_count; ++j) {
      if (L[i].prach_offset >= L[j].prach_offset + L[j].preambles ||
          L[j].prach_offset >= L[i].prach_offset + L[i].preambles)
        continue;
      const std::int64_t pi = L[i].prach_period.ns(), pj = L[j].prach_period.ns();
      const std::int64_t h = std::lcm(pi, pj), li = preamble_of(i).ns(), lj = preamble_of(j).ns();
      bool meet = false;
      for (std::int64_t a = L[i].prach_start.ns(); a < h && !meet; a += pi)
        for (std::int64_t b = L[j].prach_start.ns(); b < h && !meet; b += pj)
          meet = ((b - a) % h + h) % h < li || ((a - b) % h + h) % h < lj;
      if (meet) {
        const YAML::Node at =
            r.has("nprach_start_time") ? r.get("nprach_start_time") : r.get("nprach_subcarrier_offset");
        ctx.fail(at && at.IsSequence() ? std::as_const(at)[j] : n,
                 "nbiot: the NPRACH resources of CE levels " + std::to_string(i) + " and " + std::to_string(j) +
                     " share subcarriers and meet in time; give them other nprach_start_time or "
                     "nprach_subcarrier_offset values");
      }
    }
  }
  read_system_information(ctx, r, s.downlink);
  read_edt(ctx, r, parameters::kSection, s);
  s.backoff = r.time("backoff");
  s.inactivity_timer = r.time("inactivity_timer");
  s.network_delay = r.time("network_delay");
  read_cell_selection(ctx, r, s);
  read_power_control(ctx, r, s);
  read_drx(ctx, r, s);
  s.bler = r.quantity("block_error_rate");
  return out;
}

std::shared_ptr<const NetworkSettings> read_ltem(const Context& ctx, const YAML::Node& n) {
  namespace P = ltem_parameters;
  ParamReader r(ctx, n, "ltem", P::kSection);
  auto out = std::make_shared<NetworkSettings>();
  NetworkSettings& s = *out;
  s.level_count = 4;
  if (r.has("max_coupling_loss")) s.max_coupling_loss_dB = r.quantity("max_coupling_loss");
  s.link_adaptation = r.boolean("link_adaptation");
  s.repetition_gain_dB = r.quantity("repetition_gain");
  if (r.has("rsrp_thresholds")) s.rsrp_thresholds_dBm = read_thresholds(ctx, r, 3, "ltem");
  // TS 36.101 Table 5.6-1: channel bandwidth → transmission bandwidth in PRBs.
  constexpr std::array<std::pair<double, int>, 6> kBandwidths{
      {{1.4e6, 6}, {3e6, 15}, {5e6, 25}, {10e6, 50}, {15e6, 75}, {20e6, 100}}};
  const double bw = r.quantity("carrier_bandwidth");
  for (const auto& [hz, prbs] : kBandwidths)
    if (bw == hz) s.carrier_prbs = prbs;
  if (s.carrier_prbs == 0)
    ctx.fail(r.get("carrier_bandwidth"),
             "ltem.carrier_bandwidth must be 1.4, 3, 5, 10, 15 or 20 MHz (TS 36.101 "
             "Table 5.6-1), got '" +
                 r.get("carrier_bandwidth").Scalar() + "'");
  s.narrowbands = static_cast<int>(r.integer("narrowbands"));
  if (s.narrowbands > s.carrier_prbs / ltem::kNarrowbandPrbs) {
    const YAML::Node at = r.has("narrowbands") ? r.get("narrowbands") : r.get("carrier_bandwidth");
    ctx.fail(at, "ltem.narrowbands is " + std::to_string(s.narrowbands) + " but a carrier of " +
                     std::to_string(s.carrier_prbs) + " PRBs has " +
                     std::to_string(s.carrier_prbs / ltem::kNarrowbandPrbs) + " (6 PRBs each, TS 36.211 §6.2.7)");
  }
  auto& L = s.levels;
  const auto per_level = [&](std::string_view key, auto read) {
    cellular::per_level(ctx, r, P::kSection, 4, key, read);
  };
  const auto mode_b = [](std::size_t i) { return i >= 2; };
  per_level("prach_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].prach_repetitions = one_of(ctx, v, ltem::kPrachRepetitions, what);
  });
  per_level("prach_period", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    constexpr std::array<int, 9> kPeriods{10, 20, 40, 80, 160, 320, 640, 1280, 2560};
    L[i].prach_period = one_of_ms(ctx, v, kPeriods, what);
    const Time span = ltem::preamble_span(L[i].prach_repetitions);
    if (span >= L[i].prach_period) {
      char msg[200];
      std::snprintf(
          msg, sizeof msg, "%s (%g ms) must be longer than the level's preamble, %d repetitions 10 ms apart = %g ms",
          what.c_str(), L[i].prach_period.to_seconds() * 1e3, L[i].prach_repetitions, span.to_seconds() * 1e3);
      ctx.fail(v, msg);
    }
  });
  int preambles = 0;
  per_level("preambles", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].preambles = static_cast<int>(integer(ctx, v, 1, 64, what));
    preambles += L[i].preambles;
    if (preambles > 64)
      ctx.fail(v, "ltem.preambles add up to " + std::to_string(preambles) +
                      "; the four levels share the cell's 64 preambles (TS 36.211 §5.7.2)");
  });
  per_level("max_attempts", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].max_attempts = one_of(ctx, v, kPreambleAttempts, what);
  });
  per_level("mpdcch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].control_repetitions = one_of(ctx, v, ltem::kMpdcchRepetitions, what);
  });
  const auto repetitions = [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    const int x = one_of(ctx, v, ltem::kRepetitions, what);
    if (!mode_b(i) && x > ltem::kMaxRepetitionsModeA)
      ctx.fail(v, what + " must be at most 32 at CE level " + std::to_string(i) +
                      " (CE mode A, TS 36.213 §7.1.11, §8.0), got " + v.Scalar());
    return x;
  };
  per_level("pdsch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].pdsch_repetitions = repetitions(v, what, i);
  });
  per_level("pusch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].pusch_repetitions = repetitions(v, what, i);
  });
  per_level("pusch_prbs", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    const int hi = mode_b(i) ? ltem::kMaxPrbsModeB : ltem::kNarrowbandPrbs;
    L[i].pusch_width = static_cast<int>(integer(ctx, v, 1, hi, what + (mode_b(i) ? " (CE mode B)" : "")));
  });
  const auto itbs = [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    const int hi = mode_b(i) ? ltem::kMaxItbsModeB : ltem::kMaxItbsModeA;
    return static_cast<int>(integer(ctx, v, 0, hi, what + (mode_b(i) ? " (CE mode B: QPSK)" : "")));
  };
  per_level("pusch_itbs",
            [&](const YAML::Node& v, const std::string& what, std::size_t i) { L[i].pusch_itbs = itbs(v, what, i); });
  // Msg3 goes in one block of the level's allocation: at the key the file
  // gives (the I_TBS, else the PRBs).
  for (std::size_t i = 0; i < s.level_count; ++i) {
    if (ltem::prbs_for(L[i].pusch_itbs, kMsg3Bits, L[i].pusch_width)) continue;
    const std::string k = r.has("pusch_itbs") ? "pusch_itbs" : "pusch_prbs";
    const std::string at = "[" + std::to_string(i) + "]";
    const YAML::Node list = r.has(k) ? r.get(k) : YAML::Node();
    ctx.fail(r.has(k) ? list[i] : n, "ltem.pusch_itbs" + at + " = " + std::to_string(L[i].pusch_itbs) +
                                         " on ltem.pusch_prbs" + at + " = " + std::to_string(L[i].pusch_width) +
                                         " PRBs carries no Msg3 (" + std::to_string(kMsg3Bits) +
                                         " bits; TS 36.213 Table 7.1.7.2.1-1)");
  }
  per_level("pdsch_itbs",
            [&](const YAML::Node& v, const std::string& what, std::size_t i) { L[i].pdsch_itbs = itbs(v, what, i); });
  per_level("pucch_repetitions", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].ack_repetitions = mode_b(i) ? one_of(ctx, v, ltem::kPucchRepetitionsModeB, what + " (CE mode B)")
                                     : one_of(ctx, v, ltem::kPucchRepetitionsModeA, what + " (CE mode A)");
  });
  per_level("response_window", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].response_window = one_of_ms(ctx, v, ltem::kResponseWindowMs, what);
  });
  per_level("sync_time", [&](const YAML::Node& v, const std::string& what, std::size_t i) {
    L[i].sync_time = time_value(ctx, v, what);
    check_range(ctx, v, L[i].sync_time.to_seconds(), 0, 60, what, "0 s to 60 s");
  });
  read_edt(ctx, r, P::kSection, s);
  s.backoff = r.time("backoff");
  s.inactivity_timer = r.time("inactivity_timer");
  s.network_delay = r.time("network_delay");
  read_cell_selection(ctx, r, s);
  read_drx(ctx, r, s);
  s.bler = r.quantity("block_error_rate");
  return out;
}

/// What differs between the cellular technologies' formats.
struct Variant {
  std::string_view name;
  std::span<const scenario::ParamSection* const> sections;
  const ParamSection* radio;
  std::shared_ptr<const NetworkSettings> (*read_network)(const Context&, const YAML::Node&);
  /// The largest PDCP SDU (TS 36.323 §4.3.1): 1600 B for NB-IoT, 8188 B otherwise.
  std::uint32_t max_sdu;
  std::string_view technology_words;  ///< "NB-IoT"
};

RadioSettings read_radio_keys(const Context& ctx, const YAML::Node& n, const std::string& where, const Variant& v) {
  ParamReader r(ctx, n, where, *v.radio);
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
  s.early_data = r.boolean("early_data");
  return s;
}

void check_group(const Context& ctx, const YAML::Node& group_node, const scenario::DeviceGroupSpec& g,
                 const RadioSettings& s, const std::string& where, const Variant& v) {
  // The loader refuses to extrapolate the transmit current outside the datasheet's table.
  check_tx_power(ctx, std::as_const(group_node)["radio"], s.tx_power_dBm, g.hardware.radio, where);
  const auto check_payload = [&](const char* key, std::uint32_t payload) {
    const YAML::Node t = std::as_const(group_node)[key];
    if (!t) return;
    const double bytes = static_cast<double>(payload) + s.header_overhead_bytes;
    char what[160];
    std::snprintf(what, sizeof what, "0 B to %u B (%u B, the largest %s PDCP SDU, less %u B of headers)",
                  v.max_sdu - std::min(v.max_sdu, s.header_overhead_bytes), v.max_sdu,
                  std::string(v.technology_words).c_str(), s.header_overhead_bytes);
    check_range(ctx, std::as_const(t)["payload"], bytes, 0.0, v.max_sdu, where + "." + key + ".payload (with headers)",
                what);
  };
  check_payload("traffic", g.traffic.payload_bytes);
  if (g.downlink) check_payload("downlink", g.downlink->payload_bytes);
}

class CellFormat final : public scenario::TechnologyFormat {
 public:
  explicit CellFormat(const Variant& v) : v_(v) {}
  std::string_view name() const override { return v_.name; }
  std::span<const scenario::ParamSection* const> sections() const override { return v_.sections; }
  std::string_view section_key() const override { return v_.name; }
  std::string_view radio_profile_technology() const override { return "cellular"; }
  std::string_view default_board() const override { return "nrf9160-tracker"; }
  std::string_view default_radio_profile() const override { return "nrf9160"; }
  // TR 45.820's and TR 36.888's eNB noise figure.
  double default_site_noise_figure_dB() const override { return v_.name == kNbiot ? 3.0 : 5.0; }

  std::shared_ptr<const scenario::TechnologySettings> read_network(const Context& ctx,
                                                                   const YAML::Node& section) const override {
    return v_.read_network(ctx, section);
  }

  std::shared_ptr<const scenario::TechnologySettings> read_site(const Context&, const ParamReader& r,
                                                                const scenario::TechnologySettings&) const override {
    auto s = std::make_shared<SiteSettings>();
    // NB-IoT in an LTE carrier (in-band) or its guard band takes the LTE
    // carrier's power per resource element, boosted: 46 dBm over 10 MHz
    // (600 subcarriers) is 18.22 dBm each, +6 dB (the least NB-IoT power
    // dynamic range, TS 36.141 §6.1.6), 24.22 dBm on each of 12: 35.0 dBm.
    // A stand-alone carrier has TR 45.820's 43 dBm.
    // The mode is read (and checked) whether or not carrier_power is given.
    const bool standalone = v_.name != kNbiot || r.choice("operation_mode") == "standalone";
    if (v_.name == kNbiot && !r.has("carrier_power")) {
      s->tx_power_dBm = standalone ? 43.0 : 35.0;
    } else {
      s->tx_power_dBm = r.quantity("carrier_power");
    }
    s->load = r.quantity("load");
    return s;
  }

  std::shared_ptr<const scenario::TechnologySettings> read_radio(const Context& ctx, const YAML::Node& group_node,
                                                                 const scenario::DeviceGroupSpec& g,
                                                                 const scenario::TechnologySettings&,
                                                                 const std::string& where) const override {
    const YAML::Node radio = std::as_const(group_node)["radio"];
    auto s = std::make_shared<RadioSettings>(read_radio_keys(ctx, radio, where + ".radio", v_));
    check_group(ctx, group_node, g, *s, where, v_);
    return s;
  }

  double carrier_hz(const scenario::TechnologySettings& radio) const override {
    return static_cast<const RadioSettings&>(radio).frequency_hz;
  }

 private:
  Variant v_;
};

}  // namespace

const scenario::TechnologyFormat& nbiot_format() {
  static const CellFormat f(Variant{kNbiot, parameters::kSections, &parameters::kRadio, &read_nbiot, 1600, "NB-IoT"});
  return f;
}

const scenario::TechnologyFormat& ltem_format() {
  static const CellFormat f(
      Variant{kLtem, ltem_parameters::kSections, &ltem_parameters::kRadio, &read_ltem, 8188, "LTE-M"});
  return f;
}

}  // namespace m2msim::cellular
