// Reads a scenario file into a checked Scenario.
//
// Every error is a ScenarioError whose message starts with FILE:LINE:COLUMN
// (1-based) of the offending node, says what is wrong and what would be
// right; unknown keys name the nearest valid key. Values given with --set
// are reported as "--set PATH=VALUE: ...".
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace m2msim::scenario {

class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(const std::string& message) : std::runtime_error(message) {}
};

/// Loads FILE, applying each override "path=value" (e.g.
/// "devices.meters.count=500", "gateways.0.height=30 m") before checking.
Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides = {});
/// The same from text already in memory; `file_name` is used in messages.
Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const std::vector<std::string>& overrides = {});

/// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace m2msim::scenario
