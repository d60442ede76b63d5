// LoRa modulation parameters and exact time on air.
//
// Source: Semtech AN1200.13 "LoRa Modem Designer's Guide" (rev. 1, 2013),
// §4.1, and the SX1276 datasheet §4.1.1.6–7:
//   T_sym      = 2^SF / BW
//   T_preamble = (n_preamble + 4.25) · T_sym
//   n_payload  = 8 + max( ceil( (8·PL − 4·SF + 28 + 16·CRC − 20·IH)
//                               / (4·(SF − 2·DE)) ) · (CR + 4), 0 )
//   T_packet   = T_preamble + n_payload · T_sym
// with PL the payload in bytes, CRC = 1 if the payload CRC is on, IH = 1 for
// implicit header, DE = 1 with low-data-rate optimisation, CR = 1..4 for
// coding rates 4/5..4/8.
#pragma once

#include <cstdint>

#include "sim/time.hpp"

namespace m2msim::lora {

enum class LowDataRateOptimize : std::uint8_t {
  Auto,  ///< on when T_sym >= 16 ms (SX1276 datasheet §4.1.1.6; LoRaWAN uses it for SF11/12 at 125 kHz)
  On,
  Off,
};

struct Modulation {
  int spreading_factor = 7;              ///< 7..12
  std::uint32_t bandwidth_hz = 125'000;  ///< 125 000, 250 000 or 500 000
  int coding_rate = 1;                   ///< 1..4 for 4/5..4/8
  bool explicit_header = true;
  bool crc = true;
  LowDataRateOptimize ldro = LowDataRateOptimize::Auto;
  int preamble_symbols = 8;
};

/// T_sym = 2^SF / BW, in seconds.
double symbol_time_s(int spreading_factor, std::uint32_t bandwidth_hz);
bool low_data_rate_optimize_on(const Modulation& m);
/// Number of payload symbols n_payload (AN1200.13 eq. above).
int payload_symbols(const Modulation& m, std::uint32_t payload_bytes);
/// Exact time on air in seconds (a multiple of T_sym/4).
double time_on_air_s(const Modulation& m, std::uint32_t payload_bytes);
/// Time on air on the simulation clock (rounded to the nearest ns).
Time time_on_air(const Modulation& m, std::uint32_t payload_bytes);

}  // namespace m2msim::lora
