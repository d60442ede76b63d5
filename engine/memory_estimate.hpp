// How much memory a run will need, from the scenario alone, so that a run
// too large for the machine is refused before it starts instead of failing
// when memory runs out (docs/reliability.md §6). The terms and their
// constants are measured (docs/performance.md §8): the program and its
// libraries, each device's state in its technology's model and its record,
// each stored link of the link budget, the coverage map and the
// state-of-charge samples.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace m2msim::engine {

struct MemoryEstimate {
  double bytes = 0.0;   ///< the peak resident memory expected
  std::string details;  ///< its terms, for messages
};

/// The peak memory of running `s` (one run; a sweep runs one per worker).
MemoryEstimate estimate_memory(const scenario::Scenario& s);

/// The memory the system has available for a new process (Linux
/// /proc/meminfo MemAvailable), or nullopt when unknown.
std::optional<double> available_memory_bytes();

/// "1.2 GiB", "285 MiB".
std::string format_bytes(double bytes);

/// A size with its unit ("2GiB", "500 MiB", "1.5 GB"), or nullopt.
std::optional<double> parse_bytes(const std::string& text);

/// The limit a run (or a sweep's runs at once) must fit in, and what set it.
struct MemoryLimit {
  std::optional<double> bytes;  ///< none when the system does not say
  std::string from;             ///< "--max-memory", or the system's available memory
};
/// `--max-memory`'s text when given, else the memory available; nullopt
/// when the text is not a size.
std::optional<MemoryLimit> memory_limit(const std::string& max_memory_text);

/// The peak memory of one process running the runs whose single-run
/// estimates are `runs` at the same time (a sweep's workers): the program
/// once, and each run's own part.
double concurrent_bytes(const std::vector<double>& runs);

}  // namespace m2msim::engine
