#include "analysis/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "analysis/coverage_map.hpp"
#include "analysis/plots.hpp"
#include "analysis/report.hpp"
#include "analysis/results_store.hpp"

namespace m2msim::analysis {

namespace fs = std::filesystem;

namespace {

std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(in[i + 2]));
    out += t[(n >> 18) & 63], out += t[(n >> 12) & 63], out += t[(n >> 6) & 63], out += t[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
    out += t[(n >> 18) & 63], out += t[(n >> 12) & 63];
    out += i + 1 < in.size() ? t[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string image(const fs::path& png, const std::string& caption) {
  if (!fs::exists(png)) return "";
  return "<figure><img alt=\"" + escape(caption) + "\" src=\"data:image/png;base64," + base64(slurp(png)) +
         "\"><figcaption>" + escape(caption) + "</figcaption></figure>\n";
}

// The page: inline styles; a script that, once the page has loaded, records
// how many of its images decoded (a check a headless browser can read).
std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) +
         "</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;"
         "margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}th:first-child,td:first-child"
         "{text-align:left}img{max-width:100%;border:1px solid #ddd}pre{background:#f6f6f6;padding:1em;overflow:auto}"
         "figure{margin:1em 0}</style></head>\n<body>\n<h1>" +
         escape(title) + "</h1>\n" + body +
         "<script>window.addEventListener('load',function(){var i=document.images,n=0;for(var k=0;k<i.length;k++)"
         "if(i[k].complete&&i[k].naturalWidth>0)n++;document.body.setAttribute('data-images-loaded',n+'/'+i.length);"
         "});</script>\n</body></html>\n";
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw std::runtime_error(p.string() + ": cannot write");
}

/// The leading number of a parameter value ("1.5 km" → 1.5), or NaN.
double leading_number(const std::string& v) {
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  return end == v.c_str() ? std::nan("") : x;
}

/// The unit after a parameter value's leading number ("1.5 km" → "km"; "7" → "").
std::string unit_after_number(const std::string& v) {
  char* end = nullptr;
  (void)std::strtod(v.c_str(), &end);
  std::string u(end);
  const auto first = u.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : u.substr(first, u.find_last_not_of(' ') - first + 1);
}

}  // namespace

std::string write_run_report(const results::RunRecord& r, const std::string& scenario_text,
                             const std::string& directory) {
  const fs::path dir(directory);
  fs::create_directories(dir);
  std::vector<CdfSeries> latency, battery;
  for (std::size_t g = 0; g < r.groups.size(); ++g) {
    if (g < r.latency_samples_s.size() && !r.latency_samples_s[g].empty())
      latency.push_back({r.groups[g].name, r.latency_samples_s[g]});
    CdfSeries b{r.groups[g].name, {}};
    std::size_t never = 0, of = 0;
    for (const auto& d : r.devices) {
      if (d.group != r.groups[g].name) continue;
      ++of;
      if (d.battery_life_bound != "energy_neutral" && std::isfinite(d.battery_life_years))
        b.sorted.push_back(d.battery_life_years);
      else
        ++never;
    }
    // Lives without end (a harvest above the drain) have no place on the axis: say so.
    if (never > 0) b.label += " (" + std::to_string(never) + " of " + std::to_string(of) + " never run out: not drawn)";
    std::sort(b.sorted.begin(), b.sorted.end());
    battery.push_back(std::move(b));
  }
  write_cdf_plot((dir / "latency_cdf").string(), "Uplink latency of delivered packets", "latency (s)", latency, true);
  write_cdf_plot((dir / "battery_life").string(), "Battery life of the devices", "battery life (years)", battery, true);
  // Where each group's charge goes: the mean device's current by part, in uA
  // (charge over the time the device ran: the window, or until its battery
  // was empty), self-discharge included.
  std::vector<std::string> names, parts;
  std::vector<std::vector<double>> currents;
  for (const auto p : results::kChargeParts) parts.emplace_back(p);
  for (const auto& g : r.groups) {
    names.push_back(g.name);
    auto& row = currents.emplace_back();
    for (double i : g.mean_part_mA) row.push_back(i * 1e3);
  }
  write_stacked_bar_plot((dir / "energy_breakdown").string(), "Where the battery's charge goes (mean device)",
                         "mean current (uA)", names, parts, currents);

  std::ostringstream table;
  print_summary_table(r, table);
  std::ostringstream body;
  body << "<p>Scenario <code>" << escape(r.scenario_file) << "</code>, seed " << r.seed << ", replication "
       << r.replication << ", simulated " << r.duration_s / 3600.0 << " h, " << r.events << " events.</p>\n";
  // The summary table, as an HTML table (rows of the text table).
  body << "<h2>Summary</h2>\n<table>\n";
  std::istringstream lines(table.str());
  std::string line;
  int row = 0;
  while (std::getline(lines, line)) {
    if (line.empty() && row > 0) break;  // the notes after the table are listed below
    if (line.size() < 30 || line.rfind("scenario ", 0) == 0) continue;
    const std::string label = line.substr(0, 30);
    std::istringstream cells(line.substr(30));
    std::string c;
    body << "<tr><" << (row == 0 ? "th" : "td") << ">" << escape(label.substr(0, label.find_last_not_of(' ') + 1))
         << "</" << (row == 0 ? "th" : "td") << ">";
    while (cells >> c)
      body << "<" << (row == 0 ? "th" : "td") << ">" << escape(c) << "</" << (row == 0 ? "th" : "td") << ">";
    body << "</tr>\n";
    ++row;
  }
  body << "</table>\n<h2>Plots</h2>\n";
  body << image(dir / "latency_cdf.png", "Uplink latency (CDF over delivered packets, per group)");
  body << image(dir / "battery_life.png", "Battery life (CDF over devices, per group)");
  body << image(dir / "energy_breakdown.png",
                "Energy breakdown: the mean device's current by part (uA), per group; self-discharge is the "
                "battery's own loss");
  // What each group's battery life includes, and the warnings.
  body << "<h2>Battery life: what it includes</h2>\n";
  for (const auto& g : r.groups) {
    body << "<h3>" << escape(g.name) << "</h3>\n<ul>\n";
    for (const auto& i : g.battery_includes) body << "<li>" << escape(i) << "</li>\n";
    body << "</ul>\n";
    for (const auto& w : g.battery_warnings) body << "<p><strong>Warning:</strong> " << escape(w) << "</p>\n";
  }
  body << image(dir / "coverage.png", "Coverage map: best margin above sensitivity (dB)");
  body << "<h2>Scenario</h2>\n<pre>" << escape(scenario_text) << "</pre>\n";
  const fs::path out = dir / "report.html";
  write_file(out, page("m2msim report: " + r.scenario_name, body.str()));
  return out.string();
}

bool write_sweep_plot(const ResultsStore& store, const std::string& metric, const std::string& x_parameter,
                      const std::string& group, const std::string& stem) {
  const auto params = store.parameters();
  const auto points = store.points();
  std::size_t xi = 0;
  while (xi < params.size() && params[xi] != x_parameter) ++xi;
  if (xi == params.size()) throw StoreError("no swept parameter '" + x_parameter + "' in this database");
  const auto values = store.values(group, metric);
  // x: the value's leading number; if any value has none (a model name,
  // say), every value's position in the sweep's list instead.
  bool numeric = true;
  std::map<std::string, double> position;
  for (const auto& point : points) {
    numeric = numeric && std::isfinite(leading_number(point[xi]));
    position.emplace(point[xi], static_cast<double>(position.size()));
  }
  // The x axis's unit: the text after every value's number, when they share one.
  std::string unit;
  bool one_unit = numeric;
  for (std::size_t p = 0; p < points.size() && one_unit; ++p) {
    const std::string u = unit_after_number(points[p][xi]);
    if (p == 0) unit = u;
    one_unit = u == unit;
  }
  const std::string x_label = !numeric                    ? x_parameter + " (position in the sweep's list)"
                              : one_unit && !unit.empty() ? x_parameter + " (" + unit + ")"
                                                          : x_parameter;
  // The other parameters name the curves, by the last part of their path
  // when that is unique among them (every, payload), else by the whole path.
  std::vector<std::string> short_name(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    short_name[i] = params[i].substr(params[i].rfind('.') + 1);
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i == xi) continue;
    for (std::size_t j = 0; j < params.size(); ++j)
      if (j != i && j != xi && short_name[j] == short_name[i]) short_name[i] = params[i];
  }
  // One curve per combination of the other parameters.
  std::map<std::string, CurveSeries> curves;
  for (std::uint64_t p = 0; p < points.size(); ++p) {
    std::string key;
    for (std::size_t i = 0; i < params.size(); ++i)
      if (i != xi) key += (key.empty() ? "" : ", ") + short_name[i] + " = " + points[p][i];
    auto& c = curves[key];
    c.label = key.empty() ? metric : key;
    const auto it = values.find(p);
    const auto ci = mean_ci95(it == values.end() ? std::vector<double>{} : it->second);
    c.x.push_back(numeric ? leading_number(points[p][xi]) : position[points[p][xi]]);
    c.mean.push_back(ci.mean);
    c.low.push_back(ci95_low(metric, ci));
    c.high.push_back(ci95_high(metric, ci));
  }
  std::vector<CurveSeries> series;
  for (auto& [k, c] : curves) series.push_back(std::move(c));
  std::filesystem::create_directories(
      std::filesystem::path(stem).parent_path().empty() ? "." : std::filesystem::path(stem).parent_path());
  return write_curve_plot(stem, metric + " (group " + group + ", mean and 95 % CI)", x_label, metric, series);
}

std::string write_sweep_report(const ResultsStore& store, const std::vector<std::string>& metrics,
                               const std::string& group, const std::string& directory) {
  const fs::path dir(directory);
  fs::create_directories(dir);
  const auto params = store.parameters();
  const auto points = store.points();
  std::ostringstream body;
  body << "<p>Sweep of <code>" << escape(store.meta("scenario_file")) << "</code>, group " << escape(group)
       << ": mean ± half-width of the 95 % confidence interval (Student t over "
          "replications).</p>\n";
  if (points_share_seeds(store.runs()))
    body << "<p>The points share their seeds (common random numbers): whether two points' intervals overlap does "
            "not say whether they differ; compare them with <code>m2msim results --paired-with P</code>.</p>\n";
  body << "<table>\n<tr><th>point</th>";
  for (const auto& p : params) body << "<th>" << escape(p) << "</th>";
  body << "<th>runs</th>";
  for (const auto& m : metrics) body << "<th>" << escape(m) << "</th>";
  body << "</tr>\n";
  std::vector<std::map<std::uint64_t, std::vector<double>>> values;
  for (const auto& m : metrics) values.push_back(store.values(group, m));
  for (std::uint64_t p = 0; p < points.size(); ++p) {
    body << "<tr><td>" << p << "</td>";
    for (const auto& v : points[p]) body << "<td>" << escape(v) << "</td>";
    std::size_t n = 0;
    std::ostringstream cells;
    for (const auto& v : values) {
      const auto it = v.find(p);
      const auto ci = mean_ci95(it == v.end() ? std::vector<double>{} : it->second);
      n = std::max(n, it == v.end() ? 0 : it->second.size());
      char b[64];
      if (ci.n == 0) {
        std::snprintf(b, sizeof b, "—");
      } else if (std::isnan(ci.half_width)) {
        std::snprintf(b, sizeof b, "%.4g", ci.mean);
      } else {
        std::snprintf(b, sizeof b, "%.4g ± %.2g", ci.mean, ci.half_width);
      }
      cells << "<td>" << b << "</td>";
    }
    body << "<td>" << n << "</td>" << cells.str() << "</tr>\n";
  }
  body << "</table>\n";
  if (!params.empty()) {
    body << "<h2>Plots</h2>\n";
    for (const auto& m : metrics) {
      const fs::path stem = dir / ("sweep_" + m);
      if (write_sweep_plot(store, m, params.front(), group, stem.string())) {
        body << image(fs::path(stem.string() + ".png"),
                      m + " against " + params.front() + " (mean and 95 % confidence band)");
      }
    }
  }
  // The runs' summary warnings, as each run's own report gives them.
  const auto warned = point_warnings(store.warnings(), group);
  if (!warned.empty() || store.runs_without_warnings() > 0) body << "<h2>Warnings</h2>\n";
  if (!warned.empty()) {
    body << "<p>What the runs' summaries warn about group " << escape(group)
         << ", by point (and in how many of the point's runs):</p>\n<ul>\n";
    for (const auto& [p, list] : warned)
      for (const auto& [text, runs] : list)
        body << "<li>point " << p << " (" << runs << "): " << escape(text) << "</li>\n";
    body << "</ul>\n";
  }
  if (const auto n = store.runs_without_warnings(); n > 0)
    body << "<p>" << n
         << " runs were written before the results store kept warnings (schema version below 4): their "
            "warnings are not known.</p>\n";
  body << "<h2>Scenario</h2>\n<pre>" << escape(store.meta("scenario_text")) << "</pre>\n";
  const fs::path out = dir / "report.html";
  write_file(out, page("m2msim sweep report", body.str()));
  return out.string();
}

}  // namespace m2msim::analysis
