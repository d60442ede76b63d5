// The technologies the engine knows: the one list where a technology is
// named (engine/technologies.cpp). Adding one is a folder models/<name>/
// implementing technology::Technology, and one line in that list.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "models/technology/technology.hpp"

namespace m2msim::engine {

/// Every registered technology, in registration order (which is the order of
/// their fates and device columns in the results).
std::span<const technology::Technology* const> technologies();
/// The technology named `name`, or nullptr.
const technology::Technology* find_technology(std::string_view name);
/// Every parameter table of the scenario format: the core's, then each
/// registered technology's.
std::vector<const scenario::ParamSection*> scenario_sections();

}  // namespace m2msim::engine
