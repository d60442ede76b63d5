// LTE-M's part of the scenario format, declared once (scenarios/parameters.hpp):
// its top-level `ltem` section (what every LTE-M cell broadcasts, per
// coverage-enhancement level), the keys of an LTE-M site, and a group's
// `radio` keys (NB-IoT's, for technology ltem). docs/models/cellular.md gives
// the model behind each key.
#pragma once

#include <array>

#include "models/cellular/parameters.hpp"

namespace m2msim::cellular::ltem_parameters {

using scenario::Param;
using scenario::ParamSection;
using K = scenario::ParamKind;
using D = scenario::Dimension;

inline constexpr Param kRootParams[] = {
    {.key = "ltem",
     .kind = K::Map,
     .default_text = "none: every key below takes its default",
     .section = "ltem",
     .help = "LTE-M (Cat-M1): the configuration every LTE-M cell broadcasts (system information), by "
             "coverage-enhancement level, and the network's timers.",
     .example = "ltem: { narrowbands: 2 }"},
};

// Keys whose value is one per coverage-enhancement level are lists of four
// values: [CE level 0, 1 (CE mode A), 2, 3 (CE mode B)].
inline constexpr Param kSectionParams[] = {
    {.key = "max_coupling_loss",
     .kind = K::Quantity,
     .dimension = D::Ratio,
     .min = 120,
     .max = 180,
     .range = "120 dB to 180 dB",
     .default_text = "155.7 dB for a 20 dBm device and a 5 dB site noise figure, dB for dB with both (158.7 dB at "
                     "23 dBm)",
     .help = "The coupling loss up to which a device's preambles are decoded with the repetitions of its level; "
             "beyond it a device is not covered and every attempt fails. Not given, it is the LTE-M target for the "
             "device's radio.tx_power and its site's noise_figure: 155.7 dB + (tx_power - 20 dBm) - (noise_figure - "
             "5 dB), an uplink budget; given, it holds for every device and site.",
     .example = "max_coupling_loss: 150 dB",
     .source = "3GPP TR 36.888 §5 (LTE's 140.7 dB plus the 15 dB coverage improvement target: 155.7 dB), stated "
               "for a 20 dBm power class 5 device and TR 36.888's noise figures (\"Coverage Analysis of LTE-M "
               "Category-M1\", industry white paper, January 2017: 160.7 dB at 23 dBm with TR 45.820's)"},
    {.key = "link_adaptation",
     .kind = K::Boolean,
     .default_value = "true",
     .help = "The cell gives each device's uplink (Msg3, data, TAU) the PUSCH allocation (PRBs, I_TBS, repetitions) "
             "that sends it at the least cost at its uplink SNR (its time with each block's grant, plus its transmit "
             "time), within its CE mode, and, "
             "once connected, halves its level's MPDCCH and PDSCH repetitions once per repetition_gain of RSRP above "
             "the level's weakest device; false: every device of a level uses the level's pusch_, mpdcch_ and pdsch_ "
             "keys (sent even where the link could not carry them, and counted in a summary warning: the defaults do "
             "not carry a CE level's weakest devices).",
     .example = "link_adaptation: false",
     .source = "docs/models/cellular.md §9.3 (TR 36.942 Annex A.2 attenuated Shannon bound)"},
    {.key = "repetition_gain",
     .kind = K::Quantity,
     .dimension = D::Ratio,
     .min = 0,
     .max = 3.02,
     .range = "0 dB to 3.02 dB",
     .default_value = "1.75 dB",
     .help = "Link adaptation: how much lower an SNR each doubling of a PUSCH block's repetitions decodes at "
             "(3.01 dB: ideal combining).",
     .example = "repetition_gain: 3 dB",
     .source = "NB-IoT's fit to TS 36.104 §8.5.1, taken for LTE-M (docs/models/cellular.md §9.3)"},
    {.key = "rsrp_thresholds",
     .kind = K::Special,
     .range = "three powers, each below the one before, -160 dBm to -40 dBm",
     .default_text = "the RSRP at 140, 146 and 151 dB coupling loss from the serving site",
     .type = "list of 3 powers",
     .help = "A device whose RSRP is at or above the first uses CE level 0, at or above the second level 1, the "
             "third level 2, else level 3 (rsrp-ThresholdsPrachInfoList).",
     .example = "rsrp_thresholds: [-110 dBm, -116 dBm, -121 dBm]",
     .source = "TS 36.331 RACH-ConfigCommon; TS 36.321 §5.1.1; default: docs/models/cellular.md §9.1"},
    {.key = "carrier_bandwidth",
     .kind = K::Quantity,
     .dimension = D::Frequency,
     .min = 1.4e6,
     .max = 20e6,
     .range = "1.4, 3, 5, 10, 15 or 20 MHz",
     .default_value = "10 MHz",
     .help = "The LTE carrier the LTE-M narrowbands are in: its reference signal power is the site's carrier_power "
             "over 12 subcarriers per PRB (6, 15, 25, 50, 75, 100 PRBs).",
     .example = "carrier_bandwidth: 1.4 MHz",
     .source = "TS 36.101 Table 5.6-1 (transmission bandwidth configuration)"},
    {.key = "narrowbands",
     .kind = K::Integer,
     .min = 1,
     .max = 8,
     .range = "1 to 8, at most the carrier's (its PRBs / 6)",
     .default_value = "1",
     .help = "Narrowbands (6 PRBs each) the cell schedules LTE-M data in: every uplink and downlink block of a "
             "cell's LTE-M devices shares them.",
     .example = "narrowbands: 4",
     .source = "TS 36.211 §6.2.7 (narrowbands); default: one, a 1.4 MHz LTE-M carrier's worth"},
    {.key = "prach_period",
     .kind = K::Special,
     .range = "each 10 ms × 1, 2, 4, ..., 256, longer than the level's preamble",
     .default_value = "[10 ms, 80 ms, 320 ms, 1280 ms]",
     .type = "list of 4 durations",
     .help = "How often a level's preamble may start (PRACH configuration index 3: one PRACH subframe per 10 ms "
             "frame; prach-StartingSubframe-r13).",
     .example = "prach_period: [20 ms, 160 ms, 640 ms, 2560 ms]",
     .source = "TS 36.211 Table 5.7.1-2; TS 36.331 PRACH-ParametersCE-r13"},
    {.key = "prach_repetitions",
     .kind = K::Special,
     .range = "each 1, 2, 4, ..., 128",
     .default_value = "[1, 8, 32, 128]",
     .type = "list of 4 integers",
     .help = "Repetitions of a preamble (numRepetitionPerPreambleAttempt-r13), in consecutive PRACH subframes 10 ms "
             "apart.",
     .example = "prach_repetitions: [2, 8, 64, 128]",
     .source = "TS 36.331 PRACH-ParametersCE-r13; TS 36.211 §5.7.1"},
    {.key = "preambles",
     .kind = K::Special,
     .range = "each 1 to 64; 64 in all",
     .default_value = "[24, 12, 12, 12]",
     .type = "list of 4 integers",
     .help = "Preambles of each level's PRACH resource; two devices of one cell and level that pick the same one in "
             "the same occasion collide.",
     .example = "preambles: [36, 12, 8, 8]",
     .source = "TS 36.331 PRACH-ParametersCE-r13 (firstPreamble-r13, lastPreamble-r13); TS 36.211 §5.7.2 (64 per "
               "cell)"},
    {.key = "max_attempts",
     .kind = K::Special,
     .range = "each 3 to 10",
     .default_value = "[4, 4, 4, 4]",
     .type = "list of 4 integers",
     .help = "Preamble attempts at a level before moving to the next (maxNumPreambleAttemptCE-r13); after the last "
             "level's, the access fails.",
     .example = "max_attempts: [10, 10, 10, 10]",
     .source = "TS 36.331 PRACH-ParametersCE-r13; TS 36.321 §5.1.4"},
    {.key = "mpdcch_repetitions",
     .kind = K::Special,
     .range = "each 1, 2, 4, ..., 256",
     .default_value = "[2, 8, 64, 256]",
     .type = "list of 4 integers",
     .help = "Rmax of each level's MPDCCH search space (one every 2 × Rmax subframes): a device reads this many "
             "subframes for each downlink control message (fewer once connected, with link_adaptation).",
     .example = "mpdcch_repetitions: [1, 4, 32, 128]",
     .source = "TS 36.331 mpdcch-NumRepetition-RA-r13; TS 36.213 §9.1.5"},
    {.key = "pdsch_repetitions",
     .kind = K::Special,
     .range = "CE mode A (levels 0, 1): 1 to 32; mode B: 1 to 2048 (1, 2, 4, ..., 128, 192, 256, 384, ...)",
     .default_value = "[1, 4, 32, 128]",
     .type = "list of 4 integers",
     .help = "Repetitions of every downlink block at each level (fewer once connected, with link_adaptation).",
     .example = "pdsch_repetitions: [2, 8, 64, 256]",
     .source = "TS 36.213 §7.1.11; TS 36.331 PDSCH-ConfigCommon-v1310"},
    {.key = "pusch_repetitions",
     .kind = K::Special,
     .range = "CE mode A (levels 0, 1): 1 to 32; mode B: 1 to 2048 (1, 2, 4, ..., 128, 192, 256, 384, ...)",
     .default_value = "[1, 8, 64, 512]",
     .type = "list of 4 integers",
     .help = "Repetitions of Msg3 and the data at each level, without link_adaptation.",
     .example = "pusch_repetitions: [2, 16, 128, 1024]",
     .source = "TS 36.213 §8.0; TS 36.331 PUSCH-ConfigCommon-v1310"},
    {.key = "pusch_prbs",
     .kind = K::Special,
     .range = "each 1 to 6 (CE mode B: 1 or 2)",
     .default_value = "[6, 3, 2, 2]",
     .type = "list of 4 integers",
     .help = "PRBs of Msg3 and the data at each level, without link_adaptation.",
     .example = "pusch_prbs: [6, 6, 2, 1]",
     .source = "TS 36.213 §8.1.5, §8.1.6 (resource allocation within a narrowband)"},
    {.key = "pusch_itbs",
     .kind = K::Special,
     .range = "each 0 to 14 (CE mode B: 0 to 10)",
     .default_value = "[9, 4, 3, 3]",
     .type = "list of 4 integers",
     .help = "Transport-block-size index of Msg3 (88 bits, in one block) and the data at each level, without "
             "link_adaptation.",
     .example = "pusch_itbs: [10, 6, 3, 7]",
     .source = "TS 36.213 Table 7.1.7.2.1-1, Table 8.6.1-1"},
    {.key = "pdsch_itbs",
     .kind = K::Special,
     .range = "each 0 to 14 (CE mode B: 0 to 10)",
     .default_value = "[9, 4, 1, 0]",
     .type = "list of 4 integers",
     .help = "Transport-block-size index of downlink data at each level (blocks on the narrowband's 6 PRBs).",
     .example = "pdsch_itbs: [10, 6, 2, 0]",
     .source = "TS 36.213 Table 7.1.7.2.1-1"},
    {.key = "pucch_repetitions",
     .kind = K::Special,
     .range = "CE mode A (levels 0, 1): 1, 2, 4 or 8; mode B: 4, 8, 16 or 32",
     .default_value = "[1, 4, 16, 32]",
     .type = "list of 4 integers",
     .help = "Repetitions of every HARQ-ACK (PUCCH) at each level.",
     .example = "pucch_repetitions: [2, 8, 16, 32]",
     .source = "TS 36.331 PUCCH-ConfigCommon-v1310 (pucch-NumRepetitionCE-Msg4)"},
    {.key = "response_window",
     .kind = K::Special,
     .range = "each 20, 50, 80, 120, 180, 240, 320 or 400 ms",
     .default_value = "[80 ms, 80 ms, 240 ms, 400 ms]",
     .type = "list of 4 durations",
     .help = "How long a device listens for the random-access response after its preamble (ra-ResponseWindowSize-r13); "
             "the contention-resolution timer is 240 ms in CE mode A and 960 ms in mode B.",
     .example = "response_window: [50 ms, 80 ms, 320 ms, 400 ms]",
     .source = "TS 36.331 RACH-CE-LevelInfo-r13 (mac-ContentionResolutionTimer-r13: sf80 to sf960)"},
    {.key = "sync_time",
     .kind = K::Special,
     .range = "each 0 s to 60 s",
     .default_value = "[0.3 s, 0.5 s, 1 s, 2 s]",
     .type = "list of 4 durations",
     .help = "After power saving mode: receiving to regain synchronisation (PSS/SSS) and read the master and system "
             "information blocks before the first preamble.",
     .example = "sync_time: [200 ms, 400 ms, 1 s, 3 s]",
     .source = "model assumption (docs/models/cellular.md §9.2): MIB every 40 ms, SIB1-BR every 80 ms (TS 36.331), "
               "read more slowly the deeper the coverage"},
    {.key = "edt_max_tbs",
     .kind = K::Special,
     .range = "each 328, 408, 504, 584, 680, 808, 936 or 1000 bit",
     .default_value = "[1000 bit, 1000 bit, 1000 bit, 1000 bit]",
     .type = "list of 4 data sizes",
     .help = "The largest Msg3 of early data transmission at each level (edt-TBS-r15): a device with "
             "radio.early_data sends its reports in Msg3 when they fit with Msg3's own 88 bits.",
     .example = "edt_max_tbs: [1000 bit, 1000 bit, 504 bit, 328 bit]",
     .source = "TS 36.331 (Rel-15) EDT-PRACH-ParametersCE-r15; TS 36.300 §7.3b"},
    {.key = "backoff",
     .kind = K::Quantity,
     .dimension = D::Time,
     .min = 0,
     .max = 960e6,
     .range = "0 s to 960 ms",
     .default_value = "80 ms",
     .help = "After a failed preamble a device waits a time drawn uniformly from 0 to this before the next one (the "
             "backoff indicator).",
     .example = "backoff: 320 ms",
     .source = "TS 36.321 Table 7.2-1 (backoff parameter values, 0 to 960 ms)"},
    parameters::kBlockErrorRate,
    parameters::kConnectedDrxCycle,
    parameters::kConnectedDrxOnDuration,
    parameters::kInactivityTimer,
    parameters::kNetworkDelay,
    parameters::kQRxLevMin,
    parameters::kSearchTime,
    parameters::kUplinkInterference,
};

inline constexpr Param kSiteParams[] = {
    {.key = "carrier_power",
     .kind = K::Quantity,
     .dimension = D::Power,
     .min = 0,
     .max = 50,
     .range = "0 dBm to 50 dBm",
     .default_value = "46 dBm",
     .help = "LTE-M: the LTE carrier's transmit power (ltem.carrier_bandwidth); the reference signal has this less "
             "10·log10(12 × its PRBs) per subcarrier.",
     .example = "carrier_power: 43 dBm",
     .source = "TR 36.888 §5 link budget (46 dBm over 10 MHz)"},
    parameters::kSiteLoad,
};

/// NB-IoT's radio keys with technology ltem.
inline constexpr auto kRadioParams = [] {
  std::array<Param, std::size(parameters::kRadioParams)> a{};
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = parameters::kRadioParams[i];
  a[0] = {.key = "technology",
          .kind = K::Choice,
          .required = true,
          .choices = "ltem",
          .help = "LTE-M (3GPP Rel-13 Cat-M1)."};
  a[1].help =
      "Uplink transmit power (power class 3: 23 dBm; class 5: 20 dBm); every LTE-M transmission uses it (the model "
      "has no LTE-M power control).";
  return a;
}();

inline constexpr ParamSection kRoot{"", "ltem (top level)", kRootParams, {}, true};
inline constexpr ParamSection kSection{"ltem", "ltem", kSectionParams};
inline constexpr ParamSection kSite{"gateways[]", "gateways[]: LTE-M site keys", kSiteParams, {}, true};
inline constexpr ParamSection kRadio{"devices[].radio", "devices[].radio (ltem)", kRadioParams};

inline constexpr std::array<const ParamSection*, 4> kSections{&kRoot, &kSection, &kSite, &kRadio};

}  // namespace m2msim::cellular::ltem_parameters
