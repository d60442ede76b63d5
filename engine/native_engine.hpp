// The native engine: builds m2msim's own models from a checked Scenario,
// runs them on one Simulation and returns the run's records.
#pragma once

#include "engine/engine.hpp"

namespace m2msim::engine {

/// Runs one replication of `s` on the native engine.
results::RunRecord run_native(const scenario::Scenario& s, const RunOptions& options = {});

}  // namespace m2msim::engine
