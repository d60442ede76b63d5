// The LoRaWAN MAC in whole runs: duty cycle, confirmed uplinks with ACKs
// and retransmissions, ADR. Expected numbers are worked by hand beside each
// test from the LoRaWAN rules (LoRaWAN L2 1.0.4, RP002-1.0.4 as in
// data/lorawan/eu868.yaml) and the AN1200.13 time on air.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "models/lorawan/fates.hpp"
#include "models/lorawan/lora_network.hpp"
#include "models/lorawan/region.hpp"
#include "scenarios/loader.hpp"

namespace m2msim {
namespace {

using lora::PacketFate;
constexpr auto idx(PacketFate f) { return static_cast<std::size_t>(f); }

TEST(Fates, EveryGeneratedPacketEndsInExactlyOneFate) {
  // Whatever the MAC does (retries, joins, classes, ADR, a crowded cell),
  // the fates of each device add up to the packets it generated.
  const std::string quickstart = std::string(M2MSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.yaml";
  const std::vector<std::vector<std::string>> variants = {
      {},
      {"devices.meters.radio.confirmed=true"},
      {"devices.meters.radio.join=otaa", "devices.meters.radio.adr=true"},
      {"devices.meters.radio.class=C", "devices.meters.radio.confirmed=true"},
      {"devices.meters.count=3000", "devices.meters.radio.confirmed=true", "devices.meters.radio.max_transmissions=3"},
  };
  for (const auto& sets : variants) {
    const auto r = engine::run_native(engine::load_scenario_file(quickstart, sets));
    for (const auto& d : r.devices) {
      std::uint64_t sum = 0;
      for (auto f : d.fates) sum += f;
      ASSERT_EQ(sum, d.generated) << "device " << d.id << " with " << sets.size() << " overrides";
    }
  }
}

TEST(DutyCycle, OffTimeIsTimeOnAirTimesInverseDutyCycleMinusOne) {
  // SF7/125 kHz, 20 B, CR 4/5, CRC, explicit header: 12.25 + 43 symbols of
  // 1.024 ms = 56.576 ms. At 1 %: 56.576 ms × 99 = 5601.024 ms; at 0.1 %:
  // × 999 = 56 519.424 ms; at 10 %: × 9 = 509.184 ms.
  const Time toa = Time::microseconds(56576);
  EXPECT_EQ(lora::duty_cycle_off_time(toa, 0.01), Time::microseconds(5601024));
  EXPECT_EQ(lora::duty_cycle_off_time(toa, 0.001), Time::microseconds(56519424));
  EXPECT_EQ(lora::duty_cycle_off_time(toa, 0.10), Time::microseconds(509184));
  EXPECT_EQ(lora::duty_cycle_off_time(toa, 1.0), Time::zero());
}

std::string one_device(const std::string& radio, const std::string& traffic, const std::string& duration,
                       const std::string& extra = "") {
  return "name: mac\n"
         "duration: " +
         duration +
         "\n"
         "area: { width: 1 km, height: 1 km }\n"
         "environment: { propagation: { model: log-distance, reference_distance: 1 m, reference_loss: 31.2 dB, "
         "exponent: 3.0 } }\n" +
         extra +
         "gateways: [ { name: gw, position: [0 m, 0 m] } ]\n"
         "devices:\n"
         "  - group: d\n"
         "    placement: { list: [[100 m, 0 m]] }\n"
         "    radio: " +
         radio +
         "\n"
         "    traffic: " +
         traffic +
         "\n"
         "    hardware: { board: none }\n"
         "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n";
}

/// Moves one_device's device out of everyone's reach: to (900 m, 900 m),
/// about 1.27 km, at path-loss exponent 6 (31.2 + 60·log10(1272.8) =
/// 217.5 dB).
std::string out_of_reach(std::string text) {
  text.replace(text.find("[[100 m, 0 m]]"), 14, "[[900 m, 900 m]]");
  text.replace(text.find("exponent: 3.0"), 13, "exponent: 6.0");
  return text;
}

TEST(DutyCycle, OneChannelAtOnePercentSendsEveryOffTime) {
  // One packet per second on 868.1 MHz (1 % band), SF7, 20 B. After a send
  // at s, the radio is free at s + 56.576 ms + 2 s + RX2 (8 × 32.768 ms) =
  // s + 2.318720 s, and the band at s + 100 × 56.576 ms = s + 5.6576 s; a
  // packet arriving in between waits for the band, so sends are exactly
  // 5.6576 s apart. In 60 s from the first packet at t0 < 1 s: sends at
  // t0 + 5.6576·k for k = 0..10 → 11 sends, all delivered. The packet of
  // t0 + 59 s (after the radio is free at t0 + 58.89 s) waits for the band
  // until t0 + 62.23 s: in flight at the end. The other 48 are dropped
  // (radio_busy or duty_cycle).
  const auto r = engine::run_native(engine::load_scenario_text(
      one_device("{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm }",
                 "{ periodic: { every: 1 s }, payload: 20 B }", "60 s"),
      "dc.yaml"));
  const auto& d = r.devices[0];
  EXPECT_EQ(d.generated, 60u);
  EXPECT_EQ(d.sent, 11u);
  EXPECT_EQ(d.delivered, 11u);
  EXPECT_GT(d.fates[idx(PacketFate::DutyCycle)], 0u);
  EXPECT_EQ(d.fates[idx(PacketFate::DutyCycle)] + d.fates[idx(PacketFate::RadioBusy)], 48u);
  EXPECT_EQ(d.fates[idx(PacketFate::InFlight)], 1u);
  // Without the duty cycle, a packet goes whenever the radio is free
  // (every 3 s: the arrivals at +1 s and +2 s fall inside s + 2.31872 s): 20.
  const auto free = engine::run_native(engine::load_scenario_text(
      one_device(
          "{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, duty_cycle: false }",
          "{ periodic: { every: 1 s }, payload: 20 B }", "60 s"),
      "dc.yaml"));
  EXPECT_EQ(free.devices[0].sent, 20u);
}

TEST(DutyCycle, ThreeChannelsInOneBandShareItsBudget) {
  // The three EU868 default channels are all in the 868.0–868.6 MHz band:
  // the per-band rule gives no more than one channel does.
  const auto r = engine::run_native(
      engine::load_scenario_text(one_device("{ technology: lorawan, spreading_factor: 7, tx_power: 14 dBm }",
                                            "{ periodic: { every: 1 s }, payload: 20 B }", "60 s"),
                                 "dc.yaml"));
  EXPECT_EQ(r.devices[0].sent, 11u);
}

TEST(Confirmed, AnAckInRx1EndsTheExchange) {
  // 100 m from the gateway: every uplink is received and acknowledged in
  // RX1 (SF7, 12 B downlink, no CRC: 12.25 + 28 symbols = 41.216 ms).
  // Per uplink: TX 56.576 ms at 14 dBm (43.5 mA, SX1276 interpolated) and RX
  // for the downlink, 41.216 ms at 11.5 mA; no RX2. One packet per hour for
  // 10 h: 10 uplinks, 10 downlinks, every packet delivered at the first attempt.
  const auto r = engine::run_native(engine::load_scenario_text(
      one_device(
          "{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, confirmed: true }",
          "{ periodic: { every: 1 h }, payload: 20 B }", "10 h"),
      "ack.yaml"));
  const auto& d = r.devices[0];
  EXPECT_EQ(d.generated, 10u);
  EXPECT_EQ(d.delivered, 10u);
  EXPECT_EQ(d.transmissions, 10u);
  // Charge: 10 × (0.056576 s × 43.5 mA + 0.041216 s × 11.5 mA) = 29.35040 mA·s
  // awake, plus sleep (36 000 − 10 × 0.097792) s × 0.0002 mA = 7.19980 mA·s
  // → 36.55020 mA·s = 0.01015283 mAh.
  EXPECT_NEAR(d.charge_mAh, 36.5502 / 3600.0, 1e-8);
  // gateways.csv: the gateway received the 10 uplinks and sent the 10 ACKs,
  // 41.216 ms each: 100 × 0.41216 s / 36 000 s = 0.00114489 % of the window.
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.site_value(0, "uplinks_received"), 10);
  EXPECT_EQ(r.site_value(0, "uplinks_lost"), 0);
  EXPECT_EQ(r.site_value(0, "downlinks_sent"), 10);
  EXPECT_NEAR(r.site_value(0, "downlink_airtime_percent"), 100.0 * 10 * 0.041216 / 36000.0, 1e-12);
}

TEST(Backhaul, EachSiteDelayAddsToLatencyAndToTheAnswersWay) {
  // One gateway with a 300 ms backhaul and a 200 ms de-duplication window:
  // every uplink (56.576 ms on air, SF7, 20 B) reaches the application
  // 56.576 + 300 + 200 = 556.576 ms after it was generated; the ACK is at
  // the gateway 300 + 200 + 300 = 800 ms after the uplink, before RX1 (1 s).
  const auto text = [](const std::string& backhaul) {
    auto t = one_device(
        "{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, confirmed: true }",
        "{ periodic: { every: 1 h }, payload: 20 B }", "10 h", "lora: { deduplication_window: 200 ms }\n");
    const std::string gw = "gateways: [ { name: gw, position: [0 m, 0 m] } ]";
    return t.replace(t.find(gw), gw.size(),
                     "gateways: [ { name: gw, position: [0 m, 0 m], backhaul_delay: " + backhaul + " } ]");
  };
  const auto r = engine::run_native(engine::load_scenario_text(text("300 ms"), "bh.yaml"));
  EXPECT_NEAR(r.groups[0].latency_p50_s, 0.556576, 1e-9);
  EXPECT_EQ(r.devices[0].delivered, 10u);
  EXPECT_EQ(r.devices[0].transmissions, 10u);
  // 450 ms: the answer is at the gateway 1100 ms after the uplink, too late
  // for RX1 (1 s) but in time for RX2 (2 s): still one attempt per packet,
  // and the device listens through RX1 and then receives in RX2, so it
  // draws more charge than with the ACK in RX1.
  const auto late = engine::run_native(engine::load_scenario_text(text("450 ms"), "bh.yaml"));
  EXPECT_EQ(late.devices[0].delivered, 10u);
  EXPECT_EQ(late.devices[0].transmissions, 10u);
  EXPECT_GT(late.devices[0].charge_mAh, r.devices[0].charge_mAh);
}

TEST(Confirmed, AnUnheardAckIsRetriedUpToTheMaximum) {
  // 900 m away the path loss is 31.2 + 30·log10(900.1 m) = 119.8 dB: the
  // uplink arrives at 14 − 119.8 = −105.8 dBm (SF7 sensitivity −123 dBm),
  // but a −10 dBm downlink at −129.8 dBm is never heard at SF7. Keeping the
  // data rate (LoRaWAN 1.0.4), each packet is sent the maximum 8 times, yet
  // it reached the server at the first attempt, so its fate is delivered.
  // 10 h, one packet per hour: 80 uplinks.
  auto text = one_device(
      "{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, confirmed: true, "
      "retry_data_rate: keep }",
      "{ periodic: { every: 1 h }, payload: 20 B }", "10 h");
  text.replace(text.find("[[100 m, 0 m]]"), 14, "[[900 m, 0 m]]");
  const auto r = engine::run_native(engine::load_scenario_text(text, "ack.yaml", {"gateways.gw.tx_power=-10 dBm"}));
  const auto& d = r.devices[0];
  EXPECT_EQ(d.delivered, 10u);
  EXPECT_EQ(d.transmissions, 80u);
  EXPECT_EQ(r.technology_value(d, "spreading_factor"), 7);
}

TEST(Confirmed, RetransmissionsStepTheDataRateDownInPairs) {
  // The same device with the default retry_data_rate: step_down (LoRaWAN
  // 1.0.3 §19.4: attempts 1-2 at DR, 3-4 at DR−1, 5-6 at DR−2, 7-8 at DR−3;
  // LoRaMac-node v4.4.7 AckTimeoutRetriesProcess). RX1 is at the uplink's
  // data rate (RX1DROffset 0) and the ACK arrives at −129.8 dBm; the SX1276
  // hears SF7 to SF10 down to −123, −126, −129 and −132 dBm (datasheet
  // Rev. 7, RFS_L125_HF). Each packet: attempts 1-2 at DR5 (SF7), 3-4 at DR4
  // (SF8), 5-6 at DR3 (SF9, 0.8 dB short) unheard; attempt 7 at DR2 (SF10)
  // is acknowledged. Without ADR every packet starts again at DR5
  // (LoRaMac-node v4.4.7 LoRaMacMcpsRequest takes the request's rate when
  // ADR is off): 10 × 7 = 70 uplinks.
  const std::string radio =
      "{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, confirmed: true";
  // The device 900 m away, its ACKs sent at −10 dBm; `extra` adds radio keys.
  const auto at_900_m = [&](const std::string& extra) {
    auto text = one_device(radio + extra + " }", "{ periodic: { every: 1 h }, payload: 20 B }", "10 h");
    text.replace(text.find("[[100 m, 0 m]]"), 14, "[[900 m, 0 m]]");
    return engine::run_native(engine::load_scenario_text(text, "ack.yaml", {"gateways.gw.tx_power=-10 dBm"}));
  };
  const auto r = at_900_m("");
  EXPECT_EQ(r.devices[0].delivered, 10u);
  EXPECT_EQ(r.devices[0].transmissions, 70u);
  EXPECT_EQ(r.technology_value(r.devices[0], "spreading_factor"), 10);
  // With ADR the device keeps the rate its last attempt used: packets 2 to
  // 10 start at SF10 and are acknowledged at once, 7 + 9 = 16 uplinks. (16
  // uplinks heard are fewer than the 20 the network's ADR needs before a
  // command, and each ACK resets ADR_ACK_CNT, so ADR changes nothing.)
  const auto a = at_900_m(", adr: true");
  EXPECT_EQ(a.devices[0].delivered, 10u);
  EXPECT_EQ(a.devices[0].transmissions, 16u);
  EXPECT_EQ(a.technology_value(a.devices[0], "spreading_factor"), 10);
  // Out of everyone's reach (as below, about 1.27 km at exponent 6), without
  // ADR: each packet's 8 attempts go in pairs at SF7, SF8, SF9 and SF10, 20 B
  // each on air 56.576, 102.912, 185.344 and 370.688 ms (AN1200.13, CR 4/5,
  // explicit header, CRC; LDRO off below SF11), at 14 dBm's 43.5 mA:
  // 10 × 2 × 715.52 ms × 43.5 mA = 622.5024 mA·s = 0.17291733 mAh of
  // transmitting. (Every attempt at SF7 would be 0.0547 mAh; stepping after
  // every attempt, or after odd ones, would reach SF11 and SF12.)
  const auto f = engine::run_native(engine::load_scenario_text(
      out_of_reach(one_device(radio + " }", "{ periodic: { every: 1 h }, payload: 20 B }", "10 h")), "ack.yaml"));
  EXPECT_EQ(f.devices[0].transmissions, 80u);
  EXPECT_EQ(f.devices[0].delivered, 0u);
  EXPECT_NEAR(f.devices[0].part_mAh[0], 0.17291733, 1e-8);
  EXPECT_EQ(f.technology_value(f.devices[0], "spreading_factor"), 10);
}

TEST(Confirmed, AStepDownNeedsARegionDataRate) {
  // SF12 at 250 kHz is no EU868 data rate: asking for the step-down is an
  // error with the key's position; unconfirmed uplinks may not ask for it.
  const auto radio = [](const std::string& extra) {
    return one_device(
        "{ technology: lorawan, spreading_factor: 12, bandwidth: 250 kHz, frequency: 868.1 MHz, " + extra + " }",
        "{ periodic: { every: 1 h }, payload: 20 B }", "10 h");
  };
  try {
    (void)engine::load_scenario_text(radio("confirmed: true, retry_data_rate: step_down"), "sd.yaml");
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("sd.yaml:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("retry_data_rate step_down needs a modulation that is a data rate"),
              std::string::npos)
        << e.what();
  }
  try {
    (void)engine::load_scenario_text(radio("retry_data_rate: keep"), "sd.yaml");
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("applies to confirmed uplinks only"), std::string::npos) << e.what();
  }
  // Unasked, such a group keeps its modulation on every attempt.
  EXPECT_NO_THROW((void)engine::load_scenario_text(radio("confirmed: true"), "sd.yaml"));
  // US915 DR4 (SF8/500 kHz) has lower rates at 125 kHz only: no step within
  // its bandwidth, so asking for one is an error too.
  auto us = one_device("{ technology: lorawan, data_rate: 4, confirmed: true, retry_data_rate: step_down }",
                       "{ periodic: { every: 1 h }, payload: 20 B }", "10 h", "lora: { region: us915 }\n");
  try {
    (void)engine::load_scenario_text(us, "us.yaml");
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("has no uplink data rate below DR4 at 500 kHz"), std::string::npos)
        << e.what();
  }
}

TEST(Confirmed, APacketNoGatewayHearsExhaustsItsRetries) {
  // Out of reach (out_of_reach): never heard. With max_transmissions 3,
  // each packet is tried 3 times and ends retries_exhausted.
  const auto text = out_of_reach(
      one_device("{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, confirmed: true, "
                 "max_transmissions: 3 }",
                 "{ periodic: { every: 1 h }, payload: 20 B }", "10 h"));
  const auto r = engine::run_native(engine::load_scenario_text(text, "ack.yaml"));
  const auto& d = r.devices[0];
  EXPECT_EQ(d.delivered, 0u);
  EXPECT_EQ(d.fates[idx(PacketFate::RetriesExhausted)], 10u);
  EXPECT_EQ(d.transmissions, 30u);
}

TEST(Adr, TheNetworkSideDecisionByHand) {
  using N = lora::LoraNetwork;
  // SNRmax 5 dB at SF12 (required −20 dB), margin 10 dB: (5 + 20 − 10)/3 = 5
  // steps: DR0 → DR5, power unchanged.
  auto a = N::adr_decision(5.0, -20.0, 10.0, 0, 5, 1, 7);
  EXPECT_EQ(a.data_rate, 5);
  EXPECT_EQ(a.tx_power_index, 1);
  // SNRmax 20 dB at DR5 (SF7, −7.5 dB): floor(17.5/3) = 5 steps, all to
  // power: index 0 → 5.
  a = N::adr_decision(20.0, -7.5, 10.0, 5, 5, 0, 7);
  EXPECT_EQ(a.data_rate, 5);
  EXPECT_EQ(a.tx_power_index, 5);
  // SNRmax −5 dB at SF9 (−12.5 dB): floor(−2.5/3) = −1: one power step up.
  a = N::adr_decision(-5.0, -12.5, 10.0, 3, 5, 2, 7);
  EXPECT_EQ(a.data_rate, 3);
  EXPECT_EQ(a.tx_power_index, 1);
  // Power index cannot go below 0 or above the last index.
  EXPECT_EQ(N::adr_decision(-30.0, -12.5, 10.0, 3, 5, 0, 7).tx_power_index, 0);
  EXPECT_EQ(N::adr_decision(60.0, -7.5, 10.0, 5, 5, 6, 7).tx_power_index, 7);
}

TEST(Adr, ADeviceCloseToTheGatewayMovesToTheFastestRate) {
  // 100 m, SF12, ADR on, confirmed off: after 20 uplinks the server has a
  // full history with an SNR far above SF12's −20 dB + 10 dB margin and
  // sends a LinkADRReq: the device moves to DR5 (SF7) and lowers its power.
  const auto r = engine::run_native(engine::load_scenario_text(
      one_device("{ technology: lorawan, spreading_factor: 12, tx_power: 14 dBm, adr: true }",
                 "{ periodic: { every: 10 min }, payload: 20 B }", "1 d"),
      "adr.yaml"));
  const auto& d = r.devices[0];
  EXPECT_EQ(r.technology_value(d, "spreading_factor"), 7);
  EXPECT_LT(r.technology_value(d, "tx_power_dBm"), 14.0);
  EXPECT_EQ(d.delivered, d.generated - d.fates[idx(PacketFate::InFlight)]);
}

TEST(Join, OtaaJoinsWithOneRequestAndOneAccept) {
  // Join-request 23 B at SF7 (AN1200.13: 12.25 + 48 symbols = 61.696 ms);
  // Join-accept 17 B, no CRC, in RX1 JOIN_ACCEPT_DELAY1 = 5 s later
  // (12.25 + 33 symbols = 46.336 ms). Powered on at t_on in [0, 60 s):
  // joined at t_on + 61.696 ms + 5 s + 46.336 ms = t_on + 5.108032 s.
  const auto r = engine::run_native(engine::load_scenario_text(
      one_device("{ technology: lorawan, spreading_factor: 7, tx_power: 14 dBm, join: otaa }",
                 "{ periodic: { every: 1 h }, payload: 20 B }", "10 h"),
      "join.yaml"));
  const auto& d = r.devices[0];
  EXPECT_EQ(d.join_attempts, 1u);
  EXPECT_GE(d.joined_at_s, 5.108032);
  EXPECT_LT(d.joined_at_s, 65.108032);
  EXPECT_EQ(d.delivered + d.fates[idx(PacketFate::NotJoined)], 10u);
}

TEST(Join, WithoutAnAcceptTheRequestsBackOff) {
  // 900 m away with a −10 dBm gateway (see AnUnheardAckIsRetriedUpToTheMaximum):
  // every request is received, no accept is heard. In the first hour a
  // request is followed by the windows (RX2 closes 6 s + 8 × 32.768 ms =
  // 6.262144 s after it) and RETRANSMIT_TIMEOUT U(1 s, 3 s); the 1 %
  // back-off (61.696 ms × 99 = 6.108 s) is shorter. So one request every
  // 61.696 ms + 6.262144 s + [1, 3] s = 7.32–9.32 s: in the hour after
  // t_on < 60 s, between 3540/9.32 = 379 and 3600/7.32 = 492 requests.
  auto text = one_device("{ technology: lorawan, spreading_factor: 7, tx_power: 14 dBm, join: otaa }",
                         "{ periodic: { every: 10 min }, payload: 20 B }", "1 h");
  text.replace(text.find("[[100 m, 0 m]]"), 14, "[[900 m, 0 m]]");
  const auto r = engine::run_native(engine::load_scenario_text(text, "join.yaml", {"gateways.gw.tx_power=-10 dBm"}));
  const auto& d = r.devices[0];
  EXPECT_GE(d.join_attempts, 379u);
  EXPECT_LE(d.join_attempts, 492u);
  EXPECT_DOUBLE_EQ(d.joined_at_s, -1.0);
  EXPECT_EQ(d.delivered, 0u);
  EXPECT_EQ(d.fates[idx(PacketFate::NotJoined)], d.generated);
}

TEST(Join, DevicesWhoseRequestsCollideStillJoin) {
  // 200 meters powered on within one minute, all on 868.1 MHz at SF9:
  // their Join-requests collide; without a random part in the back-off
  // colliding devices would retry in lockstep forever. All must join
  // within the day.
  const auto r = engine::run_native(engine::load_scenario_file(
      std::string(M2MSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.yaml", {"devices.meters.radio.join=otaa"}));
  for (const auto& d : r.devices) {
    if (d.group == "meters") {
      EXPECT_GE(d.joined_at_s, 5.0) << d.id;
    }
  }
}

TEST(ClassC, ListensWheneverItDoesNotTransmit) {
  // Class C, unconfirmed, SF7 20 B once an hour for 10 h: TX 10 × 56.576 ms
  // at 43.5 mA = 24.61056 mA·s; receive the rest, (36 000 − 0.56576) s ×
  // 11.5 mA = 413 993.49376 mA·s (SX1276 Table 6) → 414 018.10432 mA·s =
  // 115.0050290 mAh.
  const auto r = engine::run_native(engine::load_scenario_text(
      one_device("{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, class: C }",
                 "{ periodic: { every: 1 h }, payload: 20 B }", "10 h"),
      "c.yaml"));
  EXPECT_NEAR(r.devices[0].charge_mAh, 115.0050290, 1e-6);
}

TEST(Adr, ADeviceOutOfReachBacksOffToALowerDataRate) {
  // 5 km away (log-distance n = 3: 31.2 + 30·log10(5000 m) = 142.17 dB) at
  // 14 dBm: −128.17 dBm, below SF7 (−123 dBm) and SF8 (−126 dBm), above
  // SF9 (−129 dBm; SX1276 table). Starting at DR5 with ADR, no uplink is
  // heard, so no downlink comes: from ADR_ACK_LIMIT + ADR_ACK_DELAY = 96
  // uplinks, every ADR_ACK_DELAY = 32 uplinks the device lowers its data
  // rate (its power is already the group's 14 dBm): DR4 at 96, DR3 (SF9) at
  // 128, where it is heard and stays. Every 10 min for 2 days: 288 packets,
  // the last 160 heard.
  auto text = one_device("{ technology: lorawan, data_rate: 5, tx_power: 14 dBm, adr: true }",
                         "{ periodic: { every: 10 min }, payload: 20 B }", "2 d");
  text.replace(text.find("area: { width: 1 km, height: 1 km }"), 35, "area: { width: 6 km, height: 6 km }");
  text.replace(text.find("[[100 m, 0 m]]"), 14, "[[5 km, 0 m]]");
  const auto r = engine::run_native(engine::load_scenario_text(text, "adr.yaml"));
  const auto& d = r.devices[0];
  EXPECT_EQ(r.technology_value(d, "spreading_factor"), 9);
  EXPECT_EQ(d.generated, 288u);
  EXPECT_EQ(d.delivered, 160u);
}

TEST(Adr, TheBackOffCountsFramesNotTheirRetransmissions) {
  // A confirmed ADR device out of everyone's reach (about 1.27 km at
  // exponent 6), 8 attempts a frame at one rate (retry_data_rate: keep),
  // one frame every 10 min for 1000 min: 100 frames, 800 uplinks.
  // ADR_ACK_CNT grows by one a frame (LoRaWAN L2 1.0.4 §4.3.1.1: with the
  // frame counter, which repeated transmissions do not increment), and the
  // back-off acts when a new frame starts (LoRaMac-node: Send,
  // LoRaMacAdrCalcNext), so the first step comes once ADR_ACK_LIMIT +
  // ADR_ACK_DELAY = 96 frames have gone unanswered, at frame 97: its power
  // is already the group's 14 dBm, so DR5 (SF7) -> DR4 (SF8); the next step
  // would be at frame 129. Counting attempts, it would have come after the
  // 96th attempt (frame 12) and every 4 frames after, down to DR0 (SF12).
  const auto text = out_of_reach(one_device(
      "{ technology: lorawan, data_rate: 5, tx_power: 14 dBm, adr: true, confirmed: true, retry_data_rate: keep }",
      "{ periodic: { every: 10 min }, payload: 20 B }", "1000 min"));
  const auto r = engine::run_native(engine::load_scenario_text(text, "adr.yaml"));
  const auto& d = r.devices[0];
  EXPECT_EQ(d.generated, 100u);
  EXPECT_EQ(d.delivered, 0u);
  EXPECT_EQ(r.technology_value(d, "spreading_factor"), 8);
  // Transmitting: 96 frames × 8 × 56.576 ms at SF7 and 4 × 8 × 102.912 ms at
  // SF8 (20 B, AN1200.13), at 14 dBm's 43.5 mA: 46.743552 s × 43.5 mA =
  // 2033.344512 mA·s = 0.56481792 mAh. (A step after frame 96's first
  // attempt would send its other 7 at SF8: 14.1 mA·s more.)
  EXPECT_NEAR(d.part_mAh[0], 0.56481792, 1e-8);
}

TEST(ClassB, BeaconsAndPingSlotsAddTheirReceiveTime) {
  // EU868 class B (TS001-1.0.4 §15; RP002): every 128 s a beacon at DR3
  // (SF9/125 kHz), 17 B, 10-symbol preamble, implicit header, no CRC:
  // (10 + 4.25) × 4.096 ms + (8 + ceil((136 − 36 + 28 − 20)/36)·5) × 4.096 ms
  // = 58.368 + 94.208 = 152.576 ms; periodicity 7: one ping slot of 8
  // symbols at DR3 = 32.768 ms. Receive share 0.185344/128 = 0.001448. Over
  // 10 h the class A device is awake 10 × (56.576 + 8.192 + 262.144) ms =
  // 3.26912 s; class B adds (11.5 − 0.0002) mA × 0.001448 × (36 000 −
  // 3.26912) s = 599.4071 mA·s = 0.16650198 mAh.
  const std::string radio_a = "{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm }";
  const std::string radio_b =
      "{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, class: B }";
  const std::string traffic = "{ periodic: { every: 1 h }, payload: 20 B }";
  const auto a = engine::run_native(engine::load_scenario_text(one_device(radio_a, traffic, "10 h"), "b.yaml"));
  const auto b = engine::run_native(engine::load_scenario_text(one_device(radio_b, traffic, "10 h"), "b.yaml"));
  EXPECT_NEAR(b.devices[0].charge_mAh - a.devices[0].charge_mAh, 0.16650198, 1e-7);
  // Periodicity 6: two ping slots per period, 0.19593880 mAh.
  const auto b6 = engine::run_native(
      engine::load_scenario_text(one_device("{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, "
                                            "tx_power: 14 dBm, class: B, ping_slot_periodicity: 6 }",
                                            traffic, "10 h"),
                                 "b.yaml"));
  EXPECT_NEAR(b6.devices[0].charge_mAh - a.devices[0].charge_mAh, 0.19593880, 1e-7);
}

std::string with_downlinks(const std::string& radio, const std::string& uplinks, const std::string& downlinks,
                           const std::string& duration) {
  std::string t = one_device(radio, uplinks, duration);
  t.insert(t.find("    battery:"), "    downlink: " + downlinks + "\n");
  return t;
}

TEST(Downlinks, ClassCReceivesAtOnceInRx2) {
  // Class C: a downlink goes out as soon as it is generated (no backhaul
  // here), at the RX2 parameters (869.525 MHz, DR0 = SF12/125 kHz): 12 B
  // header + FPort 1 + 10 B = 23 B, no CRC, LDRO on: 12.25 + 8 +
  // ceil((184 − 48 + 28)/40)·5 = 45.25 symbols × 32.768 ms = 1.482752 s.
  const auto r = engine::run_native(engine::load_scenario_text(
      with_downlinks("{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, class: C }",
                     "{ periodic: { every: 1 h }, payload: 20 B }", "{ periodic: { every: 1 h }, payload: 10 B }",
                     "10 h"),
      "dl.yaml"));
  EXPECT_EQ(r.devices[0].downlinks_generated, 10u);
  EXPECT_EQ(r.devices[0].downlinks_delivered, 10u);
  EXPECT_NEAR(r.total.downlink_latency_p50_s, 1.482752, 1e-9);
}

TEST(Downlinks, ClassAWaitsForTheNextUplink) {
  // Class A: a downlink waits at the server for the next uplink and goes
  // down in its RX1 (SF7, 23 B, no CRC: 12.25 + 8 + ceil(184/28)·5 = 55.25
  // symbols × 1.024 ms = 56.576 ms). With an uplink every 10 min the wait
  // is under 10 min: latency ≤ 600 s + 56.576 ms + 1 s + 56.576 ms.
  const auto r = engine::run_native(engine::load_scenario_text(
      with_downlinks("{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm }",
                     "{ periodic: { every: 10 min }, payload: 20 B }", "{ periodic: { every: 1 h }, payload: 10 B }",
                     "10 h"),
      "dl.yaml"));
  EXPECT_GE(r.devices[0].downlinks_delivered, 9u);  // the last may still wait at the end
  EXPECT_LE(r.total.downlink_latency_p95_s, 601.113152);
  EXPECT_GE(r.total.downlink_latency_p50_s, 1.113152);
}

TEST(Downlinks, ClassBWaitsForTheNextPingSlot) {
  // Class B, periodicity 7: one ping slot per 128 s beacon period, so a
  // downlink waits less than 128 s, then takes 12.25 + 8 + ceil(176/36)·5 =
  // 45.25 symbols × 4.096 ms = 185.344 ms at DR3 (SF9, 23 B, no CRC).
  const auto r = engine::run_native(engine::load_scenario_text(
      with_downlinks("{ technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm, class: B }",
                     "{ periodic: { every: 1 h }, payload: 20 B }",
                     "{ poisson: { mean_interval: 30 min }, payload: 10 B }", "1 d"),
      "dl.yaml"));
  EXPECT_EQ(r.devices[0].downlinks_delivered + 1 >= r.devices[0].downlinks_generated, true);
  EXPECT_LE(r.total.downlink_latency_p95_s, 128.185344);
  EXPECT_GE(r.total.downlink_latency_p50_s, 0.185344);
}

}  // namespace
}  // namespace m2msim

namespace m2msim {
namespace {

TEST(SetOverrides, ASharedAnchorIsCopiedNotChangedEverywhere) {
  // Two groups share one radio map through a YAML anchor; --set on one
  // group's radio changes that group only (the path's shared map is copied
  // first), and a file value reported in an error keeps its position.
  const std::string text =
      "name: anchors\n"
      "duration: 1 h\n"
      "area: { width: 1 km, height: 1 km }\n"
      "environment: { propagation: { model: log-distance, preset: bor2016 } }\n"
      "gateways: [ { name: gw, position: [500 m, 500 m] } ]\n"
      "devices:\n"
      "  - group: a\n"
      "    count: 3\n"
      "    radio: &r { technology: lorawan, spreading_factor: 7, tx_power: 14 dBm }\n"
      "    traffic: { periodic: { every: 15 min }, payload: 20 B }\n"
      "  - group: b\n"
      "    count: 3\n"
      "    radio: *r\n"
      "    traffic: { periodic: { every: 15 min }, payload: 20 B }\n";
  const auto r =
      engine::run_native(engine::load_scenario_text(text, "anchors.yaml", {"devices.a.radio.spreading_factor=9"}));
  ASSERT_EQ(r.devices.size(), 6u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(r.technology_value(r.devices[i], "spreading_factor"), 9) << i;
  for (std::size_t i = 3; i < 6; ++i) EXPECT_EQ(r.technology_value(r.devices[i], "spreading_factor"), 7) << i;
  try {
    (void)engine::load_scenario_text(text, "anchors.yaml",
                                     {"devices.a.radio.spreading_factor=9", "devices.b.radio.tx_power=99 dBm"});
    ADD_FAILURE() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("--set devices.b.radio.tx_power=99 dBm"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace m2msim
