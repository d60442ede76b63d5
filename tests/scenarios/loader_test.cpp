// The loader's error messages: one test per kind of bad input, each asserting
// the FILE:LINE:COLUMN it points at.
#include "scenarios/loader.hpp"
#include "engine/technologies.hpp"
#include "models/lorawan/scenario_settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

namespace m2msim::scenario {
namespace {

using engine::load_scenario_file;
using engine::load_scenario_text;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Line numbers are those of this text (1-based).
const std::string kValid =
    "name: t\n"                                                                    // 1
    "duration: 1 h\n"                                                              // 2
    "area: { width: 1 km, height: 1 km }\n"                                        // 3
    "environment:\n"                                                               // 4
    "  propagation:\n"                                                             // 5
    "    model: log-distance\n"                                                    // 6
    "    reference_distance: 1 m\n"                                                // 7
    "    reference_loss: 31.2 dB\n"                                                // 8
    "    exponent: 3.0\n"                                                          // 9
    "gateways:\n"                                                                  // 10
    "  - name: gw\n"                                                               // 11
    "    position: [500 m, 500 m]\n"                                               // 12
    "devices:\n"                                                                   // 13
    "  - group: meters\n"                                                          // 14
    "    count: 10\n"                                                              // 15
    "    radio: { technology: lorawan, spreading_factor: 7, tx_power: 14 dBm }\n"  // 16
    "    traffic:\n"                                                               // 17
    "      periodic: { every: 15 min }\n"                                          // 18
    "      payload: 20 B\n"                                                        // 19
    "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n";                       // 20

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    load_scenario_text(text, "t.yaml", sets);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(Loader, AcceptsTheValidScenarioWithItsDefaults) {
  const Scenario s = load_scenario_text(kValid, "t.yaml");
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.duration, Time::hours(1));
  EXPECT_DOUBLE_EQ(s.area.width_m, 1000.0);
  ASSERT_EQ(s.gateways.size(), 1u);
  EXPECT_DOUBLE_EQ(s.gateways[0].x_m, 500.0);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0].count, 10u);
  EXPECT_EQ(lora::radio_of(s.groups[0]).bandwidth_hz, 125000u);  // default
  EXPECT_EQ(lora::radio_of(s.groups[0]).frequency_hz, 868100000u);
  EXPECT_EQ(s.groups[0].traffic.interval, Time::minutes(15));
  EXPECT_EQ(s.seed, 1u);
}

TEST(Loader, UnknownKeyNamesTheNearestValidKey) {
  const auto e = error_of(replace(kValid, "    count: 10", "    cuont: 10"));
  EXPECT_THAT(e, StartsWith("t.yaml:15:5: unknown key 'cuont'"));
  EXPECT_THAT(e, HasSubstr("Did you mean 'count'?"));
}

TEST(Loader, MissingKeyPointsAtTheEnclosingMap) {
  const auto e = error_of(replace(kValid, "duration: 1 h\n", ""));
  EXPECT_THAT(e, StartsWith("t.yaml:1:1: missing key 'duration'"));
}

TEST(Loader, WrongTypeIsReported) {
  EXPECT_THAT(error_of(replace(kValid, "count: 10", "count: ten")),
              StartsWith("t.yaml:15:12: devices[0] (group meters).count must be a whole number, got 'ten'"));
  EXPECT_THAT(error_of(replace(kValid, "area: { width: 1 km, height: 1 km }", "area: [1 km]")),
              StartsWith("t.yaml:3:7: area must be a map of keys, got a list"));
}

TEST(Loader, MissingUnitIsReportedWithAnExample) {
  const auto e = error_of(replace(kValid, "payload: 20 B", "payload: 20"));
  EXPECT_THAT(e, StartsWith("t.yaml:19:16: "));
  EXPECT_THAT(e, HasSubstr("missing unit in '20'"));
  EXPECT_THAT(e, HasSubstr("'20 B'"));
}

TEST(Loader, WrongUnitIsReported) {
  const auto text = replace(kValid, "tx_power: 14 dBm", "tx_power: 14 dB");
  // Column of "14 dB" on line 16: "    radio: { technology: lorawan, spreading_factor: 7, tx_power: " is 65 characters.
  const auto e = error_of(text);
  EXPECT_THAT(e, StartsWith("t.yaml:16:66: "));
  EXPECT_THAT(e, HasSubstr("unit 'dB' is not a power"));
}

TEST(Loader, OutOfRangeValuesAreReported) {
  EXPECT_THAT(
      error_of(replace(kValid, "spreading_factor: 7", "spreading_factor: 13")),
      StartsWith("t.yaml:16:53: devices[0] (group meters).radio.spreading_factor is out of range: must be 7 to 12"));
  EXPECT_THAT(
      error_of(replace(kValid, "payload: 20 B", "payload: 300 B")),
      StartsWith("t.yaml:19:16: devices[0] (group meters).traffic.payload is out of range: must be 0 B to 255 B"));
  EXPECT_THAT(error_of(replace(kValid, "tx_power: 14 dBm", "tx_power: 27 dBm")),
              HasSubstr("tx_power is out of range: must be 7 dBm to 20 dBm"));
}

TEST(Loader, AntennaHeightsMustBeAboveGround) {
  EXPECT_THAT(error_of(kValid, {"gateways.gw.height=0 m"}),
              HasSubstr("height is out of range: must be 0.1 m to 1000 m"));
}

TEST(Loader, UnknownChoiceSuggestsTheNearest) {
  const auto e = error_of(replace(kValid, "spreading_factor: 7,", "spreading_factor: 7, coding_rate: 4/9,"));
  EXPECT_THAT(e, HasSubstr("coding_rate '4/9' is not known. Did you mean '4/5'?"));
}

// A site without `technology` takes the one its device groups name; when a
// group names none that exists, the error is at the group's misspelling, not
// at the site (line 16, column 26: the value).
TEST(Loader, AMisspelledGroupTechnologyIsReportedAtTheGroupNotAtTheSite) {
  const auto e = error_of(replace(kValid, "technology: lorawan", "technology: lorawn"));
  EXPECT_THAT(e, StartsWith("t.yaml:16:26:"));
  EXPECT_THAT(e, HasSubstr("'lorawn' is not known. Did you mean 'lorawan'?"));
  EXPECT_THAT(error_of(kValid, {"devices=[]"}), HasSubstr("devices must be a non-empty list of device groups"));
}

// A technology's section that no device group uses would change nothing: it
// is refused at its place (line 21, the section's value at column 7).
TEST(Loader, ASectionForATechnologyNoGroupUsesIsRefused) {
  const auto e = error_of(kValid + "ltem: { narrowbands: 2 }\n");
  EXPECT_THAT(e, StartsWith("t.yaml:21:7: the ltem: section applies to ltem device groups, but no group has "
                            "radio.technology: ltem"));
}

// A power given in mW is compared in dBm, and the message says what it is
// there: 200 mW = 10·log10(200) = 23.01 dBm, above the SX1276's 20 dBm.
TEST(Loader, APowerOutOfRangeInMilliwattsIsShownInDbm) {
  EXPECT_THAT(error_of(kValid, {"devices.meters.radio.tx_power=200 mW"}), HasSubstr("got '200 mW' (23.01 dBm)"));
}

// An unknown board is answered with the boards, not every profile (a radio
// or a microcontroller is no board).
TEST(Loader, AnUnknownBoardListsTheBoardsOnly) {
  const auto e = error_of(kValid, {"devices.meters.hardware={board: nosuch}"});
  EXPECT_THAT(e, HasSubstr("Valid: esp32-wifi-sensor, lorawan-node-lowpower, lorawan-sensor-node, nrf9160-tracker."));
}

// outputs.state_of_charge: its default of 10 devices in a file of 10 is
// fine, of fewer an error at the section (not yaml-cpp's "invalid node"); a
// period longer than the run (1 h here) would sample only the start.
TEST(Loader, StateOfChargeSamplesThatCannotBeTakenAreRefused) {
  EXPECT_THAT(error_of(kValid, {"devices.meters.count=3", "outputs={state_of_charge: {every: 10 min}}"}),
              HasSubstr("outputs.state_of_charge.devices is 10 (the default); the scenario has 3 devices"));
  EXPECT_THAT(error_of(kValid, {"outputs={state_of_charge: {devices: 1, every: 2 h}}"}),
              HasSubstr("outputs.state_of_charge.every (2 h) is longer than the run (1 h)"));
}

TEST(Loader, DuplicateKeysAreErrors) {
  const auto e = error_of(replace(kValid, "    count: 10\n", "    count: 10\n    count: 20\n"));
  EXPECT_THAT(e, StartsWith("t.yaml:16:5: key 'count' appears twice"));
}

TEST(Loader, InvalidYamlIsReportedWithItsPosition) {
  const auto e = error_of(replace(kValid, "area: { width: 1 km, height: 1 km }", "area: { width: 1 km"));
  EXPECT_THAT(e, StartsWith("t.yaml:"));
  EXPECT_THAT(e, HasSubstr("not valid YAML"));
}

TEST(Loader, TextsOnWhichYamlCppLoopsAreRefusedAtTheirPlace) {
  // yaml-cpp 0.7's LoadAll never returns on a text holding a lone ',' at the
  // start of a line (found by tests/fuzz; YAML 1.2 §7.3.3: ',' cannot start
  // a plain scalar). libyaml's check refuses it first, where it is.
  EXPECT_THAT(error_of(","), StartsWith("t.yaml:1:1: not valid YAML: did not find expected node content"));
  EXPECT_THAT(error_of("# a comment\n,# another\n"), StartsWith("t.yaml:2:1: not valid YAML"));
}

TEST(Loader, NestingIsBounded) {
  // 64 levels are read (the file's own map is the first); the 65th, the
  // 64th '[' at column 3 + 64, is refused at its place.
  const std::string ok = kValid + "x: " + std::string(63, '[') + std::string(63, ']') + "\n";
  EXPECT_THAT(error_of(ok), StartsWith("t.yaml:21:1: unknown key 'x'"));
  const std::string deep = kValid + "x: " + std::string(64, '[') + std::string(64, ']') + "\n";
  EXPECT_THAT(error_of(deep), StartsWith("t.yaml:21:67: maps and lists nest more than 64 levels deep here"));
}

TEST(Loader, TheNumberOfValuesIsBoundedBeforeYamlCppBuildsThem) {
  // A million values are read (yaml-cpp keeps about 500 bytes each); one more
  // is refused by the first pass, at the value past the bound: kValid holds
  // 61 values (its map, keys, scalars, flow maps and lists), the key 'x' and
  // its list make 63, so the list's element 999 937 (from 0; at column 5 +
  // 3 × 999 937) is the 1 000 001st.
  std::string many = kValid + "x: [";
  for (int i = 0; i < 1'000'000; ++i) many += "1, ";
  many += "1]\n";
  EXPECT_THAT(error_of(many), StartsWith("t.yaml:21:2999816: the file holds more than 1 000 000 YAML values"));
}

TEST(Loader, AnEmptyValueIsReportedAtItsOwnLine) {
  // yaml-cpp marks an empty value at the next token (here 'radio' on line
  // 16); the error points just after the key's colon instead.
  EXPECT_THAT(error_of(replace(kValid, "    count: 10\n", "    count:\n")), StartsWith("t.yaml:15:11: "));
  // At the end of the file too (yaml-cpp's mark is then past the last line).
  EXPECT_THAT(error_of(replace(kValid, "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n", "    battery:\n")),
              StartsWith("t.yaml:20:13: "));
}

TEST(Loader, UnreadableFileIsAnErrorNotACrash) {
  try {
    load_scenario_file("/nonexistent/dir/s.yaml");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(std::string(e.what()), StartsWith("/nonexistent/dir/s.yaml:1:1: cannot read the scenario file"));
  }
}

TEST(Loader, EmptyFileIsAnError) { EXPECT_THAT(error_of(""), StartsWith("t.yaml:1:1: the scenario file is empty")); }

TEST(Loader, NamesAreSafeAsFileNamesAndUtf8) {
  EXPECT_THAT(error_of(replace(kValid, "name: t", "name: /etc/results")),
              StartsWith("t.yaml:1:7: name '/etc/results' must not contain '/' or '\\'"));
  EXPECT_THAT(error_of(replace(kValid, "group: meters", "group: a\\b")), HasSubstr("must not contain '/' or '\\'"));
  // Latin-1 "café" (0xE9 alone is not UTF-8); the UTF-8 spelling is accepted.
  // (Caught for the whole text, at the byte, before the name is read.)
  EXPECT_THAT(error_of(replace(kValid, "name: t", "name: caf\xE9")),
              StartsWith("t.yaml:1:10: the text is not valid UTF-8 here"));
  EXPECT_NO_THROW(load_scenario_text(replace(kValid, "name: t", "name: caf\xC3\xA9"), "t.yaml"));
  // An overlong encoding of '/' (0xC0 0xAF) is not UTF-8 either.
  EXPECT_THAT(error_of(replace(kValid, "name: t", "name: a\xC0\xAF")), HasSubstr("is not valid UTF-8"));
  // A control character (a NUL byte: yaml-cpp could loop on it) is refused at its place.
  EXPECT_THAT(error_of(replace(kValid, "name: t", std::string("name: t\0x", 9))),
              StartsWith("t.yaml:1:8: a control character (byte 0x00) is not allowed in YAML text"));
}

TEST(Loader, SetOverridesAnyValueByPath) {
  const Scenario s = load_scenario_text(kValid, "t.yaml",
                                        {"devices.meters.count=500", "gateways.gw.height=30 m", "duration=2 d",
                                         "devices.0.radio.spreading_factor=9", "gateways.0.position=[1 km, 2 km]"});
  EXPECT_EQ(s.groups[0].count, 500u);
  EXPECT_DOUBLE_EQ(s.gateways[0].height_m, 30.0);
  EXPECT_EQ(s.duration, Time::days(2));
  EXPECT_EQ(lora::radio_of(s.groups[0]).spreading_factor, 9);
  EXPECT_DOUBLE_EQ(s.gateways[0].y_m, 2000.0);
}

TEST(Loader, BadSetValuesAndPathsNameTheSetArgument) {
  EXPECT_THAT(error_of(kValid, {"devices.meters.count=abc"}),
              StartsWith("--set devices.meters.count=abc: devices[0] (group meters).count must be a whole number"));
  EXPECT_THAT(error_of(kValid, {"devices.sensors.count=5"}),
              StartsWith("--set devices.sensors.count=5: no element 'sensors' in devices (use an index from 0 to 0 or "
                         "a name: meters)"));
  EXPECT_THAT(error_of(kValid, {"devices.meters.cuont=5"}), HasSubstr("unknown key 'cuont'"));
  EXPECT_THAT(error_of(kValid, {"count"}), StartsWith("--set count: expected PATH=VALUE"));
  EXPECT_THAT(error_of(kValid, {"devices.99999999999999999999999.count=5"}),
              StartsWith("--set devices.99999999999999999999999.count=5: no element"));
  EXPECT_THAT(error_of(kValid, {"foo.bar=1"}), StartsWith("--set foo.bar=1: unknown key 'foo'"));
  // The sweep: section is read as written: a --set there is refused, not ignored.
  EXPECT_THAT(error_of(kValid, {"sweep.replications=0"}),
              StartsWith("--set sweep.replications: the sweep: section cannot be changed from the command line"));
}

TEST(Loader, SeedsUseTheWholeUnsignedRange) {
  EXPECT_EQ(load_scenario_text(kValid, "t.yaml", {"seed=18446744073709551615"}).seed, 18446744073709551615ULL);
  EXPECT_THAT(error_of(kValid, {"seed=18446744073709551616"}), HasSubstr("seed is out of range"));
  EXPECT_THAT(error_of(kValid, {"seed=-1"}), HasSubstr("seed must be a whole number 0 or above"));
}

TEST(Loader, IndoorModelsTakeOnlyTheirOwnKeys) {
  const auto s = load_scenario_text(kValid, "t.yaml",
                                    {"devices.meters.indoor={ model: 3gpp-38901, high_loss: 50 %, share: 80 % }"});
  EXPECT_EQ(s.groups[0].indoor.kind, propagation::PenetrationModel::Kind::ThreeGpp);
  EXPECT_DOUBLE_EQ(s.groups[0].indoor.high_loss_share, 0.5);
  EXPECT_DOUBLE_EQ(s.groups[0].indoor.indoor_share, 0.8);
  EXPECT_DOUBLE_EQ(s.groups[0].indoor.max_depth_m, 25.0);  // TR 38.901 UMa/UMi default
  EXPECT_THAT(error_of(kValid, {"devices.meters.indoor={ model: 3gpp-38901 }"}), HasSubstr("missing key 'high_loss'"));
  EXPECT_THAT(
      error_of(kValid, {"devices.meters.indoor={ model: 3gpp-38901, high_loss: 0 %, penetration: 10 dB }"}),
      HasSubstr("indoor.penetration does not apply to model 3gpp-38901 (it takes: high_loss, max_depth, share)"));
  EXPECT_THAT(error_of(kValid, {"devices.meters.indoor={ model: 3gpp-38901-car, max_depth: 10 m }"}),
              HasSubstr("does not apply to model 3gpp-38901-car"));
  EXPECT_THAT(error_of(kValid, {"devices.meters.indoor={ model: 3gpp-39801 }"}),
              HasSubstr("Did you mean '3gpp-38901'?"));
  EXPECT_THAT(error_of(kValid, {"devices.meters.indoor={ penetration: 10 dB, share: 120 % }"}),
              HasSubstr("indoor.share is out of range: must be 0 % to 100 %"));
}

TEST(Loader, IndoorModelsCheckTheCarrierAgainstTheirValidity) {
  // TR 38.901 holds from 0.5 GHz: a 433 MHz LoRa group cannot use it.
  EXPECT_THAT(
      error_of(kValid, {"devices.meters.indoor={ model: 3gpp-38901, high_loss: 0 % }",
                        "devices.meters.radio.frequency=433.175 MHz"}),
      HasSubstr(
          "holds for carriers of 0.5 GHz to 100 GHz (TR 38.901 §7.4.3); the group's radio.frequency is 433.175 MHz"));
  EXPECT_NO_THROW(load_scenario_text(kValid, "t.yaml", {"devices.meters.indoor={ model: 3gpp-38901-legacy }"}));
}

TEST(Loader, LogDistancePresetsArePublishedParameterSets) {
  const std::string ld =
      "    model: log-distance\n    reference_distance: 1 m\n    reference_loss: 31.2 dB\n    exponent: 3.0\n";
  auto with_preset = [&](const std::string& lines) {
    std::string t = kValid;
    return t.replace(t.find(ld), ld.size(), "    model: log-distance\n" + lines);
  };
  // LoRaSim (Bor et al., MSWiM 2016): d0 = 40 m, PL(d0) = 127.41 dB, n = 2.08.
  const auto s = load_scenario_text(with_preset("    preset: bor2016\n"), "t.yaml");
  EXPECT_DOUBLE_EQ(s.propagation.reference_distance_m, 40.0);
  EXPECT_DOUBLE_EQ(s.propagation.reference_loss_dB, 127.41);
  EXPECT_DOUBLE_EQ(s.propagation.exponent, 2.08);
  EXPECT_TRUE(s.propagation.formula_below_reference);  // as LoRaSim
  // Petäjäjärvi et al., ITST 2015, ground level: B = 128.95 dB at 1 km, n = 2.32.
  const auto o = load_scenario_text(with_preset("    preset: oulu-ground\n"), "t.yaml");
  EXPECT_DOUBLE_EQ(o.propagation.reference_distance_m, 1000.0);
  EXPECT_DOUBLE_EQ(o.propagation.reference_loss_dB, 128.95);
  EXPECT_DOUBLE_EQ(o.propagation.exponent, 2.32);
  // ns-3 lorawan examples (Magrin et al., ICC 2017): 7.7 dB at 1 m, n = 3.76.
  const auto n = load_scenario_text(with_preset("    preset: ns3-lorawan\n"), "t.yaml");
  EXPECT_DOUBLE_EQ(n.propagation.reference_loss_dB, 7.7);
  EXPECT_DOUBLE_EQ(n.propagation.exponent, 3.76);
  EXPECT_FALSE(n.propagation.formula_below_reference);  // as ns-3
  EXPECT_FALSE(load_scenario_text(with_preset("    preset: bor2016\n    below_reference: flat\n"), "t.yaml")
                   .propagation.formula_below_reference);
  EXPECT_THAT(error_of(with_preset("    preset: bor2016\n    exponent: 3.0\n")),
              StartsWith("t.yaml:8:15: environment.propagation.exponent is set by preset bor2016"));
  EXPECT_THAT(error_of(with_preset("    preset: bor2061\n")), HasSubstr("Did you mean 'bor2016'?"));
}

TEST(EditDistance, IsLevenshtein) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("count", "count"), 0u);
}

TEST(Loader, SitesFromAHexagonalLayoutShareTheEntrysKeys) {
  // 1 km × 1 km, spacing 400 m: rows at (j + ½)·346.4 m = 173.2, 519.6,
  // 866.0 m; x = 200, 600 m in even rows and 400, 800 m in odd rows: 6 sites.
  const auto s = load_scenario_text(replace(kValid, "    position: [500 m, 500 m]\n",
                                            "    layout: { hexagonal: { spacing: 400 m } }\n    height: 25 m\n"),
                                    "t.yaml");
  ASSERT_EQ(s.gateways.size(), 6u);
  EXPECT_EQ(s.gateways[0].name, "gw-0");
  EXPECT_EQ(s.gateways[5].name, "gw-5");
  EXPECT_DOUBLE_EQ(s.gateways[2].x_m, 400);
  EXPECT_NEAR(s.gateways[2].y_m, 1.5 * 400 * std::sqrt(3.0) / 2, 1e-9);
  EXPECT_DOUBLE_EQ(s.gateways[5].height_m, 25);
  // A grid and a list.
  EXPECT_EQ(
      load_scenario_text(
          replace(kValid, "    position: [500 m, 500 m]\n", "    layout: { grid: { spacing: 250 m } }\n"), "t.yaml")
          .gateways.size(),
      16u);
  const auto l = load_scenario_text(
      replace(kValid, "    position: [500 m, 500 m]\n", "    layout: { list: [[1 m, 2 m], [3 m, 4 m]] }\n"), "t.yaml");
  ASSERT_EQ(l.gateways.size(), 2u);
  EXPECT_EQ(l.gateways[1].name, "gw-1");
  EXPECT_DOUBLE_EQ(l.gateways[1].y_m, 4);
}

TEST(Loader, SiteLayoutErrorsAreLocated) {
  EXPECT_THAT(error_of(replace(kValid, "    position: [500 m, 500 m]\n",
                               "    position: [500 m, 500 m]\n    layout: { grid: { spacing: 250 m } }\n")),
              HasSubstr("takes either position (one site) or layout (many), not both"));
  EXPECT_THAT(error_of(replace(kValid, "    position: [500 m, 500 m]\n", "    layout: { grid: { spacing: 5 m } }\n")),
              HasSubstr("more than 10 000 sites"));
  EXPECT_THAT(
      error_of(replace(kValid, "    position: [500 m, 500 m]\n", "    layout: { hexagonal: { spacing: 5 km } }\n")),
      HasSubstr("leaves no site inside the area"));
  EXPECT_THAT(
      error_of(replace(kValid, "    position: [500 m, 500 m]\n", "    layout: { hexagonal: { spacng: 5 km } }\n")),
      HasSubstr("Did you mean 'spacing'?"));
  EXPECT_THAT(error_of(replace(kValid, "    position: [500 m, 500 m]\n", "    layout: {}\n")),
              StartsWith("t.yaml:12:13: gateways[0].layout takes exactly one of list, grid, hexagonal or csv"));
}

TEST(Loader, SitesFromACsvFile) {
  const std::string dir = ::testing::TempDir() + "m2msim-sites";
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& text) {
    std::ofstream(dir + "/sites.csv") << text;
    return replace(kValid, "    position: [500 m, 500 m]\n", "    layout: { csv: sites.csv }\n");
  };
  const auto s = load_scenario_text(write("name,x_m,y_m\nnorth,100,900\nsouth,100.5,50\n"), dir + "/t.yaml");
  ASSERT_EQ(s.gateways.size(), 2u);
  EXPECT_EQ(s.gateways[1].name, "south");
  EXPECT_DOUBLE_EQ(s.gateways[1].x_m, 100.5);
  // Errors name the CSV file, its line and the field's column.
  try {
    load_scenario_text(write("name,x_m,y_m\nnorth,100,900\nsouth,1OO,50\n"), dir + "/t.yaml");
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(std::string(e.what()), StartsWith(dir + "/sites.csv:3:7: x_m must be a number of metres, got '1OO'"));
  }
  try {
    load_scenario_text(write("name,x,y\n"), dir + "/t.yaml");
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("sites.csv:1:1: the first line must be the header 'name,x_m,y_m'"));
  }
  // A file that is not there is reported where the scenario names it.
  EXPECT_THAT(error_of(replace(kValid, "    position: [500 m, 500 m]\n", "    layout: { csv: none.csv }\n")),
              StartsWith("t.yaml:12:20: gateways[0].layout.csv: cannot read the sites file 'none.csv'"));
  std::filesystem::remove_all(dir);
}

TEST(Loader, ARenamedKeyIsRefusedWithItsNewName) {
  // The backhaul delay belongs to the sites since the technology seam.
  EXPECT_THAT(
      error_of(kValid, {"lora={ backhaul_delay: 50 ms }"}),
      HasSubstr("lora.backhaul_delay is now gateways[].backhaul_delay, a delay per site: write 'backhaul_delay: "
                "50 ms' on each gateway instead"));
  EXPECT_EQ(load_scenario_text(kValid, "t.yaml", {"gateways.gw.backhaul_delay=50 ms"}).gateways[0].backhaul_delay,
            Time::milliseconds(50));
}

}  // namespace
}  // namespace m2msim::scenario
