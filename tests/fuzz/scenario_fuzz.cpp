// libFuzzer target: the scenario loader with every registered technology.
// Any input must either load or be refused with a ScenarioError (a located
// message); anything else (a crash, another exception, a sanitizer report)
// is a finding. docs/reliability.md §5 says how to run it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/technologies.hpp"
#include "scenarios/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)m2msim::engine::load_scenario_text(text, "fuzz.yaml");
  } catch (const m2msim::scenario::ScenarioError&) {}
  return 0;
}
