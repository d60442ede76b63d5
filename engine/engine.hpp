// Engines: what `m2msim run` and `m2msim sweep` call to turn a checked
// scenario into a run's records. `native` (m2msim's own kernel and models)
// is the only one today; an ns-3 engine is to follow, selected by name.
#pragma once

#include <span>
#include <string_view>

#include "results/run_record.hpp"
#include "scenarios/scenario.hpp"

namespace m2msim::engine {

/// How to run (not what: that is the scenario). Results do not depend on it.
struct RunOptions {
  unsigned threads = 2;  ///< for the link budget and the coverage map (a sweep runs each run on 1)
};

class Engine {
 public:
  virtual ~Engine() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Runs one replication of `s` (its seed and replication number are in
  /// `s`). Thread-safe: runs share nothing.
  [[nodiscard]] virtual results::RunRecord run(const scenario::Scenario& s, const RunOptions& options) const = 0;
};

/// Every engine built into this binary; the first is the default.
std::span<const Engine* const> engines();
/// The engine named `name`, or nullptr.
const Engine* find_engine(std::string_view name);

}  // namespace m2msim::engine
