#include "engine/native_engine.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include "models/energy/energy.hpp"
#include "models/geo/position.hpp"
#include "models/lora/lora_network.hpp"
#include "models/lora/sensitivity.hpp"
#include "models/metrics/packet_fate.hpp"
#include "models/propagation/link_budget.hpp"
#include "models/propagation/macro_36942.hpp"
#include "models/propagation/okumura_hata.hpp"
#include "models/propagation/path_loss.hpp"
#include "models/propagation/shadowing.hpp"
#include "models/propagation/three_gpp_38901.hpp"
#include "sim/simulation.hpp"
#include "sim/statistics.hpp"

namespace m2msim::engine {

namespace {
lora::ReceptionRules reception_rules(const scenario::LoraReceptionSpec& spec) {
  lora::ReceptionRules r;
  using I = lora::ReceptionRules::Interference;
  r.interference = spec.interference == "aloha" ? I::Aloha : spec.interference == "pairwise" ? I::Pairwise : I::Energy;
  if (spec.isolation == "croce") {
    r.threshold_dB = lora::croce_isolation();
  } else if (spec.isolation == "ideal") {
    r.orthogonal = true;
    for (std::size_t i = 0; i < 6; ++i) r.threshold_dB[i][i] = spec.capture_threshold_dB;
  }
  r.lock_symbols = spec.lock_symbols;
  return r;
}
}  // namespace

namespace {

using scenario::Scenario;

// Entity numbering for random streams: a device's streams are named by its
// index within its group and a purpose that includes the group's name; a
// group's placement stream by the group's index above kGroupEntityBase. So
// adding devices to one group does not change another group's streams.
constexpr std::uint64_t kGroupEntityBase = 1ULL << 40;

// Links whose median received power is more than this many shadowing
// standard deviations below sensitivity are treated as out of range
// (P(N(0,1) > 5) = 2.9·10⁻⁷).
constexpr double kCutOffSigmas = 5.0;

std::vector<geo::Position> place_group(const Scenario& s, const scenario::DeviceGroupSpec& g, std::size_t gi,
                                       const Simulation& sim) {
  RandomStream rng = sim.stream(kGroupEntityBase + gi, "placement/" + g.name);
  const auto& a = s.area;
  switch (g.placement.kind) {
    case scenario::PlacementSpec::Kind::List: {
      std::vector<geo::Position> out;
      for (const auto& [x, y] : g.placement.points_m) out.push_back({x, y, g.height_m});
      return out;
    }
    case scenario::PlacementSpec::Kind::Grid:
      return geo::place_grid(g.count, geo::Rectangle{0.0, 0.0, a.width_m, a.height_m}, g.height_m);
    case scenario::PlacementSpec::Kind::Uniform:
      if (a.shape == scenario::AreaSpec::Shape::Disc) {
        return geo::place_uniform(g.count, geo::Disc{a.radius_m, a.radius_m, a.radius_m}, g.height_m, rng);
      }
      return geo::place_uniform(g.count, geo::Rectangle{0.0, 0.0, a.width_m, a.height_m}, g.height_m, rng);
  }
  return {};
}

lora::Modulation modulation_of(const scenario::LoraRadioSpec& r) {
  lora::Modulation m;
  m.spreading_factor = r.spreading_factor;
  m.bandwidth_hz = r.bandwidth_hz;
  m.coding_rate = r.coding_rate;
  m.explicit_header = r.explicit_header;
  m.crc = r.crc;
  m.ldro = r.low_data_rate_optimize == "on"    ? lora::LowDataRateOptimize::On
           : r.low_data_rate_optimize == "off" ? lora::LowDataRateOptimize::Off
                                               : lora::LowDataRateOptimize::Auto;
  m.preamble_symbols = r.preamble_symbols;
  return m;
}

struct PathLossModels {
  std::unique_ptr<propagation::PathLossModel> primary;  ///< or the LOS model when random_los
  std::unique_ptr<propagation::PathLossModel> nlos;
  bool random_los = false;
  propagation::ThreeGppScenario scenario = propagation::ThreeGppScenario::UMa;
};

PathLossModels make_path_loss(const scenario::PropagationSpec& p) {
  namespace pr = propagation;
  PathLossModels m;
  if (p.model == "log-distance") {
    m.primary = std::make_unique<pr::LogDistanceLoss>(p.reference_distance_m, p.reference_loss_dB, p.exponent,
                                                      p.formula_below_reference);
  } else if (p.model == "free-space") {
    m.primary = std::make_unique<pr::FreeSpaceLoss>();
  } else if (p.model == "okumura-hata") {
    const auto env = p.environment == "suburban" ? pr::OkumuraHataLoss::Environment::Suburban
                     : p.environment == "open"   ? pr::OkumuraHataLoss::Environment::Open
                                                 : pr::OkumuraHataLoss::Environment::Urban;
    const auto city = p.city == "large"    ? pr::OkumuraHataLoss::CitySize::Large
                      : p.city == "medium" ? pr::OkumuraHataLoss::CitySize::Medium
                                           : pr::OkumuraHataLoss::CitySize::Small;
    m.primary = std::make_unique<pr::OkumuraHataLoss>(env, city);
  } else if (p.model == "cost231-hata") {
    m.primary = std::make_unique<pr::Cost231HataLoss>(p.area == "metropolitan" ? pr::Cost231HataLoss::Area::Metropolitan
                                                                               : pr::Cost231HataLoss::Area::MediumCityOrSuburban);
  } else if (p.model == "3gpp-36942-macro") {
    m.primary = std::make_unique<pr::Macro36942Loss>(p.rooftop_height_m);
  } else {
    m.scenario = p.model == "3gpp-rma"   ? pr::ThreeGppScenario::RMa
                 : p.model == "3gpp-uma" ? pr::ThreeGppScenario::UMa
                                         : pr::ThreeGppScenario::UMiStreetCanyon;
    const pr::RmaEnvironment rma{p.building_height_m, p.street_width_m};
    const auto cond = p.condition == "nlos" ? pr::LosCondition::Nlos : pr::LosCondition::Los;
    m.primary = std::make_unique<pr::ThreeGppLoss>(m.scenario, cond, rma);
    if (p.condition == "random") {
      m.random_los = true;
      m.nlos = std::make_unique<pr::ThreeGppLoss>(m.scenario, pr::LosCondition::Nlos, rma);
    }
  }
  return m;
}

results::GroupSummary summarize(const std::string& name, const std::vector<const lora::LoraDevice*>& devices,
                                const std::vector<double>& battery_years, SampleCollector& latency,
                                SampleCollector& downlink_latency) {
  results::GroupSummary g;
  g.name = name;
  g.devices = devices.size();
  g.fates.assign(metrics::kPacketFateCount, 0);
  for (const auto* d : devices) {
    g.generated += d->counters.generated;
    g.sent += d->counters.sent;
    g.delivered += d->counters.delivered();
    for (std::size_t f = 0; f < metrics::kPacketFateCount; ++f) g.fates[f] += d->counters.fates[f];
  }
  g.downlink_latency_p50_s = downlink_latency.quantile(0.50);
  g.downlink_latency_p95_s = downlink_latency.quantile(0.95);
  g.delivery_ratio = g.generated ? static_cast<double>(g.delivered) / static_cast<double>(g.generated)
                                 : std::numeric_limits<double>::quiet_NaN();
  g.latency_p50_s = latency.quantile(0.50);
  g.latency_p95_s = latency.quantile(0.95);
  g.latency_p99_s = latency.quantile(0.99);
  std::vector<double> b = battery_years;
  std::sort(b.begin(), b.end());
  g.battery_p5_years = quantile_sorted(b, 0.05);
  g.battery_median_years = quantile_sorted(b, 0.50);
  g.battery_p95_years = quantile_sorted(b, 0.95);
  return g;
}

}  // namespace

results::RunRecord run_native(const Scenario& s, const RunOptions& options) {
  const unsigned threads = std::max(1U, options.threads);
  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  const auto t_start = Clock::now();
  Simulation sim(s.seed, s.replication);
  const std::size_t n_gw = s.gateways.size();

  const PathLossModels path_loss = make_path_loss(s.propagation);

  std::vector<geo::Position> gw_pos;
  std::vector<const lora::SensitivityTable*> gw_table;
  for (const auto& g : s.gateways) {
    gw_pos.push_back({g.x_m, g.y_m, g.height_m});
    gw_table.push_back(lora::find_sensitivity_table(g.sensitivity));
    if (!gw_table.back()) throw std::logic_error("unknown sensitivity table " + g.sensitivity);
  }

  const lora::Region& region = s.lora.region;
  // The uplink channels of each group: its fixed frequency, or the region's
  // default channels that carry its bandwidth and data rate.
  auto group_channels = [&](const scenario::DeviceGroupSpec& g) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> v;
    if (g.radio.fixed_frequency) {
      v.emplace_back(g.radio.frequency_hz, g.radio.bandwidth_hz);
    } else {
      for (const auto& ch : region.uplink_channels) {
        if (ch.bandwidth_hz == g.radio.bandwidth_hz && g.radio.data_rate >= ch.min_dr && g.radio.data_rate <= ch.max_dr) {
          v.emplace_back(ch.frequency_hz, ch.bandwidth_hz);
        }
      }
    }
    return v;
  };
  // Channels: the distinct (centre frequency, bandwidth) pairs in use, in
  // ascending order.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> channels;
  for (const auto& g : s.groups)
    for (const auto& ch : group_channels(g)) channels.push_back(ch);
  std::sort(channels.begin(), channels.end());
  channels.erase(std::unique(channels.begin(), channels.end()), channels.end());

  // Per-group configuration and per-gateway sensitivity for the group's SF/BW.
  std::vector<lora::LoraGroupConfig> configs(s.groups.size());
  std::vector<std::vector<float>> group_sensitivity(s.groups.size());
  // The link budget keeps links down to the most sensitive modulation a
  // device of the group may use (with ADR: any data rate of its bandwidth).
  std::vector<std::vector<float>> group_floor_sensitivity(s.groups.size());
  std::size_t total = 0;
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    const auto& g = s.groups[gi];
    auto& c = configs[gi];
    c.modulation = modulation_of(g.radio);
    c.data_rate = g.radio.data_rate;
    if (!g.radio.fixed_frequency) {
      c.min_dr = 15;
      for (const auto& ch : region.uplink_channels) {
        if (ch.bandwidth_hz == g.radio.bandwidth_hz && g.radio.data_rate >= ch.min_dr && g.radio.data_rate <= ch.max_dr) {
          c.min_dr = std::min(c.min_dr, ch.min_dr);
        }
      }
    }
    for (const auto& ch : group_channels(g)) {
      c.channels.push_back(static_cast<std::uint32_t>(std::lower_bound(channels.begin(), channels.end(), ch) - channels.begin()));
    }
    c.tx_power_dBm = g.radio.tx_power_dBm;
    c.traffic.kind = g.traffic.kind == scenario::TrafficSpec::Kind::Poisson ? traffic::TrafficPattern::Kind::Poisson
                                                                             : traffic::TrafficPattern::Kind::Periodic;
    c.traffic.interval = g.traffic.interval;
    c.traffic.jitter = g.traffic.jitter;
    c.traffic.payload_bytes = g.traffic.payload_bytes;
    c.profile = &g.hardware.radio;
    c.mcu = g.hardware.mcu ? &*g.hardware.mcu : nullptr;
    c.mcu_active_per_packet = g.hardware.mcu_active_per_packet;
    c.battery = {g.battery.capacity_mAh, g.battery.voltage_V, g.battery.usable_fraction, g.battery.self_discharge_per_year};
    c.receive_windows = g.radio.receive_windows;
    c.rx_window_symbols = g.radio.rx_window_symbols;
    c.region = &region;
    c.confirmed = g.radio.confirmed;
    c.max_transmissions = g.radio.max_transmissions;
    c.adr = g.radio.adr;
    c.duty_cycle = g.radio.duty_cycle;
    c.otaa = g.radio.otaa;
    c.class_c = g.radio.device_class == 'C';
    c.class_b = g.radio.device_class == 'B';
    c.ping_nb = 1 << (7 - g.radio.ping_slot_periodicity);
    if (g.downlink) {
      c.downlinks = true;
      c.downlink.kind = g.downlink->kind == scenario::TrafficSpec::Kind::Poisson ? traffic::TrafficPattern::Kind::Poisson
                                                                                : traffic::TrafficPattern::Kind::Periodic;
      c.downlink.interval = g.downlink->interval;
      c.downlink.jitter = g.downlink->jitter;
      c.downlink.payload_bytes = g.downlink->payload_bytes;
    }
    if (g.radio.device_class == 'B') {
      // Each beacon period: the beacon (implicit header, no CRC, its own
      // preamble) and 2^(7 − periodicity) ping slots of rx_window_symbols
      // symbols at the ping-slot data rate (TS001-1.0.4 §13–15; RP002).
      const auto& cb = region.class_b;
      const lora::DataRate* bdr = region.data_rate(cb.beacon_dr);
      const lora::DataRate* pdr = region.data_rate(cb.ping_slot_dr);
      const lora::Modulation beacon{bdr->spreading_factor, bdr->bandwidth_hz, 1, false, false, lora::LowDataRateOptimize::Auto,
                                    cb.beacon_preamble_symbols};
      const double beacon_s = lora::time_on_air_s(beacon, cb.beacon_bytes);
      const int ping_nb = 1 << (7 - g.radio.ping_slot_periodicity);
      const double ping_s = ping_nb * g.radio.rx_window_symbols * lora::symbol_time_s(pdr->spreading_factor, pdr->bandwidth_hz);
      c.class_b_rx_fraction = (beacon_s + ping_s) / cb.beacon_period.to_seconds();
    }
    for (std::size_t k = 0; k < n_gw; ++k) {
      const auto own = static_cast<float>(*lora::sensitivity_dBm(*gw_table[k], g.radio.spreading_factor, g.radio.bandwidth_hz));
      group_sensitivity[gi].push_back(own);
      float floor = own;
      if (g.radio.adr) {
        for (const auto& dr : region.data_rates) {
          if (dr.bandwidth_hz != g.radio.bandwidth_hz) continue;
          if (auto v = lora::sensitivity_dBm(*gw_table[k], dr.spreading_factor, dr.bandwidth_hz)) floor = std::min(floor, static_cast<float>(*v));
        }
      }
      group_floor_sensitivity[gi].push_back(floor);
    }
    total += g.count;
  }

  // Shadowing: independent per link, or one correlated field per gateway
  // (a pure function of position, named by the gateway).
  const double sigma = s.propagation.shadowing_sigma_dB;
  std::vector<propagation::CorrelatedShadowing> fields;
  if (sigma > 0.0 && s.propagation.shadowing_decorrelation_m > 0.0) {
    for (std::size_t k = 0; k < n_gw; ++k) {
      fields.emplace_back(sigma, s.propagation.shadowing_decorrelation_m,
                          derive_stream_seed(s.seed, s.replication, k, "shadowing/" + s.gateways[k].name));
    }
  }
  std::vector<geo::Position> positions;
  std::vector<std::uint32_t> group_of;
  positions.reserve(total);
  group_of.reserve(total);
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    auto p = place_group(s, s.groups[gi], gi, sim);
    for (const auto& q : p) {
      positions.push_back(q);
      group_of.push_back(static_cast<std::uint32_t>(gi));
    }
  }
  // Median received power (no shadowing) of a device of group gi at (x, y)
  // at gateway k; `los_draw` in [0, 1) picks LOS or NLOS under
  // `condition: random` (LOS when below the LOS probability).
  // Transmit power and antenna gains minus cable loss of a link.
  auto link_gains_dB = [&](std::size_t gi, std::size_t k) {
    const auto& g = s.groups[gi];
    return g.radio.tx_power_dBm + g.radio.antenna_gain_dBi + s.gateways[k].antenna_gain_dBi - s.gateways[k].cable_loss_dB;
  };
  auto median_rx = [&](std::size_t gi, double x, double y, std::size_t k, double los_draw, double penetration_dB) {
    const auto& g = s.groups[gi];
    const double dx = x - gw_pos[k].x_m, dy = y - gw_pos[k].y_m;
    const propagation::LinkGeometry link{std::sqrt(dx * dx + dy * dy), gw_pos[k].z_m, g.height_m,
                                         static_cast<double>(g.radio.frequency_hz)};
    const propagation::PathLossModel* model = path_loss.primary.get();
    if (path_loss.random_los &&
        los_draw >= propagation::three_gpp_los_probability(path_loss.scenario, link.distance_2d_m, link.height_ut_m)) {
      model = path_loss.nlos.get();
    }
    return link_gains_dB(gi, k) - model->loss_db(link) - penetration_dB;
  };

  // Every link is a pure function of named streams and positions, so the
  // devices are split between two threads without changing any number.
  // Streams of a device are named by its index within its group.
  std::vector<std::size_t> first_of_group(s.groups.size(), 0);
  for (std::size_t d = total; d-- > 0;) first_of_group[group_of[d]] = d;
  std::vector<std::string> los_purpose, shadowing_purpose, traffic_purpose, indoor_purpose, mac_purpose, downlink_purpose;
  for (const auto& g : s.groups) {
    downlink_purpose.push_back("downlink/" + g.name);
    mac_purpose.push_back("mac/" + g.name);
    indoor_purpose.push_back("indoor/" + g.name);
    los_purpose.push_back("los/" + g.name);
    shadowing_purpose.push_back("shadowing/" + g.name);
    traffic_purpose.push_back("traffic/" + g.name);
  }
  // Link budget: every link whose median received power is within
  // kCutOffSigmas·σ of the gateway's sensitivity (with σ = 0: at or above
  // it) is stored, sparse; the rest could not be heard even with that much
  // shadowing, so they take no memory and no work during the run. Each
  // device's strongest link over all gateways (stored or not) is kept for
  // the records, so that an uncovered device still reports how far short it is.
  struct BestLink {
    std::uint32_t gateway = 0;
    float rx_dBm = -std::numeric_limits<float>::infinity();
  };
  std::vector<BestLink> best_link(total);
  // A signal a gateway cannot receive can still destroy one it can: with a
  // same-SF threshold T, an interferer down to T below the sensitivity
  // matters, so links are kept that far below it too (not under aloha,
  // where only heard transmissions interfere).
  const lora::ReceptionRules rules = reception_rules(s.lora);
  double interference_margin_dB = 0.0;
  if (rules.interference != lora::ReceptionRules::Interference::Aloha) {
    for (std::size_t i = 0; i < 6; ++i) interference_margin_dB = std::max(interference_margin_dB, rules.threshold_dB[i][i]);
  }
  // Building / vehicle penetration loss: one draw per device (it belongs to
  // where the device is), the same at every gateway.
  std::vector<double> penetration_dB(total, 0.0);
  const auto budget = propagation::LinkBudget::build(total, n_gw, threads, [&](std::size_t d, auto& out) {
    const auto gi = group_of[d];
    const std::size_t in_group = d - first_of_group[gi];
    const auto& indoor = s.groups[gi].indoor;
    if (indoor.kind != propagation::PenetrationModel::Kind::None) {
      RandomStream rng = sim.stream(in_group, indoor_purpose[gi]);
      penetration_dB[d] = indoor.draw_dB(static_cast<double>(s.groups[gi].radio.frequency_hz) / 1e9, rng);
    }
    BestLink best;
    for (std::size_t k = 0; k < n_gw; ++k) {
      // LOS/NLOS and independent shadowing per link, from streams named by
      // the link (device within its group, gateway).
      double los_draw = 0.0;
      if (path_loss.random_los) los_draw = sim.stream((in_group << 16) | k, los_purpose[gi]).uniform();
      const double median = median_rx(gi, positions[d].x_m, positions[d].y_m, k, los_draw, penetration_dB[d]);
      double rx = median;
      if (median >= group_floor_sensitivity[gi][k] - kCutOffSigmas * sigma - interference_margin_dB) {
        if (!fields.empty()) {
          rx -= fields[k].at(positions[d].x_m, positions[d].y_m);
        } else if (sigma > 0.0) {
          RandomStream rng = sim.stream((in_group << 16) | k, shadowing_purpose[gi]);
          rx -= rng.normal(0.0, sigma);
        }
        out.add(k, static_cast<float>(rx), static_cast<float>(median));
      }
      if (static_cast<float>(rx) > best.rx_dBm) best = BestLink{static_cast<std::uint32_t>(k), static_cast<float>(rx)};
    }
    best_link[d] = best;
  });

  const double link_budget_s = seconds_since(t_start);
  const auto t_map = Clock::now();
  // Coverage map: the same link budget on a grid of pixel centres, for one
  // group's radio. With a correlated shadowing field the pixel includes the
  // field's value there (so map and devices agree); independent shadowing
  // has no value at a point, so the map shows the median. Under
  // `condition: random` a pixel takes the more probable condition. Rows are
  // split between two threads; every pixel is a pure function, so the
  // result does not depend on the split.
  std::optional<results::CoverageMap> coverage_map;
  if (s.outputs.coverage_map) {
    const auto& spec = *s.outputs.coverage_map;
    std::size_t gi = 0;
    while (s.groups[gi].name != spec.group) ++gi;
    // A group with a penetration model is mapped for a device that is
    // indoors (or in a car) at the model's mean loss.
    const double map_penetration_dB =
        s.groups[gi].indoor.mean_affected_dB(static_cast<double>(s.groups[gi].radio.frequency_hz) / 1e9);
    results::CoverageMap m;
    m.group = spec.group;
    m.resolution_m = spec.resolution_m;
    const bool disc = s.area.shape == scenario::AreaSpec::Shape::Disc;
    const double w = disc ? 2 * s.area.radius_m : s.area.width_m, h = disc ? 2 * s.area.radius_m : s.area.height_m;
    m.nx = static_cast<std::size_t>(std::ceil(w / spec.resolution_m));
    m.ny = static_cast<std::size_t>(std::ceil(h / spec.resolution_m));
    m.x0_m = spec.resolution_m / 2;
    m.y0_m = spec.resolution_m / 2;
    m.with_shadowing = !fields.empty();
    m.margin_dB.resize(m.nx * m.ny);
    m.rx_dBm.resize(m.nx * m.ny);
    m.best.resize(m.nx * m.ny);
    for (std::size_t k = 0; k < n_gw; ++k) {
      m.gateway_names.push_back(s.gateways[k].name);
      m.gateway_xy_m.emplace_back(gw_pos[k].x_m, gw_pos[k].y_m);
    }
    // Gateway by gateway: the correlated field on the whole grid at once
    // (two matrix products), then the link budget per pixel on two threads.
    std::fill(m.margin_dB.begin(), m.margin_dB.end(), -std::numeric_limits<float>::infinity());
    for (std::size_t k = 0; k < n_gw; ++k) {
      // The field is only needed where the link could be heard (the range
      // cut-off above): find that radius along a ray (path loss grows with
      // distance in every model here) and evaluate the field on the
      // pixels of its bounding box only.
      const double floor_dBm = group_floor_sensitivity[gi][k] - kCutOffSigmas * sigma - interference_margin_dB;
      double r_max = 1.0;
      while (r_max < 1e7 && median_rx(gi, gw_pos[k].x_m + r_max, gw_pos[k].y_m, k, 0.5, map_penetration_dB) >= floor_dBm) {
        r_max *= 2.0;
      }
      std::size_t i0 = 0, i1 = 0, jb0 = 0, jb1 = 0;  // box [i0, i1) × [jb0, jb1)
      if (!fields.empty()) {
        auto index_of = [&](double v, double v0, std::size_t n) {
          const double t = std::floor((v - v0) / spec.resolution_m);
          return static_cast<std::size_t>(std::clamp(t, 0.0, static_cast<double>(n)));
        };
        i0 = index_of(gw_pos[k].x_m - r_max, m.x0_m, m.nx);
        i1 = std::min(m.nx, index_of(gw_pos[k].x_m + r_max, m.x0_m, m.nx) + 2);
        jb0 = index_of(gw_pos[k].y_m - r_max, m.y0_m, m.ny);
        jb1 = std::min(m.ny, index_of(gw_pos[k].y_m + r_max, m.y0_m, m.ny) + 2);
      }
      // Each thread evaluates the field on its own rows of the box, then
      // the link budget on its rows.
      auto rows = [&](std::size_t j0, std::size_t j1) {
        std::vector<float> field;
        const std::size_t fj0 = std::clamp(j0, jb0, jb1), fj1 = std::clamp(j1, jb0, jb1);
        if (!fields.empty() && i1 > i0 && fj1 > fj0) {
          fields[k].on_grid(m.x0_m + static_cast<double>(i0) * spec.resolution_m,
                            m.y0_m + static_cast<double>(fj0) * spec.resolution_m, spec.resolution_m, i1 - i0,
                            fj1 - fj0, field);
        }
        for (std::size_t j = j0; j < j1; ++j) {
          for (std::size_t i = 0; i < m.nx; ++i) {
            const std::size_t p = j * m.nx + i;
            const double x = m.x0_m + static_cast<double>(i) * spec.resolution_m;
            const double y = m.y0_m + static_cast<double>(j) * spec.resolution_m;
            double rx = median_rx(gi, x, y, k, 0.5, map_penetration_dB);
            if (!fields.empty() && rx >= floor_dBm && i >= i0 && i < i1 && j >= fj0 && j < fj1) {
              rx -= field[(j - fj0) * (i1 - i0) + (i - i0)];
            }
            const auto margin = static_cast<float>(rx - group_sensitivity[gi][k]);
            if (margin > m.margin_dB[p]) {
              m.margin_dB[p] = margin;
              m.rx_dBm[p] = static_cast<float>(rx);
              m.best[p] = static_cast<std::uint16_t>(k);
            }
          }
        }
      };
      if (threads > 1) {
        std::thread helper(rows, std::size_t{0}, m.ny / 2);
        rows(m.ny / 2, m.ny);
        helper.join();
      } else {
        rows(0, m.ny);
      }
    }
    coverage_map = std::move(m);
  }

  const double coverage_map_s = seconds_since(t_map);
  const auto t_run = Clock::now();
  lora::LoraNetworkConfig net_cfg;
  net_cfg.region = &region;
  for (const auto& g : s.gateways) {
    net_cfg.demodulators.push_back(g.demodulators);
    net_cfg.gateway_tx_power_dBm.push_back(g.tx_power_dBm.value_or(std::numeric_limits<double>::quiet_NaN()));
    net_cfg.gateway_gain_dB.push_back(g.antenna_gain_dBi - g.cable_loss_dB);
  }
  for (const auto& [f, bw] : channels) net_cfg.channels.push_back(lora::Channel{f, bw});
  net_cfg.rules = rules;
  net_cfg.max_links = budget.max_links_per_device();
  // Gateway sensitivity and noise floor for every modulation; the end
  // device's sensitivity (SX1276 datasheet table) for downlinks.
  net_cfg.sensitivity.assign(18, std::vector<float>(n_gw, 0.0F));
  net_cfg.noise_floor_dBm.resize(n_gw);
  const auto* device_table = lora::find_sensitivity_table("sx1276");
  for (int sf = 7; sf <= 12; ++sf) {
    for (std::uint32_t bw : {125'000U, 250'000U, 500'000U}) {
      const std::size_t mi = static_cast<std::size_t>(sf - 7) * 3 + lora::bandwidth_index(bw);
      for (std::size_t k = 0; k < n_gw; ++k) net_cfg.sensitivity[mi][k] = static_cast<float>(*lora::sensitivity_dBm(*gw_table[k], sf, bw));
      net_cfg.device_sensitivity_dBm[mi] = static_cast<float>(*lora::sensitivity_dBm(*device_table, sf, bw));
    }
  }
  for (std::size_t k = 0; k < n_gw; ++k) {
    for (std::uint32_t bw : {125'000U, 250'000U, 500'000U}) {
      // Thermal noise kT = −174 dBm/Hz at 290 K over the bandwidth, plus the noise figure.
      net_cfg.noise_floor_dBm[k][lora::bandwidth_index(bw)] = -174.0 + 10.0 * std::log10(static_cast<double>(bw)) + s.gateways[k].noise_figure_dB;
    }
  }
  net_cfg.backhaul_delay = s.lora.backhaul_delay;
  net_cfg.deduplication_window = s.lora.deduplication_window;
  net_cfg.adr_margin_dB = s.lora.adr_margin_dB;
  lora::LoraNetwork net(sim, std::move(net_cfg), s.groups.size());
  net.reserve(total);
  for (std::size_t d = 0; d < total; ++d) {
    const auto gi = group_of[d];
    // Stream named by (group, index within the group): resizing one group
    // does not change another group's traffic.
    const auto gws = budget.gateways_of(d);
    const lora::LinkSet links{gws.data(), budget.rx_of(d).data(), static_cast<std::uint32_t>(gws.size())};
    net.add_device(configs[gi], gi, links, sim.stream(d - first_of_group[gi], traffic_purpose[gi]),
                   sim.stream(d - first_of_group[gi], mac_purpose[gi]), sim.stream(d - first_of_group[gi], downlink_purpose[gi]));
  }
  sim.scheduler().reserve(total + 16);
  net.start(s.duration);
  sim.run_until(s.duration);
  net.finish();

  const double run_s = seconds_since(t_run);
  const auto t_records = Clock::now();
  // ---- records
  results::RunRecord r;
  r.scenario_name = s.name;
  r.scenario_file = s.file;
  r.seed = s.seed;
  r.replication = s.replication;
  r.duration_s = s.duration.to_seconds();
  r.events = sim.scheduler().executed();
  for (auto f : metrics::kPacketFateNames) r.fate_names.emplace_back(f);

  const auto& devs = net.devices();
  std::vector<std::vector<const lora::LoraDevice*>> by_group(s.groups.size());
  std::vector<std::vector<double>> battery_by_group(s.groups.size());
  std::vector<const lora::LoraDevice*> all;
  std::vector<double> battery_all;
  std::vector<std::size_t> covered_by_group(s.groups.size(), 0);
  std::vector<double> coverage_probability_by_group(s.groups.size(), 0.0);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> dl_by_group(s.groups.size(), {0, 0});  // generated, delivered
  r.devices.reserve(total);
  for (std::size_t d = 0; d < total; ++d) {
    const auto& dev = devs[d];
    const auto gi = group_of[d];
    const auto& cfg = configs[gi];
    results::DeviceRecord rec;
    rec.group = s.groups[gi].name;
    rec.id = d;
    rec.x_m = positions[d].x_m;
    rec.y_m = positions[d].y_m;
    // At the end of the run (ADR may have changed them).
    rec.spreading_factor = dev.spreading_factor;
    rec.tx_power_dBm = dev.tx_power_dBm;
    rec.transmissions = dev.transmissions;
    const auto& extra = net.extras()[d];
    rec.join_attempts = extra.join_attempts;
    rec.downlinks_generated = extra.dl_generated;
    rec.downlinks_delivered = extra.dl_delivered;
    dl_by_group[gi].first += extra.dl_generated;
    dl_by_group[gi].second += extra.dl_delivered;
    rec.joined_at_s = cfg.otaa ? (dev.joined ? extra.joined_at.to_seconds() : -1.0) : 0.0;
    const auto bk = static_cast<std::size_t>(best_link[d].gateway);
    rec.best_gateway = s.gateways[bk].name;
    rec.best_rx_dBm = best_link[d].rx_dBm;
    rec.best_margin_dB = rec.best_rx_dBm - group_sensitivity[gi][bk];
    rec.covered = rec.best_margin_dB >= 0.0;
    {
      // Probability that at least one gateway hears the device, over
      // shadowing: links independent with P_k = Φ(median margin_k / sigma)
      // (for correlated fields the links of one device are still drawn from
      // independent per-gateway fields). Links beyond the range cut-off
      // have P_k < Φ(−5) ≈ 2.9e-7 and are left out.
      double p_none = 1.0;
      const auto gws = budget.gateways_of(d);
      const auto med = budget.median_of(d);
      for (std::size_t i = 0; i < gws.size(); ++i) {
        const double m = med[i] - group_sensitivity[gi][static_cast<std::size_t>(gws[i])];
        const double pk = sigma > 0.0 ? 0.5 * std::erfc(-m / (sigma * std::sqrt(2.0))) : (m >= 0.0 ? 1.0 : 0.0);
        p_none *= 1.0 - pk;
      }
      rec.coverage_probability = 1.0 - p_none;
    }
    rec.best_path_loss_dB = link_gains_dB(gi, bk) - rec.best_rx_dBm;
    rec.penetration_dB = penetration_dB[d];
    // Noise floor: thermal noise kT = −174 dBm/Hz at 290 K over the channel
    // bandwidth, plus the receiver's noise figure.
    rec.best_snr_dB = rec.best_rx_dBm - (-174.0 + 10.0 * std::log10(static_cast<double>(s.groups[gi].radio.bandwidth_hz)) +
                                         s.gateways[bk].noise_figure_dB);
    rec.generated = dev.counters.generated;
    rec.sent = dev.counters.sent;
    rec.delivered = dev.counters.delivered();
    rec.fates.assign(dev.counters.fates.begin(), dev.counters.fates.end());
    const double charge_mAs = dev.energy.total_charge_mAs(s.duration, cfg.idle_mA(), cfg.mcu);
    rec.charge_mAh = charge_mAs / 3600.0;
    rec.mcu_charge_mAh = cfg.mcu != nullptr ? dev.energy.mcu_charge_mAs(s.duration, *cfg.mcu) / 3600.0 : 0.0;
    rec.average_current_mA = charge_mAs / s.duration.to_seconds();
    rec.battery_empty = dev.battery_empty_at != Time::max();
    // A battery that emptied during the run lasted exactly that long; others
    // are extrapolated from the window's average current.
    rec.battery_life_years = rec.battery_empty ? dev.battery_empty_at.to_hours() / energy::kHoursPerYear
                                               : energy::battery_life_years(cfg.battery, rec.average_current_mA);
    covered_by_group[gi] += rec.covered ? 1 : 0;
    coverage_probability_by_group[gi] += rec.coverage_probability;
    by_group[gi].push_back(&dev);
    battery_by_group[gi].push_back(rec.battery_life_years);
    all.push_back(&dev);
    battery_all.push_back(rec.battery_life_years);
    r.devices.push_back(std::move(rec));
  }
  SampleCollector all_latency, all_dl_latency;
  auto& dl_lat = net.downlink_latency_by_group();
  auto& lat = net.latency_by_group();
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    for (double v : lat[gi].values()) all_latency.add(v);
    for (double v : dl_lat[gi].values()) all_dl_latency.add(v);
    r.groups.push_back(summarize(s.groups[gi].name, by_group[gi], battery_by_group[gi], lat[gi], dl_lat[gi]));
    std::vector<double> sorted = lat[gi].values();
    std::sort(sorted.begin(), sorted.end());
    r.latency_samples_s.push_back(std::move(sorted));
  }
  r.total = summarize("all", all, battery_all, all_latency, all_dl_latency);
  // Application downlinks: counted per device in the records' loop.
  auto set_downlinks = [](results::GroupSummary& g, std::uint64_t generated, std::uint64_t delivered) {
    g.downlinks_generated = generated;
    g.downlinks_delivered = delivered;
    g.downlink_delivery_ratio = generated ? static_cast<double>(delivered) / static_cast<double>(generated)
                                          : std::numeric_limits<double>::quiet_NaN();
  };
  std::uint64_t dl_generated_all = 0, dl_delivered_all = 0;
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    set_downlinks(r.groups[gi], dl_by_group[gi].first, dl_by_group[gi].second);
    dl_generated_all += dl_by_group[gi].first;
    dl_delivered_all += dl_by_group[gi].second;
  }
  set_downlinks(r.total, dl_generated_all, dl_delivered_all);
  r.coverage_map = std::move(coverage_map);
  // Coverage per group and overall.
  std::size_t covered_all = 0;
  double coverage_probability_all = 0.0;
  for (std::size_t gi = 0; gi < s.groups.size(); ++gi) {
    const auto n = static_cast<double>(s.groups[gi].count);
    r.groups[gi].coverage_ratio = static_cast<double>(covered_by_group[gi]) / n;
    r.groups[gi].coverage_probability = coverage_probability_by_group[gi] / n;
    covered_all += covered_by_group[gi];
    coverage_probability_all += coverage_probability_by_group[gi];
  }
  r.total.coverage_ratio = static_cast<double>(covered_all) / static_cast<double>(total);
  r.total.coverage_probability = coverage_probability_all / static_cast<double>(total);
  r.wall = {link_budget_s, coverage_map_s, run_s, seconds_since(t_records)};
  r.link_budget = {budget.links(), budget.memory_bytes()};
  return r;
}

}  // namespace m2msim::engine
