#include "engine/memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

#include "engine/technologies.hpp"

namespace m2msim::engine {

namespace {

/// The program, its libraries and the fixed tables (measured: 27 MiB at a
/// few hundred devices, docs/performance.md §8).
constexpr double kBaseBytes = 27.0 * 1024 * 1024;
/// One stored link of the link budget (engine/phases.hpp Links: gateway
/// index and received power, 12 bytes with the row offsets).
constexpr double kLinkBytes = 12.0;
/// One coverage-map pixel (best site, received power, margin, covered).
constexpr double kPixelBytes = 16.0;
/// One state-of-charge sample (charge and time).
constexpr double kSampleBytes = 16.0;

}  // namespace

MemoryEstimate estimate_memory(const scenario::Scenario& s) {
  // Devices, by technology; links: every device with every site of its
  // technology (the sparse store keeps at most those).
  std::map<std::string, double> devices_of;
  for (const auto& g : s.groups) devices_of[g.technology] += static_cast<double>(g.count);
  std::map<std::string, double> sites_of;
  for (const auto& site : s.gateways) sites_of[site.technology] += 1.0;
  double device_bytes = 0.0, links = 0.0, devices = 0.0;
  for (const auto& [tech, n] : devices_of) {
    const auto* t = find_technology(tech);
    device_bytes += n * static_cast<double>(t != nullptr ? t->bytes_per_device() : 2048);
    links += n * sites_of[tech];
    devices += n;
  }
  double pixels = 0.0;
  if (s.outputs.coverage_map) {
    const double w = s.area.shape == scenario::AreaSpec::Shape::Disc ? 2 * s.area.radius_m : s.area.width_m;
    const double h = s.area.shape == scenario::AreaSpec::Shape::Disc ? 2 * s.area.radius_m : s.area.height_m;
    const double r = s.outputs.coverage_map->resolution_m;
    pixels = static_cast<double>(static_cast<long long>(w / r + 0.999999)) *
             static_cast<double>(static_cast<long long>(h / r + 0.999999));
  }
  double samples = 0.0;
  if (s.outputs.state_of_charge) {
    const auto& soc = *s.outputs.state_of_charge;
    samples = static_cast<double>(soc.devices) * static_cast<double>(s.duration.ns() / soc.every.ns() + 1);
  }
  MemoryEstimate e;
  e.bytes = kBaseBytes + device_bytes + links * kLinkBytes + pixels * kPixelBytes + samples * kSampleBytes;
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "%s: program %s, %.0f devices %s, at most %.0f links %s, %.0f map pixels %s, %.0f charge samples %s",
                format_bytes(e.bytes).c_str(), format_bytes(kBaseBytes).c_str(), devices,
                format_bytes(device_bytes).c_str(), links, format_bytes(links * kLinkBytes).c_str(), pixels,
                format_bytes(pixels * kPixelBytes).c_str(), samples, format_bytes(samples * kSampleBytes).c_str());
  e.details = buf;
  return e;
}

double concurrent_bytes(const std::vector<double>& runs) {
  double bytes = kBaseBytes;
  for (const double r : runs) bytes += std::max(0.0, r - kBaseBytes);
  return bytes;
}

std::optional<double> parse_bytes(const std::string& text) {
  std::size_t used = 0;
  double v = 0.0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  unit.erase(0, unit.find_first_not_of(' '));
  static const std::map<std::string, double> kUnits{
      {"B", 1.0}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
  const auto it = kUnits.find(unit);
  if (it == kUnits.end() || !(v > 0) || !std::isfinite(v)) return std::nullopt;
  return v * it->second;
}

std::optional<MemoryLimit> memory_limit(const std::string& max_memory_text) {
  if (max_memory_text.empty()) return MemoryLimit{available_memory_bytes(), "the memory this system has available"};
  const auto bytes = parse_bytes(max_memory_text);
  if (!bytes) return std::nullopt;
  return MemoryLimit{bytes, "--max-memory"};
}

std::optional<double> available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  double kb = 0.0;
  std::string unit;
  while (in >> key >> kb >> unit) {
    if (key == "MemAvailable:") return kb * 1024.0;
  }
  return std::nullopt;
}

std::string format_bytes(double bytes) {
  char buf[32];
  if (bytes >= 1024.0 * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  } else {
    std::snprintf(buf, sizeof buf, "%.0f MiB", bytes / (1024.0 * 1024));
  }
  return buf;
}

}  // namespace m2msim::engine
