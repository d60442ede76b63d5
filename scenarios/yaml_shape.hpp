// The first pass over a YAML text, before yaml-cpp builds its nodes: the
// event parser of libyaml (the YAML reference implementation's C library,
// fuzzed upstream) reads the whole text once, in linear time and bounded
// memory, and refuses what m2msim does not read. yaml-cpp 0.7 can loop
// without end on some malformed texts (tests/fuzz/regressions); none passes
// this check.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "scenarios/reader.hpp"

namespace m2msim::scenario {

/// How deeply maps and lists may nest in a file m2msim reads (a scenario
/// needs about 6 levels).
inline constexpr std::size_t kMaxYamlNesting = 64;
/// How many values (scalars, maps, lists, aliases) a file may hold: yaml-cpp
/// keeps about 500 bytes a value (1 000 000 values: about 500 MB, 3.6 s to
/// read), and a 64 MiB file could hold 12 million.
inline constexpr std::size_t kMaxYamlValues = 1'000'000;

struct YamlShape {
  /// Values written as nothing (`key:` at the end of its line), by the byte
  /// offset of the token after them, where yaml-cpp marks them; each with the
  /// line and column just after its key's colon.
  std::map<std::size_t, EmptyValue> empty_values;
};

/// The shape of `text`, or a ScenarioError at FILE:LINE:COLUMN when the text
/// is not YAML, holds more than one document, nests deeper than
/// kMaxYamlNesting or holds more than kMaxYamlValues values.
YamlShape check_yaml_shape(const std::string& text, const std::string& file);

}  // namespace m2msim::scenario
