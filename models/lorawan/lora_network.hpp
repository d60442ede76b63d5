// LoRaWAN class A end devices, gateways and a network server.
//
// Device (docs/models/lorawan.md §MAC): packets come from its TrafficSource.
// A packet is sent on a channel drawn uniformly from the device's channels
// whose duty-cycle band is free; if none is, the packet waits for the first
// band to free up (the wait is part of its latency; a packet generated
// meanwhile is dropped with the fate duty_cycle). After each uplink the
// device opens RX1 (RECEIVE_DELAY1 after the end) and RX2 (RECEIVE_DELAY2),
// each for `rx_window_symbols` symbols, or until the end of a downlink
// received in it. Confirmed uplinks are retransmitted, ACK_TIMEOUT after the
// windows close, until an ACK arrives or `max_transmissions` is reached;
// unconfirmed ones are sent `max_transmissions` (NbTrans) times unless a
// downlink arrives. A packet generated while the device is busy with an
// earlier one — transmitting (including the instant its uplink ends), in
// its receive windows or between retransmissions — is dropped as radio_busy.
//
// Network server: an uplink received by several gateways is one frame
// (de-duplication); it reaches the application the backhaul delay of the
// gateway that received it strongest (network::Backhaul) +
// `deduplication_window` after the uplink ends. A downlink (an ACK, an ADR
// command, an answer to ADRACKReq) goes through the gateway that received
// the uplink strongest, in RX1 if that gateway is free then and its
// duty-cycle band allows, else in RX2, else not at all. A gateway that
// transmits cannot receive (half-duplex): uplinks overlapping its downlink
// are lost there.
//
// ADR (LoRaWAN 1.0.4 §5.3 and Semtech's network-side algorithm): the server
// keeps the best SNR of the last 20 uplinks; margin = max SNR − required SNR
// of the data rate − installation margin; N = floor(margin / 3 dB) steps
// raise the data rate, then lower the power (N < 0 raises the power). The
// device counts uplinks without a downlink (ADR_ACK_CNT): from ADR_ACK_LIMIT
// it asks for an answer, and after ADR_ACK_DELAY more without one it first
// raises its power to the maximum, then lowers its data rate one step per
// ADR_ACK_DELAY.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "models/energy/energy.hpp"
#include "models/lorawan/fates.hpp"
#include "models/lorawan/lora_medium.hpp"
#include "models/lorawan/region.hpp"
#include "models/lorawan/time_on_air.hpp"
#include "models/network/backhaul.hpp"
#include "models/traffic/traffic.hpp"
#include "results/recorder.hpp"
#include "sim/simulation.hpp"
#include "sim/statistics.hpp"

namespace m2msim::lora {

inline constexpr std::size_t kMaxBands = 8;

/// A LoRa radio's energy states (the SX127x modes the model uses), indexing
/// the device's energy meter; the names are LoRaWAN's energy_states().
enum EnergyState : energy::StateIndex { kSleep, kStandby, kRx, kTx };
inline constexpr std::array<std::string_view, 4> kEnergyStateNames{"sleep", "standby", "rx", "tx"};
/// The part of a device's charge each state is (devices.csv's breakdown).
inline constexpr std::array<energy::Part, 4> kEnergyStateParts{energy::Part::RadioIdle, energy::Part::RadioIdle,
                                                               energy::Part::Rx, energy::Part::Tx};

/// What every device of one group shares.
struct LoraGroupConfig {
  Modulation modulation;  ///< initial data rate's modulation
  int data_rate = -1;     ///< initial DR in the region; −1: the modulation is not a region DR (no ADR)
  int min_dr = 0;         ///< the lowest DR the group's channels allow (ADR back-off stops there)
  /// Uplink channels: indices into the network's channel list.
  std::vector<std::uint32_t> channels;
  double tx_power_dBm = 14.0;  ///< initial; the link budget is computed at this power
  traffic::TrafficPattern traffic;
  const energy::CurrentProfile* profile = nullptr;
  energy::Board board;  ///< the device around the radio (points into the scenario's HardwareSpec)
  energy::Battery battery;
  bool receive_windows = true;
  int rx_window_symbols = 8;
  // MAC
  const Region* region = nullptr;
  bool confirmed = false;
  int max_transmissions = 1;     ///< attempts per packet (NbTrans, or confirmed retries + 1)
  bool retry_step_down = false;  ///< confirmed: one data rate lower every second attempt (kept with ADR)
  bool adr = false;
  bool duty_cycle = true;            ///< enforce the region's duty-cycle bands
  bool otaa = false;                 ///< joins over the air before sending data
  bool class_c = false;              ///< listens continuously when not transmitting
  bool class_b = false;              ///< beacons and ping slots
  int ping_nb = 1;                   ///< class B ping slots per beacon period
  bool downlinks = false;            ///< the application sends downlinks to these devices
  traffic::TrafficPattern downlink;  ///< their timing and payload
  /// Class B: the share of time spent receiving beacons and ping slots
  /// (0 for classes A and C).
  double class_b_rx_fraction = 0.0;

  /// Radio current when the device is neither transmitting nor in a class A
  /// window: sleep; receive for class C; for class B sleep plus the beacon
  /// and ping-slot reception averaged over the beacon period.
  [[nodiscard]] double idle_mA() const {
    if (class_c) return profile->rx_mA;
    return profile->sleep_mA + (profile->rx_mA - profile->sleep_mA) * class_b_rx_fraction;
  }
};

/// Network-wide settings.
struct LoraNetworkConfig {
  const Region* region = nullptr;           ///< the deployment's region (every group's)
  std::vector<std::uint32_t> demodulators;  ///< [gateway]; 0: unlimited
  std::vector<Channel> channels;            ///< uplink channels in use
  /// [gateway] downlink transmit power (conducted) fixed by the scenario; NaN: the region's
  /// EIRP limit of the window's band less the gateway's antenna gain plus cable loss.
  std::vector<double> gateway_tx_power_dBm;
  std::vector<double> gateway_gain_dB;  ///< [gateway] antenna gain − cable loss
  ReceptionRules rules;
  std::size_t max_links = 0;
  /// Gateway sensitivity [gateway] for a (SF, bandwidth): sensitivity[(sf − 7)·3 + bw_index][g].
  std::vector<std::vector<float>> sensitivity;
  /// Noise floor [dBm] per gateway and bandwidth index (125/250/500 kHz), for SNR.
  std::vector<std::array<double, 3>> noise_floor_dBm;
  /// End-device sensitivity [dBm] by (SF, bandwidth), for downlinks.
  std::array<float, 18> device_sensitivity_dBm{};
  const network::Backhaul* backhaul = nullptr;  ///< the delay between each gateway and the network server
  /// Where delivered uplinks (from generation to the application) and
  /// application downlinks (from the server to the end of their reception)
  /// are recorded, by group.
  results::LatencyRecorder* latency = nullptr;
  Time deduplication_window{};
  double adr_margin_dB = 10.0;
};

struct LoraDevice {
  const LoraGroupConfig* config = nullptr;
  std::uint32_t group = 0;
  LinkSet links;  ///< from the link budget, at config->tx_power_dBm
  traffic::TrafficSource traffic;
  RandomStream mac_rng;
  energy::BasicEnergyMeter<kEnergyStateNames.size()> energy;
  DeviceCounters counters;
  Time generated_at{};  ///< of the packet being handled
  Time busy_until{};    ///< the device takes no new packet before this (exclusive)
  /// End of the last uplink; the radio is busy up to and including it
  /// (before the first uplink: −1 ns, so that no instant is busy).
  Time tx_end = Time::nanoseconds(-1);
  Time battery_empty_at = Time::max();
  std::array<Time, kMaxBands> band_free{};  ///< per network band: free from this instant
  std::uint32_t tx_handle = UINT32_MAX;     ///< medium handle while in the air
  std::uint32_t adr_ack_cnt = 0;
  Time rx_until{};                  ///< receiving a class B/C downlink until then
  std::uint8_t dl_len = 0;          ///< application downlinks queued at the server (LoraDeviceExtra::dl_queue)
  bool adr_ack_req = false;         ///< the current frame's ADRACKReq bit (set at the frame's start)
  std::uint64_t transmissions = 0;  ///< uplink attempts, retransmissions included
  float tx_power_dBm = 14.0F;
  std::uint8_t data_rate = 0;
  std::uint8_t attempts = 0;         ///< of the packet being handled
  std::uint16_t channel = 0;         ///< network channel of the uplink in the air
  bool busy = false;                 ///< handling a packet (waiting, in the air, windows, retries)
  bool waiting_for_channel = false;  ///< held by the duty cycle
  bool delivered = false;            ///< the packet being handled reached the server
  bool joined = true;                ///< ABP devices are joined from the start
  PacketFate last_reason = PacketFate::BelowSensitivity;
  /// Modulation of the uplink in the air (data rate may change with ADR).
  std::uint8_t spreading_factor = 7;
  std::uint8_t bandwidth_index = 0;
};

/// The parts of a device the uplink path does not touch (join, application
/// downlinks), kept apart so that the hot record stays small: the event loop
/// visits devices in random order and every byte of the record costs cache.
struct LoraDeviceExtra {
  std::uint32_t join_attempts = 0;
  // Application downlinks queued at the server for this device (oldest
  // first, at most 4) and their counts.
  traffic::TrafficSource dl_traffic;
  std::array<Time, 4> dl_queue{};
  bool dl_scheduled = false;  ///< a class B/C opportunity is scheduled
  Time ping_offset{};         ///< class B: the device's ping-slot offset
  std::uint64_t dl_generated = 0, dl_delivered = 0, dl_lost = 0, dl_dropped = 0, dl_expired = 0;
  Time joined_at{};     ///< when the Join-accept was received (0 for ABP)
  Time join_allowed{};  ///< the Join-request back-off
  Time powered_on{};    ///< OTAA: when the device was switched on (the back-off counts from it)
};

class LoraNetwork {
 public:
  LoraNetwork(Simulation& sim, LoraNetworkConfig config, std::size_t groups);

  void reserve(std::size_t devices) {
    devices_.reserve(devices);
    extra_.reserve(devices);
  }
  /// Adds a device. The pointed-to config and arrays must outlive the run.
  void add_device(const LoraGroupConfig& config, std::uint32_t group, LinkSet links, RandomStream traffic_rng,
                  RandomStream mac_rng, RandomStream downlink_rng = RandomStream{});
  /// Schedules every device's first packet; packets generated at or after
  /// `end` are not scheduled.
  void start(Time end);
  /// Called after the run: packets still being handled get the fate in_flight_at_end.
  void finish();

  [[nodiscard]] const std::vector<LoraDevice>& devices() const { return devices_; }
  [[nodiscard]] const std::vector<LoraDeviceExtra>& extras() const { return extra_; }
  /// Uplink transmissions (attempts, including retransmissions) and
  /// downlinks sent, in all.
  [[nodiscard]] std::uint64_t uplinks() const { return uplinks_; }
  [[nodiscard]] std::uint64_t downlinks() const { return downlinks_; }

  /// The ADR decision (exposed for tests): from the best SNR of the history,
  /// the current data rate and power index, the new ones.
  struct AdrDecision {
    int data_rate;
    int tx_power_index;
  };
  static AdrDecision adr_decision(double max_snr_dB, double required_snr_dB, double margin_dB, int data_rate,
                                  int max_data_rate, int tx_power_index, int max_tx_power_index);

 private:
  void on_generate(std::uint32_t d);
  void try_send(std::uint32_t d);
  void on_tx_end(std::uint32_t d);
  void join(std::uint32_t d);
  std::uint32_t free_channel(LoraDevice& dev, Time now, Time& earliest);
  void transmit(std::uint32_t d, std::uint32_t channel, Time toa);
  void on_downlink_generate(std::uint32_t d);
  void push_downlink(std::uint32_t d);
  void finish_downlink(std::uint32_t d, bool received, Time end);
  [[nodiscard]] Time next_ping_slot(std::uint32_t d, Time after) const;
  /// The index in dev.links of the device's strongest link (dev.links.size > 0).
  [[nodiscard]] static std::uint32_t strongest_link(const LoraDevice& dev);
  void on_join_end(std::uint32_t d);
  void schedule_next(std::uint32_t d);
  void finish_packet(LoraDevice& dev, PacketFate fate);
  /// Moves the device to the next lower data rate that can carry its
  /// uplinks (same bandwidth, allowed on its channels, the payload fits,
  /// within the dwell time); where there is none, it stays.
  void lower_data_rate(LoraDevice& dev) const;
  /// At the start of an ADR device's new frame: the ADR back-off's step, if
  /// its count calls for one, and the frame's ADRACKReq bit.
  void adr_frame_start(LoraDevice& dev) const;
  [[nodiscard]] std::size_t band_of_channel(std::size_t channel) const { return channel_band_[channel]; }
  /// Tries to book a downlink at gateway g from `at` for `duration` on
  /// `frequency_hz`; true when booked.
  bool book_downlink(std::size_t g, Time at, Time duration, std::uint64_t frequency_hz);
  /// The receive windows after device d's uplink that ends now, delay1 and
  /// delay2 after it; a downlink of `downlink_bytes` goes through `gateway`
  /// (−1: none is sent). Books the windows' receive energy.
  struct Windows {
    bool downlink_sent = false;
    bool downlink_received = false;
    Time downlink_end{};
    Time end{};  ///< when the last window closes
  };
  Windows receive_windows(std::uint32_t d, int gateway, std::uint32_t downlink_bytes, Time delay1, Time delay2);

  Simulation& sim_;
  LoraNetworkConfig net_;
  LoraMedium medium_;
  std::vector<LoraDevice> devices_;
  std::vector<LoraDeviceExtra> extra_;  ///< [device]
  /// Network bands: the distinct duty-cycle bands of the regions in use
  /// (index kNoBand for a channel outside any band).
  static constexpr std::size_t kNoBand = kMaxBands;
  std::vector<std::size_t> channel_band_;  ///< [channel]
  std::vector<DutyCycleBand> bands_;
  struct GatewayState {
    std::vector<std::pair<Time, Time>> downlinks;  ///< booked [from, to), oldest first
    std::array<Time, kMaxBands + 1> band_free{};
  };

 public:
  /// A gateway's load over the run (gateways.csv): uplink transmissions it
  /// received strongest, those it heard strongest but lost (no gateway
  /// received them), downlinks it sent and their time on air within the window.
  struct GatewayLoad {
    std::uint64_t received = 0, lost = 0, downlinks = 0;
    Time downlink_airtime{};
  };
  [[nodiscard]] const GatewayLoad& gateway_load(std::size_t g) const { return load_[g]; }

 private:
  std::vector<GatewayLoad> load_;  ///< [gateway]
  void count_outcome(const LoraMedium::Outcome& outcome);
  std::vector<GatewayState> gateways_;
  /// Network-server ADR state of one device.
  struct NsDevice {
    std::array<float, 20> snr{};
    std::uint8_t count = 0, head = 0;
  };
  std::vector<NsDevice> ns_;
  /// Per group, by modulation index (SF − 7)·3 + bandwidth index: what
  /// an uplink of the group's payload takes, computed once.
  struct GroupTiming {
    std::array<Time, 18> toa{};         ///< uplink time on air
    std::array<Time, 18> lock_after{};  ///< from the start, when a receiver locks on (pairwise rule)
    std::array<Time, 18> symbol{};      ///< T_sym
    bool ready = false;
  };
  std::vector<GroupTiming> timing_;
  Time end_{};
  std::uint64_t uplinks_ = 0, downlinks_ = 0;
};

/// Required demodulation SNR [dB] of an SF (Semtech SX1276 datasheet Rev. 7,
/// Table 13: SF7 −7.5 … SF12 −20 dB, 2.5 dB per step).
double required_snr_dB(int spreading_factor);
/// 0, 1, 2 for 125, 250, 500 kHz.
std::size_t bandwidth_index(std::uint32_t bandwidth_hz);

}  // namespace m2msim::lora
