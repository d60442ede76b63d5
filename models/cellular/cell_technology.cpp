#include "models/cellular/cell_technology.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include "models/cellular/cell_network.hpp"
#include "models/cellular/ltem_link.hpp"
#include "models/cellular/scenario_settings.hpp"

namespace m2msim::cellular {

namespace {

using scenario::Scenario;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Thermal noise in 15 kHz behind a receiver of `noise_figure_dB`, dBm.
double noise15_dBm(double noise_figure_dB) { return -174.0 + 10.0 * std::log10(15e3) + noise_figure_dB; }
/// Links this far below the maximum coupling loss still matter, as
/// downlink interference.
constexpr double kInterferenceMargin_dB = 20.0;

/// What differs between NB-IoT and LTE-M here.
struct Variant {
  std::string_view name;
  Rat rat;
  /// Coupling losses at which CE levels 1, 2 (and LTE-M's 3) begin by default.
  std::array<double, kMaxCeLevels - 1> level_from_dB;
  double noise_bandwidth_hz;  ///< of the link budget's receiver (a carrier, a narrowband)
  std::span<const results::ColumnSpec> columns;
  const scenario::TechnologyFormat& (*format)();
  /// The technology's reference maximum coupling loss, and the device power
  /// and site noise figure it was stated for.
  double mcl_dB, mcl_tx_dBm, mcl_noise_figure_dB;
};

/// The maximum coupling loss of a device's uplink at a site: the network's
/// `max_coupling_loss` when given; else the technology's reference, moved
/// dB for dB by the device's transmit power and the site's noise figure
/// (an uplink budget: P_tx − (noise + the required SNR)). NB-IoT: 164 dB
/// at 23 dBm and 3 dB (TR 45.820); LTE-M: 155.7 dB at 20 dBm and 5 dB (TR
/// 36.888's target, as the LTE-M coverage white paper of January 2017 reads
/// it; 158.7 dB at 23 dBm).
double max_coupling_loss_dB(const Variant& v, const NetworkSettings& net, double tx_power_dBm,
                            double site_noise_figure_dB) {
  if (net.max_coupling_loss_dB) return *net.max_coupling_loss_dB;
  return v.mcl_dB + (tx_power_dBm - v.mcl_tx_dBm) - (site_noise_figure_dB - v.mcl_noise_figure_dB);
}

/// The downlink's reference: the weakest device the last CE level serves,
/// whatever its power (the downlink does not depend on it).
double reference_coupling_loss_dB(const Variant& v, const NetworkSettings& net) {
  return net.max_coupling_loss_dB ? *net.max_coupling_loss_dB : v.mcl_dB;
}

/// NB-IoT: ra-ResponseWindowSize per CE level and mac-ContentionResolutionTimer,
/// in NPDCCH periods (Rmax × G, G = 2): pp10, pp5, pp5 and pp32, a commercial
/// network's SIB2-NB (band 5, 2019; docs/models/cellular.md §3.2).
constexpr std::array<int, 3> kResponseWindowPeriods{10, 5, 5};
constexpr int kContentionResolutionPeriods = 32;
/// LTE-M: mac-ContentionResolutionTimer-r13 in CE modes A and B (model
/// choice among sf80 .. sf960, docs/models/cellular.md §9.2).
constexpr Time kLtemContentionResolutionA = Time::milliseconds(240);
constexpr Time kLtemContentionResolutionB = Time::milliseconds(960);

LevelConfig level_config(const Variant& v, const NetworkSettings& net, std::size_t level) {
  const CeLevelSettings& s = net.levels[level];
  LevelConfig c;
  c.rat = v.rat;
  c.downlink = &nbiot::downlink_pattern(net.downlink);
  c.prach_period = s.prach_period;
  c.prach_start = s.prach_start;
  c.prach_repetitions = s.prach_repetitions;
  c.preambles = s.preambles;
  c.max_attempts = s.max_attempts;
  c.control_repetitions = s.control_repetitions;
  c.control_rmax = s.control_repetitions;
  c.pdsch_repetitions = s.pdsch_repetitions;
  c.pusch_repetitions = s.pusch_repetitions;
  c.pusch_width = s.pusch_width;
  c.pusch_spacing = s.pusch_spacing;
  c.pusch_itbs = s.pusch_itbs;
  c.pdsch_itbs = s.pdsch_itbs;
  c.sync_time = s.sync_time;
  if (v.rat == Rat::Ltem) {
    c.pusch_max_block = s.pusch_width;
    c.pdsch_width = ltem::kNarrowbandPrbs;
    c.ack_repetitions = s.ack_repetitions;
    c.response_window = s.response_window;
    c.contention_resolution = level < 2 ? kLtemContentionResolutionA : kLtemContentionResolutionB;
    // MPDCCH search space: one occasion every Rmax × G subframes (TS 36.213
    // §9.1.5), G = 2 (mpdcch-startSF-UESS; model choice, as NB-IoT's).
    c.control_period = Time::milliseconds(2LL * s.control_repetitions);
  } else {
    // NPDCCH period Rmax × G, G = 2, and at least 4 subframes (TS 36.213
    // §16.6: a cell with Rmax 1 needs G ≥ 4).
    const Time period = Time::milliseconds(std::max<std::int64_t>(2LL * s.control_repetitions, 4));
    c.control_period = period;
    c.response_window = period * kResponseWindowPeriods[level];
    c.contention_resolution = period * kContentionResolutionPeriods;
  }
  return c;
}

GroupConfig group_config(const Variant& v, const NetworkSettings& net, const scenario::DeviceGroupSpec& g) {
  const RadioSettings& radio = radio_of(g);
  GroupConfig c;
  c.traffic = technology::traffic_pattern(g.traffic);
  c.profile = &g.hardware.radio;
  c.board = g.hardware.model();
  c.battery = g.battery.battery;
  c.tx_power_dBm = radio.tx_power_dBm;
  c.tx_mA = c.profile->tx_mA(radio.tx_power_dBm);
  c.power_control = v.rat == Rat::Nbiot && net.power_control;
  c.preamble_target_dBm = net.preamble_target_dBm;
  c.ramping_step_dB = net.ramping_step_dB;
  c.p0_dBm = net.p0_nominal_dBm;
  c.alpha = net.alpha;
  c.msg3_p0_dBm = net.preamble_target_dBm + net.delta_msg3_dB;
  c.header_overhead_bytes = radio.header_overhead_bytes;
  c.release_assistance = radio.release_assistance;
  c.application_ack = radio.application_ack;
  c.active_timer = radio.active_timer;
  c.periodic_tau = radio.periodic_tau;
  c.inactivity_timer = net.inactivity_timer;
  c.network_delay = net.network_delay;
  c.search_time = net.search_time;
  c.drx_cycle = net.drx_cycle;
  c.bler = net.bler;
  c.drx_on_duration = net.drx_on_duration;
  c.backoff = net.backoff;
  c.level_count = net.level_count;
  for (std::size_t l = 0; l < net.level_count; ++l) {
    c.levels[l] = level_config(v, net, l);
    c.levels[l].tx_mA = c.levels[l].ack_mA = c.tx_mA;
    c.timing[l] = level_timing(c.levels[l]);
  }
  if (g.downlink) {
    c.downlinks = true;
    c.downlink = technology::traffic_pattern(*g.downlink);
    c.downlink_bits = 8 * static_cast<int>(g.downlink->payload_bytes + radio.header_overhead_bytes);
  }
  c.paging_cycle = radio.paging_cycle;
  c.idle_mode_mA = c.profile->idle_mA(radio.paging_cycle.to_seconds());
  c.early_data = radio.early_data;
  for (std::size_t l = 0; l < net.level_count; ++l) c.edt_max_bits[l] = net.levels[l].edt_max_bits;
  // The application's acknowledgement carries no payload: its headers only.
  if (radio.application_ack) {
    c.ack_bits = 8 * static_cast<int>(std::max(1U, radio.header_overhead_bytes));
  }
  return c;
}

/// The allocation link adaptation chooses for a message of `bits` at the
/// device's uplink SNR and level, each block granted as `grants` says.
std::optional<UplinkChoice> adapt(const Variant& v, const NetworkSettings& net, std::size_t level, double snr15_dB,
                                  int bits, const nbiot::GrantTiming& grants = {},
                                  double pc_snr_dB = std::numeric_limits<double>::infinity()) {
  if (v.rat == Rat::Ltem) {
    // Within the level's CE mode; a device mode A cannot serve goes to mode B
    // (the network reconfigures it).
    auto a =
        ltem::adapt_uplink(snr15_dB, bits, level < 2 ? ltem::kModeA : ltem::kModeB, net.repetition_gain_dB, grants);
    if (!a && level < 2) a = ltem::adapt_uplink(snr15_dB, bits, ltem::kModeB, net.repetition_gain_dB, grants);
    if (!a) return std::nullopt;
    return UplinkChoice{nbiot::Spacing::Khz15, a->prbs, a->itbs, a->prbs, a->repetitions};
  }
  const bool narrow = net.levels[level].pusch_spacing == nbiot::Spacing::Khz3_75;
  const auto a = nbiot::adapt_uplink(snr15_dB, bits, narrow, net.repetition_gain_dB, 128, grants, pc_snr_dB);
  if (!a) return std::nullopt;
  return UplinkChoice{a->spacing, a->tones, a->itbs, a->iru, a->repetitions};
}

/// How far below the carrier's power its reference signal is on each
/// subcarrier: 12 subcarriers for NB-IoT's 180 kHz, 12 per PRB of the LTE
/// carrier for LTE-M.
double per_subcarrier_dB(const Variant& v, const NetworkSettings& net) {
  return 10.0 * std::log10(12.0 * (v.rat == Rat::Ltem ? net.carrier_prbs : 1));
}

/// A device's serving site (the strongest (N)RSRP, as cell selection ranks
/// cells; with equal carrier powers, the least coupling loss), coupling loss, (N)RSRP,
/// downlink SINR, CE level, uplink SNR and the allocation of its data
/// (`data_bits`, one report with its headers).
DeviceLink device_link(const Variant& v, const Scenario& s, const NetworkSettings& net, const RadioSettings& radio,
                       int data_bits, std::span<const std::int32_t> sites, std::span<const float> rx,
                       std::span<const double> uplink_interference_mW = {}) {
  DeviceLink l;
  l.coupling_loss_dB = std::numeric_limits<float>::infinity();
  l.nrsrp_dBm = l.sinr_dB = static_cast<float>(kNaN);
  l.level = static_cast<std::uint8_t>(net.level_count - 1);
  if (sites.empty()) return l;
  // The reference signal is spread over the carrier's subcarriers: (N)RSRP
  // is the carrier power less 10·log10(subcarriers), less the coupling loss
  // (TS 36.214 §5.1.1, §5.1.26): 12 for NB-IoT's 180 kHz, 12 per PRB of
  // the LTE carrier for LTE-M. The device's EIRP is the same towards every
  // site, so the strongest (N)RSRP is the greatest carrier power plus rx.
  const double spread_dB = per_subcarrier_dB(v, net);
  std::size_t best = 0;
  for (std::size_t i = 1; i < sites.size(); ++i)
    if (site_of(s.gateways[static_cast<std::size_t>(sites[i])]).tx_power_dBm + rx[i] >
        site_of(s.gateways[static_cast<std::size_t>(sites[best])]).tx_power_dBm + rx[best])
      best = i;
  const auto cell = static_cast<std::size_t>(sites[best]);
  // The link budget's received power is at the device's EIRP: the coupling
  // loss is between the device's and the site's connectors, antennas included.
  const double cl = radio.tx_power_dBm - rx[best];
  const double p_re = site_of(s.gateways[cell]).tx_power_dBm - spread_dB;
  const double rsrp = p_re - cl;
  // Other sites' reference and data subcarriers, at their load, interfere.
  double interference_mW = 0.0;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if (i == best) continue;
    const auto& site = s.gateways[static_cast<std::size_t>(sites[i])];
    const double cl_i = radio.tx_power_dBm - rx[i];
    interference_mW += site_of(site).load * std::pow(10.0, (site_of(site).tx_power_dBm - spread_dB - cl_i) / 10.0);
  }
  const double noise_mW = std::pow(10.0, noise15_dBm(radio.noise_figure_dB) / 10.0);
  l.cell = static_cast<std::uint32_t>(cell);
  l.coupling_loss_dB = static_cast<float>(cl);
  l.nrsrp_dBm = static_cast<float>(rsrp);
  l.sinr_dB = static_cast<float>(rsrp - 10.0 * std::log10(interference_mW + noise_mW));
  // The level: the first whose threshold the RSRP reaches, else the last.
  const std::size_t thresholds = net.level_count - 1;
  std::array<double, kMaxCeLevels - 1> th{};
  for (std::size_t i = 0; i < thresholds; ++i) th[i] = p_re - v.level_from_dB[i];
  if (net.rsrp_thresholds_dBm) th = *net.rsrp_thresholds_dBm;
  std::size_t level = 0;
  while (level < thresholds && rsrp < th[level]) ++level;
  l.level = static_cast<std::uint8_t>(level);
  // Cell selection (TS 36.304 §5.2.3.2a): the device camps if Srxlev =
  // (N)RSRP − q_rxlev_min − P_compensation > 0, P_compensation taken as 0
  // (the cell's p-Max at most the device's power class). Covered: it camps
  // and its coupling loss is within the maximum.
  l.camps = rsrp > net.q_rxlev_min_dBm;
  l.covered = l.camps && cl <= max_coupling_loss_dB(v, net, radio.tx_power_dBm, s.gateways[cell].noise_figure_dB);
  // The uplink: one 15 kHz subcarrier with the whole power, over the
  // serving site's noise: its thermal noise, and the other cells' devices
  // (uplink_interference_mW, per 15 kHz, by site; §3.3.6).
  const double thermal15_dBm = noise15_dBm(s.gateways[cell].noise_figure_dB);
  const double noise_dBm = uplink_interference_mW.empty()
                               ? thermal15_dBm
                               : 10.0 * std::log10(std::pow(10.0, thermal15_dBm / 10.0) + uplink_interference_mW[cell]);
  l.uplink_snr_dB = static_cast<float>(radio.tx_power_dBm - cl - noise_dBm);
  // Uplink power control (NB-IoT, TS 36.213 §16.2.1.1.1): an NPUSCH of at
  // most 2 repetitions aims at P0 + alpha·PL per 15 kHz of bandwidth, PL
  // the coupling loss (the device's estimate from the NRS, TS 36.213
  // §16.2.1.1: nrs-Power less the NRSRP); on each subcarrier that is an SNR
  // of P0 + (alpha − 1)·PL − noise. Data and TAU requests: p0_nominal_npusch
  // and alpha; Msg3 and early data (the response's grant): the preamble's
  // target plus delta_preamble_msg3, alpha 1.
  const bool pc = v.rat == Rat::Nbiot && net.power_control;
  const double inf = std::numeric_limits<double>::infinity();
  const double data_p0 = net.p0_nominal_dBm, msg3_p0 = net.preamble_target_dBm + net.delta_msg3_dB;
  const double pc_data_snr = pc ? data_p0 + (net.alpha - 1.0) * cl - noise_dBm : inf;
  const double pc_msg3_snr = pc ? msg3_p0 - noise_dBm : inf;
  if (net.link_adaptation) {
    if (net.repetition_gain_dB > 0.0) {
      // Downlink: each level's repetitions serve its weakest device, at the
      // next level's threshold (the last level: at the maximum coupling
      // loss); every γ dB of NRSRP above it halves them once.
      for (std::size_t L = level; L < net.level_count; ++L) {
        const double floor = L < thresholds ? th[L] : p_re - reference_coupling_loss_dB(v, net);
        const double halvings = std::floor((rsrp - floor) / net.repetition_gain_dB);
        l.downlink_halvings[L] = static_cast<std::uint8_t>(std::clamp(halvings, 0.0, 30.0));
      }
    }
    // The uplink: the data and the TAU request count each block's grant;
    // Msg3 (and early data in it) is one block on the response's grant.
    const nbiot::GrantTiming grants =
        grant_timing(downlink_for(level_config(v, net, level), l.downlink_halvings[level]));
    l.data = adapt(v, net, level, l.uplink_snr_dB, data_bits, grants, pc_data_snr);
    l.msg3 = adapt(v, net, level, l.uplink_snr_dB, kMsg3Bits, {}, pc_msg3_snr);
    l.tau = adapt(v, net, level, l.uplink_snr_dB, kTauRequestBits, grants, pc_data_snr);
    if (radio.early_data) l.edt = adapt(v, net, level, l.uplink_snr_dB, kMsg3Bits + data_bits, {}, pc_msg3_snr);
  }
  // A message left on the level's configuration (no link adaptation, or
  // nothing decodes) may not decode at this SNR: the summary says how many
  // devices have one. The report with Msg3, or both in an early-data Msg3
  // when it fits; the TAU request. (The HARQ-ACKs are not checked.)
  const bool early = radio.early_data && kMsg3Bits + data_bits <= net.levels[level].edt_max_bits;
  if (l.covered && (!l.data || !l.msg3 || !l.tau || (early && !l.edt))) {
    const LevelConfig c = level_config(v, net, level);
    const auto fails = [&](const std::optional<UplinkChoice>& choice, int bits, double pc_snr) {
      return !choice && !uplink_decodes(c, bits, l.uplink_snr_dB, net.repetition_gain_dB, pc_snr);
    };
    l.uplink_short = (early ? fails(l.edt, kMsg3Bits + data_bits, pc_msg3_snr)
                            : fails(l.data, data_bits, pc_data_snr) || fails(l.msg3, kMsg3Bits, pc_msg3_snr)) ||
                     fails(l.tau, kTauRequestBits, pc_data_snr);
  }
  return l;
}

/// A figure for a summary line: 4 significant digits.
std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return std::string(buf);
}

/// Uplink interference: how many times the links are chosen again, and the
/// largest change of a site's rise that still asks for another pass.
constexpr int kInterferencePasses = 6;
constexpr double kInterferenceTolerance_dB = 0.05;

/// A device's mean uplink power (mW), averaged over its reporting interval:
/// per report its data, Msg3 and HARQ-ACKs (Msg4's, the release's and the
/// application acknowledgement's; NB-IoT only, LTE-M's are on the PUCCH),
/// each at its power, at most the device's whole power, each block sent
/// 1 + b + b² + b³ times on average (BLER b, at most 4 transmissions).
/// Preambles (the NPRACH's own region), tracking area updates and
/// downlinks' accesses are left out. 0 for a device that is not covered (it
/// sends preambles at most).
double mean_uplink_mW(const GroupConfig& g, const DeviceLink& l, int data_bits) {
  if (!l.covered) return 0.0;
  const double cl = l.coupling_loss_dB;
  const LevelConfig& c = g.levels[l.level];
  const auto on = [&](const std::optional<UplinkChoice>& a) { return with_allocation(c, a); };
  const auto mW = [](double dBm) { return std::pow(10.0, dBm / 10.0); };
  // What connect() sends for one report: the data after Msg3, or with early
  // data both in Msg3; a HARQ-ACK for each block of Msg4, of the release and
  // of the application's acknowledgement (none with early data: Msg4
  // carries it).
  const bool early = g.early_data && kMsg3Bits + data_bits <= g.edt_max_bits[l.level];
  const LevelConfig data = on(early ? l.edt : l.data), msg3 = on(l.msg3);
  const double data_s = uplink_message(data, early ? kMsg3Bits + data_bits : data_bits).tx.to_seconds();
  const double msg3_s = early ? 0.0 : uplink_message(msg3, kMsg3Bits).tx.to_seconds();
  double ack_s = downlink_message(c, kMsg4Bits + (early && g.application_ack ? g.ack_bits : 0)).tx.to_seconds();
  if (!early) {
    ack_s += downlink_message(c, kReleaseBits).tx.to_seconds();
    if (g.application_ack) ack_s += downlink_message(c, g.ack_bits).tx.to_seconds();
  }
  // LTE-M's HARQ-ACKs go on the PUCCH, at the carrier's edges, not in the
  // narrowbands the PUSCH shares.
  if (c.rat == Rat::Ltem) ack_s = 0.0;
  const double data_p0 = early ? g.msg3_p0_dBm : g.p0_dBm, data_alpha = early ? 1.0 : g.alpha;
  const double energy_mWs = data_s * mW(npusch_dBm(g, data, data_p0, data_alpha, cl)) +
                            msg3_s * mW(npusch_dBm(g, msg3, g.msg3_p0_dBm, 1.0, cl)) + ack_s * mW(ack_dBm(g, c, cl));
  // Each block is sent until it decodes, at most 4 times (Harq): on average
  // 1 + b + b² + b³ times.
  const double b = g.bler;
  // At most the device's whole power (an interval shorter than its access).
  return std::min(energy_mWs * (1.0 + b + b * b + b * b * b) / g.traffic.interval.to_seconds(), mW(g.tx_power_dBm));
}

class CellNetworkModel final : public technology::Network {
 public:
  CellNetworkModel(const Variant& v, Simulation& sim, const technology::Deployment& d) : v_(v) {
    const Scenario& s = d.scenario;
    const NetworkSettings& net = network_of(s, v.name);
    configs_.resize(s.groups.size());
    for (auto gi : d.groups) configs_[gi] = group_config(v, net, s.groups[gi]);
    CellNetworkConfig nc;
    nc.sites = s.gateways.size();
    nc.narrowbands = v.rat == Rat::Ltem ? net.narrowbands : 0;
    if (v.rat == Rat::Nbiot) {
      // The levels' NPRACH resources, which NPUSCH goes around.
      for (std::size_t l = 0; l < net.level_count; ++l) {
        const CeLevelSettings& ls = net.levels[l];
        nc.nprach.push_back({static_cast<std::size_t>(ls.prach_offset), static_cast<std::size_t>(ls.preambles),
                             ls.prach_period, ls.prach_start,
                             nbiot::nprach_duration(nbiot::PreambleFormat::F0, ls.prach_repetitions)});
      }
    }
    nc.backhaul = &d.backhaul;
    nc.latency = &d.latency;
    net_ = std::make_unique<CellNetwork>(sim, nc);
    std::vector<std::string> traffic_purpose, mac_purpose, downlink_purpose;
    for (const auto& g : s.groups) {
      traffic_purpose.push_back("traffic/" + g.name);
      mac_purpose.push_back("mac/" + g.name);
      downlink_purpose.push_back("downlink/" + g.name);
    }
    local_.assign(d.positions.size(), kNone);
    std::size_t count = 0;
    for (auto gi : d.groups) count += s.groups[gi].count;
    net_->reserve(count);
    const auto in_groups = [&](std::size_t dev) {
      return std::binary_search(d.groups.begin(), d.groups.end(), d.group_of[dev]);
    };
    const auto bits_of = [&](std::size_t gi) {
      return 8 * static_cast<int>(s.groups[gi].traffic.payload_bytes + configs_[gi].header_overhead_bytes);
    };
    const auto link_of = [&](std::size_t dev, std::span<const double> interference) {
      const auto gi = d.group_of[dev];
      return device_link(v, s, net, radio_of(s.groups[gi]), bits_of(gi), d.links.gateways_of(dev), d.links.rx_of(dev),
                         interference);
    };
    std::vector<DeviceLink> links;
    links.reserve(count);
    for (std::size_t dev = 0; dev < d.positions.size(); ++dev)
      if (in_groups(dev)) links.push_back(link_of(dev, {}));
    // Uplink interference (§3.3.6): each site hears the other cells' devices
    // at their mean uplink power, spread over the carrier (NB-IoT: 12
    // subcarriers of 15 kHz; LTE-M: its narrowbands' PRBs). The links are
    // chosen again with it, and the interference of the new links computed,
    // until no site's rise moves by 0.05 dB more (at most kInterferencePasses).
    uplink_interference_dB_.assign(s.gateways.size(), 0.0);
    if (net.uplink_interference) {
      const double subcarriers = v.rat == Rat::Ltem ? 12.0 * ltem::kNarrowbandPrbs * net.narrowbands : 12.0;
      std::vector<double> interference_mW(s.gateways.size()), rise_dB(s.gateways.size());
      for (int pass = 0; pass < kInterferencePasses; ++pass) {
        std::fill(interference_mW.begin(), interference_mW.end(), 0.0);
        std::size_t k = 0;
        for (std::size_t dev = 0; dev < d.positions.size(); ++dev) {
          if (!in_groups(dev)) continue;
          const DeviceLink& l = links[k++];
          const auto gi = d.group_of[dev];
          const double p = mean_uplink_mW(configs_[gi], l, bits_of(gi));
          if (p <= 0.0) continue;
          const auto sites = d.links.gateways_of(dev);
          const auto rx = d.links.rx_of(dev);
          const double tx = radio_of(s.groups[gi]).tx_power_dBm;
          for (std::size_t i = 0; i < sites.size(); ++i) {
            const auto site = static_cast<std::size_t>(sites[i]);
            if (site == l.cell) continue;
            interference_mW[site] += p * std::pow(10.0, (rx[i] - tx) / 10.0) / subcarriers;
          }
        }
        double moved = 0.0;
        std::size_t most = 0;  // the site whose rise moved most
        for (std::size_t g = 0; g < s.gateways.size(); ++g) {
          const double thermal_mW = std::pow(10.0, noise15_dBm(s.gateways[g].noise_figure_dB) / 10.0);
          rise_dB[g] = 10.0 * std::log10(1.0 + interference_mW[g] / thermal_mW);
          if (const double m = std::abs(rise_dB[g] - uplink_interference_dB_[g]); m > moved) {
            moved = m;
            most = g;
          }
        }
        // The first rise is always applied; later ones until they settle.
        if (moved == 0.0 || (pass > 0 && moved < kInterferenceTolerance_dB)) {
          unsettled_dB_ = 0.0;
          break;
        }
        k = 0;
        for (std::size_t dev = 0; dev < d.positions.size(); ++dev)
          if (in_groups(dev)) links[k++] = link_of(dev, interference_mW);
        uplink_interference_dB_ = rise_dB;
        // Still moving after the last pass: the summary says so.
        if (pass > 0) {
          unsettled_dB_ = moved;
          unsettled_site_ = s.gateways[most].name;
        }
      }
    }
    std::size_t k = 0;
    devices_.assign(s.groups.size(), 0);
    no_cell_.assign(s.groups.size(), 0);
    short_.assign(s.groups.size(), 0);
    short_levels_.assign(s.groups.size(), 0U);
    cfg_link_adaptation_ = net.link_adaptation;
    for (std::size_t dev = 0; dev < d.positions.size(); ++dev) {
      if (!in_groups(dev)) continue;
      const auto gi = d.group_of[dev];
      const std::size_t in_group = dev - d.first_of_group[gi];
      local_[dev] = static_cast<std::uint32_t>(net_->devices().size());
      ++devices_[gi];
      if (!links[k].camps) ++no_cell_[gi];
      if (links[k].uplink_short) {
        ++short_[gi];
        short_levels_[gi] |= 1U << links[k].level;
      }
      net_->add_device(configs_[gi], gi, links[k++], sim.stream(in_group, traffic_purpose[gi]),
                       sim.stream(in_group, mac_purpose[gi]), sim.stream(in_group, downlink_purpose[gi]));
    }
    duration_ = s.duration;
  }

  void start(Time end) override { net_->start(end); }
  void finish() override { net_->finish(); }

  std::span<const std::uint64_t> record_device(std::size_t device, results::DeviceRecord& r,
                                               std::span<double> values) const override {
    const auto& dev = net_->devices()[local_[device]];
    const auto& cfg = *dev.config;
    const bool linked = std::isfinite(dev.link.coupling_loss_dB);
    values[0] = linked ? dev.link.coupling_loss_dB : kNaN;
    values[1] = linked ? dev.link.nrsrp_dBm : kNaN;
    values[2] = linked ? dev.link.sinr_dB : kNaN;
    // A device that finds no cell has no coverage-enhancement level (§1.4).
    values[3] = dev.link.camps ? static_cast<double>(dev.link.level) : kNaN;
    values[4] = static_cast<double>(dev.preambles);
    values[5] = static_cast<double>(dev.collisions);
    values[6] = static_cast<double>(dev.tracking_area_updates);
    values[7] = linked ? dev.link.uplink_snr_dB : kNaN;
    // The data allocation: link adaptation's, or the CE level's. A device
    // that finds no cell has none, and sends nothing (empty columns).
    const bool camps = dev.link.camps;
    const auto& lc = cfg.levels[dev.link.level];
    const auto& a = dev.link.data;
    std::size_t k = 8;
    values[k++] = !camps ? kNaN : a ? a->width : lc.pusch_width;
    if (v_.rat == Rat::Nbiot) {
      const bool narrow = (a ? a->spacing : lc.pusch_spacing) == nbiot::Spacing::Khz3_75;
      values[k++] = !camps ? kNaN : narrow ? 3.75 : 15.0;
    }
    values[k++] = !camps ? kNaN : a ? a->itbs : lc.pusch_itbs;
    values[k++] = !camps ? kNaN : a ? a->repetitions : lc.pusch_repetitions;
    values[k++] = static_cast<double>(dev.early_data_transmissions);
    values[k++] = static_cast<double>(dev.harq_retransmissions);
    // The downlink once connected, at the device's level.
    const LevelConfig served = downlink_for(lc, dev.link.downlink_halvings[dev.link.level]);
    values[k++] = !camps ? kNaN : served.control_repetitions;
    values[k++] = !camps ? kNaN : served.pdsch_repetitions;
    if (v_.rat == Rat::Nbiot) {
      // The data's power on its allocation, and the first preamble's at the
      // device's level.
      const double cl = dev.link.coupling_loss_dB;
      values[k++] = !camps ? kNaN : npusch_dBm(cfg, with_allocation(lc, a), cfg.p0_dBm, cfg.alpha, cl);
      values[k] = !camps              ? kNaN
                  : cfg.power_control ? nbiot::nprach_power_dBm(cfg.tx_power_dBm, dev.link.level, lc.prach_repetitions,
                                                                0, cfg.preamble_target_dBm, cfg.ramping_step_dB, cl)
                                      : cfg.tx_power_dBm;
    }
    r.generated = dev.counters.generated;
    r.sent = dev.counters.sent;
    r.transmissions = dev.preambles;
    r.delivered = dev.counters.delivered();
    r.downlinks_generated = net_->downlinks()[local_[device]].generated;
    r.downlinks_delivered = net_->downlinks()[local_[device]].delivered;
    technology::record_energy(r, energy::device_energy(dev.energy, duration_, cfg.idle_mA(), cfg.board, cfg.battery,
                                                       dev.battery_empty_at, kEnergyStateParts));
    return dev.counters.fates;
  }
  void record_site(std::size_t site, std::span<double> values) const override {
    const auto& load = net_->site_load(site);
    const auto& cell = net_->calendar(site);
    values[0] = static_cast<double>(load.camped);
    values[1] = static_cast<double>(load.preambles);
    values[2] = static_cast<double>(load.collided);
    // NB-IoT: one downlink carrier and 48 uplink lanes of 3.75 kHz; LTE-M:
    // each narrowband one downlink lane and 6 PRB lanes.
    const std::size_t nb = static_cast<std::size_t>(cell.narrowbands);
    const std::size_t down = nb == 0 ? 1 : nb, up = nb == 0 ? cell.uplink.size() : 6 * nb;
    // Summed as doubles: 48 lanes of a long, loaded run overflow int64 ns.
    double booked_down = 0.0, booked_up = 0.0;
    for (std::size_t l = 0; l < down; ++l) booked_down += static_cast<double>(cell.downlink[l].booked().ns());
    for (std::size_t l = 0; l < up; ++l) booked_up += static_cast<double>(cell.uplink[l].booked().ns());
    const double window = static_cast<double>(duration_.ns());
    values[3] = 100.0 * booked_down / (window * static_cast<double>(down));
    values[4] = 100.0 * booked_up / (window * static_cast<double>(up));
    values[5] = uplink_interference_dB_[site];
  }
  std::vector<std::string> battery_warnings(std::size_t group) const override {
    const GroupConfig& cfg = configs_[group];
    std::vector<std::string> w;
    // §1.4: a device without a cell searches per report only.
    if (const std::uint64_t no_cell = no_cell_[group]; no_cell > 0) {
      w.push_back(std::to_string(no_cell) + " of " + std::to_string(devices_[group]) +
                  " devices find no cell: they search " + num(cfg.search_time.to_seconds()) +
                  " s per report and not between reports, where a real modem keeps searching on a pattern of its "
                  "own; their battery life is an upper bound");
    }
    if (const std::uint64_t n = short_[group]; n > 0) {
      const std::string of = std::to_string(n) + " of " + std::to_string(devices_[group]);
      // Which levels: "CE level 1", "CE levels 1 and 2", "CE levels 0, 1 and 2".
      std::vector<std::string> named;
      for (unsigned lv = 0; lv < kMaxLevels; ++lv)
        if ((short_levels_[group] >> lv) & 1U) named.push_back(std::to_string(lv));
      std::string levels = named.size() == 1 ? "CE level " : "CE levels ";
      for (std::size_t i = 0; i < named.size(); ++i)
        levels += (i == 0 ? "" : i + 1 == named.size() ? " and " : ", ") + named[i];
      w.push_back(
          cfg_link_adaptation_
              ? of + " devices are counted as covered (" + levels +
                    "), but no uplink allocation decodes at their SNR (with the other cells' interference): by the "
                    "link model they are out of reach, yet the model delivers their "
                    "reports after its usual retransmissions (block_error_rate), so coverage, delivery, latency and "
                    "battery life are optimistic for them (docs/models/cellular.md §3.3.1)"
              : of +
                    " devices are covered, but their uplink SNR is below what their CE level's configured allocation "
                    "(" +
                    levels + ", " + std::string(v_.name) +
                    ".link_adaptation: false) needs for a report, Msg3 or TAU request: by the link model it would not "
                    "decode, yet the model delivers it after its usual retransmissions (block_error_rate), so their "
                    "delivery, latency and battery life are optimistic; give that level more repetitions or turn link "
                    "adaptation on (docs/models/cellular.md §3.3.1)");
    }
    if (unsettled_dB_ > 0.0 && devices_[group] > 0) {
      w.push_back("the uplink interference did not settle in " + std::to_string(kInterferencePasses) +
                  " passes (site " + unsettled_site_ + "'s rise still moved " + num(unsettled_dB_) +
                  " dB in the last, more than " + num(kInterferenceTolerance_dB) +
                  " dB): the devices' uplink allocations and powers are the last pass's, and each site's "
                  "uplink_interference_dB is uncertain by about as much (docs/models/cellular.md §3.3.6)");
    }
    // §3.4.1: below the profile's shortest measured paging cycle the idle
    // current is that cycle's, held, not extrapolated. The devices' time in
    // idle mode (after reports, updates and downlinks alike) says what the
    // profile's charge per paging occasion would add to their average
    // current; from 1 uA (a third of the nRF9160's PSM floor) the summary
    // says so.
    if (const auto& pts = cfg.profile->idle_mA_by_cycle_s;
        pts.size() >= 2 && cfg.paging_cycle.to_seconds() < pts.front().first && devices_[group] > 0) {
      const auto [t0, i0] = pts.front();
      const double cycle_s = cfg.paging_cycle.to_seconds();
      const double extrapolated_mA = cfg.profile->idle_mA_extrapolated(cycle_s);
      double idle_s = 0.0;
      for (const auto& dev : net_->devices())
        if (dev.group == group) idle_s += dev.idle_mode_time.to_seconds();
      const double share = idle_s / (static_cast<double>(devices_[group]) * duration_.to_seconds());
      const double added_mA = share * (extrapolated_mA - i0);
      if (added_mA >= 0.001) {
        w.push_back("idle mode (T3324, " + cfg.active_timer.to_string() + " after each access) is " +
                    num(100.0 * share) + " % of the devices' time, at " + num(1000.0 * i0) +
                    " uA: the radio profile's idle current at its shortest measured paging cycle, " + num(t0) +
                    " s, held at the " + num(cycle_s) + " s cycle; the profile's charge per paging occasion at every " +
                    num(cycle_s) + " s would give " + num(1000.0 * extrapolated_mA) + " uA, " + num(1000.0 * added_mA) +
                    " uA more on the devices' average current, so the battery life may be optimistic by up to that "
                    "(docs/models/cellular.md §3.4.1)");
      }
    }
    // Only devices whose reports can be more than T3412 apart make periodic
    // updates (each release restarts T3412, §3.4): periodic reports less
    // often than T3412, or Poisson ones.
    const bool updates =
        cfg.traffic.kind == traffic::TrafficPattern::Kind::Poisson || cfg.traffic.interval > cfg.periodic_tau;
    if (duration_ < cfg.periodic_tau && updates) {
      w.push_back("the run (" + duration_.to_string() + ") is shorter than the periodic TAU (T3412, " +
                  cfg.periodic_tau.to_string() +
                  "): most devices make no tracking area update in it, and the battery life leaves its charge out; "
                  "run for at least one T3412");
    }
    return w;
  }
  energy::ChargeState charge_state(std::size_t device, Time now) const override {
    const auto& dev = net_->devices()[local_[device]];
    const auto& cfg = *dev.config;
    return energy::charge_state(dev.energy, std::min(now, dev.battery_empty_at), cfg.idle_mA(), cfg.board, cfg.battery);
  }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<GroupConfig> configs_;  ///< [scenario group]; the devices point into it
  std::unique_ptr<CellNetwork> net_;
  std::vector<std::uint32_t> local_;  ///< [device] its index in net_, kNone for another technology's
  Time duration_{};
  std::vector<double> uplink_interference_dB_;  ///< [site] the other cells' devices over thermal noise
  double unsettled_dB_ = 0.0;   ///< the last pass's largest change of a site's rise, when the passes ran out
  std::string unsettled_site_;  ///< the site of that change
  std::vector<std::uint64_t> devices_, no_cell_;  ///< [scenario group] its devices, those that find no cell
  std::vector<std::uint64_t> short_;  ///< [scenario group] covered devices whose uplink does not decode (uplink_short)
  std::vector<unsigned> short_levels_;  ///< [scenario group] their CE levels, one bit each
  bool cfg_link_adaptation_ = true;
  Variant v_;
};

// Columns of the same name are one column of devices.csv for both technologies.
constexpr std::array<results::ColumnSpec, 18> kNbiotColumns{{
    {"coupling_loss_dB", "coupling loss to the serving cellular site, antennas included, dB", 1},
    {"nrsrp_dBm", "NB-IoT reference signal received power from the serving site, dBm", 1},
    {"downlink_sinr_dB", "downlink SINR, with the other sites' load as interference, dB", 1},
    {"ce_level",
     "coverage-enhancement level chosen by (N)RSRP (NB-IoT 0 to 2; LTE-M 0 to 3, 2 and 3 in CE mode B); empty for a "
     "device that finds no cell",
     0, 3},
    {"preambles", "random-access preambles sent", 0},
    {"preamble_collisions", "preambles that collided with another device's", 0},
    {"tracking_area_updates", "periodic tracking area updates (T3412)", 0},
    {"uplink_snr_dB",
     "uplink SNR at the serving site, one 15 kHz subcarrier with the device's whole power, over its noise and the "
     "other cells' interference, dB",
     1},
    {"data_subcarriers", "subcarriers of the data's NPUSCH allocation; empty for a device that finds no cell", 0},
    {"data_spacing_kHz", "subcarrier spacing of the data's NPUSCH allocation, kHz", 2},
    {"data_itbs", "transport-block-size index of the data", 0},
    {"data_repetitions", "repetitions of each data block", 0},
    {"early_data_transmissions", "accesses whose reports went in Msg3 (radio.early_data)", 0},
    {"harq_retransmissions", "transport blocks sent again after a failed transmission (HARQ), uplink and downlink", 0},
    {"npdcch_repetitions",
     "NPDCCH repetitions R of a control message once connected (downlink link adaptation), at the CE level chosen by "
     "NRSRP",
     0},
    {"npdsch_repetitions",
     "NPDSCH repetitions of a downlink block once connected (downlink link adaptation), at the CE level chosen by "
     "NRSRP",
     0},
    {"data_tx_power_dBm",
     "transmit power of the data's NPUSCH (uplink power control: at most radio.tx_power); empty for a device that "
     "finds no cell, dBm",
     1},
    {"preamble_tx_power_dBm",
     "transmit power of the first preamble at the CE level chosen by NRSRP (power control: CE level 0's from "
     "preamble_target_power), dBm",
     1},
}};
constexpr std::array<results::ColumnSpec, 15> kLtemColumns{{
    kNbiotColumns[0],
    {"rsrp_dBm", "LTE-M reference signal received power from the serving site, dBm", 1},
    kNbiotColumns[2],
    {"ce_level",
     "coverage-enhancement level chosen by (N)RSRP (NB-IoT 0 to 2; LTE-M 0 to 3, 2 and 3 in CE mode B); empty for a "
     "device that finds no cell",
     0, 4},
    kNbiotColumns[4],
    kNbiotColumns[5],
    kNbiotColumns[6],
    kNbiotColumns[7],
    {"data_prbs", "PRBs of the data's PUSCH allocation; empty for a device that finds no cell", 0},
    kNbiotColumns[10],
    kNbiotColumns[11],
    kNbiotColumns[12],
    kNbiotColumns[13],
    {"mpdcch_repetitions",
     "MPDCCH repetitions R of a control message once connected (downlink link adaptation), at the CE level chosen by "
     "RSRP",
     0},
    {"pdsch_repetitions",
     "PDSCH repetitions of a downlink block once connected (downlink link adaptation), at the CE level chosen by RSRP",
     0},
}};

// gateways.csv: both technologies' sites have the same columns.
constexpr std::array<results::ColumnSpec, 6> kSiteColumns{{
    {"camped_devices", "devices that camp on the site (their strongest (N)RSRP, above q_rxlev_min)", 0},
    {"preambles_heard",
     "preambles the site heard from the devices it serves (within the maximum coupling loss), retries included", 0},
    {"preambles_collided", "of those, preambles that met another on the same subcarrier or preamble at one occasion",
     0},
    {"downlink_busy_percent",
     "share of the window its downlink was booked with control messages and data blocks (NB-IoT: the carrier; LTE-M: "
     "the mean over its narrowbands), %",
     6},
    {"uplink_busy_percent",
     "share of its uplink held by NPUSCH or PUSCH blocks, NB-IoT's slots postponed around the NPRACH included "
     "(NB-IoT: 48 lanes of 3.75 kHz; LTE-M: its narrowbands' PRBs), %",
     6},
    {"uplink_interference_dB",
     "rise of its uplink noise from the other cells' devices (their mean uplink power over its thermal noise; "
     "uplink_interference), dB",
     3},
}};

constexpr Variant kNbiotVariant{kNbiot, Rat::Nbiot, {144.0, 154.0, 0.0}, 180e3, kNbiotColumns, &nbiot_format, 164.0,
                                23.0,   3.0};
constexpr Variant kLtemVariant{kLtem, Rat::Ltem, {140.0, 146.0, 151.0}, 1.08e6, kLtemColumns, &ltem_format, 155.7,
                               20.0,  5.0};

class Cellular final : public technology::Technology {
 public:
  explicit Cellular(const Variant& v) : v_(v) {}
  std::string_view name() const override { return v_.name; }
  std::span<const results::FateSpec> fates() const override { return kFates; }
  std::span<const results::ColumnSpec> device_columns() const override { return v_.columns; }
  std::span<const results::ColumnSpec> site_columns() const override { return kSiteColumns; }
  std::span<const std::string_view> energy_states() const override { return kEnergyStateNames; }
  const scenario::TechnologyFormat& format() const override { return v_.format(); }

  technology::GroupLink group_link(const Scenario& s, std::size_t group) const override {
    const RadioSettings& radio = radio_of(s.groups[group]);
    const NetworkSettings& net = network_of(s, v_.name);
    technology::GroupLink l;
    l.carrier_hz = radio.frequency_hz;
    l.eirp_dBm = radio.tx_power_dBm + radio.antenna_gain_dBi;
    l.noise_bandwidth_hz = v_.noise_bandwidth_hz;
    for (const auto& site : s.gateways) {
      if (site.technology != v_.name) {  // another technology's site: never this group's link
        l.sensitivity_dBm.push_back(std::numeric_limits<float>::infinity());
        l.weakest_dBm.push_back(std::numeric_limits<double>::infinity());
        continue;
      }
      // Covered: coupling loss at most the maximum, and at most what leaves
      // the site's (N)RSRP at q_rxlev_min (cell selection), i.e. received
      // power at least tx_power less the smaller of the two.
      const double camps_to = site_of(site).tx_power_dBm - per_subcarrier_dB(v_, net) - net.q_rxlev_min_dBm;
      const double mcl = max_coupling_loss_dB(v_, net, radio.tx_power_dBm, site.noise_figure_dB);
      const double floor = radio.tx_power_dBm - std::min(mcl, camps_to);
      l.sensitivity_dBm.push_back(static_cast<float>(floor));
      // The links kept (as serving candidates and interferers) do not
      // depend on cell selection: the maximum coupling loss and the margin.
      l.weakest_dBm.push_back(radio.tx_power_dBm - mcl - kInterferenceMargin_dB);
    }
    return l;
  }

  std::vector<std::string> battery_includes(const Scenario& s, std::size_t group) const override {
    const NetworkSettings& net = network_of(s, v_.name);
    const RadioSettings& radio = radio_of(s.groups[group]);
    const auto& profile = s.groups[group].hardware.radio;
    const std::string waiting =
        net.drx_cycle > Time::zero() ? "with connected-mode DRX" : "at " + num(profile.connected_or_rx_mA()) + " mA";
    std::vector<std::string> v;
    v.push_back("the network's answers: " + num(net.network_delay.to_seconds()) + " s each (" + std::string(v_.name) +
                ".network_delay), waiting connected " + waiting);
    v.push_back(radio.release_assistance ? std::string("release assistance: released after the network's answer")
                                         : "no release assistance: " + num(net.inactivity_timer.to_seconds()) +
                                               " s connected after each access but a tracking area update alone (" +
                                               std::string(v_.name) + ".inactivity_timer)");
    // Periodic reports no further apart than T3324: the next access comes
    // before PSM would.
    const auto& traffic = s.groups[group].traffic;
    const bool never_psm =
        traffic.kind == scenario::TrafficSpec::Kind::Periodic && radio.active_timer >= traffic.interval;
    v.push_back("idle mode " + radio.active_timer.to_string() + " after each access (T3324) at " +
                num(1000.0 * profile.idle_mA(radio.paging_cycle.to_seconds())) + " uA (paged every " +
                num(radio.paging_cycle.to_seconds()) + " s), " +
                (never_psm ? std::string("never PSM: the reports come at least as often") : std::string("then PSM")) +
                "; TAU every " + num(radio.periodic_tau.to_seconds() / 3600.0) + " h (T3412)");
    return v;
  }

  // Measured: 2.3 KB a device (docs/performance.md §8).
  std::size_t bytes_per_device() const override { return 2300; }

  std::unique_ptr<technology::Network> build(Simulation& sim, const technology::Deployment& d) const override {
    return std::make_unique<CellNetworkModel>(v_, sim, d);
  }

 private:
  const Variant& v_;
};

}  // namespace

const technology::Technology& nbiot_technology() {
  static const Cellular t(kNbiotVariant);
  return t;
}

const technology::Technology& ltem_technology() {
  static const Cellular t(kLtemVariant);
  return t;
}

}  // namespace m2msim::cellular
