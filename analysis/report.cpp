#include "analysis/report.hpp"

#include "analysis/coverage_map.hpp"
#include "results/json.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace m2msim::analysis {

using results::json_string;

namespace {

std::string num(double v, int precision = 6) {
  if (std::isnan(v)) return "null";
  if (std::isinf(v)) return v > 0 ? "1e308" : "-1e308";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, v);
  return buf;
}

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return "inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string json_list(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + json_string(v[i]);
  return s + "]";
}

void write_group_json(const results::RunRecord& r, const results::GroupSummary& g, std::ostream& out,
                      const std::string& indent) {
  out << indent << "\"devices\": " << g.devices << ",\n";
  out << indent << "\"coverage_ratio\": " << num(g.coverage_ratio) << ",\n";
  out << indent << "\"coverage_probability\": " << num(g.coverage_probability) << ",\n";
  out << indent << "\"packets_generated\": " << g.generated << ",\n";
  out << indent << "\"packets_sent\": " << g.sent << ",\n";
  out << indent << "\"packets_delivered\": " << g.delivered << ",\n";
  out << indent << "\"delivery_ratio\": " << num(g.delivery_ratio) << ",\n";
  out << indent << "\"latency_s\": {\"p50\": " << num(g.latency_p50_s) << ", \"p95\": " << num(g.latency_p95_s)
      << ", \"p99\": " << num(g.latency_p99_s) << "},\n";
  out << indent << "\"battery_life_years\": {\"p5\": " << num(g.battery_p5_years)
      << ", \"median\": " << num(g.battery_median_years) << ", \"p95\": " << num(g.battery_p95_years) << "},\n";
  out << indent << "\"battery\": {\"at_shelf_life\": " << g.battery_at_shelf_life << ", \"mean_charge_mAh\": {";
  for (std::size_t p = 0; p < results::kChargeParts.size(); ++p) {
    out << (p ? ", " : "") << json_string(std::string(results::kChargeParts[p])) << ": " << num(g.mean_part_mAh[p], 9);
  }
  out << "},\n"
      << indent << "  \"includes\": " << json_list(g.battery_includes) << ",\n"
      << indent << "  \"warnings\": " << json_list(g.battery_warnings) << "},\n";
  out << indent << "\"downlinks\": {\"generated\": " << g.downlinks_generated
      << ", \"delivered\": " << g.downlinks_delivered << ", \"delivery_ratio\": " << num(g.downlink_delivery_ratio)
      << ", \"latency_s\": {\"p50\": " << num(g.downlink_latency_p50_s)
      << ", \"p95\": " << num(g.downlink_latency_p95_s) << "}},\n";
  if (!g.shares.empty()) {
    out << indent << "\"shares\": {";
    for (std::size_t i = 0; i < g.shares.size(); ++i)
      out << (i ? ", " : "") << json_string(g.shares[i].first) << ": " << num(g.shares[i].second);
    out << "},\n";
  }
  out << indent << "\"fates\": {";
  for (std::size_t i = 0; i < r.fate_names.size(); ++i) {
    out << (i ? ", " : "") << json_string(r.fate_names[i]) << ": " << g.fates[i];
  }
  out << "}\n";
}

}  // namespace

void print_summary_table(const results::RunRecord& r, std::ostream& out) {
  out << "scenario " << r.scenario_name << " (" << r.scenario_file << "), seed " << r.seed << ", replication "
      << r.replication << ", simulated " << fixed(r.duration_s / 3600.0, 2) << " h, " << r.events << " events\n\n";
  std::vector<const results::GroupSummary*> rows;
  for (const auto& g : r.groups) rows.push_back(&g);
  if (r.groups.size() > 1) rows.push_back(&r.total);

  auto line = [&](const std::string& label, auto value_of) {
    out << std::left << std::setw(30) << label;
    for (const auto* g : rows) {
      const std::string v = value_of(*g);
      // A value as wide as the column still gets a space before it.
      out << std::right << (v.size() >= 14 ? " " : "") << std::setw(14) << v;
    }
    out << "\n";
  };
  line("", [](const results::GroupSummary& g) { return g.name; });
  line("devices", [](const results::GroupSummary& g) { return std::to_string(g.devices); });
  line("covered (%)", [](const results::GroupSummary& g) { return fixed(100.0 * g.coverage_ratio, 1); });
  line("coverage probability (%)",
       [](const results::GroupSummary& g) { return fixed(100.0 * g.coverage_probability, 1); });
  line("packets generated", [](const results::GroupSummary& g) { return std::to_string(g.generated); });
  line("packets sent", [](const results::GroupSummary& g) { return std::to_string(g.sent); });
  line("packets delivered", [](const results::GroupSummary& g) { return std::to_string(g.delivered); });
  line("delivery ratio (%)", [](const results::GroupSummary& g) { return fixed(100.0 * g.delivery_ratio, 2); });
  line("latency p50 (ms)", [](const results::GroupSummary& g) { return fixed(1e3 * g.latency_p50_s, 1); });
  line("latency p95 (ms)", [](const results::GroupSummary& g) { return fixed(1e3 * g.latency_p95_s, 1); });
  line("latency p99 (ms)", [](const results::GroupSummary& g) { return fixed(1e3 * g.latency_p99_s, 1); });
  line("battery life p5 (years)", [](const results::GroupSummary& g) { return fixed(g.battery_p5_years, 2); });
  line("battery life median (years)", [](const results::GroupSummary& g) { return fixed(g.battery_median_years, 2); });
  if (r.total.downlinks_generated > 0) {
    line("downlinks generated", [](const results::GroupSummary& g) { return std::to_string(g.downlinks_generated); });
    line("downlinks delivered (%)",
         [](const results::GroupSummary& g) { return fixed(100.0 * g.downlink_delivery_ratio, 2); });
    line("downlink latency p50 (s)", [](const results::GroupSummary& g) { return fixed(g.downlink_latency_p50_s, 2); });
    line("downlink latency p95 (s)", [](const results::GroupSummary& g) { return fixed(g.downlink_latency_p95_s, 2); });
  }
  for (std::size_t i = 0; i < r.total.shares.size(); ++i) {
    line(r.total.shares[i].first + " (%)", [i](const results::GroupSummary& g) {
      return i < g.shares.size() && !std::isnan(g.shares[i].second) ? fixed(100.0 * g.shares[i].second, 1)
                                                                    : std::string("-");
    });
  }
  for (std::size_t i = 0; i < r.fate_names.size(); ++i) {
    line("fate: " + r.fate_names[i], [i](const results::GroupSummary& g) { return std::to_string(g.fates[i]); });
  }
  // What each group's battery life includes, and what a planner must know.
  for (const auto& g : r.groups) {
    out << "\nbattery life of " << g.name << " includes: ";
    for (std::size_t i = 0; i < g.battery_includes.size(); ++i) out << (i ? "; " : "") << g.battery_includes[i];
    out << "\n";
    for (const auto& w : g.battery_warnings) out << "  warning: " << w << "\n";
  }
}

void write_summary_json(const results::RunRecord& r, std::ostream& out) {
  out << "{\n";
  out << "  \"m2msim_summary_version\": 1,\n";
  out << "  \"scenario\": " << json_string(r.scenario_name) << ",\n";
  out << "  \"scenario_file\": " << json_string(r.scenario_file) << ",\n";
  out << "  \"seed\": " << r.seed << ",\n";
  out << "  \"replication\": " << r.replication << ",\n";
  out << "  \"duration_s\": " << num(r.duration_s, 15) << ",\n";
  out << "  \"events\": " << r.events << ",\n";
  out << "  \"all\": {\n";
  write_group_json(r, r.total, out, "    ");
  out << "  },\n";
  out << "  \"groups\": {\n";
  for (std::size_t i = 0; i < r.groups.size(); ++i) {
    out << "    " << json_string(r.groups[i].name) << ": {\n";
    write_group_json(r, r.groups[i], out, "      ");
    out << "    }" << (i + 1 < r.groups.size() ? "," : "") << "\n";
  }
  out << "  }\n}\n";
}

void write_devices_csv(const results::RunRecord& r, std::ostream& out) {
  out << "id,group,x_m,y_m";
  for (const auto& c : r.technology_columns) out << ',' << c.name;
  out << ",best_gateway,best_rx_dBm,best_path_loss_dB,penetration_dB,best_snr_dB,best_margin_dB,covered,"
         "coverage_probability,generated,sent,transmissions,delivered";
  for (const auto& f : r.fate_names) out << ",fate_" << f;
  out << ",join_attempts,joined_at_s,downlinks_generated,downlinks_delivered,charge_mAh";
  for (const auto part : results::kChargeParts) {
    out << (part == "self_discharge" ? "," : ",charge_") << part << "_mAh";
  }
  out << ",average_current_mA,peak_current_mA,sleep_current_mA,battery_life_years,battery_life_bound,over_pulse_rating,"
         "battery_empty\n";
  for (const auto& d : r.devices) {
    out << d.id << ',' << csv_field(d.group) << ',' << fixed(d.x_m, 2) << ',' << fixed(d.y_m, 2) << ',';
    for (std::size_t c = 0; c < r.technology_columns.size(); ++c) {
      const double v = r.technology_values[d.id * r.technology_columns.size() + c];
      if (!std::isnan(v)) {
        const int decimals = r.technology_columns[c].decimals;
        if (decimals == 0) {
          out << static_cast<long long>(v);
        } else {
          out << fixed(v, decimals);
        }
      }
      out << ',';
    }
    out << csv_field(d.best_gateway) << ',' << fixed(d.best_rx_dBm, 2) << ',' << fixed(d.best_path_loss_dB, 2) << ','
        << fixed(d.penetration_dB, 2) << ',' << fixed(d.best_snr_dB, 2) << ',' << fixed(d.best_margin_dB, 2) << ','
        << (d.covered ? "true" : "false") << ',' << num(d.coverage_probability, 6) << ',' << d.generated << ','
        << d.sent << ',' << d.transmissions << ',' << d.delivered;
    for (auto c : d.fates) out << ',' << c;
    out << ',' << d.join_attempts << ',' << fixed(d.joined_at_s, 3) << ',' << d.downlinks_generated << ','
        << d.downlinks_delivered << ',' << num(d.charge_mAh, 9);
    for (double q : d.part_mAh) out << ',' << num(q, 9);
    out << ',' << num(d.average_current_mA, 9) << ',' << num(d.peak_current_mA, 6) << ',' << num(d.sleep_current_mA, 6)
        << ',' << num(d.battery_life_years, 6) << ',' << d.battery_life_bound << ','
        << (d.over_pulse_rating ? "true" : "false") << ',' << (d.battery_empty ? "true" : "false") << '\n';
  }
}

void write_gateways_csv(const results::RunRecord& r, std::ostream& out) {
  out << "gateway,technology,x_m,y_m";
  for (const auto& c : r.site_columns) out << ',' << c.name;
  out << '\n';
  const std::size_t columns = r.site_columns.size();
  for (std::size_t g = 0; g < r.sites.size(); ++g) {
    const auto& site = r.sites[g];
    out << csv_field(site.name) << ',' << csv_field(site.technology) << ',' << fixed(site.x_m, 2) << ','
        << fixed(site.y_m, 2);
    for (std::size_t c = 0; c < columns; ++c) {
      out << ',';
      const double v = r.site_values[g * columns + c];
      if (std::isnan(v)) continue;
      if (r.site_columns[c].decimals == 0) {
        out << static_cast<long long>(v);
      } else {
        out << fixed(v, r.site_columns[c].decimals);
      }
    }
    out << '\n';
  }
}

void write_state_of_charge_csv(const results::RunRecord& r, std::ostream& out) {
  out << "time_h,id,group,drawn_mAh,self_discharge_mAh,state_of_charge_percent\n";
  for (const auto& c : r.state_of_charge) {
    out << fixed(c.time_s / 3600.0, 4) << ',' << c.device << ',' << csv_field(r.devices[c.device].group) << ','
        << num(c.drawn_mAh, 9) << ',' << num(c.self_discharged_mAh, 9) << ',' << num(100.0 * c.state_of_charge, 9)
        << '\n';
  }
}

void write_results(const results::RunRecord& r, const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) throw std::runtime_error(directory + ": cannot create the results folder: " + ec.message());
  auto write = [&](const std::string& name, auto&& fn) {
    const std::string path = (std::filesystem::path(directory) / name).string();
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error(path + ": cannot write");
    fn(f);
    f.close();
    if (!f) throw std::runtime_error(path + ": write failed");
  };
  write("summary.json", [&](std::ostream& o) { write_summary_json(r, o); });
  write("devices.csv", [&](std::ostream& o) { write_devices_csv(r, o); });
  write("gateways.csv", [&](std::ostream& o) { write_gateways_csv(r, o); });
  if (!r.state_of_charge.empty()) {
    write("state_of_charge.csv", [&](std::ostream& o) { write_state_of_charge_csv(r, o); });
  }
  if (r.coverage_map) {
    write("coverage.csv", [&](std::ostream& o) { write_coverage_csv(*r.coverage_map, o); });
    write_coverage_png(*r.coverage_map, (std::filesystem::path(directory) / "coverage.png").string());
    write_coverage_svg(*r.coverage_map, (std::filesystem::path(directory) / "coverage.svg").string());
  }
}

}  // namespace m2msim::analysis
