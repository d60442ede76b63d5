#include "engine/technologies.hpp"

#include <array>

#include "engine/memory_estimate.hpp"
#include "models/cellular/cell_technology.hpp"
#include "models/lorawan/lorawan_technology.hpp"
#include "scenarios/parameter_tables.hpp"

namespace m2msim::engine {

std::span<const technology::Technology* const> technologies() {
  // The registration list: one line per technology.
  static const std::array<const technology::Technology*, 3> list{
      &lora::lorawan_technology(),
      &cellular::nbiot_technology(),
      &cellular::ltem_technology(),
  };
  return list;
}

std::vector<const scenario::ParamSection*> scenario_sections() {
  const auto core = scenario::tables::core_sections();
  std::vector<const scenario::ParamSection*> v(core.begin(), core.end());
  for (const auto* f : technology_formats())
    for (const auto* s : f->sections()) v.push_back(s);
  return v;
}

scenario::TechnologyFormats technology_formats() {
  static const auto formats = [] {
    std::vector<const scenario::TechnologyFormat*> v;
    for (const auto* t : technologies()) v.push_back(&t->format());
    return v;
  }();
  return formats;
}

scenario::Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
  return scenario::load_scenario_file(path, overrides, technology_formats());
}

scenario::Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                                      const std::vector<std::string>& overrides) {
  return scenario::load_scenario_text(text, file_name, overrides, technology_formats());
}

scenario::Sweep load_sweep_file(const std::string& path, const std::vector<std::string>& overrides) {
  return scenario::load_sweep_file(path, overrides, technology_formats(),
                                   [](const scenario::Scenario& s) { return estimate_memory(s).bytes; });
}

const technology::Technology* find_technology(std::string_view name) {
  for (const auto* t : technologies()) {
    if (t->name() == name) return t;
  }
  return nullptr;
}

}  // namespace m2msim::engine
