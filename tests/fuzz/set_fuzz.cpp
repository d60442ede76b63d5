// libFuzzer target: the --set parser. The input's lines are --set
// arguments applied to the quick-start scenario; each must apply or be
// refused with a ScenarioError.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "engine/technologies.hpp"
#include "scenarios/reader.hpp"

namespace {

const std::string& quickstart() {
  static const std::string text =
      m2msim::scenario::read_text_file(M2MSIM_SOURCE_DIR "/scenarios/examples/quickstart.yaml", "scenario file");
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> sets;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(in, line) && sets.size() < 8;) sets.push_back(line);
  try {
    (void)m2msim::engine::load_scenario_text(quickstart(), "quickstart.yaml", sets);
  } catch (const m2msim::scenario::ScenarioError&) {}
  return 0;
}
