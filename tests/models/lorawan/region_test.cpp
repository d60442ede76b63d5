// LoRaWAN regional parameters: the built-in data files against the values
// of LoRa Alliance RP002-1.0.4 (as LoRaMac-node and TTN's lorawan-stack
// encode them; each file cites its sources line by line), and errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/technologies.hpp"
#include "models/lorawan/scenario_settings.hpp"
#include "scenarios/loader.hpp"

namespace m2msim::scenario {
namespace {

using engine::load_scenario_file;
using engine::load_scenario_text;
using ::testing::HasSubstr;

TEST(Regions, EveryBuiltinRegionParses) {
  const auto names = lora::builtin_region_names();
  EXPECT_EQ(names, (std::vector<std::string>{"as923", "eu868", "us915"}));
  for (const auto& n : names) EXPECT_EQ(lora::builtin_region(n).name, n);
}

TEST(Regions, Eu868) {
  const auto r = lora::builtin_region("eu868");
  // DR0 = SF12/125 kHz, N = 51 B; DR5 = SF7/125 kHz, N = 242 B; DR6 = SF7/250 kHz.
  ASSERT_NE(r.data_rate(0), nullptr);
  EXPECT_EQ(r.data_rate(0)->spreading_factor, 12);
  EXPECT_EQ(r.data_rate(0)->max_payload_bytes, 51u);
  EXPECT_EQ(r.data_rate(5)->spreading_factor, 7);
  EXPECT_EQ(r.data_rate(5)->max_payload_bytes, 242u);
  EXPECT_EQ(r.data_rate(6)->bandwidth_hz, 250'000u);
  // Default channels 868.1, 868.3, 868.5 MHz, all in the 868.0–868.6 MHz 1 % band.
  ASSERT_EQ(r.uplink_channels.size(), 3u);
  EXPECT_EQ(r.uplink_channels[0].frequency_hz, 868'100'000u);
  EXPECT_EQ(r.uplink_channels[2].frequency_hz, 868'500'000u);
  for (const auto& c : r.uplink_channels) {
    ASSERT_NE(r.band_of(c.frequency_hz), nullptr);
    EXPECT_DOUBLE_EQ(r.band_of(c.frequency_hz)->duty_cycle, 0.01);
  }
  // RX2 869.525 MHz DR0, in the 10 % band; 16 dBm max EIRP; TXPower steps of 2 dB.
  EXPECT_EQ(r.rx2_frequency_hz, 869'525'000u);
  EXPECT_EQ(r.rx2_dr, 0);
  EXPECT_DOUBLE_EQ(r.band_of(869'525'000)->duty_cycle, 0.10);
  EXPECT_DOUBLE_EQ(r.max_eirp_dBm, 16.0);
  EXPECT_DOUBLE_EQ(r.tx_power_dBm(7), 2.0);  // TXPower 7 = Max EIRP − 14 dB
  EXPECT_EQ(r.receive_delay1, Time::seconds(1));
  EXPECT_EQ(r.receive_delay2, Time::seconds(2));
  EXPECT_EQ(r.join_accept_delay1, Time::seconds(5));
  EXPECT_EQ(r.rx1_frequency_hz(868'300'000), 868'300'000u);
  // RX1DROffset table: DR5 with offset 2 → DR3.
  EXPECT_EQ(r.rx1_dr_offset[5][2], 3);
  EXPECT_EQ(r.dwell_time, Time::zero());
  EXPECT_EQ(r.adr_ack_limit, 64);
  EXPECT_EQ(r.adr_ack_delay, 32);
}

TEST(Regions, Us915) {
  const auto r = lora::builtin_region("us915");
  // Uplink DR0 = SF10/125 kHz (N = 11 B), DR4 = SF8/500 kHz; DR8 = SF12/500 kHz downlink only.
  EXPECT_EQ(r.data_rate(0)->spreading_factor, 10);
  EXPECT_EQ(r.data_rate(0)->max_payload_bytes, 11u);
  EXPECT_EQ(r.data_rate(4)->bandwidth_hz, 500'000u);
  EXPECT_FALSE(r.data_rate(8)->uplink);
  // Sub-band 2: channels 8–15 at 903.9 + 0.2·(n − 8) MHz; RX1 at 923.3 + 0.6·(n mod 8) MHz.
  EXPECT_EQ(r.rx1_frequency_hz(903'900'000), 923'300'000u);  // channel 8
  EXPECT_EQ(r.rx1_frequency_hz(905'300'000), 927'500'000u);  // channel 15
  EXPECT_EQ(r.rx2_frequency_hz, 923'300'000u);
  EXPECT_EQ(r.rx2_dr, 8);
  EXPECT_EQ(r.dwell_time, Time::milliseconds(400));
  EXPECT_TRUE(r.duty_cycle_bands.empty());
}

TEST(Regions, As923) {
  const auto r = lora::builtin_region("as923");
  // 923.2 and 923.4 MHz; RX2 923.2 MHz DR2; 400 ms uplink dwell time on by
  // default, under which DR0 and DR1 carry no uplink and DR2 takes N = 11 B.
  EXPECT_EQ(r.uplink_channels[0].frequency_hz, 923'200'000u);
  EXPECT_EQ(r.uplink_channels[1].frequency_hz, 923'400'000u);
  EXPECT_EQ(r.rx2_frequency_hz, 923'200'000u);
  EXPECT_EQ(r.rx2_dr, 2);
  EXPECT_EQ(r.dwell_time, Time::milliseconds(400));
  EXPECT_FALSE(r.data_rate(0)->uplink);
  EXPECT_EQ(r.data_rate(2)->max_payload_bytes, 11u);
}

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
    "    radio: { technology: lorawan, data_rate: 3, tx_power: 14 dBm }\n"
    "    traffic: { periodic: { every: 15 min }, payload: 20 B }\n"
    "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n";

std::string error_of(const std::vector<std::string>& sets) {
  try {
    load_scenario_text(kScenario, "t.yaml", sets);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(Regions, AScenarioTakesItsDataRateAndChannelsFromTheRegion) {
  const auto s = load_scenario_text(kScenario, "t.yaml");
  EXPECT_EQ(lora::network_of(s).region.name, "eu868");         // the default
  EXPECT_EQ(lora::radio_of(s.groups[0]).spreading_factor, 9);  // EU868 DR3
  EXPECT_FALSE(lora::radio_of(s.groups[0]).fixed_frequency);
  EXPECT_EQ(lora::radio_of(s.groups[0]).frequency_hz, 868'100'000u);  // the lowest default channel, for path loss
  const auto us =
      load_scenario_text(kScenario, "t.yaml", {"lora={ region: us915 }", "devices.meters.radio.tx_power=20 dBm"});
  EXPECT_EQ(lora::radio_of(us.groups[0]).spreading_factor, 7);  // US915 DR3 = SF7/125 kHz
  EXPECT_EQ(lora::radio_of(us.groups[0]).frequency_hz, 903'900'000u);
}

TEST(Regions, ErrorsNameTheRegionsLimits) {
  EXPECT_THAT(error_of({"devices.meters.radio.data_rate=9"}),
              HasSubstr("data_rate 9 is not a data rate of region eu868 (valid: 0, 1, 2, 3, 4, 5, 6)"));
  // EU868 DR0 carries N = 51 B: a 70 B PHY payload is 57 B of application payload.
  EXPECT_THAT(error_of({"devices.meters.radio.data_rate=0", "devices.meters.traffic.payload=70 B"}),
              HasSubstr("a 70 B PHY payload exceeds data rate 0 of region eu868 (at most 51 B application payload + 13 "
                        "B LoRaWAN header)"));
  // US915 DR0 (SF10/125 kHz), 24 B at coding rate 4/8 (AN1200.13 by hand):
  // preamble 12.25 × 8.192 ms = 100.352 ms, 8 + ceil(196/40)·8 = 48 payload
  // symbols = 393.216 ms; 493.6 ms is over the 400 ms dwell time.
  EXPECT_THAT(
      error_of({"lora={ region: us915 }",
                "devices.meters.radio={ technology: lorawan, data_rate: 0, coding_rate: 4/8, tx_power: 20 dBm }",
                "devices.meters.traffic.payload=24 B"}),
      HasSubstr("an uplink lasts 493.6 ms, over the 400 ms dwell time of region us915"));
  EXPECT_THAT(error_of({"lora={ region: as923 }", "devices.meters.radio.data_rate=0"}),
              HasSubstr("cannot carry uplinks in region as923"));
  EXPECT_THAT(error_of({"lora={ region: eu686 }"}), HasSubstr("Did you mean 'eu868'?"));
  EXPECT_THAT(error_of({"devices.meters.radio={ technology: lorawan, data_rate: 3, spreading_factor: 9 }"}),
              HasSubstr("spreading_factor is set by data_rate"));
}

}  // namespace
}  // namespace m2msim::scenario
