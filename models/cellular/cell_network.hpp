// NB-IoT devices reporting through their serving cells (docs/models/cellular.md §3).
//
// A device sleeps in power saving mode (PSM). For each report it wakes,
// regains synchronisation and reads the system information (sync_time of
// its CE level), then sends a preamble at its level's next NPRACH occasion,
// on a subcarrier drawn uniformly from the level's. Two devices of one cell
// and level that pick the same subcarrier in the same occasion collide:
// both receive the random-access response, both send Msg3, and neither
// resolves contention (no capture: the conservative reading of
// TS 36.321 §5.1.5, and the one the analytic collision probability assumes).
// A device beyond the maximum coupling loss is never heard. After a failed
// attempt it backs off (uniform in [0, backoff]) and tries again; after
// max_attempts at a level it moves to the next (TS 36.321 §5.1.4); after
// the last level's, its waiting packets are lost.
//
// A successful access continues as a fixed sequence, each step with the
// repetitions of the device's level: random-access response, Msg3,
// connection set-up (Msg4) and its HARQ-ACK, the uplink grant and the data
// (every waiting packet, in transport blocks of the level's I_TBS), the
// application's acknowledgement if any, and the connection release —
// immediately with release assistance, after the inactivity timer without.
// The device then stays in idle mode for the active timer (T3324) and
// enters PSM. A device that has not accessed the network for T3412 wakes
// for a tracking area update: a whole access with a small uplink.
//
// Packets generated while the device is busy wait (at most four) and go in
// the next data phase. Application downlinks wait at the server (at most
// four): a device in idle mode is paged at its next paging occasion and
// connects to receive them; one in PSM gets them in its next connection
// (a report or a TAU), after its uplink data. Each cell's uplink subcarriers and downlink NPDSCH
// are shared (CellCalendar): Msg3, Msg4, the data, the acknowledgement and
// the release are booked on them as the connection reaches each, so under
// load devices wait (in idle) and latency grows.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "models/cellular/fates.hpp"
#include "models/cellular/ltem_phy.hpp"
#include "models/cellular/nbiot_link.hpp"
#include "models/cellular/nbiot_phy.hpp"
#include "models/energy/energy.hpp"
#include "models/network/backhaul.hpp"
#include "models/traffic/traffic.hpp"
#include "results/recorder.hpp"
#include "sim/simulation.hpp"

namespace m2msim::cellular {

/// CE levels a cell may have: NB-IoT 3, LTE-M 4 (two in CE mode A, two in B).
inline constexpr std::size_t kMaxLevels = 4;

/// Uplink messages of a fixed size (bits): Msg3 is an 88-bit block (TS 36.213
/// §16.3.3); a NAS tracking area update request with its headers, 40 B (model).
inline constexpr int kMsg3Bits = 88;
inline constexpr int kTauRequestBits = 320;
/// Downlink messages of a fixed size (bits, model): Msg4, the UE
/// contention-resolution identity (7 B) with RRCConnectionSetup-NB and
/// headers (13 B); RRCConnectionRelease-NB with RLC/MAC headers (8 B).
inline constexpr int kMsg4Bits = 160;
inline constexpr int kReleaseBits = 64;

/// An NB-IoT modem's energy states (the meter's indices); the names are the
/// technology's energy_states(). psm draws the radio profile's sleep
/// current; idle its standby current (idle mode: after a release, waiting
/// for an NPRACH occasion, backing off); connected its connected current,
/// or its receive current when the profile gives none (between the steps of
/// the random access and of a connection: monitoring its search space,
/// waiting for the network or the cell); rx and tx its receive and transmit
/// currents.
enum EnergyState : energy::StateIndex { kPsm, kIdle, kConnected, kRx, kTx };
inline constexpr std::array<std::string_view, 5> kEnergyStateNames{"psm", "idle", "connected", "rx", "tx"};
inline constexpr std::array<energy::Part, 5> kEnergyStateParts{energy::Part::RadioIdle, energy::Part::RadioIdle,
                                                               energy::Part::Rx, energy::Part::Rx, energy::Part::Tx};

/// Time a step of the procedure keeps the radio transmitting, receiving and
/// waiting (connected, between the two); total is their sum (the step's
/// length). The transmit time is also kept by current (with power control
/// each message has its own): a few bins of equal current, so that a step at
/// one current books exactly its time at it.
struct StepTime {
  Time tx{}, rx{}, wait{};
  std::array<std::pair<double, Time>, 6> tx_by_mA{};  ///< (current, time); time 0: unused
  [[nodiscard]] Time total() const { return tx + rx + wait; }
  /// `t` more transmitting, at `mA`.
  void transmit(Time t, double mA) {
    tx += t;
    add_tx(t, mA);
  }
  /// The share `f` (0 to 1) of every time: a step cut at the run's end.
  [[nodiscard]] StepTime scaled(double f) const {
    const auto of = [f](Time t) {
      return Time::nanoseconds(static_cast<std::int64_t>(std::llround(static_cast<double>(t.ns()) * f)));
    };
    StepTime s;
    s.tx = of(tx);
    s.rx = of(rx);
    s.wait = of(wait);
    for (std::size_t i = 0; i < tx_by_mA.size(); ++i) s.tx_by_mA[i] = {tx_by_mA[i].first, of(tx_by_mA[i].second)};
    return s;
  }
  StepTime& operator+=(const StepTime& o) {
    tx += o.tx;
    rx += o.rx;
    wait += o.wait;
    for (const auto& [mA, t] : o.tx_by_mA)
      if (t > Time::zero()) add_tx(t, mA);
    return *this;
  }

 private:
  void add_tx(Time t, double mA) {
    for (auto& [current, time] : tx_by_mA)
      if (time == Time::zero() || current == mA) {
        current = mA;
        time += t;
        return;
      }
    // More currents than bins (not in the procedure's steps): the highest
    // bin takes it at its own current, if higher (a charge never under-counted).
    auto& top = *std::max_element(tx_by_mA.begin(), tx_by_mA.end(),
                                  [](const auto& a, const auto& b) { return a.first < b.first; });
    top.first = std::max(top.first, mA);
    top.second += t;
  }
};

/// The radio access technology a cell speaks: it sets the numerology of
/// every message (nbiot_phy.hpp, ltem_phy.hpp), the gaps between them and how
/// the cell's channels are shared.
enum class Rat : std::uint8_t { Nbiot, Ltem };

/// One CE level's configuration, as the procedure's timings need it. The
/// names are the technology's channels: (N)PRACH, (N/M)PDCCH, (N)PDSCH,
/// (N)PUSCH.
struct LevelConfig {
  Rat rat = Rat::Nbiot;
  Time prach_period{};
  Time prach_start{};  ///< occasions at prach_start + k × prach_period
  int prach_repetitions = 1;
  int preambles = 12;  ///< NB-IoT: NPRACH subcarriers; LTE-M: PRACH preambles of the level
  int max_attempts = 5;
  /// R of the NPDCCH or MPDCCH: the search space's Rmax, or less once
  /// connected (downlink link adaptation, at least Rmax / 8).
  int control_repetitions = 1;
  int control_rmax = 1;  ///< Rmax of the search space
  /// The search space's period (Rmax × G): a control message starts in an
  /// occasion at a whole multiple of it, at one of its Rmax / R candidates,
  /// on the cell's downlink (NB-IoT's carrier, an LTE-M narrowband), one per
  /// candidate and lane (TS 36.213 §16.6, §9.1.5). 0: read at any time, not
  /// booked.
  Time control_period{};
  /// NB-IoT: the carrier's valid downlink subframes (SIB1-NB's repetitions).
  const nbiot::DownlinkPattern* downlink = &nbiot::downlink_pattern();
  int pdsch_repetitions = 1;
  int pusch_repetitions = 1;
  int pusch_width = 12;                                  ///< NB-IoT: subcarriers; LTE-M: PRBs
  nbiot::Spacing pusch_spacing = nbiot::Spacing::Khz15;  ///< NB-IoT only
  int pusch_itbs = 0;
  /// The largest block of a message (link adaptation's choice): NB-IoT
  /// I_RU; LTE-M PRBs (a message's blocks take at most this many).
  int pusch_max_block = 7;
  int pdsch_itbs = 0;
  int pdsch_width = 6;      ///< LTE-M: PRBs of a downlink block (NB-IoT: the carrier)
  int ack_repetitions = 1;  ///< LTE-M: PUCCH repetitions of a HARQ-ACK (NB-IoT: pusch_repetitions)
  /// The device's current while it sends this level's NPUSCH/PUSCH blocks
  /// (Msg3, data) and HARQ-ACKs: its tx_power's, or less with power control
  /// (the group's levels: tx_power's; connect() sets the device's).
  double tx_mA = 0.0, ack_mA = 0.0;
  Time sync_time{};
  /// How long a device listens for an answer: the response window
  /// (ra-ResponseWindowSize) and the contention-resolution timer
  /// (mac-ContentionResolutionTimer), TS 36.331 RACH-ConfigCommon(-NB).
  Time response_window = Time::milliseconds(80);
  Time contention_resolution = Time::milliseconds(512);
};

/// What each step of the procedure takes at one CE level
/// (docs/models/cellular.md §3.2 gives every constant and its source).
struct LevelTiming {
  Time sync{};           ///< rx, after PSM
  Time preamble{};       ///< tx
  Time preamble_span{};  ///< from its start to its end (LTE-M: repetitions 10 ms apart; connected between)
  Time msg3{};           ///< Msg3's air time (tx)
  StepTime unheard;      ///< after the preamble: the whole response window, nothing received
};

/// When one channel of a cell is busy: booked intervals [start, end), in
/// order and disjoint; those that ended are dropped as time goes on.
class Lane {
 public:
  /// The first booked interval that ends after `t` (or none).
  [[nodiscard]] const std::pair<Time, Time>* next_after(Time t) const;
  void book(Time start, Time end);
  /// Forgets the intervals that ended by `now`.
  void prune(Time now);
  /// The time booked so far before the horizon (the run's end).
  [[nodiscard]] Time booked() const { return booked_; }
  void set_horizon(Time horizon) { horizon_ = horizon; }

 private:
  std::vector<std::pair<Time, Time>> busy_;
  std::size_t head_ = 0;  ///< busy_[0, head_) have ended
  Time booked_{};
  Time horizon_ = Time::max();
};

/// NB-IoT: one CE level's NPRACH resource on the uplink: its 3.75 kHz
/// subcarriers, from `start` + whole multiples of `period`, for `length`
/// (the preamble's repetitions). NPUSCH slots that overlap it on those
/// subcarriers are postponed past it (TS 36.211 §10.1.3.6).
struct NprachResource {
  std::size_t first_lane = 0, lanes = 0;
  Time period{}, start{}, length{};
};

/// How long an NPUSCH of `duration` from `start` on lanes [first, first + n)
/// lasts once its slots that overlap a resource of `nprach` are postponed.
Time postponed_span(std::span<const NprachResource> nprach, std::size_t first, std::size_t n, Time start,
                    Time duration);

/// A cell's shared channels, booked as connections ask for them: the
/// uplink carrier as 48 lanes of 3.75 kHz (a 15 kHz subcarrier is 4 lanes;
/// an allocation of k subcarriers takes k aligned subcarriers, TS 36.213
/// Table 16.5.1.1-1), and the downlink carrier's NPDSCH, one block at a
/// time. A request gets the earliest time at or after it wants, in any
/// gap long enough, on the aligned subcarriers where it ends soonest.
struct CellCalendar {
  std::array<Lane, 48> uplink;
  std::array<Lane, 8> downlink;
  /// 0: an NB-IoT carrier (48 uplink lanes of 3.75 kHz, one downlink lane);
  /// else LTE-M's narrowbands: 6 uplink lanes (PRBs) and one downlink lane
  /// (a block takes the narrowband) each.
  int narrowbands = 0;
  /// NB-IoT: the levels' NPRACH resources (none: the whole uplink is NPUSCH's).
  std::span<const NprachResource> nprach;
  /// Books an uplink allocation of `tones` subcarriers at `spacing` for
  /// `duration` of transmission, at `want` or as soon after as lanes are
  /// free, on the subcarriers where it ends soonest; its start. `*span`: how
  /// long it lasts with its slots postponed around the NPRACH.
  Time book_uplink(Time want, Time duration, int tones, nbiot::Spacing spacing, Time* span = nullptr);
  /// Where book_uplink would put it, without booking.
  Time earliest_uplink(Time want, Time duration, int tones, nbiot::Spacing spacing, Time* span = nullptr);
  /// LTE-M: books `prbs` adjacent PRBs within one narrowband.
  Time book_prbs(Time want, Time duration, int prbs);
  /// Books the downlink for `duration` at `want` or later; its start.
  Time book_downlink(Time want, Time duration);
  /// Books a control message of `subframes` (R) downlink subframes
  /// (NB-IoT's valid ones when `valid` is given) in the first search-space
  /// occasion (a whole multiple of `period`) at or after `want` where a
  /// downlink lane (NB-IoT's carrier, an LTE-M narrowband) is free for one
  /// of its Rmax / R candidates, the first such; its start, and `*end`.
  /// `*occasions`: the occasions from the first at or after `want` to its
  /// own, inclusive; `*occasion` (unless null): its own's start.
  Time book_control(Time want, std::int64_t subframes, std::int64_t rmax, Time period,
                    const nbiot::DownlinkPattern* valid, int* occasions, Time* end, Time* occasion = nullptr);
  /// NB-IoT: books an NPDSCH block of `subframes` valid downlink subframes at
  /// `want` or later; its start, and `*end`.
  Time book_npdsch(Time want, std::int64_t subframes, const nbiot::DownlinkPattern& valid, Time* end);
  /// Forgets what ended by `now` (every request after it wants `now` or later).
  void prune(Time now);

 private:
  Time uplink_fit(Time want, Time duration, int tones, nbiot::Spacing spacing, Time* span, bool commit);
};

/// HARQ (TS 36.321 §5.3.2, §5.4.2): each transmission of a transport block
/// fails with probability `bler` and the block is sent again (a new
/// assignment or grant, the block, its HARQ-ACK), up to `max_transmissions`;
/// draws from `rng` (nullptr: every first transmission decodes).
struct Harq {
  double bler = 0.0;
  int max_transmissions = 4;
  RandomStream* rng = nullptr;
  std::uint64_t* retransmissions = nullptr;  ///< counted here when given
  /// How many times the next block is sent.
  int transmissions() const;
};

/// The timings of level `c` on an idle cell: pure functions of the
/// standard's numerology.
LevelTiming level_timing(const LevelConfig& c);
/// The random-access response to a preamble that ends at `preamble_end`:
/// the gap, its NPDCCH/MPDCCH and its block, on the valid subframes of then.
StepTime response_after(const LevelConfig& c, Time preamble_end);
/// A collided preamble's: the response, Msg3, and the contention-resolution
/// timer to its end.
StepTime collided_after(const LevelConfig& c, Time preamble_end);
/// An uplink message of `bits` at level `c` from `t`: for each transport
/// block the uplink grant (NPDCCH), the scheduling gap and the NPUSCH,
/// booked on `cell` (nullptr: an idle cell). Adds its times to `s`
/// (waiting for the cell counts as waiting) and returns its end. `msg3`:
/// the first block is Msg3, granted by the random-access response that
/// ended at `t` (early data).
Time uplink_message(const LevelConfig& c, int bits, Time t, StepTime& s, CellCalendar* cell, bool msg3 = false,
                    const Harq& harq = {});
/// A downlink message likewise: for each block the assignment (NPDCCH), the
/// scheduling gap, the NPDSCH and its HARQ-ACK.
Time downlink_message(const LevelConfig& c, int bits, Time t, StepTime& s, CellCalendar* cell, const Harq& harq = {});
/// On an idle cell.
StepTime uplink_message(const LevelConfig& c, int bits);
StepTime downlink_message(const LevelConfig& c, int bits);

/// Whether every block of a `bits`-bit message, as uplink_message sends it
/// on `c`'s allocation, decodes by the link model (nbiot_link.hpp,
/// ltem_link.hpp) at `snr15_dB`, the SNR of one 15 kHz subcarrier with the
/// device's whole power, `gain_dB` per doubling of the repetitions; an
/// NB-IoT allocation of at most 2 repetitions has at most `pc_snr_dB` on each
/// subcarrier (open-loop power control, §3.3.5). Link adaptation's choices
/// decode by construction; this checks a CE level's fixed allocation.
bool uplink_decodes(const LevelConfig& c, int bits, double snr15_dB, double gain_dB,
                    double pc_snr_dB = std::numeric_limits<double>::infinity());

/// What every device of one group shares.
struct GroupConfig {
  traffic::TrafficPattern traffic;
  const energy::CurrentProfile* profile = nullptr;
  energy::Board board;
  energy::Battery battery;
  double tx_power_dBm = 23.0;
  std::uint32_t header_overhead_bytes = 29;
  bool release_assistance = true;
  bool application_ack = false;
  Time active_timer{};
  Time periodic_tau{};
  Time inactivity_timer{};
  /// How long the network takes to answer a NAS message (TAU accept, an
  /// early-data Msg4, the release after release assistance, the
  /// application's acknowledgement); the device waits connected.
  Time network_delay{};
  Time search_time{};  ///< a device that finds no cell searches this long per report
  double bler = 0.0;   ///< HARQ: the share of transmissions that fail (Harq)
  /// Connected-mode DRX during the inactivity timer: the device monitors
  /// on_duration of every cycle (0: no DRX, monitoring throughout).
  Time drx_cycle{}, drx_on_duration{};
  Time backoff{};
  std::size_t level_count = 3;
  std::array<LevelConfig, kMaxLevels> levels{};
  std::array<LevelTiming, kMaxLevels> timing{};
  int ack_bits = 0;  ///< the application acknowledgement (downlink); 0 without one
  /// Early data transmission (Rel-15): a report that fits, with Msg3's own
  /// bits, in the level's largest EDT block goes in Msg3, and the network
  /// answers in Msg4; no connection follows.
  bool early_data = false;
  std::array<int, kMaxLevels> edt_max_bits{};
  double tx_mA = 0.0;  ///< at tx_power_dBm
  /// NB-IoT's uplink power control (scenario_settings.hpp, npusch_dBm).
  bool power_control = false;
  double preamble_target_dBm = -104.0, ramping_step_dB = 2.0;
  double p0_dBm = -80.0, alpha = 0.8;  ///< data, TAU requests (HARQ-ACKs: alpha 1)
  double msg3_p0_dBm = -96.0;          ///< Msg3 and early data: the preamble's target plus delta_preamble_msg3
  /// Application downlinks (mobile-terminated data): their timing and size
  /// at the server, and the idle-mode paging cycle (DRX or eDRX).
  bool downlinks = false;
  traffic::TrafficPattern downlink;
  int downlink_bits = 0;  ///< payload and headers
  Time paging_cycle{};
  /// In idle mode (after a release, until PSM): the profile's idle current
  /// at the paging cycle (energy::CurrentProfile::idle_mA).
  double idle_mode_mA = 0.0;

  [[nodiscard]] double idle_mA() const { return profile->sleep_mA; }
};

/// An uplink allocation as the procedure uses it: NB-IoT subcarriers at a
/// spacing and I_RU of a full block, or LTE-M PRBs (max_block = width).
struct UplinkChoice {
  nbiot::Spacing spacing = nbiot::Spacing::Khz15;
  int width = 1;
  int itbs = 0;
  int max_block = 0;
  int repetitions = 1;
};

/// A device's radio situation, from the link budget (fixed for the run).
struct DeviceLink {
  std::uint32_t cell = 0;  ///< serving site
  std::uint8_t level = 0;  ///< CE level chosen by NRSRP
  bool camps = false;      ///< (N)RSRP at least q_rxlev_min: the device selects the cell
  bool covered = false;    ///< it camps and its coupling loss is within the maximum
  /// Covered, but its report, Msg3 (or early-data Msg3) or TAU request on
  /// the level's configuration (no link adaptation, or nothing decodes) does
  /// not decode by the link model at its uplink SNR: the model still sends
  /// it (uplink_decodes).
  bool uplink_short = false;
  float coupling_loss_dB = 0;  ///< to the serving site
  float nrsrp_dBm = 0;         ///< (N)RSRP
  float sinr_dB = 0;           ///< downlink, with the other sites' load as interference
  float uplink_snr_dB = 0;     ///< at the serving site, one 15 kHz subcarrier with the device's whole power
  /// The allocations link adaptation chose (nbiot_link.hpp, ltem_link.hpp)
  /// for one report with its headers, for Msg3 and for a TAU request; none:
  /// the CE level's configuration (no adaptation, or nothing decodes).
  std::optional<UplinkChoice> data, msg3, tau;
  /// The allocation of an early-data Msg3 (one report, with Msg3's bits).
  std::optional<UplinkChoice> edt;
  /// Downlink link adaptation, by CE level: how many times the level's
  /// NPDCCH/MPDCCH and NPDSCH/PDSCH repetitions are halved for this device
  /// once connected (0: the level's configuration). See downlink_for.
  std::array<std::uint8_t, kMaxLevels> downlink_halvings{};
};

/// Level `base` with the uplink allocation `a` (link adaptation's choice for
/// a message), or as it is without one.
LevelConfig with_allocation(const LevelConfig& base, const std::optional<UplinkChoice>& a);

/// The power at which a device of group `g` at `coupling_loss_dB` sends an
/// NPUSCH on `x`'s allocation (its subcarriers, spacing and repetitions) with
/// P0 `p0_dBm` and `alpha`: with power control nbiot::npusch_power_dBm's,
/// else the group's tx_power.
double npusch_dBm(const GroupConfig& g, const LevelConfig& x, double p0_dBm, double alpha, double coupling_loss_dB);
/// The power of its HARQ-ACKs at level `c` (NPUSCH format 2: one
/// subcarrier at the level's spacing, the level's repetitions, P0 nominal
/// and alpha 1).
double ack_dBm(const GroupConfig& g, const LevelConfig& c, double coupling_loss_dB);
/// The radio's current at `dBm` (the group's at tx_power, exactly).
double tx_current_mA(const GroupConfig& g, double dBm);

/// Level `c` as the network serves a connected device whose downlink has
/// `halvings` doublings of repetitions to spare: NPDCCH or MPDCCH R =
/// Rmax / 2^h, at least Rmax / 8 (TS 36.213 Tables 16.6-1, 9.1.5-3), and
/// the data channel's repetitions halved likewise, at least 1. The search
/// space keeps the level's period.
LevelConfig downlink_for(const LevelConfig& c, int halvings);

/// How level `c` (as the device is served: downlink_for) grants each uplink
/// block, as link adaptation counts it: occasions every control_period, the
/// grant's R subframes (NB-IoT's on valid subframes, §2.4: the pattern's
/// period over its valid subframes each, on average) and the gap to the data.
nbiot::GrantTiming grant_timing(const LevelConfig& c);

struct CellDevice {
  const GroupConfig* config = nullptr;
  std::uint32_t group = 0;
  DeviceLink link;
  traffic::TrafficSource traffic;
  RandomStream mac_rng;
  energy::BasicEnergyMeter<kEnergyStateNames.size()> energy;
  DeviceCounters counters;
  std::array<Time, 4> queue{};  ///< generation times of waiting packets, oldest first
  std::uint8_t queued = 0;
  std::uint8_t level = 0;     ///< of the access under way (it climbs after max_attempts)
  std::uint8_t attempts = 0;  ///< at that level
  std::uint8_t subcarrier = 0;
  bool busy = false;              ///< an access or connection is under way
  bool tau_access = false;        ///< the access under way is a tracking area update
  bool tau_due = false;           ///< T3412 (or a retry timer) expired during another access
  std::uint8_t tau_failures = 0;  ///< the tracking area updating attempt counter (TS 24.301 §5.5.3.2.6)
  Time idle_since{};              ///< idle mode from here ...
  Time psm_at{};                  ///< ... until PSM (equal: in PSM since then)
  Time idle_mode_time{};          ///< time in idle mode so far (T3324 after each access)
  EventId tau_event{};            ///< the pending T3412 expiry
  Time battery_empty_at = Time::max();
  std::uint64_t preambles = 0;
  std::uint64_t collisions = 0;
  std::uint64_t tracking_area_updates = 0;
  std::uint64_t early_data_transmissions = 0;  ///< accesses whose data went in Msg3
  std::uint64_t harq_retransmissions = 0;      ///< blocks sent again, uplink and downlink
};

/// Network-wide settings.
struct CellNetworkConfig {
  std::size_t sites = 0;
  int narrowbands = 0;  ///< LTE-M: the cells' narrowbands (CellCalendar); 0: NB-IoT
  /// NB-IoT: each CE level's NPRACH resource, which NPUSCH goes around.
  std::vector<NprachResource> nprach;
  const network::Backhaul* backhaul = nullptr;
  results::LatencyRecorder* latency = nullptr;
};

class CellNetwork {
 public:
  CellNetwork(Simulation& sim, CellNetworkConfig config);
  // The cells' calendars view this network's NPRACH resources: no copies.
  CellNetwork(const CellNetwork&) = delete;
  CellNetwork& operator=(const CellNetwork&) = delete;

  void reserve(std::size_t devices) {
    devices_.reserve(devices);
    downlinks_.reserve(devices);
  }
  void add_device(const GroupConfig& config, std::uint32_t group, const DeviceLink& link, RandomStream traffic_rng,
                  RandomStream mac_rng, RandomStream downlink_rng = RandomStream{});
  void start(Time end);
  /// After the run: waiting packets get in_flight_at_end; idle mode is
  /// booked up to the end of the window.
  void finish();

  [[nodiscard]] const std::vector<CellDevice>& devices() const { return devices_; }
  /// A device's application downlinks: where they wait at the server, when
  /// it can be paged, and their counts.
  struct Downlinks {
    traffic::TrafficSource traffic;
    std::array<Time, 4> queue{};  ///< generation times at the server, oldest first
    std::uint8_t queued = 0;
    bool paging = false;   ///< a paging occasion is scheduled
    Time paging_offset{};  ///< of the device's paging occasions within the cycle
    std::uint64_t generated = 0, delivered = 0, dropped = 0;
  };
  [[nodiscard]] const std::vector<Downlinks>& downlinks() const { return downlinks_; }
  /// How many NPRACH occasions (of any site and level) had k heard
  /// preambles, k = 1 .. 255 (the last bucket counts 255 and more); complete
  /// after finish().
  [[nodiscard]] const std::array<std::uint64_t, 256>& contention() const { return contention_; }
  /// Per site, after the run: devices camped on it, preambles it heard and
  /// those that collided, and its channels' bookings (gateways.csv).
  struct SiteLoad {
    std::uint64_t camped = 0, preambles = 0, collided = 0;
  };
  [[nodiscard]] const SiteLoad& site_load(std::size_t site) const { return site_load_[site]; }
  [[nodiscard]] const CellCalendar& calendar(std::size_t site) const { return cells_[site]; }

 private:
  void schedule_next(std::uint32_t d);
  void on_generate(std::uint32_t d);
  /// Wakes device d for an access that starts no earlier than `not_before`.
  void start_access(std::uint32_t d, Time not_before = Time::zero());
  void schedule_preamble(std::uint32_t d, Time not_before);
  void on_preamble(std::uint32_t d);
  void on_preamble_end(std::uint32_t d);
  /// The connection ends (`released`) or the access failed.
  void on_connection_end(std::uint32_t d, bool released);
  void on_tau(std::uint32_t d);
  void on_downlink_generate(std::uint32_t d);
  /// Pages device d at its first paging occasion at or after `from`, if it
  /// is in idle mode then; else its downlinks wait for its next access.
  void page(std::uint32_t d, Time from);
  void on_paging_occasion(std::uint32_t d);
  void settle_idle(CellDevice& dev, Time now);
  /// Books `s`, which runs from `from` to `to`, on the device's charge; of
  /// one that runs past the run's end, the share of its time inside the run.
  void book(CellDevice& dev, const StepTime& s, Time from, Time to);
  void fail_waiting(CellDevice& dev, PacketFate fate);
  void end_connection(std::uint32_t d, Time at, bool released);
  /// A successful preamble ended at `now`: the rest of the connection,
  /// booked on the cell.
  void connect(std::uint32_t d, Time now);

  Simulation& sim_;
  CellNetworkConfig net_;
  std::vector<CellDevice> devices_;
  std::vector<Downlinks> downlinks_;  ///< [device]
  /// Per (site, CE level): the occasion whose preambles are counted, and
  /// how many devices picked each subcarrier in it.
  struct Occasion {
    Time at = Time::nanoseconds(-1);
    std::array<std::uint16_t, 64> picks{};
  };
  std::vector<Occasion> occasions_;  ///< [site × kMaxLevels + level]
  std::vector<CellCalendar> cells_;  ///< [site]
  std::array<std::uint64_t, 256> contention_{};
  std::vector<SiteLoad> site_load_;  ///< [site]
  void close_occasion(Occasion& o, std::size_t site);
  Time end_{};
};

}  // namespace m2msim::cellular
