// The native engine: builds m2msim's own models from a checked Scenario,
// runs them on one Simulation and returns the run's records.
#pragma once

#include "analysis/run_record.hpp"
#include "scenarios/scenario.hpp"

namespace m2msim::engine {

/// Runs one replication of `s` (its seed and replication number are in `s`).
/// Thread-safe: runs share nothing.
/// How to run (not what: that is the scenario). Results do not depend on it.
struct RunOptions {
  unsigned threads = 2;  ///< for the link budget and the coverage map (a sweep runs each run on 1)
};

results::RunRecord run_native(const scenario::Scenario& s, const RunOptions& options = {});

}  // namespace m2msim::engine
