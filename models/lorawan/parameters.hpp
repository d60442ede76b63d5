// LoRaWAN's part of the scenario format, declared once
// (scenarios/parameters.hpp): its top-level `lora` section, the keys it adds
// to every site, and a group's `radio` keys. The loader reads with these
// tables; `m2msim schema` and docs/scenario-reference.md print them.
#pragma once

#include <array>

#include "scenarios/parameters.hpp"

namespace m2msim::lora::parameters {

using scenario::Param;
using scenario::ParamSection;
using K = scenario::ParamKind;
using D = scenario::Dimension;

inline constexpr Param kRootParams[] = {
    {.key = "lora", .kind = K::Map, .default_text = "none: region `eu868`, `energy` interference, `goursaud` isolation, no backhaul delay", .section = "lora", .help = "LoRaWAN: the region, how gateways decide reception, the network server.", .example = "lora: { region: us915, interference: pairwise }"},
};

inline constexpr Param kSectionParams[] = {
    {.key = "region", .kind = K::Special, .range = "`eu868`, `us915`, `as923`, or a region file, relative to the scenario file's folder", .default_value = "eu868", .type = "a built-in region name, or a path ending in `.yaml`", .help = "The LoRaWAN regional parameters of every device and gateway.", .example = "region: us915", .source = "LoRaWAN Regional Parameters RP002-1.0.4"},
    {.key = "interference", .kind = K::Choice, .default_value = "energy", .choices = "energy|pairwise|aloha", .help = "How overlapping transmissions are judged: summed energy (ns-3 lorawan), pairwise capture (LoRaSim, FLoRa), or pure ALOHA.", .example = "interference: pairwise"},
    {.key = "isolation", .kind = K::Choice, .default_value = "goursaud", .choices = "goursaud|croce|ideal", .help = "The signal-to-interference thresholds between spreading factors. Not with interference aloha.", .example = "isolation: croce"},
    {.key = "capture_threshold", .kind = K::Quantity, .dimension = D::Ratio, .min = -10, .max = 30, .range = "-10 dB to 30 dB", .default_value = "6 dB", .help = "The same-SF threshold; only with isolation ideal.", .example = "capture_threshold: 3 dB"},
    {.key = "lock_symbols", .kind = K::Integer, .min = 0, .max = 8, .range = "0 to 8", .default_value = "5", .type = "whole number (symbols, no unit)", .help = "Preamble symbols left when the receiver locks on; only with interference pairwise.", .example = "lock_symbols: 6"},
    {.key = "backhaul_delay", .kind = K::Quantity, .dimension = D::Time, .min = 0, .max = 60e9, .range = "0 s to 60 s", .default_value = "0 s", .help = "From a gateway to the network server, and back.", .example = "backhaul_delay: 50 ms"},
    {.key = "deduplication_window", .kind = K::Quantity, .dimension = D::Time, .min = 0, .max = 10e9, .range = "0 s to 10 s", .default_value = "0 s", .help = "How long the network server waits for copies of a frame from other gateways.", .example = "deduplication_window: 200 ms"},
    {.key = "adr_margin", .kind = K::Quantity, .dimension = D::Ratio, .min = 0, .max = 30, .range = "0 dB to 30 dB", .default_value = "10 dB", .help = "The ADR installation margin.", .example = "adr_margin: 5 dB", .source = "Semtech's network-side ADR algorithm"},
};

inline constexpr Param kGatewayParams[] = {
    {.key = "sensitivity", .kind = K::Special, .range = "a sensitivity table: `bor2016`, `sx1272`, `sx1276`", .default_value = "sx1276", .type = "choice", .help = "The gateway's receiver sensitivity per spreading factor and bandwidth (lorawan).", .example = "sensitivity: sx1272"},
    {.key = "demodulators", .kind = K::Special, .range = "1 to 1024, or `unlimited`", .default_value = "8", .type = "whole number, or `unlimited`", .help = "Packets the gateway can demodulate at once (lorawan).", .example = "demodulators: 16", .source = "SX1301 datasheet: 8 paths"},
    {.key = "tx_power", .kind = K::Quantity, .dimension = D::Power, .min = -10, .max = 36, .range = "-10 dBm to 36 dBm", .default_text = "the region's downlink EIRP limit for the window, less antenna_gain, plus cable_loss", .help = "Downlink transmit power, conducted (lorawan).", .example = "tx_power: 27 dBm"},
};

inline constexpr Param kRadioParams[] = {
    {.key = "technology", .kind = K::Choice, .required = true, .choices = "lorawan", .help = "The technology that runs the group.", .example = "technology: lorawan"},
    {.key = "spreading_factor", .kind = K::Integer, .min = 7, .max = 12, .range = "7 to 12", .default_value = "7", .help = "Not with data_rate.", .example = "spreading_factor: 9"},
    {.key = "bandwidth", .kind = K::Special, .range = "exactly 125 kHz, 250 kHz or 500 kHz", .default_value = "125 kHz", .type = "frequency", .help = "Not with data_rate.", .example = "bandwidth: 250 kHz"},
    {.key = "data_rate", .kind = K::Integer, .min = 0, .max = 15, .range = "a data rate of the region that carries uplinks", .default_text = "none: spreading_factor and bandwidth", .help = "The region's data-rate index; sets spreading_factor and bandwidth.", .example = "data_rate: 3"},
    {.key = "coding_rate", .kind = K::Choice, .default_value = "4/5", .choices = "4/5|4/6|4/7|4/8", .help = "Forward error correction; affects time on air.", .example = "coding_rate: 4/8"},
    {.key = "header", .kind = K::Choice, .default_value = "explicit", .choices = "explicit|implicit", .help = "The PHY header; implicit removes it from time on air.", .example = "header: implicit"},
    {.key = "crc", .kind = K::Boolean, .default_value = "true", .help = "The payload CRC (16 bits).", .example = "crc: false"},
    {.key = "low_data_rate_optimize", .kind = K::Choice, .default_value = "auto", .choices = "auto|on|off", .help = "auto: on when a symbol lasts 16 ms or more.", .example = "low_data_rate_optimize: on", .source = "SX1276 datasheet §4.1.1.6"},
    {.key = "preamble", .kind = K::Integer, .min = 6, .max = 65535, .range = "6 to 65535", .default_value = "8", .type = "whole number (symbols, no unit)", .help = "Programmed preamble length.", .example = "preamble: 12"},
    {.key = "tx_power", .kind = K::Special, .range = "the range of the `tx` table of the group's radio profile (sx1276, sx1272: 7 dBm to 20 dBm; sx1262: 14 dBm to 22 dBm)", .default_value = "14 dBm", .type = "power", .help = "Conducted transmit power.", .example = "tx_power: 14 dBm"},
    {.key = "frequency", .kind = K::Quantity, .dimension = D::Frequency, .min = 137e6, .max = 1020e6, .range = "137 MHz to 1020 MHz", .default_text = "the region's default uplink channels for the group's bandwidth and data rate", .help = "One fixed channel, rounded to 1 Hz.", .example = "frequency: 868.3 MHz", .source = "SX1276 datasheet Table 7 (synthesiser range)"},
    {.key = "antenna_gain", .kind = K::Quantity, .dimension = D::Ratio, .min = -20, .max = 20, .range = "-20 dBi to 20 dBi", .default_value = "0 dBi", .help = "The device's antenna gain.", .example = "antenna_gain: -2 dBi"},
    {.key = "receive_windows", .kind = K::Boolean, .default_value = "true", .help = "Open RX1 and RX2 after each uplink.", .example = "receive_windows: false"},
    {.key = "rx_window_symbols", .kind = K::Integer, .min = 1, .max = 30, .range = "1 to 30", .default_value = "8", .type = "whole number (symbols)", .help = "How long a window listens for a preamble; 30 symbols at SF12/125 kHz last 983 ms, so RX1 closes before RX2 opens.", .example = "rx_window_symbols: 6"},
    {.key = "confirmed", .kind = K::Boolean, .default_value = "false", .help = "Uplinks ask for an ACK.", .example = "confirmed: true"},
    {.key = "max_transmissions", .kind = K::Integer, .min = 1, .max = 15, .range = "1 to 15", .default_text = "`1`, or `8` with `confirmed: true`", .help = "Attempts per packet (NbTrans, or retries + 1).", .example = "max_transmissions: 3"},
    {.key = "adr", .kind = K::Boolean, .default_value = "false", .help = "Adaptive data rate; needs a modulation that is a data rate of the region.", .example = "adr: true"},
    {.key = "duty_cycle", .kind = K::Boolean, .default_value = "true", .help = "Obey the region's duty-cycle sub-bands.", .example = "duty_cycle: false"},
    {.key = "join", .kind = K::Choice, .default_value = "abp", .choices = "abp|otaa", .help = "abp: joined from the start; otaa: joins over the air first (needs receive_windows).", .example = "join: otaa"},
    {.key = "class", .kind = K::Choice, .default_value = "A", .choices = "A|B|C", .help = "Device class; B needs class B parameters in the region's file.", .example = "class: C"},
    {.key = "ping_slot_periodicity", .kind = K::Integer, .min = 0, .max = 7, .range = "0 to 7", .default_value = "7", .help = "Class B only: 2^(7 − p) ping slots per 128 s beacon period.", .example = "ping_slot_periodicity: 5"},
};

inline constexpr ParamSection kRoot{"", "lora (top level)", kRootParams, {}, true};
inline constexpr ParamSection kSection{"lora", "lora", kSectionParams};
inline constexpr ParamSection kGateway{"gateways[]", "gateways[]: LoRaWAN gateway keys", kGatewayParams, {}, true};
inline constexpr ParamSection kRadio{"devices[].radio", "devices[].radio (lorawan)", kRadioParams};

/// Every LoRaWAN section, in the order of docs/scenario-reference.md.
inline constexpr std::array<const ParamSection*, 4> kSections{&kRoot, &kSection, &kGateway, &kRadio};

}  // namespace m2msim::lora::parameters
