// The native engine: builds m2msim's own models from a checked Scenario,
// runs them on one Simulation and returns the run's records.
#pragma once

#include <span>

#include "engine/engine.hpp"
#include "models/technology/technology.hpp"

namespace m2msim::engine {

/// Runs one replication of `s` on the native engine, with the registered
/// technologies (engine/technologies.cpp).
results::RunRecord run_native(const scenario::Scenario& s, const RunOptions& options = {});
/// The same with these technologies instead (a test's own, say); `s` must
/// have been loaded with their formats.
results::RunRecord run_native(const scenario::Scenario& s, const RunOptions& options,
                              std::span<const technology::Technology* const> technologies);

}  // namespace m2msim::engine
