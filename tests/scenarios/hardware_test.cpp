// Chip profiles: the built-in data files carry the datasheet values (each
// number below is read from the datasheet named beside it, not from our
// files), and bad profiles or references get FILE:LINE:COLUMN errors.
#include "scenarios/hardware.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "engine/technologies.hpp"
#include "models/lorawan/scenario_settings.hpp"
#include "scenarios/loader.hpp"

namespace m2msim::scenario {
namespace {

using engine::load_scenario_file;
using engine::load_scenario_text;
using ::testing::HasSubstr;
using ::testing::StartsWith;

energy::CurrentProfile radio(const std::string& name) {
  return std::get<energy::CurrentProfile>(builtin_hardware_profile(name));
}
energy::McuProfile mcu(const std::string& name) { return std::get<energy::McuProfile>(builtin_hardware_profile(name)); }

TEST(BuiltinHardware, EveryFileParsesAndIsNamedLikeItsFile) {
  const auto names = builtin_hardware_names();
  for (const char* expected : {"esp32", "nrf52840", "nrf9160", "stm32l072", "sx1262", "sx1272", "sx1276"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  for (const auto& f : builtin_hardware_files()) {
    const auto p = load_hardware_profile_text(f.text, f.path);
    const std::string name = std::visit([](const auto& x) { return x.name; }, p);
    EXPECT_EQ(name, f.name) << f.path;
    EXPECT_EQ(std::visit([](const auto& x) { return x.file; }, p), f.path);
  }
}

TEST(BuiltinHardware, Sx1276MatchesItsDatasheet) {
  // Semtech SX1276/77/78/79 datasheet Rev. 7, §2.5.1 Table 6, band 1:
  // IDDSL 0.2 uA, IDDST 1.6 mA, IDDR_L 11.5 mA, IDDT 20 mA @ +7 dBm and
  // 29 mA @ +13 dBm (RFO), 87 mA @ +17 dBm and 120 mA @ +20 dBm (PA_BOOST).
  const auto p = radio("sx1276");
  EXPECT_EQ(p.technology, "lora");
  EXPECT_DOUBLE_EQ(p.sleep_mA, 0.0002);
  EXPECT_DOUBLE_EQ(p.standby_mA, 1.6);
  EXPECT_DOUBLE_EQ(p.rx_mA, 11.5);
  EXPECT_DOUBLE_EQ(p.tx_mA(7), 20.0);
  EXPECT_DOUBLE_EQ(p.tx_mA(13), 29.0);
  EXPECT_DOUBLE_EQ(p.tx_mA(17), 87.0);
  EXPECT_DOUBLE_EQ(p.tx_mA(20), 120.0);
}

TEST(BuiltinHardware, Sx1272MatchesItsDatasheet) {
  // Semtech SX1272/73 datasheet, Table 6: IDDSL 0.1 uA, IDDST 1.4 mA, IDDR
  // 11.2 mA, IDDT 18 / 28 mA @ +7 / +13 dBm, 90 / 125 mA @ +17 / +20 dBm.
  const auto p = radio("sx1272");
  EXPECT_DOUBLE_EQ(p.sleep_mA, 0.0001);
  EXPECT_DOUBLE_EQ(p.standby_mA, 1.4);
  EXPECT_DOUBLE_EQ(p.rx_mA, 11.2);
  EXPECT_DOUBLE_EQ(p.tx_mA(7), 18.0);
  EXPECT_DOUBLE_EQ(p.tx_mA(20), 125.0);
}

TEST(BuiltinHardware, Sx1262MatchesItsDatasheet) {
  // Semtech SX1261/2 datasheet, Table 3-5: sleep (warm start) 0.6 uA,
  // STDBY_RC 0.6 mA, RX DC-DC LoRa 125 kHz 4.6 mA; Table 3-6 (SX1262, PA set
  // for +22 dBm): 118 mA @ +22 dBm, 90 mA @ +14 dBm.
  const auto p = radio("sx1262");
  EXPECT_DOUBLE_EQ(p.sleep_mA, 0.0006);
  EXPECT_DOUBLE_EQ(p.standby_mA, 0.6);
  EXPECT_DOUBLE_EQ(p.rx_mA, 4.6);
  EXPECT_DOUBLE_EQ(p.tx_mA(14), 90.0);
  EXPECT_DOUBLE_EQ(p.tx_mA(22), 118.0);
  EXPECT_DOUBLE_EQ(p.max_tx_dBm(), 22.0);
}

TEST(BuiltinHardware, Tr45820ProfileGivesTheReportsLimitingLives) {
  // TR 45.820 §7.3.6.4 (as M. Sauter, Wiley, 3rd ed., p. 318, reproduces it):
  // on 5 Wh, deep sleep alone (0.015 mW) lasts 38 years, transmitting
  // alone (500 mW) 10 hours. With the profile's 3.6 V supply:
  const auto p = radio("tr45820-nbiot");
  const double wh = 5.0, hours_per_year = 8766.0;
  EXPECT_NEAR(wh / (p.sleep_mA * p.supply_V * 1e-3) / hours_per_year, 38.0, 0.05);
  EXPECT_NEAR(wh / (p.tx_mA(23) * p.supply_V * 1e-3), 10.0, 0.001);
  EXPECT_NEAR(p.rx_mA * p.supply_V, 80.0, 0.001);        // mW
  EXPECT_NEAR(p.standby_mA * p.supply_V, 3.0, 0.001);    // mW
  EXPECT_NEAR(p.connected_mA * p.supply_V, 3.0, 0.001);  // mW: the TR's light sleep between the steps
  // The nRF9160's PS gives no connected current: the model takes its rx.
  EXPECT_DOUBLE_EQ(radio("nrf9160").connected_or_rx_mA(), radio("nrf9160").rx_mA);
  // One point only: no other power is accepted.
  EXPECT_EQ(p.min_tx_dBm(), 23.0);
  EXPECT_EQ(p.max_tx_dBm(), 23.0);
  // Quectel BG96 Hardware Design V1.3 Table 34: PSM 10 uA; sleep state,
  // DRX 1.28 s, Cat NB1 2.3 mA; Cat NB1 data transfer B20 @ 22.7 dBm 157 mA.
  const auto b = radio("bg96");
  EXPECT_DOUBLE_EQ(b.sleep_mA, 0.010);
  EXPECT_DOUBLE_EQ(b.standby_mA, 2.3);
  EXPECT_DOUBLE_EQ(b.tx_mA(23), 157.0);
}

TEST(BuiltinHardware, CellularWifiAndMcuProfilesMatchTheirDatasheets) {
  // nRF9160 PS, modem current consumption (LTE-M, B20): PSM floor 2.7 uA,
  // eDRX 81.92 s average 18 uA, 23 dBm RMC 105 mA.
  const auto n = radio("nrf9160");
  EXPECT_EQ(n.technology, "cellular");
  EXPECT_DOUBLE_EQ(n.sleep_mA, 0.0027);
  EXPECT_DOUBLE_EQ(n.standby_mA, 0.018);
  EXPECT_DOUBLE_EQ(n.tx_mA(23), 105.0);
  // Idle mode by paging cycle: the PS's eDRX averages, 18 uA at 81.92 s
  // and 6 uA at 655.36 s (8 × 81.92 s). I = a + b/T through both:
  // a = (8·6 − 18)/7 = 30/7 uA, b/81.92 s = 96/7 uA; at 163.84 s
  // 30/7 + 48/7 = 78/7 = 11.142857 uA. Outside the points, the nearest.
  EXPECT_NEAR(n.idle_mA(81.92), 0.018, 1e-12);
  EXPECT_NEAR(n.idle_mA(655.36), 0.006, 1e-12);
  EXPECT_NEAR(n.idle_mA(163.84), 0.078 / 7.0, 1e-12);
  EXPECT_NEAR(n.idle_mA(2.56), 0.018, 1e-12);
  EXPECT_NEAR(n.idle_mA(10485.76), 0.006, 1e-12);
  // Without a technology's values (a LoRaWAN-style use of the file's own):
  // no connected state, so the model waits at rx.
  EXPECT_DOUBLE_EQ(n.connected_or_rx_mA(), n.rx_mA);
  // An NB-IoT group takes the PS's Cat-NB1 column where it gives one: eDRX
  // averages 37 uA at 81.92 s (also its standby) and 9 uA at 655.36 s.
  // Through both: b = 28 uA / (1/81.92 − 1/655.36) s⁻¹ = 2621.44 uA·s, a =
  // 37 − 32 = 5 uA; at 163.84 s 5 + 16 = 21 uA. The rest is Cat-M1's.
  const auto nb = n.for_technology("nbiot");
  EXPECT_DOUBLE_EQ(nb.standby_mA, 0.037);
  EXPECT_NEAR(nb.idle_mA(81.92), 0.037, 1e-12);
  EXPECT_NEAR(nb.idle_mA(655.36), 0.009, 1e-12);
  EXPECT_NEAR(nb.idle_mA(163.84), 0.021, 1e-12);
  EXPECT_NEAR(nb.idle_mA(2.56), 0.037, 1e-12);
  // Carried on below 81.92 s instead of held: a + b/T = 5 + 2621.44/2.56 =
  // 1029 uA at 2.56 s (the summary's warning, docs/models/cellular.md §3.4.1);
  // inside the table the same as idle_mA.
  EXPECT_NEAR(nb.idle_mA_extrapolated(2.56), 1.029, 1e-12);
  EXPECT_NEAR(nb.idle_mA_extrapolated(163.84), 0.021, 1e-12);
  EXPECT_DOUBLE_EQ(nb.sleep_mA, 0.0027);
  EXPECT_DOUBLE_EQ(nb.connected_or_rx_mA(), 45.0);
  EXPECT_TRUE(nb.by_technology.empty());
  // An LTE-M group waits connected at 10 mA: the nRF9160 measured on LTE-M,
  // 9.7 mA over a 10.24 s tail (Fosse, NTNU 2020: 101.95 uWh / 10.24 s /
  // 3.7 V), 11.5 mA inside the PS's 105 mJ, 1.5 s TAU, at most 4.6 mA over
  // Kraus's 9.6 s tail (docs/models/cellular.md §9.4). Its idle currents
  // stay Cat-M1's.
  const auto m1n = n.for_technology("ltem");
  EXPECT_NEAR(101.95e-6 * 3600.0 / 10.24 / 3.7 * 1000.0, 9.687, 1e-3);  // Fosse's tail, mA
  EXPECT_DOUBLE_EQ(m1n.connected_or_rx_mA(), 10.0);
  EXPECT_DOUBLE_EQ(m1n.rx_mA, 45.0);
  EXPECT_NEAR(m1n.idle_mA(81.92), 0.018, 1e-12);
  // BG96 Hardware Design V1.3 Table 34, sleep state on Cat NB1: 2.3 mA at
  // DRX 1.28 s, 1.7 mA at eDRX 20.48 s (16 × 1.28 s): a = (16·1.7 − 2.3)/15
  // = 1.66 mA, b/1.28 s = 0.64 mA; at 2.56 s 1.66 + 0.32 = 1.98 mA.
  EXPECT_NEAR(radio("bg96").idle_mA(2.56), 1.98, 1e-12);
  // An LTE-M group takes the Cat M1 rows: Table 34, sleep state 1.7 mA at
  // DRX 1.28 s and 1.1 mA at e-I-DRX 20.48 s (a = (16·1.1 − 1.7)/15 = 1.06
  // mA, b/1.28 s = 0.64 mA; at 2.56 s 1.06 + 0.32 = 1.38 mA), data transfer
  // B20 @ 23.07 dBm 209 mA; LTE Specification V1.6, Cat M1 connected mode
  // (avg.) 128 / 140 mA at 0 / 10 dBm (at 5 dBm, 134 mA). Cat NB1 keeps 157.
  const auto bg_m1 = radio("bg96").for_technology("ltem");
  EXPECT_DOUBLE_EQ(bg_m1.standby_mA, 1.7);
  EXPECT_NEAR(bg_m1.idle_mA(2.56), 1.38, 1e-12);
  EXPECT_DOUBLE_EQ(bg_m1.tx_mA(23), 209.0);
  EXPECT_NEAR(bg_m1.tx_mA(5), 134.0, 1e-12);
  EXPECT_DOUBLE_EQ(bg_m1.rx_mA, 16.0);
  EXPECT_DOUBLE_EQ(radio("bg96").for_technology("nbiot").tx_mA(23), 157.0);
  // Quectel BG95 Series Hardware Design V1.3 (2021-01-08), Table 40 (BG95-M3,
  // 3.8 V): PSM 3.89 uA; sleep mode, DRX 1.28 s, 1.89 mA (Cat M1) and 1.49 mA
  // (Cat NB1); e-I-DRX 81.92 s, 0.63 and 0.67 mA; idle mode 18.9 and 14.8 mA;
  // data transfer B20 197.33 mA (Cat M1 @ 20.92 dBm) and 161.75 mA (Cat NB1 @
  // 21.01 dBm), power class 5, 21 dBm. Cat M1 at 2.56 s: b = 1.26 mA / (1/1.28
  // − 1/81.92) s⁻¹ = 1.6384 mA·s, a = 1.89 − 1.28 = 0.61 mA: 0.61 + 0.64 =
  // 1.25 mA.
  const auto bg95 = radio("bg95-m3"), bg95_nb = bg95.for_technology("nbiot");
  EXPECT_DOUBLE_EQ(bg95.sleep_mA, 0.00389);
  EXPECT_DOUBLE_EQ(bg95.standby_mA, 1.89);
  EXPECT_DOUBLE_EQ(bg95.rx_mA, 18.9);
  EXPECT_DOUBLE_EQ(bg95.tx_mA(21), 197.33);
  EXPECT_DOUBLE_EQ(bg95.max_tx_dBm(), 21.0);
  EXPECT_NEAR(bg95.idle_mA(2.56), 1.25, 1e-12);
  EXPECT_DOUBLE_EQ(bg95_nb.standby_mA, 1.49);
  EXPECT_DOUBLE_EQ(bg95_nb.rx_mA, 14.8);
  EXPECT_DOUBLE_EQ(bg95_nb.tx_mA(21), 161.75);
  EXPECT_NEAR(bg95_nb.idle_mA(81.92), 0.67, 1e-12);
  EXPECT_DOUBLE_EQ(bg95_nb.sleep_mA, 0.00389);
  // u-blox SARA-R4/N4 Data Sheet UBX-16024152 R15, Table 12 (SARA-R410M,
  // 3.8 V): PSM deep sleep 8 uA; +UPSV=4 eDRX 20.48 s 1.6 mA; Cat M1
  // connected averages 100 mA at minimum power (the receive proxy), 105 /
  // 125 / 150 / 190 mA at 0 / 12 / 18 dBm / maximum; Cat NB1 60 mA, 65 / 80
  // / 100 / 140 mA. Between points, linear: Cat M1 at 15 dBm 125 + 3/6 · 25
  // = 137.5 mA, Cat NB1 at 20 dBm 100 + 2/5 · 40 = 116 mA.
  const auto m1 = radio("sara-r410m-m1"), nb1 = radio("sara-r410m-nb1");
  for (const auto* x : {&m1, &nb1}) {
    EXPECT_EQ(x->technology, "cellular");
    EXPECT_DOUBLE_EQ(x->sleep_mA, 0.008);
    EXPECT_DOUBLE_EQ(x->standby_mA, 1.6);
    EXPECT_DOUBLE_EQ(x->supply_V, 3.8);
    EXPECT_NEAR(x->idle_mA(2.56), 1.6, 1e-12);
    EXPECT_DOUBLE_EQ(x->connected_or_rx_mA(), x->rx_mA);
  }
  EXPECT_DOUBLE_EQ(m1.rx_mA, 100.0);
  EXPECT_DOUBLE_EQ(m1.tx_mA(23), 190.0);
  EXPECT_NEAR(m1.tx_mA(15), 137.5, 1e-12);
  EXPECT_DOUBLE_EQ(nb1.rx_mA, 60.0);
  EXPECT_DOUBLE_EQ(nb1.tx_mA(0), 65.0);
  EXPECT_NEAR(nb1.tx_mA(20), 116.0, 1e-12);
  // ESP32 datasheet v5.2, Table 4-2: deep sleep (RTC timer + memory) 10 uA;
  // Table 5-4: 802.11b 1 Mbps TX at 19.5 dBm 240 mA, receive 100 mA (upper end).
  const auto e = radio("esp32");
  EXPECT_EQ(e.technology, "wifi");
  EXPECT_DOUBLE_EQ(e.sleep_mA, 0.010);
  EXPECT_DOUBLE_EQ(e.rx_mA, 100.0);
  EXPECT_DOUBLE_EQ(e.tx_mA(19.5), 240.0);
  // nRF52840 PS v1.11: ION_RAMON_RTC 3.16 uA; ICPU0 CoreMark 64 MHz DC/DC 3.3 mA.
  const auto m = mcu("nrf52840");
  EXPECT_DOUBLE_EQ(m.sleep_mA, 0.00316);
  EXPECT_DOUBLE_EQ(m.active_mA, 3.3);
  // STM32L072 datasheet, front page: Stop mode + RTC + 20 KB RAM 0.86 uA.
  EXPECT_DOUBLE_EQ(mcu("stm32l072").sleep_mA, 0.00086);
}

std::string profile_error(const std::string& text) {
  try {
    load_hardware_profile_text(text, "chip.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

const std::string kRadio =
    "name: chip\n"                                              // 1
    "kind: radio\n"                                             // 2
    "technology: lora\n"                                        // 3
    "datasheet: \"A datasheet\"\n"                              // 4
    "supply: 3.3 V\n"                                           // 5
    "states:\n"                                                 // 6
    "  sleep: { current: 1 uA, source: \"T1\" }\n"              // 7
    "  standby: { current: 1 mA, source: \"T1\" }\n"            // 8
    "  rx: { current: 5 mA, source: \"T1\" }\n"                 // 9
    "tx:\n"                                                     // 10
    "  - { power: 10 dBm, current: 20 mA, source: \"T2\" }\n"   // 11
    "  - { power: 14 dBm, current: 30 mA, source: \"T2\" }\n";  // 12

TEST(HardwareProfileErrors, AValidProfileLoads) {
  const auto p = std::get<energy::CurrentProfile>(load_hardware_profile_text(kRadio, "chip.yaml"));
  EXPECT_DOUBLE_EQ(p.sleep_mA, 0.001);
  EXPECT_DOUBLE_EQ(p.tx_mA(12), 25.0);
}

TEST(HardwareProfileErrors, PointAtTheOffendingValue) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string t = kRadio;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  EXPECT_THAT(profile_error(with("current: 5 mA", "current: 5")), StartsWith("chip.yaml:9:18: states.rx.current"));
  EXPECT_THAT(profile_error(with("current: 5 mA", "current: 5 mAh")), HasSubstr("mA"));
  EXPECT_THAT(profile_error(with(", source: \"T1\" }\n  rx", " }\n  rx")),
              StartsWith("chip.yaml:8:12: missing key 'source'"));
  EXPECT_THAT(profile_error(with("power: 14 dBm", "power: 9 dBm")),
              StartsWith("chip.yaml:12:14: tx[1].power must be above"));
  EXPECT_THAT(profile_error(with("technology: lora", "technology: lte")),
              StartsWith("chip.yaml:3:13: technology 'lte' is not known"));
  EXPECT_THAT(profile_error(with("kind: radio", "kind: mcu")), StartsWith("chip.yaml:3:1: unknown key 'technology'"));
  EXPECT_THAT(
      profile_error(with("  rx: { current: 5 mA, source: \"T1\" }\n",
                         "  rx: { current: 5 mA, source: \"T1\" }\n  connected: { current: 5 mA, source: \"T1\" }\n")),
      StartsWith("chip.yaml:10:14: states.connected applies only to cellular radios"));
  // A transmitter draws more at more power: a current that falls is a misread point.
  EXPECT_THAT(profile_error(with("current: 30 mA", "current: 3 mA")),
              StartsWith("chip.yaml:12:31: tx[1].current is below the previous point's, 20 mA, at a higher power"));
  EXPECT_THAT(profile_error(kRadio.substr(0, kRadio.find("tx:")) + "tx: []\n"),
              StartsWith("chip.yaml:10:5: tx must be a list of points"));
  // Idle currents by paging cycle: cellular only, two points or more, ascending.
  const std::string idle = "idle_by_cycle:\n  - { cycle: 2.56 s, current: 1 mA, source: \"T3\" }\n";
  EXPECT_THAT(profile_error(kRadio + idle + "  - { cycle: 20.48 s, current: 0.5 mA, source: \"T3\" }\n"),
              StartsWith("chip.yaml:14:3: idle_by_cycle applies only to cellular radios"));
  const std::string cellular = with("technology: lora", "technology: cellular");
  EXPECT_THAT(profile_error(cellular + idle), StartsWith("chip.yaml:14:3: idle_by_cycle must be a list of at least 2"));
  EXPECT_THAT(profile_error(cellular + idle + "  - { cycle: 1.28 s, current: 0.5 mA, source: \"T3\" }\n"),
              StartsWith("chip.yaml:15:14: idle_by_cycle[1].cycle must be above the previous point's"));
  const auto ok = std::get<energy::CurrentProfile>(load_hardware_profile_text(
      cellular + idle + "  - { cycle: 20.48 s, current: 0.5 mA, source: \"T3\" }\n", "chip.yaml"));
  EXPECT_EQ(ok.idle_mA_by_cycle_s.size(), 2u);
  // Values by technology: a map of technologies to the states or idle
  // currents that differ; each entry must give one, in the keys the file's
  // own take (connected and idle_by_cycle for cellular radios only).
  const std::string by = "by_technology:\n  ltem:\n";  // lines 13, 14
  EXPECT_THAT(profile_error(cellular + "by_technology: []\n"),
              StartsWith("chip.yaml:13:16: by_technology must be a map"));
  EXPECT_THAT(profile_error(cellular + "by_technology: {}\n"), StartsWith("chip.yaml:13:16: by_technology is empty"));
  EXPECT_THAT(profile_error(cellular + by + "    idle: 1\n"),
              StartsWith("chip.yaml:15:5: unknown key 'idle' in by_technology.ltem"));
  EXPECT_THAT(profile_error(cellular + by + "    states: {}\n"),
              StartsWith("chip.yaml:15:13: by_technology.ltem.states gives no state"));
  EXPECT_THAT(profile_error(cellular + "by_technology: { ltem: {} }\n"),
              StartsWith("chip.yaml:13:24: by_technology.ltem gives no value"));
  EXPECT_THAT(profile_error(kRadio + by + "    states: { connected: { current: 1 mA, source: \"M\" } }\n"),
              StartsWith("chip.yaml:15:26: by_technology.ltem.states.connected applies only to cellular radios"));
  EXPECT_THAT(profile_error(cellular + by + "    states: { rx: { current: 1 mA } }\n"),
              StartsWith("chip.yaml:15:19: missing key 'source'"));
  EXPECT_THAT(profile_error(cellular + by + "    tx:\n      - { power: 14 dBm, current: 9 mA, source: \"M\" }\n" +
                            "      - { power: 10 dBm, current: 9 mA, source: \"M\" }\n"),
              StartsWith("chip.yaml:17:18: by_technology.ltem.tx[1].power must be above the previous point's"));
  const auto v = std::get<energy::CurrentProfile>(load_hardware_profile_text(
      cellular + by + "    states: { connected: { current: 2 mA, source: \"M\" } }\n", "chip.yaml"));
  ASSERT_EQ(v.by_technology.size(), 1u);
  EXPECT_EQ(v.by_technology[0].at, "chip.yaml:14:3");
  EXPECT_DOUBLE_EQ(v.for_technology("ltem").connected_or_rx_mA(), 2.0);
  EXPECT_DOUBLE_EQ(v.for_technology("nbiot").connected_or_rx_mA(), 5.0);  // no entry: rx
  // Without a table the idle current is the standby state's at every cycle.
  EXPECT_DOUBLE_EQ(std::get<energy::CurrentProfile>(load_hardware_profile_text(cellular, "chip.yaml")).idle_mA(40.96),
                   1.0);
}

// A scenario referring to profiles: built-in names, a file by path, and the
// errors for a wrong kind or technology.
const std::string kScenario =
    "name: t\n"
    "duration: 1 h\n"
    "area: { width: 1 km, height: 1 km }\n"
    "environment:\n"
    "  propagation: { model: free-space }\n"
    "gateways:\n"
    "  - { name: gw, position: [500 m, 500 m] }\n"
    "devices:\n"
    "  - group: meters\n"
    "    count: 10\n"
    "    radio: { technology: lorawan, spreading_factor: 7, tx_power: 14 dBm }\n"
    "    traffic: { periodic: { every: 15 min }, payload: 20 B }\n"
    "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n";  // line 13

std::string scenario_error(const std::string& hardware_line) {
  try {
    load_scenario_text(kScenario + hardware_line, "t.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(ScenarioHardware, NamesBuiltinRadioAndMcu) {
  const auto s = load_scenario_text(
      kScenario + "    hardware: { radio: sx1262, mcu: stm32l072, mcu_active_per_packet: 20 ms }\n", "t.yaml");
  EXPECT_EQ(s.groups[0].hardware.radio.name, "sx1262");
  ASSERT_TRUE(s.groups[0].hardware.mcu.has_value());
  EXPECT_EQ(s.groups[0].hardware.mcu->name, "stm32l072");
  EXPECT_EQ(s.groups[0].hardware.mcu_active_per_packet, Time::milliseconds(20));
  // Without hardware: the LoRaWAN default board, an SX1276 and an STM32L072.
  const auto d = load_scenario_text(kScenario, "t.yaml");
  EXPECT_EQ(d.groups[0].hardware.board, "lorawan-sensor-node");
  EXPECT_EQ(d.groups[0].hardware.radio.name, "sx1276");
  ASSERT_TRUE(d.groups[0].hardware.mcu.has_value());
  EXPECT_EQ(d.groups[0].hardware.mcu->name, "stm32l072");
  // board: none: the radio alone.
  const auto n = load_scenario_text(kScenario + "    hardware: { board: none }\n", "t.yaml");
  EXPECT_EQ(n.groups[0].hardware.board, "");
  EXPECT_EQ(n.groups[0].hardware.radio.name, "sx1276");
  EXPECT_FALSE(n.groups[0].hardware.mcu.has_value());
  EXPECT_DOUBLE_EQ(n.groups[0].hardware.sleep_floor_mA, 0.0);
}

TEST(ScenarioHardware, ReadsAProfileFileRelativeToTheScenario) {
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream f(dir + "/chip.yaml");
    f << kRadio;
  }
  const auto s = load_scenario_text(kScenario + "    hardware: { radio: chip.yaml }\n", dir + "/t.yaml");
  EXPECT_EQ(s.groups[0].hardware.radio.name, "chip");
  EXPECT_DOUBLE_EQ(s.groups[0].hardware.radio.rx_mA, 5.0);
  EXPECT_THAT(scenario_error("    hardware: { radio: missing.yaml }\n"),
              StartsWith("t.yaml:14:24: devices[0] (group meters).hardware.radio: cannot read"));
}

TEST(ScenarioHardware, RefusesTheWrongKindOrTechnology) {
  EXPECT_THAT(scenario_error("    hardware: nrf9160\n"),
              StartsWith("t.yaml:14:15: devices[0] (group meters).hardware: 'nrf9160' is a cellular radio"));
  EXPECT_THAT(scenario_error("    hardware: nrf52840\n"), HasSubstr("is a microcontroller profile"));
  EXPECT_THAT(scenario_error("    hardware: { radio: sx1276, mcu: sx1262 }\n"),
              HasSubstr("mcu: 'sx1262' is not a microcontroller profile"));
  EXPECT_THAT(scenario_error("    hardware: sx1267\n"), HasSubstr("Did you mean 'sx1262'?"));
  EXPECT_THAT(scenario_error("    hardware: { radio: sx1276, mcu: none, mcu_active_per_packet: 5 ms }\n"),
              HasSubstr("needs devices[0] (group meters).hardware.mcu"));
}

TEST(ScenarioHardware, AGroupTakesItsTechnologysValuesOfTheProfile) {
  // by_technology names the radio.technology whose devices take its values;
  // a name that is no technology of the profile's family is refused where
  // the file names it, with the family's technologies.
  const std::string dir = ::testing::TempDir();
  const auto write = [&](const std::string& file, const std::string& tech) {
    std::ofstream f(dir + "/" + file);
    f << kRadio << "by_technology:\n  " << tech << ":\n    states: { rx: { current: 6 mA, source: \"M\" } }\n";
  };
  write("bytech.yaml", "lorawan");
  write("bytypo.yaml", "lorawn");
  const auto s = load_scenario_text(kScenario + "    hardware: { radio: bytech.yaml }\n", dir + "/t.yaml");
  EXPECT_DOUBLE_EQ(s.groups[0].hardware.radio.rx_mA, 6.0);
  EXPECT_TRUE(s.groups[0].hardware.radio.by_technology.empty());
  try {
    load_scenario_text(kScenario + "    hardware: { radio: bytypo.yaml }\n", dir + "/t.yaml");
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(e.what(), HasSubstr("bytypo.yaml:14:3: by_technology: 'lorawn' is not a technology of lora radios "
                                    "(radio 'chip'); those are: lorawan"));
  }
}

TEST(ScenarioHardware, TheDefaultTxPowerMustAlsoBeInsideTheChipsTable) {
  // A profile whose table stops at 12 dBm and a radio without tx_power
  // (default 14 dBm): an error, not the current of the table's end.
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream f(dir + "/low.yaml");
    std::string low = kRadio;
    low.replace(low.find("power: 14 dBm"), 13, "power: 12 dBm");
    f << low;
  }
  std::string t = kScenario + "    hardware: low.yaml\n";
  t.replace(t.find(", tx_power: 14 dBm"), 18, "");
  try {
    load_scenario_text(t, dir + "/t.yaml");
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("radio.tx_power is not given and its default, 14 dBm, is outside 10 dBm to 12 dBm"));
  }
}

TEST(ScenarioHardware, TxPowerMustBeInsideTheChipsTable) {
  // The SX1262 table runs +14..+22 dBm, the SX1276's +7..+20 dBm.
  std::string t = kScenario + "    hardware: sx1276\n";
  t.replace(t.find("tx_power: 14 dBm"), 16, "tx_power: 22 dBm");
  try {
    load_scenario_text(t, "t.yaml");
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(e.what(), HasSubstr("7 dBm to 20 dBm (the range of the sx1276 current table)"));
  }
  std::string ok = kScenario + "    hardware: sx1262\n";
  ok.replace(ok.find("tx_power: 14 dBm"), 16, "tx_power: 22 dBm");
  EXPECT_DOUBLE_EQ(lora::radio_of(load_scenario_text(ok, "t.yaml").groups[0]).tx_power_dBm, 22.0);
}

// ---- boards and battery cells

TEST(BuiltinBatteries, EveryCellParsesAndMatchesItsDatasheet) {
  for (const auto& f : builtin_battery_files()) {
    const auto c = load_cell_text(f.text, f.path);
    EXPECT_EQ(c.name, f.name) << f.path;
    EXPECT_GT(c.capacity_mAh, 0.0) << f.path;
  }
  // Panasonic Lithium Handbook (Aug 2005), CR2032: 3 V, 225 mAh, -30 to
  // +60 degC; "Capacity vs. load resistance" at +20 degC, 1 kOhm: 163 mAh.
  const auto cr = builtin_cell("cr2032");
  EXPECT_EQ(cr.chemistry, "li-mno2");
  EXPECT_DOUBLE_EQ(cr.capacity_mAh, 225.0);
  EXPECT_DOUBLE_EQ(cr.voltage_V, 3.0);
  EXPECT_DOUBLE_EQ(cr.min_temperature_C, -30.0);
  EXPECT_DOUBLE_EQ(cr.max_temperature_C, 60.0);
  EXPECT_NEAR(cr.capacity_vs_current.at(2.7) * 225.0, 163.0, 0.5);
  // Energizer CR2 (as quoted: typical 800 mAh to 2.0 V at 100 ohm, 1000 mA
  // continuous, 2500 mA pulse, -40 to 60 degC); Rayovac: Li-MnO2 loses about
  // 1.5 % of its capacity a year.
  const auto cr2 = builtin_cell("cr2");
  EXPECT_EQ(cr2.chemistry, "li-mno2");
  EXPECT_DOUBLE_EQ(cr2.capacity_mAh, 800.0);
  EXPECT_DOUBLE_EQ(cr2.voltage_V, 3.0);
  EXPECT_DOUBLE_EQ(cr2.max_continuous_mA, 1000.0);
  EXPECT_DOUBLE_EQ(cr2.max_pulse_mA, 2500.0);
  EXPECT_DOUBLE_EQ(cr2.min_temperature_C, -40.0);
  EXPECT_DOUBLE_EQ(cr2.self_discharge_vs_temperature.at(20.0), 0.015);
  // Panasonic NCR18650B data sheet (v13.11 R1): 3350 mAh typical, 3.6 V;
  // Sanyo NCR18650-089 §5.9: 4.875 A maximum continuous discharge.
  const auto li = builtin_cell("ncr18650b");
  EXPECT_DOUBLE_EQ(li.capacity_mAh, 3350.0);
  EXPECT_DOUBLE_EQ(li.max_continuous_mA, 4875.0);
  EXPECT_TRUE(li.rechargeable);
  // Saft LS 14500 datasheet (Doc. 31064-2-0909, Sept. 2009): 2.6 Ah at 2 mA,
  // 3.6 V, 50 mA continuous, 250 mA pulses, < 1 %/year at +20 degC; its chart
  // "Restored capacity versus current and temperature" (2.0 V cut-off):
  // 1.33 Ah at 50 mA and +20 degC; at 1 mA, 2.10 Ah at -20 degC against
  // 2.59 Ah at +20 degC; the same at every light load below 2 mA (its fall
  // there is the long test's self-discharge, counted apart).
  const auto ls = builtin_cell("ls14500");
  EXPECT_EQ(ls.chemistry, "li-socl2-bobbin");
  EXPECT_DOUBLE_EQ(ls.capacity_mAh, 2600.0);
  EXPECT_DOUBLE_EQ(ls.max_continuous_mA, 50.0);
  EXPECT_DOUBLE_EQ(ls.max_pulse_mA, 250.0);
  EXPECT_DOUBLE_EQ(ls.self_discharge_vs_temperature.at(20.0), 0.01);
  EXPECT_DOUBLE_EQ(ls.shelf_life_years, 20.0);
  EXPECT_NEAR(ls.capacity_vs_current.at(50.0) * 2600.0, 1330.0, 20.0);  // ±0.02 Ah: the chart's reading
  EXPECT_NEAR(ls.capacity_vs_current.at(0.03) * 2600.0, 2600.0, 1e-9);
  EXPECT_NEAR(ls.capacity_vs_temperature.at(-20.0) * 2590.0, 2100.0, 20.0);
  EXPECT_NEAR(ls.capacity_vs_temperature.at(20.0), 1.0, 1e-12);
}

TEST(CellFiles, ACapacityShareMustBeAboveZero) {
  const std::string cell =
      "name: c\nkind: battery\nchemistry: li-mno2\ndatasheet: d\n"
      "nominal: { capacity: 100 mAh, voltage: 3 V, source: s }\n"
      "capacity_vs_current:\n  - { current: 1 mA, share: 0 %, source: s }\n"
      "  - { current: 2 mA, share: 90 %, source: s }\n";
  try {
    load_cell_text(cell, "c.yaml");
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(e.what(), StartsWith("c.yaml:7:29: capacity_vs_current[0].share is out of range: must be above 0 %"));
  }
}

std::string cell_error(const std::string& text) {
  try {
    load_cell_text(text, "c.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

// A capacity curve of one point is one share at every current: `usable`
// says that plainly, so the file is refused rather than called a derating.
TEST(CellFiles, ACapacityCurveNeedsTwoPoints) {
  const std::string cell =
      "name: c\nkind: battery\nchemistry: li-mno2\ndatasheet: d\n"
      "nominal: { capacity: 100 mAh, voltage: 3 V, source: s }\n"
      "capacity_vs_current:\n  - { current: 1 mA, share: 90 %, source: s }\n";
  EXPECT_THAT(cell_error(cell), StartsWith("c.yaml:7:3: capacity_vs_current needs at least 2 points"));
}

// A hardware profile given where a cell goes, and a cell where hardware
// goes, are named for what they are, at their kind.
TEST(CellFiles, AProfileOfTheOtherKindIsNamedForWhatItIs) {
  EXPECT_THAT(cell_error(kRadio), StartsWith("c.yaml:2:7: kind is 'radio': this is a hardware profile; give it as "
                                             "devices[].hardware, not as a battery"));
  EXPECT_THAT(
      profile_error("name: c\nkind: battery\nchemistry: li-mno2\n"),
      StartsWith("chip.yaml:2:7: kind is 'battery': this is a battery cell file; give it as devices[].battery"));
}

TEST(BuiltinBoards, EachBoardCarriesARadioOfItsFamily) {
  for (const char* name : {"lorawan-sensor-node", "lorawan-node-lowpower", "nrf9160-tracker", "esp32-wifi-sensor"}) {
    const auto b = std::get<BoardProfile>(builtin_hardware_profile(name));
    EXPECT_EQ(b.device.radio.technology, b.technology) << name;
    EXPECT_FALSE(b.battery_cell.name.empty()) << name;
  }
  // The default LoRaWAN board: MCCI's ~30 uA for a Murata-module board,
  // less the SX1276 (0.2 uA), STM32L072 (0.86 uA) and SHT31 (0.2 uA) sleep
  // currents; an SHT31 reading is 0.6 mA for 12.5 ms (SHT3x datasheet).
  const auto b = std::get<BoardProfile>(builtin_hardware_profile("lorawan-sensor-node"));
  EXPECT_NEAR(b.device.sleep_floor_mA, 0.030 - 0.0002 - 0.00086 - 0.0002, 1e-12);
  EXPECT_NEAR(b.device.sensors_packet_mAs, 0.6 * 0.0125, 1e-15);
  EXPECT_EQ(b.battery_cell.name, "ls14500");
}

std::string battery_error(const std::string& lines) {
  std::string text = kScenario;
  text.erase(text.find("    battery:"));
  try {
    load_scenario_text(text + lines, "t.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(ScenarioBattery, ACellAPackOrItsFigures) {
  std::string text = kScenario;
  text.erase(text.find("    battery:"));
  // No battery: the default board's, one LS 14500 at 20 degC.
  const auto d = load_scenario_text(text, "t.yaml");
  EXPECT_EQ(d.groups[0].battery.battery.cell, "ls14500");
  EXPECT_DOUBLE_EQ(d.groups[0].battery.battery.capacity_mAh, 2600.0);
  EXPECT_DOUBLE_EQ(d.groups[0].battery.battery.self_discharge_per_year, 0.01);
  // Two CR2032 in parallel at -10 degC: 450 mAh, f_T = 214 / 220 = 97.27 %
  // (the handbook's capacity at -10 degC over +20 degC, lightest load).
  const auto p =
      load_scenario_text(text + "    battery: { cell: cr2032, parallel: 2 }\n    temperature: -10 degC\n", "t.yaml");
  EXPECT_DOUBLE_EQ(p.groups[0].battery.battery.capacity_mAh, 450.0);
  EXPECT_NEAR(p.groups[0].battery.battery.temperature_factor, 0.9727, 1e-12);
  EXPECT_DOUBLE_EQ(p.groups[0].battery.battery.max_pulse_mA, 40.0);
  // A temperature profile is averaged over the year.
  const auto t = load_scenario_text(
      text + "    battery: ls17500\n    temperature: { mean: 10 degC, daily_swing: 8 K, seasonal_swing: 20 K }\n",
      "t.yaml");
  EXPECT_DOUBLE_EQ(t.groups[0].battery.temperature.min_C(), -4.0);
  // The figures alone: an ideal cell.
  const auto f = load_scenario_text(kScenario, "t.yaml");
  EXPECT_EQ(f.groups[0].battery.battery.chemistry, "ideal");
  EXPECT_FALSE(f.groups[0].battery.cell.has_value());
}

TEST(ScenarioBattery, RefusesWhatDoesNotFit) {
  EXPECT_THAT(battery_error("    battery: { cell: ls14500, capacity: 2 Ah }\n"),
              HasSubstr("capacity comes from the cell"));
  EXPECT_THAT(battery_error("    battery: { capacity: 2 Ah, voltage: 3 V, parallel: 2 }\n"),
              HasSubstr("parallel needs devices[0] (group meters).battery.cell"));
  EXPECT_THAT(battery_error("    battery: ls14501\n"), HasSubstr("Did you mean 'ls14500'?"));
  EXPECT_THAT(battery_error("    hardware: { board: none }\n"),
              HasSubstr("a group without a board (hardware.board: none) needs one"));
  EXPECT_THAT(battery_error("    battery: ls14500\n    temperature: 120 degC\n"), HasSubstr("-60 degC to 100 degC"));
  EXPECT_THAT(battery_error("    battery: ls14500\n    temperature: { mean: 80 degC, seasonal_swing: 60 K }\n"),
              HasSubstr("must stay within -60 degC to 100 degC"));
  EXPECT_THAT(battery_error("    hardware: nrf9160-tracker\n"), HasSubstr("a lorawan device needs a lora board"));
  EXPECT_THAT(battery_error("    battery: { cell: ls14500, solar: { peak_power: 0.5 W, sun_hours_winter: 1 h, "
                            "sun_hours_summer: 5 h, efficiency: 70 % } }\n"),
              HasSubstr("solar needs a rechargeable cell"));
  EXPECT_THAT(battery_error("    battery: { cell: ncr18650b, solar: { peak_power: 0.5 W, sun_hours_winter: 1 h, "
                            "sun_hours_summer: 5 h } }\n"),
              HasSubstr("missing key 'efficiency'"));
  EXPECT_THAT(battery_error("    hardware: { board: lorawan-sensor-node, mcu: none, mcu_active_per_packet: 5 ms }\n"),
              HasSubstr("needs devices[0] (group meters).hardware.mcu"));
}

}  // namespace
}  // namespace m2msim::scenario
