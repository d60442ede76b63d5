// NB-IoT's part of the scenario format, declared once
// (scenarios/parameters.hpp): its top-level `nbiot` section (the cell
// configuration every NB-IoT site broadcasts, per coverage-enhancement
// level), the keys it adds to every NB-IoT site, and a group's `radio` keys.
// docs/models/cellular.md gives the model behind each key.
#pragma once

#include <array>

#include "scenarios/parameters.hpp"

namespace m2msim::cellular::parameters {

using scenario::Param;
using scenario::ParamSection;
using K = scenario::ParamKind;
using D = scenario::Dimension;

inline constexpr Param kRootParams[] = {
    {.key = "nbiot",
     .kind = K::Map,
     .default_text = "none: every key below takes its default",
     .section = "nbiot",
     .help = "NB-IoT: the configuration every NB-IoT cell broadcasts (system information), by coverage-enhancement "
             "level, and the network's timers.",
     .example = "nbiot: { max_coupling_loss: 164 dB }"},
};

// Keys both cellular technologies share (ltem_parameters.hpp uses them too).
inline constexpr Param kBlockErrorRate{
    .key = "block_error_rate",
    .kind = K::Quantity,
    .dimension = D::Percent,
    .min = 0,
    .max = 0.5,
    .range = "0 % to 50 %",
    .default_value = "10 %",
    .help =
        "HARQ: the share of transmissions of a transport block (uplink and downlink, Msg3 included) that fail "
        "and are sent again on a new grant or assignment, up to 4 transmissions; link adaptation's operating "
        "point. 0 %: every first transmission decodes.",
    .example = "block_error_rate: 0 %",
    .source =
        "TS 36.321 §5.3.2, §5.4.2 (HARQ); 10 %: the first-transmission target link adaptation commonly "
        "runs at (docs/models/cellular.md §3.3.3)"};
inline constexpr Param kConnectedDrxCycle{
    .key = "connected_drx_cycle",
    .kind = K::Quantity,
    .dimension = D::Time,
    .min = 0,
    .max = 10.24e9,
    .range = "0 s (none) to 10.24 s",
    .default_value = "0 s",
    .help =
        "Connected-mode DRX while the device waits connected (the inactivity timer without release assistance, "
        "the network's answers): it monitors connected_drx_on_duration of every cycle and sleeps (its standby "
        "current) between; 0 s: it monitors throughout (its connected current). An nRF9160 measured on a live "
        "network with a 0.32 s cycle averaged about 33 mA through its inactivity timer, on another network about "
        "1.35 mA, the model 1.4 mA: set it only with the network's and the modem's DRX known "
        "(docs/models/cellular.md §4.2).",
    .example = "connected_drx_cycle: 2.048 s",
    .source = "TS 36.321 §5.7 (DRX); TS 36.331 DRX-Config(-NB) (cycles up to 10.24 s)"};
inline constexpr Param kConnectedDrxOnDuration{
    .key = "connected_drx_on_duration",
    .kind = K::Quantity,
    .dimension = D::Time,
    .min = 1e6,
    .max = 10.24e9,
    .range = "1 ms to 10.24 s, shorter than connected_drx_cycle",
    .default_value = "10 ms",
    .help = "What the device monitors of each connected-mode DRX cycle (onDurationTimer).",
    .example = "connected_drx_on_duration: 20 ms",
    .source = "TS 36.331 DRX-Config(-NB) onDurationTimer"};
inline constexpr Param kInactivityTimer{
    .key = "inactivity_timer",
    .kind = K::Quantity,
    .dimension = D::Time,
    .min = 0,
    .max = 3600e9,
    .range = "0 s to 1 h",
    .default_value = "20 s",
    .help =
        "Without release assistance, the network releases a connection this long after its last data (a "
        "tracking area update alone is released with its accept); the device waits in connected mode meanwhile "
        "(its connected current, or connected-mode DRX if set).",
    .example = "inactivity_timer: 10 s",
    .source = "a common network setting (docs/models/cellular.md §3.4)"};
inline constexpr Param kNetworkDelay{
    .key = "network_delay",
    .kind = K::Quantity,
    .dimension = D::Time,
    .min = 0,
    .max = 10e9,
    .range = "0 s to 10 s",
    .default_value = "1.2 s",
    .help =
        "The time the network takes to answer a device's NAS message (core-network round trip and processing): "
        "between a tracking area update request and its accept, between an early-data Msg3 and its Msg4, before "
        "the release that release assistance asks for, and before the application's acknowledgement leaves the "
        "site (which also waits for the backhaul's round trip). The device waits connected meanwhile (with "
        "connected-mode DRX if configured; for early data, in random access, without). 0 s: the network answers as "
        "soon as the air interface allows.",
    .example = "network_delay: 1 s",
    .source =
        "fitted to live NB-IoT networks' durations: the lower end of the median (1.2 to 1.33 s) of fourteen fits "
        "on nine networks, which run from 0.05 s to 2.0 s (D. Robinson, Stellenbosch University 2019, four South "
        "African vendors' networks; two Norwegian operators' per-report dataset; S. S. Røstad, NTNU 2020; A. Kraus "
        "2022, a German operator; Nordic's nRF9160 TAU); LTE-M checked against two measured LTE-M TAUs "
        "(docs/models/cellular.md §3.4.2)"};
inline constexpr Param kQRxLevMin{
    .key = "q_rxlev_min",
    .kind = K::Quantity,
    .dimension = D::Power,
    .min = -140,
    .max = -44,
    .range = "-140 dBm to -44 dBm, in steps of 2 dBm",
    .default_value = "-140 dBm",
    .help =
        "Cell selection: a device camps on its serving site only if its (N)RSRP is above this (the S "
        "criterion's Srxlev > 0). A device below it finds no cell: it sends no preamble and no tracking area "
        "update; each of its reports ends no_cell after a search of search_time. A device that camps but is beyond "
        "max_coupling_loss still tries, and fails.",
    .example = "q_rxlev_min: -120 dBm",
    .source =
        "TS 36.304 §5.2.3.2 and §5.2.3.2a (S criterion); TS 36.331 Q-RxLevMin (-70 to -22, times 2 dBm); default: "
        "the lowest value, which a vendor's NB-IoT recommendation uses (docs/models/cellular.md §1.4)"};
inline constexpr Param kUplinkInterference{
    .key = "uplink_interference",
    .kind = K::Boolean,
    .default_value = "true",
    .help =
        "Each site's uplink noise rises by the other cells' devices: their mean uplink power (data, Msg3 and "
        "HARQ-ACKs per report, over the reporting interval) at that site, spread over its carrier; link "
        "adaptation then chooses with it. false: every site hears thermal noise only.",
    .example = "uplink_interference: false",
    .source =
        "model (docs/models/cellular.md §3.3.6): a mean-field rise over thermal, as system evaluations' "
        "interference over thermal"};
inline constexpr Param kSearchTime{
    .key = "search_time",
    .kind = K::Quantity,
    .dimension = D::Time,
    .min = 0,
    .max = 600e9,
    .range = "0 s to 600 s",
    .default_text = "the last CE level's sync_time",
    .help =
        "How long a device that finds no cell (q_rxlev_min) searches, receiving, each time it has a report to "
        "send, before it gives up until its next report.",
    .example = "search_time: 30 s",
    .source =
        "model assumption, a lower bound (docs/models/cellular.md §1.4): no modem's search time and "
        "pattern without a cell was found"};

// Keys whose value is one per coverage-enhancement level are lists of three
// values: [CE level 0, CE level 1, CE level 2].
inline constexpr Param kSectionParams[] = {
    {.key = "max_coupling_loss",
     .kind = K::Quantity,
     .dimension = D::Ratio,
     .min = 120,
     .max = 180,
     .range = "120 dB to 180 dB",
     .default_text = "164 dB for a 23 dBm device and a 3 dB site noise figure, dB for dB with both",
     .help = "The coupling loss up to which a device's preambles and data are decoded with the repetitions of its "
             "level; beyond it a device is not covered and every attempt fails. Not given, it is the NB-IoT target "
             "for the device's radio.tx_power and its site's noise_figure: 164 dB + (tx_power - 23 dBm) - "
             "(noise_figure - 3 dB), an uplink budget; given, it holds for every device and site.",
     .example = "max_coupling_loss: 160 dB",
     .source = "3GPP TR 45.820 §5.1 and TS 36.300 §23.9 (the NB-IoT coverage target: 164 dB MCL, with TR 45.820's "
               "23 dBm device and 3 dB base-station noise figure)"},
    {.key = "link_adaptation",
     .kind = K::Boolean,
     .default_value = "true",
     .help = "The cell gives each device's uplink (Msg3, data, TAU) the NPUSCH allocation (subcarriers, I_TBS, "
             "repetitions) that sends its data at the least cost at its uplink SNR (its time with each block's grant, "
             "plus its transmit time), and, "
             "once connected, halves its "
             "level's NPDCCH and NPDSCH repetitions once per repetition_gain of NRSRP above the level's weakest "
             "device; false: every device of a CE level uses the level's npusch_, npdcch_ and npdsch_ keys (sent "
             "even where the link could not carry them, and counted in a summary warning: the defaults do not carry "
             "a CE level's weakest devices).",
     .example = "link_adaptation: false",
     .source = "docs/models/cellular.md §3.3.1 (TR 36.942 Annex A.2 attenuated Shannon bound, TS 36.104 §8.5.1) "
               "and §3.3.4 (TS 36.213 Tables 16.6-1, 16.4.1.3-2)"},
    {.key = "repetition_gain",
     .kind = K::Quantity,
     .dimension = D::Ratio,
     .min = 0,
     .max = 3.02,
     .range = "0 dB to 3.02 dB",
     .default_value = "1.75 dB",
     .help =
         "Link adaptation: how much lower an SNR each doubling of an NPUSCH block's repetitions decodes at. 3.01 dB "
         "is ideal combining, as link budgets assume; the default fits the base station requirements.",
     .example = "repetition_gain: 3 dB",
     .source = "TS 36.104 §8.5.1 NPUSCH requirements (−1.9, −9.2, −12.2 dB at 1, 16, 64 repetitions)"},
    {.key = "rsrp_thresholds",
     .kind = K::Special,
     .range = "two powers, the first above the second, -160 dBm to -40 dBm",
     .default_text = "the NRSRP at 144 dB and 154 dB coupling loss from the serving site",
     .type = "list of 2 powers",
     .help = "A device whose NRSRP is at or above the first uses CE level 0, at or above the second CE level 1, "
             "else CE level 2 (rsrp-ThresholdsPrachInfoList).",
     .example = "rsrp_thresholds: [-108 dBm, -118 dBm]",
     .source = "TS 36.331 RadioResourceConfigCommonSIB-NB; TS 36.321 §5.1.1; 144/154/164 dB: TR 45.820's coverage "
               "classes"},
    {.key = "nprach_period",
     .kind = K::Special,
     .range = "each 40, 80, 160, 240, 320, 640, 1280 or 2560 ms, longer than the level's preamble",
     .default_value = "[640 ms, 640 ms, 640 ms]",
     .type = "list of 3 durations",
     .help = "How often each level's NPRACH resource occurs (nprach-Periodicity).",
     .example = "nprach_period: [80 ms, 320 ms, 1280 ms]",
     .source = "TS 36.331 NPRACH-ConfigSIB-NB; default: a commercial network's SIB2-NB (band 5, 2019)"},
    {.key = "nprach_repetitions",
     .kind = K::Special,
     .range = "each 1, 2, 4, ..., 128",
     .default_value = "[2, 8, 32]",
     .type = "list of 3 integers",
     .help = "Repetitions of a preamble (numRepetitionsPerPreambleAttempt).",
     .example = "nprach_repetitions: [1, 8, 64]",
     .source = "TS 36.331 NPRACH-ConfigSIB-NB; default: a commercial network's SIB2-NB (band 5, 2019)"},
    {.key = "nprach_start_time",
     .kind = K::Special,
     .range = "each 8, 16, 32, 64, 128, 256, 512 or 1024 ms; the preamble ends within the period",
     .default_value = "[8 ms, 64 ms, 128 ms]",
     .type = "list of 3 durations",
     .help = "Where in each period a level's NPRACH resource begins (nprach-StartTime): occasions at start + k × "
             "period.",
     .example = "nprach_start_time: [8 ms, 32 ms, 256 ms]",
     .source = "TS 36.331 NPRACH-ConfigSIB-NB; TS 36.211 §10.1.6.1; default: a commercial network's SIB2-NB (band 5, "
               "2019)"},
    {.key = "nprach_subcarriers",
     .kind = K::Special,
     .range = "each 12, 24, 36 or 48; with its offset, within the carrier's 48",
     .default_value = "[12, 12, 12]",
     .type = "list of 3 integers",
     .help = "Preambles (subcarriers) of each level's NPRACH resource; two devices of one cell and level that pick "
             "the same one in the same occasion collide.",
     .example = "nprach_subcarriers: [12, 12, 24]",
     .source = "TS 36.331 NPRACH-ConfigSIB-NB (nprach-NumSubcarriers); TS 36.211 §10.1.6; default: a commercial "
               "network's SIB2-NB (band 5, 2019)"},
    {.key = "nprach_subcarrier_offset",
     .kind = K::Special,
     .range = "each 0, 2, 12, 18, 24, 34 or 36; offset + subcarriers at most 48",
     .default_value = "[36, 36, 36]",
     .type = "list of 3 integers",
     .help = "The first 3.75 kHz subcarrier of each level's NPRACH resource (nprach-SubcarrierOffset). NPUSCH slots "
             "that overlap a resource on its subcarriers are postponed past it; levels whose resources share "
             "subcarriers must not overlap in time.",
     .example = "nprach_subcarrier_offset: [0, 12, 24]",
     .source = "TS 36.331 NPRACH-ConfigSIB-NB; TS 36.211 §10.1.3.6 (NPUSCH postponed around NPRACH); default: a "
               "commercial network's SIB2-NB (band 5, 2019)"},
    {.key = "max_attempts",
     .kind = K::Special,
     .range = "each 3 to 10",
     .default_value = "[4, 4, 4]",
     .type = "list of 3 integers",
     .help = "Preamble attempts at a level before moving to the next (maxNumPreambleAttemptCE); after the last "
             "level's, the access fails.",
     .example = "max_attempts: [10, 10, 10]",
     .source = "TS 36.331 NPRACH-ConfigSIB-NB; TS 36.321 §5.1.4; default: a commercial network's SIB2-NB (band 5, "
               "2019)"},
    {.key = "npdcch_repetitions",
     .kind = K::Special,
     .range = "each 1, 2, 4, ..., 2048",
     .default_value = "[8, 16, 128]",
     .type = "list of 3 integers",
     .help = "Rmax of each level's search space (one every 2 × Rmax subframes): a device reads this many subframes "
             "for each downlink control message (fewer once connected, with link_adaptation).",
     .example = "npdcch_repetitions: [4, 32, 512]",
     .source = "TS 36.331 npdcch-NumRepetitions-RA; TS 36.213 §16.6; default: a commercial network's SIB2-NB (band 5, "
               "2019)"},
    {.key = "npdsch_repetitions",
     .kind = K::Special,
     .range = "each 1, 2, 4, ..., 2048",
     .default_value = "[1, 8, 64]",
     .type = "list of 3 integers",
     .help = "Repetitions of every downlink data block at each level (fewer once connected, with link_adaptation).",
     .example = "npdsch_repetitions: [2, 16, 128]",
     .source = "TS 36.213 Table 16.4.1.3-2"},
    {.key = "npusch_repetitions",
     .kind = K::Special,
     .range = "each 1, 2, 4, ..., 128",
     .default_value = "[1, 8, 32]",
     .type = "list of 3 integers",
     .help = "Repetitions of every HARQ-ACK at each level, and of Msg3 and the data without link_adaptation.",
     .example = "npusch_repetitions: [2, 16, 128]",
     .source = "TS 36.213 Table 16.5.1.1-3"},
    {.key = "npusch_subcarriers",
     .kind = K::Special,
     .range = "each 1, 3, 6 or 12 (1 only with 3.75 kHz)",
     .default_value = "[12, 3, 1]",
     .type = "list of 3 integers",
     .help = "Subcarriers of Msg3 and the data at each level, without link_adaptation.",
     .example = "npusch_subcarriers: [12, 12, 1]",
     .source = "TS 36.211 Table 10.1.2.3-1"},
    {.key = "npusch_spacing",
     .kind = K::Special,
     .range = "each 15 kHz or 3.75 kHz",
     .default_value = "[15 kHz, 15 kHz, 3.75 kHz]",
     .type = "list of 3 frequencies",
     .help = "Subcarrier spacing of the uplink at each level; with link adaptation, 3.75 kHz allows single 3.75 kHz "
             "subcarriers besides the 15 kHz allocations.",
     .example = "npusch_spacing: [15 kHz, 15 kHz, 3.75 kHz]",
     .source = "TS 36.211 §10.1.2.1; CE level 2 at 3.75 kHz: the NB-IoT uplink of TR 45.820's 164 dB budget"},
    {.key = "npusch_itbs",
     .kind = K::Special,
     .range = "each 0 to 12 (0 to 10 with one subcarrier)",
     .default_value = "[10, 4, 0]",
     .type = "list of 3 integers",
     .help = "Transport-block-size index of Msg3 and the data at each level, without link_adaptation.",
     .example = "npusch_itbs: [12, 6, 1]",
     .source = "TS 36.213 Table 16.5.1.2-2"},
    {.key = "npdsch_itbs",
     .kind = K::Special,
     .range = "each 0 to 12",
     .default_value = "[10, 4, 0]",
     .type = "list of 3 integers",
     .help = "Transport-block-size index of downlink data at each level.",
     .example = "npdsch_itbs: [12, 6, 1]",
     .source = "TS 36.213 Table 16.4.1.5.1-1"},
    {.key = "sync_time",
     .kind = K::Special,
     .range = "each 0 s to 60 s",
     .default_value = "[0.5 s, 1 s, 2.5 s]",
     .type = "list of 3 durations",
     .help = "After power saving mode: receiving to regain synchronisation (NPSS/NSSS) and read the master and "
             "system information blocks before the first preamble.",
     .example = "sync_time: [200 ms, 800 ms, 3 s]",
     .source = "model assumption (docs/models/cellular.md §3.1): MIB-NB is sent over 640 ms and SIB1-NB every "
               "2560 ms (TS 36.331), read more slowly the deeper the coverage"},
    {.key = "sib1_repetitions",
     .kind = K::Integer,
     .min = 4,
     .max = 16,
     .range = "4, 8 or 16",
     .default_value = "16",
     .help = "SIB1-NB's repetitions in each 2.56 s: each takes subframe 4 of every other frame in 16 frames, so "
             "NPDCCH and NPDSCH skip them (16: subframe 4 of every even frame, 5 % of the carrier).",
     .example = "sib1_repetitions: 4",
     .source =
         "TS 36.213 §16.4.1.3, Tables 16.4.1.3-3/-4 (schedulingInfoSIB1); default: a South African network's "
         "MIB-NB, schedulingInfoSIB1 2 (D. Robinson, Stellenbosch University 2019; docs/models/cellular.md §2.4)"},
    {.key = "si_window",
     .kind = K::Quantity,
     .dimension = D::Time,
     .min = 0.16e9,
     .max = 1.6e9,
     .range = "160, 320, 480, 640, 960, 1280 or 1600 ms",
     .default_value = "960 ms",
     .help = "The window of each system-information message after SIB1-NB: the n-th message's opens (n - 1) windows "
             "into its period.",
     .example = "si_window: 160 ms",
     .source =
         "TS 36.331 §5.2.3a, si-WindowLength-r13; default: the SIB1-NB of docs/models/cellular.md §2.4's network"},
    {.key = "si_periods",
     .kind = K::Special,
     .range = "each 0.64, 1.28, 2.56, 5.12, 10.24, 20.48 or 40.96 s; at most 8 messages",
     .default_value = "[5.12 s, 20.48 s]",
     .type = "list of durations, one per message",
     .help = "How often each system-information message (SIB2-NB, SIB3-NB, ...) is broadcast: in its window it takes "
             "the downlink's subframes that NPDCCH and NPDSCH would use. Each window must lie within its period and "
             "no two may share a frame. []: none counted (a simplification; then si_repetition_frames and si_sizes "
             "must be left out or empty).",
     .example = "si_periods: [2.56 s]",
     .source = "TS 36.331 §5.2.3a, SchedulingInfo-NB-r13, si-Periodicity-r13 (rf64 to rf4096); default: the SIB1-NB "
               "of docs/models/cellular.md §2.4's network (D. Robinson, Stellenbosch University 2019)"},
    {.key = "si_repetition_frames",
     .kind = K::Special,
     .range = "each 2, 4, 8 or 16, one per entry of si_periods",
     .default_text = "4 for each message",
     .type = "list of whole numbers, one per message",
     .help = "In its window, a system-information message is sent again every this many frames.",
     .example = "si_repetition_frames: [2]",
     .source = "TS 36.331 si-RepetitionPattern-r13 (every2ndRF to every16thRF)"},
    {.key = "si_sizes",
     .kind = K::Special,
     .range = "each 56, 120, 208, 256, 328, 440, 552 or 680 bit, one per entry of si_periods",
     .default_text = "256 bit for the first message, 56 bit for each other",
     .type = "list of data sizes, one per message",
     .help = "Each system-information message's transport block: 56 or 120 bits take 2 subframes per transmission, "
             "the others 8.",
     .example = "si_sizes: [328 bit]",
     .source = "TS 36.331 si-TB-r13 and SystemInformation-NB; default: the SIB1-NB of docs/models/cellular.md §2.4's "
               "network (D. Robinson, Stellenbosch University 2019)"},
    {.key = "edt_max_tbs",
     .kind = K::Special,
     .range = "each 328, 408, 504, 584, 680, 808, 936 or 1000 bit",
     .default_value = "[1000 bit, 1000 bit, 1000 bit]",
     .type = "list of 3 data sizes",
     .help = "The largest Msg3 of early data transmission at each level (edt-TBS-r15): a device with "
             "radio.early_data sends its reports in Msg3 when they fit with Msg3's own 88 bits.",
     .example = "edt_max_tbs: [328 bit, 504 bit, 1000 bit]",
     .source = "TS 36.331 (Rel-15) EDT-PRACH-ParametersCE-NB-r15; TS 36.300 §7.3b"},
    {.key = "backoff",
     .kind = K::Quantity,
     .dimension = D::Time,
     .min = 0,
     .max = 524.288e9,
     .range = "0 s to 524.288 s",
     .default_value = "512 ms",
     .help = "After a failed preamble a device waits a time drawn uniformly from 0 to this before the next one (the "
             "backoff indicator).",
     .example = "backoff: 2048 ms",
     .source = "TS 36.321 Table 7.2-1 (NB-IoT backoff parameter values, 0 to 524 288 ms)"},
    kBlockErrorRate,
    kConnectedDrxCycle,
    kConnectedDrxOnDuration,
    kInactivityTimer,
    kNetworkDelay,
    kQRxLevMin,
    kSearchTime,
    kUplinkInterference,
    {.key = "power_control",
     .kind = K::Boolean,
     .default_value = "true",
     .help = "Uplink open-loop power control: an NPUSCH of at most 2 repetitions is sent at min(tx_power, "
             "10·log10(M) + P0 + alpha·PL) (M: its subcarriers, 1/4 for one of 3.75 kHz; PL: the coupling loss), and "
             "CE level 0's preamble at min(tx_power, preamble_target_power − 10·log10(repetitions) + PL), "
             "power_ramping_step more each attempt; longer transmissions and the other levels' preambles at "
             "tx_power. false: every transmission at tx_power.",
     .example = "power_control: false",
     .source = "TS 36.213 §16.2.1.1 (NPUSCH), §16.3.1 (NPRACH); TS 36.321 §5.1.3; TS 36.101 §6.3.5F.1"},
    {.key = "p0_nominal_npusch",
     .kind = K::Quantity,
     .dimension = D::Power,
     .min = -126,
     .max = 24,
     .range = "-126 dBm to 24 dBm, whole dBm",
     .default_value = "-80 dBm",
     .help = "Power control: P0, the power per 15 kHz subcarrier the cell asks for at 0 dB of path loss "
             "(with alpha: each dB of path loss adds alpha dB).",
     .example = "p0_nominal_npusch: -90 dBm",
     .source = "TS 36.331 p0-NominalNPUSCH-r13 (-126..24); default: a South African network's SIB2-NB (D. Robinson, "
               "Stellenbosch University 2019)"},
    {.key = "alpha",
     .kind = K::Special,
     .range = "0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 or 1",
     .default_value = "0.8",
     .type = "number",
     .help = "Power control: the share of the path loss the device makes up (fractional power control); for "
             "Msg3 and the HARQ-ACKs it is 1.",
     .example = "alpha: 1",
     .source = "TS 36.331 alpha-r13 (al0, al04 .. al1); TS 36.213 §16.2.1.1; default: the same SIB2-NB"},
    {.key = "preamble_target_power",
     .kind = K::Quantity,
     .dimension = D::Power,
     .min = -120,
     .max = -90,
     .range = "-120 dBm to -90 dBm, in steps of 2 dBm",
     .default_value = "-104 dBm",
     .help = "Power control: the power at which the cell wants CE level 0's first preamble (all its repetitions "
             "together); Msg3's P0 is this plus delta_preamble_msg3.",
     .example = "preamble_target_power: -110 dBm",
     .source = "TS 36.331 preambleInitialReceivedTargetPower (dBm-120 .. dBm-90); default: the same SIB2-NB"},
    {.key = "power_ramping_step",
     .kind = K::Quantity,
     .dimension = D::Ratio,
     .min = 0,
     .max = 6,
     .range = "0, 2, 4 or 6 dB",
     .default_value = "2 dB",
     .help = "Power control: how much higher each further CE level 0 preamble attempt aims.",
     .example = "power_ramping_step: 4 dB",
     .source = "TS 36.331 powerRampingStep (dB0 .. dB6); default: the same SIB2-NB"},
    {.key = "delta_preamble_msg3",
     .kind = K::Quantity,
     .dimension = D::Ratio,
     .min = -2,
     .max = 12,
     .range = "-2 dB to 12 dB, in steps of 2 dB",
     .default_value = "8 dB",
     .help = "Power control: Msg3's P0 above preamble_target_power (the broadcast value times 2 dB).",
     .example = "delta_preamble_msg3: 4 dB",
     .source = "TS 36.331 deltaPreambleMsg3-r13 (-1..6, times 2 dB); default: the same SIB2-NB (4: 8 dB)"},
};

inline constexpr Param kSiteLoad{
    .key = "load",
    .kind = K::Quantity,
    .dimension = D::Percent,
    .min = 0,
    .max = 1,
    .range = "0 % to 100 %",
    .default_value = "100 %",
    .help =
        "NB-IoT and LTE-M: the share of time the site transmits, as interference to the devices of other "
        "sites.",
    .example = "load: 50 %"};

inline constexpr Param kSiteParams[] = {
    {.key = "carrier_power",
     .kind = K::Quantity,
     .dimension = D::Power,
     .min = 0,
     .max = 50,
     .range = "0 dBm to 50 dBm",
     .default_text = "43 dBm stand-alone; 35 dBm in-band and guard-band",
     .help = "NB-IoT: the carrier's transmit power (180 kHz, 12 subcarriers); the reference signal has this less "
             "10·log10(12) per subcarrier.",
     .example = "carrier_power: 35 dBm",
     .source =
         "TR 45.820 §5.1 (43 dBm for a stand-alone carrier); in-band and guard-band: a 46 dBm, 10 MHz LTE "
         "carrier's power per resource element boosted by 6 dB, TS 36.141 §6.1.6 (docs/models/cellular.md §1.2.1)"},
    {.key = "operation_mode",
     .kind = K::Choice,
     .default_value = "standalone",
     .choices = "standalone|guard-band|in-band",
     .help = "NB-IoT: where the carrier is: a carrier of its own (a refarmed GSM carrier, say), in an LTE carrier's "
             "guard band, or in one of its PRBs. It sets carrier_power's default, the model's only use of it "
             "(docs/models/cellular.md §1.2 says what else the mode changes and why the model leaves it out).",
     .example = "operation_mode: in-band",
     .source =
         "TS 36.331 MIB-NB operationModeInfo-r13 (in-band with the same or another PCI, guard band, stand-alone)"},
    kSiteLoad,
};

inline constexpr Param kRadioParams[] = {
    {.key = "technology", .kind = K::Choice, .required = true, .choices = "nbiot", .help = "NB-IoT (3GPP Rel-13)."},
    {.key = "tx_power",
     .kind = K::Quantity,
     .dimension = D::Power,
     .min = -40,
     .max = 33,
     .range = "within the chip's current table",
     .default_value = "23 dBm",
     .help = "Uplink transmit power (power class 3: 23 dBm; class 5: 20 dBm); with nbiot.power_control the most a "
             "transmission uses.",
     .example = "tx_power: 20 dBm",
     .source = "TS 36.101 §6.2.2F (UE power classes 3 and 5)"},
    {.key = "antenna_gain",
     .kind = K::Quantity,
     .dimension = D::Ratio,
     .min = -20,
     .max = 10,
     .range = "-20 dBi to 10 dBi",
     .default_value = "0 dBi",
     .help = "The device's antenna gain, both ways.",
     .example = "antenna_gain: -4 dBi"},
    {.key = "noise_figure",
     .kind = K::Quantity,
     .dimension = D::Ratio,
     .min = 0,
     .max = 20,
     .range = "0 dB to 20 dB",
     .default_value = "5 dB",
     .help = "The device receiver's noise figure (downlink SINR).",
     .example = "noise_figure: 7 dB",
     .source = "TR 45.820 §5.1 (device noise figure 5 dB)"},
    {.key = "frequency",
     .kind = K::Quantity,
     .dimension = D::Frequency,
     .min = 400e6,
     .max = 3e9,
     .range = "400 MHz to 3 GHz",
     .default_value = "900 MHz",
     .help = "The carrier at which path loss and penetration are evaluated.",
     .example = "frequency: 800 MHz",
     .source = "TR 45.820 §5.1 (900 MHz)"},
    {.key = "header_overhead",
     .kind = K::Quantity,
     .dimension = D::DataSize,
     .min = 0,
     .max = 200,
     .range = "0 B to 200 B",
     .default_value = "29 B",
     .help = "Bytes added to every payload above the MAC (IP, UDP, PDCP, RLC, MAC headers).",
     .example = "header_overhead: 65 B",
     .source = "IPv4 20 B + UDP 8 B + 1 B of MAC subheader, uncompressed (docs/models/cellular.md §3.3)"},
    {.key = "release_assistance",
     .kind = K::Boolean,
     .default_value = "true",
     .help = "The device tells the network it has nothing more (Rel-14 RAI): the network releases the connection "
             "after the data instead of after the inactivity timer.",
     .example = "release_assistance: false",
     .source = "TS 36.321 §6.1.3.10 (Rel-14)"},
    {.key = "application_ack",
     .kind = K::Boolean,
     .default_value = "false",
     .help = "The application answers every report with a downlink acknowledgement the device receives before "
             "release.",
     .example = "application_ack: true",
     .source = "TR 45.820 Annex E (the periodic report's application ACK)"},
    {.key = "active_timer",
     .kind = K::Quantity,
     .dimension = D::Time,
     .min = 0,
     .max = 11160e9,
     .range = "0 s to 186 min",
     .default_value = "10 s",
     .help = "T3324: after release the device stays reachable in idle mode this long, then enters power saving "
             "mode.",
     .example = "active_timer: 0 s",
     .source = "TS 24.008 §10.5.7.4 (GPRS timer 2)"},
    {.key = "paging_cycle",
     .kind = K::Quantity,
     .dimension = D::Time,
     .min = 1.28e9,
     .max = 10485.76e9,
     .range = "1.28 s to 10485.76 s",
     .default_value = "2.56 s",
     .help = "In idle mode (the active timer) the device can be paged once per cycle: the DRX cycle, or an eDRX "
             "cycle (20.48 s to 10485.76 s). It sets when an application downlink reaches an idle device, and the "
             "idle current when the radio profile gives idle_by_cycle (else its standby).",
     .example = "paging_cycle: 81.92 s",
     .source = "TS 36.304 §7 (paging occasions); defaultPagingCycle rf256 of a commercial SIB2-NB; TS 24.008 "
               "§10.5.5.32 (eDRX cycles)"},
    {.key = "early_data",
     .kind = K::Boolean,
     .default_value = "false",
     .help = "Rel-15 early data transmission: a report that fits the cell's edt_max_tbs goes in Msg3 and the "
             "network's answer (with any application acknowledgement) in Msg4; the device stays in idle mode, "
             "with no connection set-up, grant or release. Not for tracking area updates or with downlinks "
             "waiting.",
     .example = "early_data: true",
     .source = "TS 36.300 §7.3b (control-plane EDT); TS 36.331 RRCEarlyDataRequest"},
    {.key = "periodic_tau",
     .kind = K::Quantity,
     .dimension = D::Time,
     .min = 60e9,
     .max = 35712000e9,
     .range = "1 min to 413 d",
     .default_value = "24 h",
     .help = "T3412: a device that has not accessed the network for this long wakes for a tracking area update (a "
             "whole access with a small uplink).",
     .example = "periodic_tau: 12 h",
     .source = "TS 24.008 §10.5.7.4a (GPRS timer 3, extended T3412 up to 320 h × 31)"},
};

inline constexpr ParamSection kRoot{"", "nbiot (top level)", kRootParams, {}, true};
inline constexpr ParamSection kSection{"nbiot", "nbiot", kSectionParams};
inline constexpr ParamSection kSite{"gateways[]", "gateways[]: NB-IoT site keys", kSiteParams, {}, true};
inline constexpr ParamSection kRadio{"devices[].radio", "devices[].radio (nbiot)", kRadioParams};

inline constexpr std::array<const ParamSection*, 4> kSections{&kRoot, &kSection, &kSite, &kRadio};

}  // namespace m2msim::cellular::parameters
