// libFuzzer target: the data-file readers a scenario names by path: a
// hardware profile (radio, MCU, board, cell) and a LoRaWAN region file. The
// first byte chooses the reader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/lorawan/scenario_settings.hpp"
#include "scenarios/hardware.hpp"
#include "scenarios/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      (void)m2msim::scenario::load_hardware_profile_text(text, "profile.yaml");
    } else {
      (void)m2msim::lora::load_region_text(text, "region.yaml");
    }
  } catch (const m2msim::scenario::ScenarioError&) {}
  return 0;
}
