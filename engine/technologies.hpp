// The technologies the engine knows: the one list where a technology is
// named (engine/technologies.cpp). Adding one is a folder models/<name>/
// implementing technology::Technology, and one line in that list.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/technology/technology.hpp"
#include "scenarios/loader.hpp"

namespace m2msim::engine {

/// Every registered technology, in registration order (which is the order of
/// their fates and device columns in the results).
std::span<const technology::Technology* const> technologies();
/// The technology named `name`, or nullptr.
const technology::Technology* find_technology(std::string_view name);
/// Every parameter table of the scenario format: the core's, then each
/// registered technology's.
std::vector<const scenario::ParamSection*> scenario_sections();
/// The registered technologies' parts of the scenario format, for the loader.
scenario::TechnologyFormats technology_formats();

/// The loader (scenarios/loader.hpp) with the registered technologies.
scenario::Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides = {});
scenario::Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                                      const std::vector<std::string>& overrides = {});
scenario::Sweep load_sweep_file(const std::string& path, const std::vector<std::string>& overrides = {});

}  // namespace m2msim::engine
