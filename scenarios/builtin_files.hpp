// Data files compiled into the binary (cmake/EmbedFiles.cmake).
#pragma once

#include <vector>

namespace m2msim::scenario {

struct EmbeddedFile {
  const char* name;  ///< file name without .yaml
  const char* path;  ///< relative to the source tree, e.g. data/energy/sx1276.yaml
  const char* text;
};
/// Chip current and board profiles, data/energy/*.yaml, sorted by name.
const std::vector<EmbeddedFile>& builtin_hardware_files();
/// Battery cells, data/batteries/*.yaml, sorted by name.
const std::vector<EmbeddedFile>& builtin_battery_files();

}  // namespace m2msim::scenario
