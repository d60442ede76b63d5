#include "engine/technologies.hpp"

#include <array>

#include "models/lorawan/lorawan_technology.hpp"
#include "scenarios/parameter_tables.hpp"

namespace m2msim::engine {

std::span<const technology::Technology* const> technologies() {
  // The registration list: one line per technology.
  static const std::array<const technology::Technology*, 1> list{
      &lora::lorawan_technology(),
  };
  return list;
}

std::vector<const scenario::ParamSection*> scenario_sections() {
  const auto core = scenario::tables::core_sections();
  std::vector<const scenario::ParamSection*> v(core.begin(), core.end());
  for (const auto* t : technologies())
    for (const auto* s : t->parameter_sections()) v.push_back(s);
  return v;
}

const technology::Technology* find_technology(std::string_view name) {
  for (const auto* t : technologies()) {
    if (t->name() == name) return t;
  }
  return nullptr;
}

}  // namespace m2msim::engine
