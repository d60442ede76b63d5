// The native engine: builds m2msim's own models from a checked Scenario,
// runs them on one Simulation and returns the run's records.
#pragma once

#include "analysis/run_record.hpp"
#include "scenarios/scenario.hpp"

namespace m2msim::engine {

/// Runs one replication of `s` (its seed and replication number are in `s`).
/// Thread-safe: runs share nothing.
results::RunRecord run_native(const scenario::Scenario& s);

}  // namespace m2msim::engine
