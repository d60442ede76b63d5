// 3GPP TR 45.820's NB-IoT battery-life cases at 164 dB, run through the
// engine with the 3GPP evaluation's link rates (tests/validation/
// tr45820-battery). docs/models/cellular.md §4.1 shows the comparison.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"

namespace m2msim {
namespace {

const std::string kScenario = std::string(M2MSIM_SOURCE_DIR) + "/tests/validation/tr45820-battery/scenario.yaml";

double life_years(const std::vector<std::string>& sets) {
  const auto r = engine::run_native(engine::load_scenario_file(kScenario, sets));
  return r.devices.at(0).battery_life_years;
}

// The tolerance. TR 45.820 §7.3.6.4 (as M. Sauter, "From GSM to LTE-Advanced
// Pro and 5G", Wiley, 3rd ed., p. 318, reproduces it): 1.7 years for 200 B
// every 2 h, 18.1 years for 50 B a day, on 5 Wh. 3GPP's computational model
// (Ericsson Research's spreadsheet, GitHub EricssonResearch/EDHOC, "docs/NB
// IoT power consumption.xlsx", the model the IETF's draft-ietf-lake-reqs
// calls 3GPP's) at 164 dB, by hand: reaching connected mode 305.952 mJ
// (its steps at 500 mW transmit, 80 mW receive), the report at 0.37 kbit/s
// (200 B: 4.324 s, 2162.2 mJ; 50 B: 1.081 s, 540.5 mJ), deep sleep
// 0.015 mW between reports (108 mJ in 2 h, 1296 mJ in a day):
//   200 B / 2 h: 18 000 J / 2.5761 J = 6987 cycles of 2 h = 1.594 years;
//   50 B / day:  18 000 J / 2.1425 J = 8401 days         = 23.0 years.
// 3GPP's own two statements of the method differ by -6 % and +27 %; a model
// taking the same link rates is held to 30 % of the TR. (The TR's figures
// are taken as its 164 dB row: Sauter does not state their coupling loss,
// and the corners of the TR's table most likely are that row. The 50 B case
// mostly checks the deep sleep, half of a day's charge.)
constexpr double kTolerance = 0.30;

TEST(Tr45820Methodology, TwoHundredBytesEveryTwoHoursAt164dB) {
  const double years = life_years({});
  EXPECT_NEAR(years, 1.7, 1.7 * kTolerance);  // TR 45.820 §7.3.6.4 (Sauter p. 318)
}

TEST(Tr45820Methodology, FiftyBytesADayAt164dB) {
  const double years = life_years({"devices.meter.traffic={ periodic: { every: 1 d }, payload: 50 B }"});
  EXPECT_NEAR(years, 18.1, 18.1 * kTolerance);  // TR 45.820 §7.3.6.4 (Sauter p. 318)
}

}  // namespace
}  // namespace m2msim
