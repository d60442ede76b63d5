#include "scenarios/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>

#include "models/energy/energy.hpp"
#include "models/lorawan/sensitivity.hpp"
#include "models/lorawan/time_on_air.hpp"
#include "models/propagation/path_loss.hpp"
#include "models/lorawan/parameters.hpp"
#include "scenarios/hardware.hpp"
#include "scenarios/parameter_tables.hpp"
#include "scenarios/parameters.hpp"
#include "scenarios/units.hpp"

namespace m2msim::scenario {

namespace {

// ---------------------------------------------------------------- hardware profiles

double current_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const double mA = quantity(ctx, n, Dimension::Current, what);
  check_range(ctx, n, mA, 0.0, 10000.0, what, "0 A to 10 A");
  return mA;
}

std::string text_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const std::string s = scalar(ctx, n, what);
  if (s.empty()) ctx.fail(n, what + " must not be empty");
  return s;
}

/// One state's { current, source }: the current in mA.
double read_state(const Context& ctx, const YAML::Node& n, const std::string& where) {
  MapReader r(ctx, n, where, {"current", "source"});
  text_value(ctx, r.require("source"), where + ".source");
  return current_value(ctx, r.require("current"), where + ".current");
}

HardwareProfile read_hardware_profile(const Context& ctx, const YAML::Node& root) {
  if (!root || !root.IsMap()) ctx.fail(root, "a hardware profile must be a map of keys (name, kind, datasheet, supply, states, ...)");
  const YAML::Node kind_node = std::as_const(root)["kind"];
  if (!kind_node) ctx.fail(root, "missing key 'kind' in the hardware profile (radio or mcu)");
  const std::string kind = choice(ctx, kind_node, {"radio", "mcu"}, "kind");
  if (kind == "mcu") {
    MapReader r(ctx, root, "the mcu profile", {"name", "kind", "datasheet", "supply", "states"});
    energy::McuProfile m;
    m.name = name_value(ctx, r.require("name"), "name");
    m.datasheet = text_value(ctx, r.require("datasheet"), "datasheet");
    m.supply_V = quantity(ctx, r.require("supply"), Dimension::Voltage, "supply");
    check_range(ctx, r.get("supply"), m.supply_V, 0.5, 60.0, "supply", "0.5 V to 60 V");
    MapReader st(ctx, r.require("states"), "states", {"sleep", "active"});
    m.sleep_mA = read_state(ctx, st.require("sleep"), "states.sleep");
    m.active_mA = read_state(ctx, st.require("active"), "states.active");
    m.file = ctx.file;
    return m;
  }
  MapReader r(ctx, root, "the radio profile", {"name", "kind", "technology", "datasheet", "supply", "states", "tx"});
  energy::CurrentProfile p;
  p.name = name_value(ctx, r.require("name"), "name");
  p.technology = choice(ctx, r.require("technology"), {"lora", "cellular", "wifi"}, "technology");
  p.datasheet = text_value(ctx, r.require("datasheet"), "datasheet");
  p.supply_V = quantity(ctx, r.require("supply"), Dimension::Voltage, "supply");
  check_range(ctx, r.get("supply"), p.supply_V, 0.5, 60.0, "supply", "0.5 V to 60 V");
  MapReader st(ctx, r.require("states"), "states", {"sleep", "standby", "rx"});
  p.sleep_mA = read_state(ctx, st.require("sleep"), "states.sleep");
  p.standby_mA = read_state(ctx, st.require("standby"), "states.standby");
  p.rx_mA = read_state(ctx, st.require("rx"), "states.rx");
  const YAML::Node tx = r.require("tx");
  if (!tx.IsSequence() || tx.size() < 2) {
    ctx.fail(tx, "tx must be a list of at least 2 points { power, current, source }, ascending in power");
  }
  for (std::size_t i = 0; i < tx.size(); ++i) {
    const std::string where = "tx[" + std::to_string(i) + "]";
    MapReader t(ctx, tx[i], where, {"power", "current", "source"});
    text_value(ctx, t.require("source"), where + ".source");
    const double dBm = quantity(ctx, t.require("power"), Dimension::Power, where + ".power");
    check_range(ctx, t.get("power"), dBm, -30.0, 40.0, where + ".power", "-30 dBm to 40 dBm");
    if (!p.tx_mA_by_dBm.empty() && dBm <= p.tx_mA_by_dBm.back().first) {
      ctx.fail(t.get("power"), where + ".power must be above the previous point's (the list is ascending in power)");
    }
    p.tx_mA_by_dBm.emplace_back(dBm, current_value(ctx, t.require("current"), where + ".current"));
  }
  p.file = ctx.file;
  return p;
}

/// YAML text → its root node; a syntax error is a ScenarioError at its position.

HardwareProfile parse_hardware_profile(const std::string& text, const std::string& file) {
  Context ctx;
  ctx.file = file;
  const YAML::Node root = parse_yaml(text, file);
  if (!root || root.IsNull()) throw ScenarioError(file + ":1:1: the hardware profile is empty");
  return read_hardware_profile(ctx, root);
}



/// devices[].hardware.radio or .mcu: a built-in name, or a path ending in
/// .yaml (relative to the scenario file's folder).
HardwareProfile resolve_hardware(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const std::string v = scalar(ctx, n, what);
  if (const auto path = data_file_path(ctx, n, v, what, "profile")) {
    return parse_hardware_profile(read_text_file(*path, "hardware profile"), *path);
  }
  choice(ctx, n, builtin_hardware_names(), what + " (a built-in profile, or a path ending in .yaml)");
  return builtin_hardware_profile(v);
}

HardwareSpec read_hardware(const Context& ctx, const YAML::Node& n, const std::string& where) {
  HardwareSpec h;
  // Node::reset rebinds; operator= would overwrite the node it refers to.
  YAML::Node radio_node, mcu_node;
  radio_node.reset(n);
  bool has_mcu = false;
  if (n.IsMap()) {
    ParamReader r(ctx, n, where, tables::kHardware);
    radio_node.reset(r.require("radio"));
    has_mcu = r.has("mcu");
    if (has_mcu) mcu_node.reset(r.get("mcu"));
    if (r.has("mcu_active_per_packet") && !r.has("mcu")) {
      ctx.fail(r.get("mcu_active_per_packet"), where + ".mcu_active_per_packet needs " + where + ".mcu (the microcontroller whose active current it costs)");
    }
    h.mcu_active_per_packet = r.time("mcu_active_per_packet");
  }
  auto radio = resolve_hardware(ctx, radio_node, where + (n.IsMap() ? ".radio" : ""));
  auto* rp = std::get_if<energy::CurrentProfile>(&radio);
  if (rp == nullptr) ctx.fail(radio_node, where + ": '" + radio_node.Scalar() + "' is a microcontroller profile; the radio must be a radio profile (kind: radio). Put it under mcu:");
  if (rp->technology != "lora") {
    ctx.fail(radio_node, where + ": '" + rp->name + "' is a " + rp->technology + " radio; a lorawan device needs a lora radio (built in: sx1262, sx1272, sx1276)");
  }
  h.radio = std::move(*rp);
  if (has_mcu) {
    auto mcu = resolve_hardware(ctx, mcu_node, where + ".mcu");
    auto* mp = std::get_if<energy::McuProfile>(&mcu);
    if (mp == nullptr) ctx.fail(mcu_node, where + ".mcu: '" + mcu_node.Scalar() + "' is a radio profile; mcu needs a microcontroller profile (kind: mcu)");
    h.mcu = std::move(*mp);
  }
  return h;
}

// ---------------------------------------------------------------- LoRaWAN regions

std::uint64_t hz_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const double f = quantity(ctx, n, Dimension::Frequency, what);
  check_range(ctx, n, f, 1e3, 10e9, what, "1 kHz to 10 GHz");
  return static_cast<std::uint64_t>(std::llround(f));
}

std::uint32_t bandwidth_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const double hz = quantity(ctx, n, Dimension::Frequency, what);
  if (hz != 125e3 && hz != 250e3 && hz != 500e3) ctx.fail(n, what + " must be 125 kHz, 250 kHz or 500 kHz, got '" + n.Scalar() + "'");
  return static_cast<std::uint32_t>(hz);
}

lora::Region read_region(const Context& ctx, const YAML::Node& root) {
  if (!root || !root.IsMap()) ctx.fail(root, "a region file must be a map of keys (name, data_rates, uplink_channels, ...)");
  MapReader r(ctx, root, "the region",
              {"name", "source", "spec_version", "data_rates", "uplink_channels", "duty_cycle_bands", "dwell_time",
               "uplink_dwell_time_default", "max_eirp", "tx_power_steps", "tx_power_indices", "receive_delay1",
               "receive_delay2", "join_accept_delay1", "join_accept_delay2", "rx1_dr_offset_table", "rx1_frequency", "rx2",
               "downlink_max_eirp", "downlink_max_eirp_bands", "ack_timeout", "adr_ack_limit", "adr_ack_delay", "adr_max_dr",
               // Informative: recorded in the file for readers, not used by the model (docs/models/lorawan.md).
               "other_data_rates", "default_uplink_dr", "default_antenna_gain", "downlink_dwell_time_default",
               "rx1_dr_offset_default", "rx1_dr_offset_max", "rx1_dr_offset_table_lr_fhss", "all_uplink_channels",
               "downlink_channels", "max_eirp_kind", "tx_power_limits", "channel_plan", "frequency_offset",
               "dwell_limit_min_uplink_dr", "rx1_dr_offset_table_downlink_dwell", "class_b"});
  lora::Region g;
  g.file = ctx.file;
  g.name = name_value(ctx, r.require("name"), "name");
  g.source = text_value(ctx, r.require("source"), "source");
  const YAML::Node drs = r.require("data_rates");
  if (!drs.IsSequence() || drs.size() == 0) ctx.fail(drs, "data_rates must be a non-empty list");
  for (std::size_t i = 0; i < drs.size(); ++i) {
    const std::string w = "data_rates[" + std::to_string(i) + "]";
    MapReader d(ctx, drs[i], w, {"dr", "spreading_factor", "bandwidth", "max_payload", "max_mac_payload", "max_payload_dwell",
                                 "max_mac_payload_dwell", "source", "direction"});
    lora::DataRate x;
    x.dr = static_cast<int>(integer(ctx, d.require("dr"), 0, 15, w + ".dr"));
    x.spreading_factor = static_cast<int>(integer(ctx, d.require("spreading_factor"), 7, 12, w + ".spreading_factor"));
    x.bandwidth_hz = bandwidth_value(ctx, d.require("bandwidth"), w + ".bandwidth");
    const double bytes = quantity(ctx, d.require("max_payload"), Dimension::DataSize, w + ".max_payload");
    check_range(ctx, d.get("max_payload"), bytes, 0.0, 242.0, w + ".max_payload", "0 B to 242 B");
    x.max_payload_bytes = static_cast<std::uint32_t>(bytes);
    if (d.has("source")) text_value(ctx, d.get("source"), w + ".source");
    if (d.has("direction")) x.uplink = choice(ctx, d.get("direction"), {"both", "uplink", "downlink"}, w + ".direction") != "downlink";
    if (d.has("max_payload_dwell")) {
      // The limit under the uplink dwell time (null: the rate cannot carry an
      // uplink then); applied below when the region's dwell time is on.
      const YAML::Node pd = d.get("max_payload_dwell");
      if (pd.IsNull() || (pd.IsScalar() && pd.Scalar() == "null")) {
        x.max_payload_dwell_bytes = -1;
      } else {
        const double b = quantity(ctx, pd, Dimension::DataSize, w + ".max_payload_dwell");
        check_range(ctx, pd, b, 0.0, 242.0, w + ".max_payload_dwell", "0 B to 242 B");
        x.max_payload_dwell_bytes = static_cast<int>(b);
      }
    }
    if (!g.data_rates.empty() && x.dr <= g.data_rates.back().dr) ctx.fail(d.get("dr"), w + ".dr must be above the previous one (ascending)");
    g.data_rates.push_back(x);
  }
  const YAML::Node chs = r.require("uplink_channels");
  if (!chs.IsSequence() || chs.size() == 0) ctx.fail(chs, "uplink_channels must be a non-empty list");
  for (std::size_t i = 0; i < chs.size(); ++i) {
    const std::string w = "uplink_channels[" + std::to_string(i) + "]";
    MapReader c(ctx, chs[i], w, {"channel", "frequency", "bandwidth", "min_dr", "max_dr", "source"});
    lora::UplinkChannel x;
    x.index = c.has("channel") ? static_cast<std::uint32_t>(integer(ctx, c.get("channel"), 0, 95, w + ".channel")) : static_cast<std::uint32_t>(i);
    x.frequency_hz = hz_value(ctx, c.require("frequency"), w + ".frequency");
    x.bandwidth_hz = bandwidth_value(ctx, c.require("bandwidth"), w + ".bandwidth");
    x.min_dr = static_cast<int>(integer(ctx, c.require("min_dr"), 0, 15, w + ".min_dr"));
    x.max_dr = static_cast<int>(integer(ctx, c.require("max_dr"), x.min_dr, 15, w + ".max_dr"));
    g.uplink_channels.push_back(x);
  }
  if (r.has("duty_cycle_bands")) {
    const YAML::Node bs = r.get("duty_cycle_bands");
    if (!bs.IsSequence()) ctx.fail(bs, "duty_cycle_bands must be a list (possibly empty, [])");
    // The MAC keeps a device's band budgets in a fixed array (kMaxBands).
    if (bs.size() > 8) ctx.fail(bs, "duty_cycle_bands: at most 8 bands, got " + std::to_string(bs.size()));
    for (std::size_t i = 0; i < bs.size(); ++i) {
      const std::string w = "duty_cycle_bands[" + std::to_string(i) + "]";
      MapReader b(ctx, bs[i], w, {"from", "to", "duty_cycle", "lmn_band", "source"});
      lora::DutyCycleBand x;
      x.from_hz = hz_value(ctx, b.require("from"), w + ".from");
      x.to_hz = hz_value(ctx, b.require("to"), w + ".to");
      if (x.to_hz <= x.from_hz) ctx.fail(b.get("to"), w + ".to must be above from");
      x.duty_cycle = quantity(ctx, b.require("duty_cycle"), Dimension::Percent, w + ".duty_cycle");
      check_range(ctx, b.get("duty_cycle"), x.duty_cycle, 0.0001, 1.0, w + ".duty_cycle", "0.01 % to 100 %");
      g.duty_cycle_bands.push_back(x);
    }
  }
  if (r.has("dwell_time")) g.dwell_time = time_value(ctx, r.get("dwell_time"), "dwell_time");
  if (r.has("uplink_dwell_time_default") && !boolean(ctx, r.get("uplink_dwell_time_default"), "uplink_dwell_time_default")) {
    g.dwell_time = Time::zero();  // the limit exists but is off by default
  }
  g.max_eirp_dBm = quantity(ctx, r.require("max_eirp"), Dimension::Power, "max_eirp");
  check_range(ctx, r.get("max_eirp"), g.max_eirp_dBm, -10.0, 40.0, "max_eirp", "-10 dBm to 40 dBm");
  g.tx_power_step_dB = quantity(ctx, r.require("tx_power_steps"), Dimension::Ratio, "tx_power_steps");
  check_range(ctx, r.get("tx_power_steps"), g.tx_power_step_dB, 0.1, 10.0, "tx_power_steps", "0.1 dB to 10 dB");
  g.tx_power_indices = static_cast<int>(integer(ctx, r.require("tx_power_indices"), 1, 16, "tx_power_indices"));
  g.receive_delay1 = time_value(ctx, r.require("receive_delay1"), "receive_delay1");
  g.receive_delay2 = time_value(ctx, r.require("receive_delay2"), "receive_delay2");
  g.join_accept_delay1 = time_value(ctx, r.require("join_accept_delay1"), "join_accept_delay1");
  g.join_accept_delay2 = time_value(ctx, r.require("join_accept_delay2"), "join_accept_delay2");
  if (!(Time::zero() < g.receive_delay1 && g.receive_delay1 < g.receive_delay2)) {
    ctx.fail(r.get("receive_delay2"), "receive_delay1 and receive_delay2 must satisfy 0 s < receive_delay1 < receive_delay2");
  }
  if (!(Time::zero() < g.join_accept_delay1 && g.join_accept_delay1 < g.join_accept_delay2)) {
    ctx.fail(r.get("join_accept_delay2"), "join_accept_delay1 and join_accept_delay2 must satisfy 0 s < join_accept_delay1 < join_accept_delay2");
  }
  const YAML::Node t = r.require("rx1_dr_offset_table");
  if (!t.IsSequence()) ctx.fail(t, "rx1_dr_offset_table must be a list of rows (one per uplink data rate)");
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!t[i].IsSequence() || t[i].size() == 0) ctx.fail(t[i], "rx1_dr_offset_table rows must be non-empty lists of data rates");
    std::vector<int> row;
    for (std::size_t j = 0; j < t[i].size(); ++j) row.push_back(static_cast<int>(integer(ctx, t[i][j], 0, 15, "rx1_dr_offset_table entry")));
    g.rx1_dr_offset.push_back(row);
  }
  const YAML::Node f1 = r.require("rx1_frequency");
  if (f1.IsScalar()) {
    choice(ctx, f1, {"same_as_uplink"}, "rx1_frequency");
    g.rx1_same_as_uplink = true;
  } else {
    MapReader f(ctx, f1, "rx1_frequency", {"base", "step", "modulo", "source"});
    g.rx1_same_as_uplink = false;
    g.rx1_base_hz = hz_value(ctx, f.require("base"), "rx1_frequency.base");
    g.rx1_step_hz = hz_value(ctx, f.require("step"), "rx1_frequency.step");
    g.rx1_modulo = static_cast<std::uint32_t>(integer(ctx, f.require("modulo"), 1, 64, "rx1_frequency.modulo"));
  }
  MapReader rx2(ctx, r.require("rx2"), "rx2", {"frequency", "dr", "source"});
  g.rx2_frequency_hz = hz_value(ctx, rx2.require("frequency"), "rx2.frequency");
  g.rx2_dr = static_cast<int>(integer(ctx, rx2.require("dr"), 0, 15, "rx2.dr"));
  if (g.data_rate(g.rx2_dr) == nullptr) ctx.fail(rx2.get("dr"), "rx2.dr " + std::to_string(g.rx2_dr) + " is not in data_rates");
  g.downlink_eirp_dBm = quantity(ctx, r.require("downlink_max_eirp"), Dimension::Power, "downlink_max_eirp");
  g.rx2_eirp_dBm = g.downlink_eirp_dBm;
  if (r.has("downlink_max_eirp_bands")) {
    // A band with its own downlink limit (EU868: 869.4–869.65 MHz, the RX2 band).
    const YAML::Node bs = r.get("downlink_max_eirp_bands");
    if (!bs.IsSequence()) ctx.fail(bs, "downlink_max_eirp_bands must be a list");
    for (std::size_t i = 0; i < bs.size(); ++i) {
      const std::string w = "downlink_max_eirp_bands[" + std::to_string(i) + "]";
      MapReader b(ctx, bs[i], w, {"from", "to", "max_eirp", "duty_cycle", "source"});
      const std::uint64_t from = hz_value(ctx, b.require("from"), w + ".from"), to = hz_value(ctx, b.require("to"), w + ".to");
      const double eirp = quantity(ctx, b.require("max_eirp"), Dimension::Power, w + ".max_eirp");
      if (g.rx2_frequency_hz >= from && g.rx2_frequency_hz < to) g.rx2_eirp_dBm = eirp;
    }
  }
  if (r.has("adr_max_dr")) g.adr_max_dr = static_cast<int>(integer(ctx, r.get("adr_max_dr"), 0, 15, "adr_max_dr"));
  if (r.has("class_b")) {
    MapReader b(ctx, r.get("class_b"), "class_b",
                {"beacon_period", "beacon_reserved", "beacon_guard", "beacon_window", "slot_length", "beacon", "ping_slot"});
    auto& cb = g.class_b;
    cb.present = true;
    cb.beacon_period = time_value(ctx, b.require("beacon_period"), "class_b.beacon_period");
    if (cb.beacon_period <= Time::zero()) ctx.fail(b.get("beacon_period"), "class_b.beacon_period must be above 0 s");
    for (const char* k : {"beacon_reserved", "beacon_guard", "beacon_window", "slot_length"}) {
      if (b.has(k)) time_value(ctx, b.get(k), std::string("class_b.") + k);  // informative, checked for units
    }
    MapReader bc(ctx, b.require("beacon"), "class_b.beacon",
                 {"frequency", "dr", "payload", "preamble", "coding_rate", "header", "crc", "source", "hop_step", "hop_channels"});
    hz_value(ctx, bc.require("frequency"), "class_b.beacon.frequency");
    cb.beacon_dr = static_cast<int>(integer(ctx, bc.require("dr"), 0, 15, "class_b.beacon.dr"));
    if (g.data_rate(cb.beacon_dr) == nullptr) ctx.fail(bc.get("dr"), "class_b.beacon.dr " + std::to_string(cb.beacon_dr) + " is not in data_rates");
    const double bytes = quantity(ctx, bc.require("payload"), Dimension::DataSize, "class_b.beacon.payload");
    check_range(ctx, bc.get("payload"), bytes, 1.0, 255.0, "class_b.beacon.payload", "1 B to 255 B");
    cb.beacon_bytes = static_cast<std::uint32_t>(bytes);
    cb.beacon_preamble_symbols = static_cast<int>(integer(ctx, bc.require("preamble"), 6, 65535, "class_b.beacon.preamble (symbols)"));
    MapReader ps(ctx, b.require("ping_slot"), "class_b.ping_slot", {"frequency", "dr", "source", "hop_step", "hop_channels"});
    cb.ping_slot_frequency_hz = hz_value(ctx, ps.require("frequency"), "class_b.ping_slot.frequency");
    cb.ping_slot_dr = static_cast<int>(integer(ctx, ps.require("dr"), 0, 15, "class_b.ping_slot.dr"));
    if (g.data_rate(cb.ping_slot_dr) == nullptr) ctx.fail(ps.get("dr"), "class_b.ping_slot.dr " + std::to_string(cb.ping_slot_dr) + " is not in data_rates");
  }
  // Under an uplink dwell time, the dwell-limited payloads apply.
  if (g.dwell_time > Time::zero()) {
    for (auto& dr : g.data_rates) {
      if (dr.max_payload_dwell_bytes < -1) continue;  // not given
      if (dr.max_payload_dwell_bytes == -1) {
        dr.uplink = false;
      } else {
        dr.max_payload_bytes = static_cast<std::uint32_t>(dr.max_payload_dwell_bytes);
      }
    }
  }
  if (r.has("ack_timeout")) {
    MapReader a(ctx, r.get("ack_timeout"), "ack_timeout", {"min", "max"});
    g.ack_timeout_min = time_value(ctx, a.require("min"), "ack_timeout.min");
    g.ack_timeout_max = time_value(ctx, a.require("max"), "ack_timeout.max");
    if (!(Time::zero() <= g.ack_timeout_min && g.ack_timeout_min <= g.ack_timeout_max)) {
      ctx.fail(a.get("max"), "ack_timeout must satisfy 0 s <= min <= max");
    }
  }
  if (r.has("adr_ack_limit")) g.adr_ack_limit = static_cast<int>(integer(ctx, r.get("adr_ack_limit"), 1, 32768, "adr_ack_limit"));
  if (r.has("adr_ack_delay")) g.adr_ack_delay = static_cast<int>(integer(ctx, r.get("adr_ack_delay"), 1, 32768, "adr_ack_delay"));
  return g;
}

lora::Region parse_region(const std::string& text, const std::string& file) {
  Context ctx;
  ctx.file = file;
  const YAML::Node root = parse_yaml(text, file);
  if (!root || root.IsNull()) throw ScenarioError(file + ":1:1: the region file is empty");
  return read_region(ctx, root);
}

/// lora.region: a built-in name, or a path ending in .yaml (relative to the scenario file).
lora::Region resolve_region(const Context& ctx, const YAML::Node& n) {
  const std::string v = scalar(ctx, n, "lora.region");
  if (const auto path = data_file_path(ctx, n, v, "lora.region", "region")) {
    return parse_region(read_text_file(*path, "region file"), *path);
  }
  choice(ctx, n, builtin_region_names(), "lora.region (a built-in region, or a path ending in .yaml)");
  return builtin_region(v);
}

// ---------------------------------------------------------------- sections

AreaSpec read_area(const Context& ctx, const YAML::Node& n) {
  ParamReader r(ctx, n, "area", tables::kArea);
  AreaSpec a;
  if (r.has("radius")) {
    if (r.has("width") || r.has("height")) ctx.fail(n, "area takes either width and height (a rectangle) or radius (a disc), not both");
    a.shape = AreaSpec::Shape::Disc;
    a.radius_m = r.quantity("radius");
  } else {
    if (!r.has("width") && !r.has("height")) ctx.fail(n, "area needs width and height (a rectangle) or radius (a disc)");
    a.width_m = r.quantity("width");
    a.height_m = r.quantity("height");
  }
  return a;
}

/// The keys of `section` that apply only under some values of its selector
/// and not under `value`'s.
std::vector<std::string> keys_applying_to(const ParamSection& section, const std::string& value) {
  std::vector<std::string> v;
  for (const auto& p : section.params) {
    if (p.applies.empty()) continue;
    const auto applies = split_choices(p.applies);
    if (std::find(applies.begin(), applies.end(), value) != applies.end()) v.emplace_back(p.key);
  }
  return v;
}

PropagationSpec read_propagation(const Context& ctx, const YAML::Node& n) {
  ParamReader r(ctx, n, "environment.propagation", tables::kPropagation);
  PropagationSpec p;
  const std::string w = "environment.propagation.";
  p.model = r.choice("model");
  {
    using M = PropagationSpec::Model;
    static const std::pair<const char*, M> kModels[] = {
        {"log-distance", M::LogDistance},  {"free-space", M::FreeSpace},   {"okumura-hata", M::OkumuraHata},
        {"cost231-hata", M::Cost231Hata},  {"3gpp-rma", M::ThreeGppRma},   {"3gpp-uma", M::ThreeGppUma},
        {"3gpp-umi-street-canyon", M::ThreeGppUmiStreetCanyon},           {"3gpp-36942-macro", M::Macro36942}};
    for (const auto& [name, kind] : kModels)
      if (p.model == name) p.kind = kind;
  }
  // Each model's own keys; a key of another model is an error that says so.
  const auto own = keys_applying_to(tables::kPropagation, p.model);
  for (auto it = r.node().begin(); it != r.node().end(); ++it) {
    const std::string k = it->first.Scalar();
    if (!tables::kPropagation.find(k)->applies.empty() && std::find(own.begin(), own.end(), k) == own.end()) {
      ctx.fail(it->first, "key '" + k + "' does not apply to model " + p.model +
                              (own.empty() ? std::string(" (it takes no parameters)") : " (its keys: " + join(own) + ")"));
    }
  }
  if (r.has("shadowing")) {
    ParamReader sh(ctx, r.get("shadowing"), w + "shadowing", tables::kShadowing);
    p.shadowing_sigma_dB = sh.quantity("sigma");
    if (sh.has("decorrelation")) p.shadowing_decorrelation_m = sh.quantity("decorrelation");
  }
  if (p.model == "log-distance" && r.has("preset")) {
    // A published parameter set; its three parameters may not also be given.
    const std::string name = choice(ctx, r.get("preset"), propagation::log_distance_preset_names(), w + "preset");
    for (const char* k : {"reference_distance", "reference_loss", "exponent"}) {
      if (r.has(k)) ctx.fail(r.get(k), w + k + " is set by preset " + name + "; give either the preset or reference_distance, reference_loss and exponent");
    }
    const auto* preset = propagation::find_log_distance_preset(name);
    p.preset = name;
    p.reference_distance_m = preset->reference_distance_m;
    p.reference_loss_dB = preset->reference_loss_db;
    p.exponent = preset->exponent;
    p.formula_below_reference = preset->formula_below_reference;
  } else if (p.model == "log-distance") {
    p.reference_distance_m = r.quantity("reference_distance");
    p.reference_loss_dB = r.quantity("reference_loss");
    const YAML::Node e = r.require("exponent");
    const std::string es = scalar(ctx, e, w + "exponent");
    char* end = nullptr;
    p.exponent = std::strtod(es.c_str(), &end);
    if (end == es.c_str() || *end != '\0') ctx.fail(e, w + "exponent must be a plain number (no unit), e.g. 2.7, got '" + es + "'");
    const Param& ep = *tables::kPropagation.find("exponent");
    check_range(ctx, e, p.exponent, ep.min, ep.max, w + "exponent", std::string(ep.range));
  }
  if (p.model == "log-distance" && r.has("below_reference")) p.formula_below_reference = r.choice("below_reference") == "formula";
  if (p.model == "okumura-hata") {
    using H = propagation::OkumuraHataLoss;
    const std::string env = r.choice("environment"), city = r.choice("city");
    p.environment = env == "suburban" ? H::Environment::Suburban : env == "open" ? H::Environment::Open : H::Environment::Urban;
    p.city = city == "large" ? H::CitySize::Large : city == "medium" ? H::CitySize::Medium : H::CitySize::Small;
  } else if (p.model == "cost231-hata") {
    p.area = r.choice("area") == "metropolitan" ? propagation::Cost231HataLoss::Area::Metropolitan
                                               : propagation::Cost231HataLoss::Area::MediumCityOrSuburban;
  } else if (p.model.starts_with("3gpp-") && p.model != "3gpp-36942-macro") {
    const std::string c = r.choice("condition");
    using C = PropagationSpec::Condition;
    p.condition = c == "random" ? C::Random : c == "nlos" ? C::Nlos : C::Los;
    p.building_height_m = r.quantity("building_height");
    p.street_width_m = r.quantity("street_width");
  } else if (p.model == "3gpp-36942-macro") {
    p.rooftop_height_m = r.quantity("rooftop_height");
  }
  return p;
}


GatewaySpec read_gateway(const Context& ctx, const YAML::Node& n, std::size_t i) {
  const std::string where = "gateways[" + std::to_string(i) + "]";
  ParamReader r(ctx, n, where, {&tables::kGateway, &lora::parameters::kGateway});
  GatewaySpec g;
  g.name = r.name("name");
  if (r.has("technology")) choice(ctx, r.get("technology"), {"lorawan"}, where + ".technology");
  std::tie(g.x_m, g.y_m) = read_point(ctx, r.require("position"), where + ".position");
  g.height_m = r.quantity("height");
  g.antenna_gain_dBi = r.quantity("antenna_gain");
  g.cable_loss_dB = r.quantity("cable_loss");
  g.noise_figure_dB = r.quantity("noise_figure");
  g.sensitivity = choice(ctx, r.value_of("sensitivity"), lora::sensitivity_table_names(), where + ".sensitivity");
  const YAML::Node d = r.value_of("demodulators");
  g.demodulators = d.IsScalar() && d.Scalar() == "unlimited"
                       ? 0
                       : static_cast<std::uint32_t>(integer(ctx, d, 1, 1024, where + ".demodulators (or 'unlimited')"));
  g.tx_power_dBm = r.optional_quantity("tx_power");
  return g;
}

LoraReceptionSpec read_lora(const Context& ctx, const YAML::Node& n) {
  ParamReader r(ctx, n, "lora", lora::parameters::kSection);
  LoraReceptionSpec l;
  l.region = resolve_region(ctx, r.value_of("region"));
  l.backhaul_delay = r.time("backhaul_delay");
  l.deduplication_window = r.time("deduplication_window");
  l.adr_margin_dB = r.quantity("adr_margin");
  const std::string interference = r.choice("interference");
  using I = lora::ReceptionRules::Interference;
  l.interference = interference == "aloha" ? I::Aloha : interference == "pairwise" ? I::Pairwise : I::Energy;
  if (r.has("isolation") && interference == "aloha") {
    ctx.fail(r.get("isolation"), "lora.isolation does not apply to interference aloha (any same-SF overlap destroys both; other SFs never interfere)");
  }
  const std::string isolation = r.choice("isolation");
  using Iso = LoraReceptionSpec::Isolation;
  l.isolation = isolation == "croce" ? Iso::Croce : isolation == "ideal" ? Iso::Ideal : Iso::Goursaud;
  if (r.has("capture_threshold") && isolation != "ideal") {
    ctx.fail(r.get("capture_threshold"), "lora.capture_threshold applies only to isolation ideal (the " + isolation +
                                             " matrix has its own same-SF threshold)");
  }
  l.capture_threshold_dB = r.quantity("capture_threshold");
  if (r.has("lock_symbols") && interference != "pairwise") {
    ctx.fail(r.get("lock_symbols"), "lora.lock_symbols applies only to interference pairwise");
  }
  l.lock_symbols = static_cast<int>(r.integer("lock_symbols"));
  return l;
}

PlacementSpec read_placement(const Context& ctx, const YAML::Node& n, const std::string& where) {
  PlacementSpec p;
  if (n.IsScalar()) {
    const std::string k = choice(ctx, n, {"uniform", "grid"}, where);
    p.kind = k == "grid" ? PlacementSpec::Kind::Grid : PlacementSpec::Kind::Uniform;
    return p;
  }
  MapReader r(ctx, n, where, {"uniform", "grid", "list"});
  if (r.node().size() != 1) ctx.fail(n, where + " takes exactly one of uniform, grid or list");
  if (r.has("uniform") || r.has("grid")) {
    const std::string k = r.has("grid") ? "grid" : "uniform";
    const YAML::Node body = r.get(k);
    if (!body.IsNull() && !(body.IsMap() && body.size() == 0)) ctx.fail(body, where + "." + k + " takes no parameters: write '" + k + ": {}'");
    p.kind = k == "grid" ? PlacementSpec::Kind::Grid : PlacementSpec::Kind::Uniform;
    return p;
  }
  const YAML::Node list = r.get("list");
  if (!list.IsSequence() || list.size() == 0) ctx.fail(list, where + ".list must be a non-empty list of [x, y] points");
  p.kind = PlacementSpec::Kind::List;
  for (std::size_t i = 0; i < list.size(); ++i) p.points_m.push_back(read_point(ctx, list[i], where + ".list[" + std::to_string(i) + "]"));
  return p;
}

LoraRadioSpec read_radio(const Context& ctx, const YAML::Node& n, const std::string& where) {
  ParamReader r(ctx, n, where, lora::parameters::kRadio);
  LoraRadioSpec s;
  [[maybe_unused]] const std::string technology = r.choice("technology");  // checked; read_group sets the group's technology
  s.spreading_factor = static_cast<int>(r.integer("spreading_factor"));
  {
    const YAML::Node b = r.value_of("bandwidth");
    const double hz = quantity(ctx, b, Dimension::Frequency, where + ".bandwidth");
    if (hz != 125e3 && hz != 250e3 && hz != 500e3) ctx.fail(b, where + ".bandwidth must be 125 kHz, 250 kHz or 500 kHz, got '" + b.Scalar() + "'");
    s.bandwidth_hz = static_cast<std::uint32_t>(hz);
  }
  s.coding_rate = r.choice("coding_rate")[2] - '4';
  s.explicit_header = r.choice("header") == "explicit";
  s.crc = r.boolean("crc");
  const std::string ldro = r.choice("low_data_rate_optimize");
  s.low_data_rate_optimize = ldro == "on" ? lora::LowDataRateOptimize::On : ldro == "off" ? lora::LowDataRateOptimize::Off
                                                                                     : lora::LowDataRateOptimize::Auto;
  s.preamble_symbols = static_cast<int>(r.integer("preamble"));
  // Checked against the chip's current table once the hardware is known (read_group).
  s.tx_power_dBm = quantity(ctx, r.value_of("tx_power"), Dimension::Power, where + ".tx_power");
  if (r.has("frequency")) {
    s.frequency_hz = static_cast<std::uint64_t>(std::llround(r.quantity("frequency")));
    s.fixed_frequency = true;
  }
  s.antenna_gain_dBi = r.quantity("antenna_gain");
  s.receive_windows = r.boolean("receive_windows");
  s.rx_window_symbols = static_cast<int>(r.integer("rx_window_symbols"));
  if (r.has("data_rate")) {
    for (const char* k : {"spreading_factor", "bandwidth"}) {
      if (r.has(k)) ctx.fail(r.get(k), where + "." + k + " is set by data_rate; give either data_rate or spreading_factor and bandwidth");
    }
    s.data_rate = static_cast<int>(r.integer("data_rate"));
  }
  s.confirmed = r.boolean("confirmed");
  // Default attempts: 1 unconfirmed (NbTrans = 1), 8 confirmed (our choice,
  // the common stack default; docs/models/lorawan.md).
  s.max_transmissions = s.confirmed ? 8 : 1;
  if (r.has("max_transmissions")) s.max_transmissions = static_cast<int>(r.integer("max_transmissions"));
  s.adr = r.boolean("adr");
  s.duty_cycle = r.boolean("duty_cycle");
  s.otaa = r.choice("join") == "otaa";
  s.device_class = r.choice("class")[0];
  if (r.has("ping_slot_periodicity") && s.device_class != 'B') {
    ctx.fail(r.get("ping_slot_periodicity"), where + ".ping_slot_periodicity applies only to class B");
  }
  s.ping_slot_periodicity = static_cast<int>(r.integer("ping_slot_periodicity"));
  if (s.otaa && !s.receive_windows) {
    ctx.fail(r.get("join"), where + ".join otaa needs receive windows (the Join-accept comes in them); drop receive_windows: false");
  }
  return s;
}

/// Checks a group's radio against the region: data rate, channels, payload,
/// dwell time; fills the data rate, or SF and bandwidth from it, and the carrier.
void resolve_radio_in_region(const Context& ctx, const YAML::Node& radio_node, LoraRadioSpec& s, std::uint32_t payload_bytes,
                             const lora::Region& region, const std::string& where) {
  const YAML::Node& n = radio_node;
  if (s.data_rate >= 0) {
    const lora::DataRate* dr = region.data_rate(s.data_rate);
    if (dr == nullptr) {
      std::string valid;
      for (const auto& d : region.data_rates) valid += (valid.empty() ? "" : ", ") + std::to_string(d.dr);
      ctx.fail(std::as_const(n)["data_rate"], where + ".data_rate " + std::to_string(s.data_rate) + " is not a data rate of region " +
                                                  region.name + " (valid: " + valid + ")");
    }
    if (!dr->uplink) {
      ctx.fail(std::as_const(n)["data_rate"], where + ".data_rate " + std::to_string(s.data_rate) + " cannot carry uplinks in region " +
                                                  region.name + (region.dwell_time > Time::zero() ? " (a downlink-only rate, or unusable under the dwell time)" : " (a downlink-only rate)"));
    }
    s.spreading_factor = dr->spreading_factor;
    s.bandwidth_hz = dr->bandwidth_hz;
  } else if (const lora::DataRate* dr = region.data_rate(s.spreading_factor, s.bandwidth_hz)) {
    s.data_rate = dr->dr;
  }
  if (s.adr && s.data_rate < 0) {
    ctx.fail(std::as_const(n)["adr"], where + ".adr needs a modulation that is a data rate of region " + region.name +
                                          " (SF" + std::to_string(s.spreading_factor) + " at " + std::to_string(s.bandwidth_hz / 1000) + " kHz is none)");
  }
  if (!s.fixed_frequency) {
    std::uint64_t lowest = 0;
    for (const auto& ch : region.uplink_channels) {
      if (ch.bandwidth_hz == s.bandwidth_hz && s.data_rate >= ch.min_dr && s.data_rate <= ch.max_dr && (lowest == 0 || ch.frequency_hz < lowest)) {
        lowest = ch.frequency_hz;
      }
    }
    if (lowest == 0) {
      ctx.fail(n, where + ": region " + region.name + " has no default uplink channel for SF" + std::to_string(s.spreading_factor) + " at " +
                      std::to_string(s.bandwidth_hz / 1000) + " kHz; give radio.frequency");
    }
    s.frequency_hz = lowest;
  }
  if (s.data_rate >= 0) {
    // LoRaWAN adds 13 B to the application payload (MHDR 1, FHDR 7, FPort 1, MIC 4).
    const lora::DataRate* dr = region.data_rate(s.data_rate);
    if (payload_bytes > dr->max_payload_bytes + 13) {
      ctx.fail(n, where + ": a " + std::to_string(payload_bytes) + " B PHY payload exceeds data rate " + std::to_string(s.data_rate) +
                      " of region " + region.name + " (at most " + std::to_string(dr->max_payload_bytes) + " B application payload + 13 B LoRaWAN header)");
    }
  }
  if (s.device_class == 'B' && !region.class_b.present) {
    ctx.fail(std::as_const(n)["class"], where + ".class B needs class B parameters (beacon, ping slots) in region " + region.name + "'s file");
  }
  if (region.dwell_time > Time::zero()) {
    lora::Modulation m{s.spreading_factor, s.bandwidth_hz, s.coding_rate, s.explicit_header, s.crc,
                       s.low_data_rate_optimize, s.preamble_symbols};
    const Time toa = lora::time_on_air(m, payload_bytes);
    if (toa > region.dwell_time) {
      char msg[200];
      std::snprintf(msg, sizeof msg, ": an uplink lasts %.1f ms, over the %.0f ms dwell time of region %s", toa.to_seconds() * 1e3,
                    region.dwell_time.to_seconds() * 1e3, region.name.c_str());
      ctx.fail(n, where + msg);
    }
  }
}

TrafficSpec read_traffic(const Context& ctx, const YAML::Node& n, const std::string& where) {
  ParamReader r(ctx, n, where, tables::kTraffic);
  TrafficSpec t;
  if (r.has("periodic") == r.has("poisson")) ctx.fail(n, where + " needs exactly one of 'periodic' or 'poisson'");
  if (r.has("periodic")) {
    ParamReader p(ctx, r.get("periodic"), where + ".periodic", tables::kPeriodic);
    t.kind = TrafficSpec::Kind::Periodic;
    t.interval = p.time("every");
    t.jitter = p.time("jitter");
  } else {
    ParamReader p(ctx, r.get("poisson"), where + ".poisson", tables::kPoisson);
    t.kind = TrafficSpec::Kind::Poisson;
    t.interval = p.time("mean_interval");
  }
  const double bytes = r.quantity("payload");
  if (bytes != std::floor(bytes)) ctx.fail(r.get("payload"), where + ".payload must be a whole number of bytes");
  t.payload_bytes = static_cast<std::uint32_t>(bytes);
  return t;
}

BatterySpec read_battery(const Context& ctx, const YAML::Node& n, const std::string& where) {
  ParamReader r(ctx, n, where, tables::kBattery);
  BatterySpec b;
  b.voltage_V = r.quantity("voltage");
  const YAML::Node c = r.require("capacity");
  const std::string cs = scalar(ctx, c, where + ".capacity");
  if (cs.find("Wh") != std::string::npos) {
    const double wh = quantity(ctx, c, Dimension::Energy, where + ".capacity");
    b.capacity_mAh = wh / b.voltage_V * 1000.0;  // Q = E / V
  } else {
    b.capacity_mAh = quantity(ctx, c, Dimension::Charge, where + ".capacity");
  }
  check_range(ctx, c, b.capacity_mAh, 1e-3, 1e7, where + ".capacity", "between 0.001 mAh and 10 000 Ah");
  b.usable_fraction = r.quantity("usable");
  b.self_discharge_per_year = r.quantity("self_discharge");
  return b;
}

propagation::PenetrationModel read_indoor(const Context& ctx, const YAML::Node& n, const std::string& where) {
  using Kind = propagation::PenetrationModel::Kind;
  ParamReader r(ctx, n, where, tables::kIndoor);
  propagation::PenetrationModel m;
  const std::string model = r.choice("model");
  // Which keys each model takes; any other is an error, not ignored.
  const std::vector<std::string> takes = keys_applying_to(tables::kIndoor, model);
  for (const char* k : {"penetration", "high_loss", "max_depth", "metallized_windows"}) {
    if (r.has(k) && std::find(takes.begin(), takes.end(), k) == takes.end()) {
      ctx.fail(r.get(k), where + "." + k + " does not apply to model " + model + " (it takes: " +
                             (takes.empty() ? std::string("share") : join(takes) + ", share") + ")");
    }
  }
  m.indoor_share = r.quantity("share");
  if (model == "fixed") {
    m.kind = Kind::Fixed;
    m.fixed_dB = r.quantity("penetration");
  } else if (model == "3gpp-38901" || model == "3gpp-38901-legacy") {
    m.kind = model == "3gpp-38901" ? Kind::ThreeGpp : Kind::ThreeGppLegacy;
    // No default: the share of high-loss (IRR-glass) buildings is the
    // planner's assumption (TR 38.901's calibration uses 50 %).
    if (m.kind == Kind::ThreeGpp) m.high_loss_share = r.quantity("high_loss");
    m.max_depth_m = r.quantity("max_depth");
  } else if (model == "ns3-45820") {
    m.kind = Kind::Tr45820Ns3;
  } else {
    m.kind = Kind::Car;
    m.metallized_windows = r.boolean("metallized_windows");
  }
  return m;
}

/// The 3GPP models hold over the frequencies TR 38.901 states.
void check_indoor_frequency(const Context& ctx, const YAML::Node& n, const propagation::PenetrationModel& m,
                            std::uint64_t frequency_hz, const std::string& where) {
  using Kind = propagation::PenetrationModel::Kind;
  const double f = static_cast<double>(frequency_hz);
  const char* range = nullptr;
  if (m.kind == Kind::ThreeGpp && (f < 0.5e9 || f > 100e9)) range = "0.5 GHz to 100 GHz (TR 38.901 §7.4.3)";
  if (m.kind == Kind::ThreeGppLegacy && (f < 0.5e9 || f >= 6e9)) range = "0.5 GHz to below 6 GHz (TR 38.901 Table 7.4.3-3)";
  if (m.kind == Kind::Car && (f < 0.6e9 || f > 60e9)) range = "0.6 GHz to 60 GHz (TR 38.901 §7.4.3.2)";
  if (range != nullptr) {
    char got[64];
    std::snprintf(got, sizeof got, "%g MHz", f / 1e6);
    ctx.fail(std::as_const(n)["model"], where + ".model holds for carriers of " + range + "; the group's radio.frequency is " + got +
                                            " (use model fixed with a measured penetration loss)");
  }
}

DeviceGroupSpec read_group(const Context& ctx, const YAML::Node& n, std::size_t i, const AreaSpec& area,
                           const lora::Region& region) {
  std::string where = "devices[" + std::to_string(i) + "]";
  ParamReader r(ctx, n, where, tables::kGroup);
  DeviceGroupSpec g;
  g.name = r.name("group");
  where = "devices[" + std::to_string(i) + "] (group " + g.name + ")";
  r.set_where(where);
  if (r.has("placement")) g.placement = read_placement(ctx, r.get("placement"), where + ".placement");
  if (g.placement.kind == PlacementSpec::Kind::List) {
    g.count = g.placement.points_m.size();
    if (r.has("count")) {
      const auto c = r.integer("count");
      if (static_cast<std::uint64_t>(c) != g.count) {
        ctx.fail(r.get("count"), where + ".count is " + std::to_string(c) + " but placement.list has " + std::to_string(g.count) + " points; drop count or make them agree");
      }
    }
  } else {
    g.count = static_cast<std::uint64_t>(r.integer("count"));
    if (g.placement.kind == PlacementSpec::Kind::Grid && area.shape == AreaSpec::Shape::Disc) {
      ctx.fail(r.get("placement"), where + ".placement: grid needs a rectangular area (width and height); use uniform in a disc");
    }
  }
  g.height_m = r.quantity("height");
  if (r.has("indoor")) g.indoor = read_indoor(ctx, r.get("indoor"), where + ".indoor");
  g.radio = read_radio(ctx, r.require("radio"), where + ".radio");
  g.technology = "lorawan";  // the one value read_radio accepts for radio.technology
  g.traffic = read_traffic(ctx, r.require("traffic"), where + ".traffic");
  resolve_radio_in_region(ctx, r.get("radio"), g.radio, g.traffic.payload_bytes, region, where + ".radio");
  if (r.has("downlink")) {
    g.downlink = read_traffic(ctx, r.get("downlink"), where + ".downlink");
    // It must fit the slowest downlink rate it may use: RX2 (and the ping slots).
    const lora::DataRate* rx2 = region.data_rate(region.rx2_dr);
    if (rx2 != nullptr && g.downlink->payload_bytes > rx2->max_payload_bytes) {
      const YAML::Node dl_node = r.get("downlink");
      ctx.fail(std::as_const(dl_node)["payload"], where + ".downlink.payload is " + std::to_string(g.downlink->payload_bytes) +
                                                               " B; the RX2 data rate of region " + region.name + " (DR" + std::to_string(rx2->dr) +
                                                               ") carries at most " + std::to_string(rx2->max_payload_bytes) + " B");
    }
  }
  if (r.has("indoor")) check_indoor_frequency(ctx, r.get("indoor"), g.indoor, g.radio.frequency_hz, where + ".indoor");
  g.hardware = r.has("hardware") ? read_hardware(ctx, r.get("hardware"), where + ".hardware")
                                  : HardwareSpec{std::get<energy::CurrentProfile>(builtin_hardware_profile("sx1276")), {}, {}};
  // The loader refuses to extrapolate the transmit current outside the
  // datasheet's table.
  const YAML::Node radio = r.get("radio");
  {
    const energy::CurrentProfile& profile = g.hardware.radio;
    const double lo = profile.min_tx_dBm(), hi = profile.max_tx_dBm();
    char range[128];
    std::snprintf(range, sizeof range, "%g dBm to %g dBm (the range of the %s current table)", lo, hi, profile.name.c_str());
    if (const YAML::Node p = std::as_const(radio)["tx_power"]) {
      check_range(ctx, p, g.radio.tx_power_dBm, lo, hi, where + ".radio.tx_power", range);
    } else if (!(g.radio.tx_power_dBm >= lo && g.radio.tx_power_dBm <= hi)) {
      // The default power is outside this chip's table: say so rather than
      // use the current of the table's nearest end.
      char got[32];
      std::snprintf(got, sizeof got, "%g dBm", g.radio.tx_power_dBm);
      ctx.fail(radio, where + ".radio.tx_power is not given and its default, " + got + ", is outside " + range +
                          "; give radio.tx_power");
    }
  }
  g.battery = read_battery(ctx, r.require("battery"), where + ".battery");
  return g;
}

// ---------------------------------------------------------------- --set

YAML::Node rebuild_without_marks(const YAML::Node& n) {
  if (n.IsScalar()) return YAML::Node(n.Scalar());
  if (n.IsSequence()) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& e : n) out.push_back(rebuild_without_marks(e));
    return out;
  }
  if (n.IsMap()) {
    YAML::Node out(YAML::NodeType::Map);
    for (auto it = n.begin(); it != n.end(); ++it) out[it->first.Scalar()] = rebuild_without_marks(it->second);
    return out;
  }
  return YAML::Node(YAML::NodeType::Null);
}

void apply_override(YAML::Node root, const std::string& text, Context& ctx) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw ScenarioError("--set " + text + ": expected PATH=VALUE, e.g. devices.meters.count=500");
  const std::string path = text.substr(0, eq);
  const std::string value = text.substr(eq + 1);
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);

  YAML::Node value_node;
  try {
    value_node = (value.starts_with('[') || value.starts_with('{')) ? rebuild_without_marks(YAML::Load(value)) : YAML::Node(value);
  } catch (const YAML::Exception& e) {
    throw ScenarioError("--set " + text + ": the value is not valid YAML (" + e.msg + ")");
  }

  YAML::Node cur = root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& key = parts[i];
    const bool last = i + 1 == parts.size();
    if (key.empty()) throw ScenarioError("--set " + text + ": empty path element");
    if (cur.IsSequence()) {
      // A list element by index or by its group/name.
      std::optional<std::size_t> index;
      std::vector<std::string> names;
      for (std::size_t k = 0; k < cur.size(); ++k) {
        const YAML::Node e = cur[k];
        for (const char* id : {"group", "name"}) {
          if (e.IsMap() && e[id] && e[id].IsScalar()) {
            names.push_back(e[id].Scalar());
            if (e[id].Scalar() == key) index = k;
          }
        }
      }
      if (!index) {
        std::size_t k = 0;
        const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), k);
        if (ec == std::errc() && end == key.data() + key.size() && k < cur.size()) index = k;
      }
      if (!index) {
        const std::string where = walked.empty() ? "the scenario" : walked;
        if (cur.size() == 0) throw ScenarioError("--set " + text + ": " + where + " is an empty list");
        throw ScenarioError("--set " + text + ": no element '" + key + "' in " + where + " (use an index from 0 to " +
                            std::to_string(cur.size() - 1) +
                            (names.empty() ? std::string() : " or a name: " + join(names)) + ")");
      }
      if (last) {
        cur[*index] = value_node;
      } else {
        cur.reset(cur[*index]);
      }
    } else if (cur.IsMap() || cur.IsNull()) {
      if (last) {
        cur[key] = value_node;
      } else {
        YAML::Node next = cur[key];
        if (!next) {
          cur[key] = YAML::Node(YAML::NodeType::Map);
        }
        cur.reset(cur[key]);
      }
    } else {
      throw ScenarioError("--set " + text + ": '" + walked + "' is a single value, it has no '" + key + "'");
    }
    walked += (walked.empty() ? "" : ".") + key;
  }
  ctx.set_values.push_back({value_node, text});
}

Scenario read_root(Context& ctx, YAML::Node root) {
  if (!root || root.IsNull()) throw ScenarioError(ctx.file + ":1:1: the scenario file is empty");
  ParamReader r(ctx, root, "the scenario", {&tables::kRoot, &lora::parameters::kRoot});
  Scenario s;
  s.file = ctx.file;
  s.has_sweep = r.has("sweep");
  s.name = r.name("name");
  s.seed = r.count("seed");
  s.replication = r.count("replication");
  s.duration = r.time("duration");
  s.area = read_area(ctx, r.require("area"));
  ParamReader env(ctx, r.require("environment"), "environment", tables::kEnvironment);
  s.propagation = read_propagation(ctx, env.require("propagation"));

  // Without a lora section, every key takes its declared default.
  s.lora = read_lora(ctx, r.has("lora") ? r.get("lora") : YAML::Node(YAML::NodeType::Map));
  const YAML::Node gws = r.require("gateways");
  if (!gws.IsSequence() || gws.size() == 0) ctx.fail(gws, "gateways must be a non-empty list");
  for (std::size_t i = 0; i < gws.size(); ++i) {
    s.gateways.push_back(read_gateway(ctx, gws[i], i));
    for (std::size_t j = 0; j < i; ++j)
      if (s.gateways[j].name == s.gateways[i].name) ctx.fail(gws[i]["name"], "gateway name '" + s.gateways[i].name + "' is used twice");
  }
  const YAML::Node devs = r.require("devices");
  if (!devs.IsSequence() || devs.size() == 0) ctx.fail(devs, "devices must be a non-empty list of device groups");
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < devs.size(); ++i) {
    s.groups.push_back(read_group(ctx, devs[i], i, s.area, s.lora.region));
    for (std::size_t j = 0; j < i; ++j)
      if (s.groups[j].name == s.groups[i].name) ctx.fail(devs[i]["group"], "device group '" + s.groups[i].name + "' is used twice");
    total += s.groups.back().count;
  }
  if (total > 10'000'000) ctx.fail(devs, "at most 10 000 000 devices in all, got " + std::to_string(total));
  if (r.has("outputs")) {
    ParamReader o(ctx, r.get("outputs"), "outputs", tables::kOutputs);
    if (o.has("coverage_map")) {
      ParamReader c(ctx, o.get("coverage_map"), "outputs.coverage_map", tables::kCoverageMap);
      CoverageMapSpec m;
      m.resolution_m = c.quantity("resolution");
      const double w = s.area.shape == AreaSpec::Shape::Disc ? 2 * s.area.radius_m : s.area.width_m;
      const double h = s.area.shape == AreaSpec::Shape::Disc ? 2 * s.area.radius_m : s.area.height_m;
      const double pixels = std::ceil(w / m.resolution_m) * std::ceil(h / m.resolution_m);
      if (pixels > 4e6) {
        ctx.fail(c.get("resolution"), "outputs.coverage_map.resolution gives " + std::to_string(static_cast<long long>(pixels)) +
                                          " pixels over the area; at most 4 000 000 (choose a coarser resolution)");
      }
      m.group = s.groups.front().name;
      if (c.has("group")) {
        std::vector<std::string> names;
        for (const auto& g : s.groups) names.push_back(g.name);
        m.group = choice(ctx, c.get("group"), names, "outputs.coverage_map.group");
      }
      s.outputs.coverage_map = m;
    }
    if (o.has("directory")) {
      s.outputs.directory = scalar(ctx, o.get("directory"), "outputs.directory");
      if (s.outputs.directory->empty()) ctx.fail(o.get("directory"), "outputs.directory must not be empty");
    }
  }
  return s;
}

Scenario load(const std::string& text, const std::string& file, const std::vector<std::string>& overrides) {
  Context ctx;
  ctx.file = file;
  YAML::Node root = parse_yaml(text, file);
  if (root && !root.IsNull() && !root.IsMap()) ctx.fail(root, "the scenario must be a map of keys (name, duration, area, ...)");
  for (const auto& o : overrides) {
    if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    apply_override(root, o, ctx);
  }
  try {
    return read_root(ctx, root);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on malformed access we did not anticipate; never crash.
    throw ScenarioError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

/// "1.5 km" → (1.5, " km"); "100" → (100, "").
bool split_number(const std::string& text, double& value, std::string& unit) {
  const char* b = text.c_str();
  char* end = nullptr;
  value = std::strtod(b, &end);
  if (end == b) return false;
  unit = std::string(end);
  return true;
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

}  // namespace

Sweep load_sweep_file(const std::string& path, const std::vector<std::string>& overrides) {
  Sweep sw;
  sw.file = path;
  sw.text = read_text_file(path, "scenario file");
  sw.base_sets = overrides;
  // The base scenario must be valid on its own (with the command line's --set).
  const Scenario base = load(sw.text, path, overrides);
  sw.name = base.name;
  sw.base_seed = base.seed;
  Context ctx;
  ctx.file = path;
  const YAML::Node root = YAML::Load(sw.text);
  const YAML::Node sweep_node = std::as_const(root)["sweep"];
  if (!sweep_node) throw ScenarioError(path + ":1:1: no sweep: section (add one: sweep: { replications: 3, parameters: { devices.meters.count: [100, 200] } })");
  MapReader r(ctx, sweep_node, "sweep", {"replications", "parameters"});
  if (r.has("replications")) sw.replications = static_cast<std::uint64_t>(integer(ctx, r.get("replications"), 1, 100000, "sweep.replications"));
  const YAML::Node params = r.require("parameters");
  if (!params.IsMap() || params.size() == 0) ctx.fail(params, "sweep.parameters must be a map of PATH: [values] or PATH: { from, to, step }");
  std::vector<std::vector<std::pair<std::string, YAML::Node>>> values;  // [parameter] → (text, node)
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string key = scalar(ctx, it->first, "a sweep parameter path");
    const YAML::Node v = it->second;
    std::vector<std::pair<std::string, YAML::Node>> list;
    if (v.IsSequence()) {
      if (v.size() == 0) ctx.fail(v, "sweep parameter '" + key + "' has no values");
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].IsScalar()) ctx.fail(v[i], "sweep parameter '" + key + "': each value must be a single value");
        list.emplace_back(v[i].Scalar(), v[i]);
      }
    } else if (v.IsMap()) {
      MapReader range(ctx, v, "sweep parameter '" + key + "'", {"from", "to", "step"});
      double from = 0, to = 0, step = 0;
      std::string uf, ut, us;
      const YAML::Node nf = range.require("from"), nt = range.require("to"), ns = range.require("step");
      if (!split_number(scalar(ctx, nf, "from"), from, uf)) ctx.fail(nf, "sweep range 'from' must be a number, with its unit if it has one");
      if (!split_number(scalar(ctx, nt, "to"), to, ut)) ctx.fail(nt, "sweep range 'to' must be a number, with its unit if it has one");
      if (!split_number(scalar(ctx, ns, "step"), step, us)) ctx.fail(ns, "sweep range 'step' must be a number, with its unit if it has one");
      if (ut != uf || us != uf) ctx.fail(v, "sweep range of '" + key + "': from, to and step must have the same unit");
      if (!std::isfinite(from) || !std::isfinite(to) || !std::isfinite(step) || !(step > 0) || to < from) {
        ctx.fail(ns, "sweep range of '" + key + "': needs finite numbers, step > 0 and to >= from");
      }
      const double n = std::floor((to - from) / step + 1e-9);
      if (n + 1 > 100000) ctx.fail(ns, "sweep range of '" + key + "' has more than 100 000 values");
      for (int i = 0; i <= static_cast<int>(n); ++i) list.emplace_back(format_number(from + i * step) + uf, nf);
    } else {
      ctx.fail(v, "sweep parameter '" + key + "' must be a list of values or { from, to, step }");
    }
    sw.parameters.push_back(key);
    values.push_back(std::move(list));
  }
  // Every value of every parameter must be valid on its own, reported at its place in the file.
  for (std::size_t p = 0; p < values.size(); ++p) {
    for (const auto& [text, node] : values[p]) {
      std::vector<std::string> sets = overrides;
      sets.push_back(sw.parameters[p] + "=" + text);
      try {
        load(sw.text, path, sets);
      } catch (const ScenarioError& e) {
        std::string msg = e.what();
        const std::string prefix = "--set " + sets.back() + ": ";
        const auto at = msg.find(prefix);
        if (at != std::string::npos) msg = msg.substr(at + prefix.size());
        ctx.fail(node, "sweep parameter '" + sw.parameters[p] + "' = '" + text + "': " + msg);
      }
    }
  }
  // The grid, last parameter fastest; and every point as a whole (values
  // valid alone may clash together).
  std::size_t total = 1;
  for (const auto& v : values) {
    total *= v.size();
    if (total > 1'000'000) ctx.fail(params, "the sweep grid has more than 1 000 000 points");
  }
  for (std::size_t i = 0; i < total; ++i) {
    std::vector<std::string> point(values.size());
    std::size_t rest = i;
    for (std::size_t p = values.size(); p-- > 0;) {
      point[p] = values[p][rest % values[p].size()].first;
      rest /= values[p].size();
    }
    sw.points.push_back(point);
  }
  std::set<std::string> referenced;
  for (std::size_t i = 0; i < sw.points.size(); ++i) {
    try {
      const Scenario s = load(sw.text, path, sw.sets_of(i));
      // Files given by path (built-in ones live under data/ and come with m2msim).
      auto note_file = [&](const std::string& f) {
        if (f.empty() || f.rfind("data/", 0) == 0 || referenced.count(f)) return;
        referenced.insert(f);
        sw.referenced_files += "\n== " + f + "\n" + read_text_file(f, "referenced file");
      };
      note_file(s.lora.region.file);
      for (const auto& g : s.groups) {
        note_file(g.hardware.radio.file);
        if (g.hardware.mcu) note_file(g.hardware.mcu->file);
      }
      double uplinks = 0.0;
      for (const auto& g : s.groups) {
        uplinks += static_cast<double>(g.count) * s.duration.to_seconds() / std::max(g.traffic.interval.to_seconds(), 1e-9);
      }
      sw.cost.push_back(uplinks);
    } catch (const ScenarioError& e) {
      ctx.fail(params, "sweep point " + std::to_string(i) + " is not a valid scenario: " + e.what());
    }
  }
  return sw;
}

Scenario load_scenario_text(const std::string& text, const std::string& file_name, const std::vector<std::string>& overrides) {
  return load(text, file_name, overrides);
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
  return load(read_text_file(path, "scenario file"), path, overrides);
}

HardwareProfile load_hardware_profile_text(const std::string& text, const std::string& file_name) {
  return parse_hardware_profile(text, file_name);
}

HardwareProfile load_hardware_profile_file(const std::string& path) {
  return parse_hardware_profile(read_text_file(path, "hardware profile"), path);
}

namespace {
/// Parses each built-in data file once per process: a sweep loads its
/// scenario once per run, and parsing the built-in region and chip files
/// (YAML, a few hundred lines) took about a quarter of a run of a few
/// milliseconds (perf). The embedded texts never change, so the parsed
/// value is the same every time; callers get copies.
template <class T, class Files, class Parse>
T parsed_builtin(const std::string& name, const Files& files, Parse parse, const char* what) {
  static std::mutex mu;
  static std::map<std::string, T, std::less<>> cache;
  {
    std::lock_guard lock(mu);
    if (const auto it = cache.find(name); it != cache.end()) return it->second;
  }
  for (const auto& f : files) {
    if (name == f.name) {
      T value = parse(f.text, f.path);  // outside the lock: errors propagate, nothing is cached
      std::lock_guard lock(mu);
      return cache.emplace(name, std::move(value)).first->second;
    }
  }
  throw ScenarioError(std::string("no built-in ") + what + " '" + name + "'");
}
}  // namespace

HardwareProfile builtin_hardware_profile(const std::string& name) {
  return parsed_builtin<HardwareProfile>(name, builtin_hardware_files(), parse_hardware_profile, "hardware profile");
}

lora::Region load_region_text(const std::string& text, const std::string& file_name) { return parse_region(text, file_name); }

lora::Region builtin_region(const std::string& name) {
  return parsed_builtin<lora::Region>(name, builtin_region_files(), parse_region, "region");
}

std::vector<std::string> builtin_region_names() {
  std::vector<std::string> names;
  for (const auto& f : builtin_region_files()) names.emplace_back(f.name);
  return names;
}

std::vector<std::string> builtin_hardware_names() {
  std::vector<std::string> names;
  for (const auto& f : builtin_hardware_files()) names.emplace_back(f.name);
  return names;
}

}  // namespace m2msim::scenario
