// The technology seam, exercised by a second technology that lives only in
// this test: "echo", whose devices deliver every packet their strongest
// stored link carries, after a fixed latency plus the site's backhaul. It
// plugs in through the same interfaces a real technology does
// (scenario::TechnologyFormat, technology::Technology) and no core file
// knows it; a scenario mixing it with LoRaWAN must load, run, merge fates
// and device columns by name, and leave the LoRaWAN group's results as they
// are without the echo group.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <memory>
#include <sstream>
#include <vector>

#include "analysis/report.hpp"
#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "models/energy/energy.hpp"
#include "models/lorawan/lorawan_technology.hpp"
#include "models/traffic/traffic.hpp"
#include "scenarios/loader.hpp"

namespace m2msim {
namespace {

using ::testing::HasSubstr;

// ---- the echo technology

namespace echo {

constexpr scenario::Param kRadioParams[] = {
    {.key = "technology", .kind = scenario::ParamKind::Choice, .required = true, .choices = "echo", .help = "echo"},
    {.key = "latency",
     .kind = scenario::ParamKind::Quantity,
     .dimension = scenario::Dimension::Time,
     .min = 0,
     .max = 10e9,
     .range = "0 s to 10 s",
     .default_value = "100 ms",
     .help = "From the end of the transmission to the server, besides the backhaul."},
};
constexpr scenario::ParamSection kRadio{"devices[].radio", "devices[].radio (echo)", kRadioParams};
constexpr std::array<const scenario::ParamSection*, 1> kSections{&kRadio};

struct RadioSettings final : scenario::TechnologySettings {
  Time latency{};
};

class Format final : public scenario::TechnologyFormat {
 public:
  std::string_view name() const override { return "echo"; }
  std::span<const scenario::ParamSection* const> sections() const override { return kSections; }
  std::string_view section_key() const override { return ""; }
  std::string_view radio_profile_technology() const override { return "wifi"; }
  std::string_view default_board() const override { return "esp32-wifi-sensor"; }
  std::string_view default_radio_profile() const override { return "esp32"; }
  double default_site_noise_figure_dB() const override { return 6.0; }
  std::shared_ptr<const scenario::TechnologySettings> read_network(const scenario::Context&,
                                                                   const YAML::Node&) const override {
    return std::make_shared<scenario::TechnologySettings>();
  }
  std::shared_ptr<const scenario::TechnologySettings> read_site(const scenario::Context&, const scenario::ParamReader&,
                                                                const scenario::TechnologySettings&) const override {
    return std::make_shared<scenario::TechnologySettings>();
  }
  std::shared_ptr<const scenario::TechnologySettings> read_radio(const scenario::Context& ctx, const YAML::Node& group,
                                                                 const scenario::DeviceGroupSpec&,
                                                                 const scenario::TechnologySettings&,
                                                                 const std::string& where) const override {
    scenario::ParamReader r(ctx, std::as_const(group)["radio"], where + ".radio", kRadio);
    auto s = std::make_shared<RadioSettings>();
    [[maybe_unused]] const auto t = r.choice("technology");
    s->latency = r.time("latency");
    return s;
  }
  double carrier_hz(const scenario::TechnologySettings&) const override { return 2.4e9; }
};

// Its own fates, in an order of its own: the run places them by name.
constexpr std::array<results::FateSpec, 3> kFates{
    {results::core_fate::kDelivered, {"echo_lost", "never used"}, results::core_fate::kBelowSensitivity}};
constexpr std::array<results::ColumnSpec, 1> kColumns{{{"echo_hops", "1 when a link was stored", 0}}};
constexpr std::array<std::string_view, 2> kEnergyStates{"sleep", "tx"};
constexpr std::array<energy::Part, 2> kEnergyParts{energy::Part::RadioIdle, energy::Part::Tx};
constexpr double kSensitivity_dBm = -80.0;

class Network final : public technology::Network {
 public:
  Network(Simulation& sim, const technology::Deployment& d) : sim_(sim), d_(d) {
    for (std::size_t dev = 0; dev < d.positions.size(); ++dev) {
      const auto gi = d.group_of[dev];
      if (d.scenario.groups[gi].technology != "echo") continue;
      const auto& g = d.scenario.groups[gi];
      traffic::TrafficPattern p;
      p.interval = g.traffic.interval;
      p.payload_bytes = g.traffic.payload_bytes;
      Device x;
      x.index = dev;
      x.group = gi;
      x.traffic = traffic::TrafficSource(p, sim.stream(dev - d.first_of_group[gi], "traffic/" + g.name));
      x.latency = static_cast<const RadioSettings&>(*g.radio).latency;
      x.battery = g.battery.battery;
      devices_.push_back(std::move(x));
    }
  }
  void start(Time end) override {
    end_ = end;
    for (std::size_t i = 0; i < devices_.size(); ++i) schedule(i);
  }
  void finish() override {}
  std::span<const std::uint64_t> record_device(std::size_t device, results::DeviceRecord& rec,
                                               std::span<double> values) const override {
    const Device* x = nullptr;
    for (const auto& y : devices_)
      if (y.index == device) x = &y;
    values[0] = d_.links.gateways_of(device).empty() ? 0.0 : 1.0;
    rec.generated = x->counters.generated;
    rec.sent = x->counters.generated;
    rec.transmissions = x->counters.generated;
    rec.delivered = x->counters.delivered();
    technology::record_energy(rec, energy::device_energy(x->energy, d_.scenario.duration, 0.001, energy::Board{},
                                                         x->battery, Time::max(), kEnergyParts));
    return x->counters.fates;
  }
  energy::ChargeState charge_state(std::size_t device, Time now) const override {
    for (const auto& y : devices_)
      if (y.index == device) return energy::charge_state(y.energy, now, 0.001, energy::Board{}, y.battery);
    return {};
  }

 private:
  struct Device {
    std::size_t index = 0;
    std::uint32_t group = 0;
    traffic::TrafficSource traffic;
    Time latency{};
    energy::Battery battery;
    energy::BasicEnergyMeter<2> energy;
    results::DeviceCounters<3> counters;
  };
  void schedule(std::size_t i) {
    const Time at = devices_[i].traffic.next();
    if (at < end_) sim_.schedule_at(at, [this, i] { generate(i); });
  }
  void generate(std::size_t i) {
    Device& x = devices_[i];
    ++x.counters.generated;
    x.energy.add_awake(1, Time::milliseconds(10), 100.0);  // tx
    const auto sites = d_.links.gateways_of(x.index);
    const auto rx = d_.links.rx_of(x.index);
    std::size_t best = 0;
    for (std::size_t k = 1; k < sites.size(); ++k)
      if (rx[k] > rx[best]) best = k;
    if (!sites.empty() && rx[best] >= kSensitivity_dBm) {
      ++x.counters.fates[0];
      const Time backhaul = d_.backhaul.delay(static_cast<std::size_t>(sites[best]), sim_.now());
      d_.latency.uplink_delivered(x.group, (x.latency + backhaul).to_seconds());
    } else {
      ++x.counters.fates[2];
    }
    schedule(i);
  }
  Simulation& sim_;
  technology::Deployment d_;
  std::vector<Device> devices_;
  Time end_{};
};

class Technology final : public technology::Technology {
 public:
  std::string_view name() const override { return "echo"; }
  std::span<const results::FateSpec> fates() const override { return kFates; }
  std::span<const results::ColumnSpec> device_columns() const override { return kColumns; }
  std::span<const std::string_view> energy_states() const override { return kEnergyStates; }
  const scenario::TechnologyFormat& format() const override { return format_; }
  technology::GroupLink group_link(const scenario::Scenario& s, std::size_t) const override {
    technology::GroupLink l;
    l.carrier_hz = 2.4e9;
    l.eirp_dBm = 20.0;
    l.noise_bandwidth_hz = 20e6;
    l.sensitivity_dBm.assign(s.gateways.size(), static_cast<float>(kSensitivity_dBm));
    l.weakest_dBm.assign(s.gateways.size(), kSensitivity_dBm);
    return l;
  }
  std::unique_ptr<technology::Network> build(Simulation& sim, const technology::Deployment& d) const override {
    return std::make_unique<Network>(sim, d);
  }

 private:
  Format format_;
};

}  // namespace echo

const echo::Technology kEcho;

std::vector<const technology::Technology*> both() { return {&lora::lorawan_technology(), &kEcho}; }
std::vector<const scenario::TechnologyFormat*> both_formats() {
  return {&lora::lorawan_technology().format(), &kEcho.format()};
}

const std::string kLoraPart =
    "name: seam\n"
    "duration: 10 h\n"
    "area: { width: 2 km, height: 2 km }\n"
    "environment: { propagation: { model: free-space } }\n"
    "gateways:\n"
    "  - { name: gw, technology: lorawan, position: [1 km, 1 km], backhaul_delay: 20 ms }\n"
    "  - { name: ap, technology: echo, position: [1 km, 1 km], backhaul_delay: 5 ms }\n"
    "devices:\n"
    "  - group: lora\n"
    "    placement: { list: [[1100 m, 1 km], [1 km, 1200 m], [900 m, 1 km]] }\n"
    "    radio: { technology: lorawan, spreading_factor: 7, frequency: 868.1 MHz, tx_power: 14 dBm }\n"
    "    traffic: { periodic: { every: 1 h }, payload: 20 B }\n"
    "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n";
const std::string kEchoPart =
    "  - group: echo\n"
    "    placement: { list: [[1010 m, 1 km], [1990 m, 1990 m]] }\n"
    "    radio: { technology: echo, latency: 100 ms }\n"
    "    traffic: { periodic: { every: 1 h }, payload: 20 B }\n"
    "    battery: { capacity: 1000 mAh, voltage: 3.6 V }\n";

results::RunRecord run(const std::string& text) {
  const auto formats = both_formats();
  const auto techs = both();
  return engine::run_native(scenario::load_scenario_text(text, "seam.yaml", {}, formats), {}, techs);
}

TEST(TechnologySeam, ASecondTechnologyRunsBesideLorawanWithItsOwnFatesAndColumns) {
  const auto r = run(kLoraPart + kEchoPart);
  // Fates: LoRaWAN's 11, then echo's own name; shared names once.
  ASSERT_EQ(r.fate_names.size(), 12U);
  EXPECT_EQ(r.fate_names.back(), "echo_lost");
  const auto below = r.fate_index("below_sensitivity");
  EXPECT_EQ(below, 1U);
  // Columns: LoRaWAN's, then echo's.
  ASSERT_EQ(r.technology_columns.size(), 3U);
  EXPECT_EQ(r.technology_columns[2].name, "echo_hops");
  ASSERT_EQ(r.devices.size(), 5U);
  const auto& near = r.devices[3];
  const auto& far = r.devices[4];
  EXPECT_EQ(near.group, "echo");
  // Free space at 2.4 GHz, 20 dBm EIRP, the gateway 15 m up: the near device
  // (10 m away, 16.8 m in 3-D) gets about −44 dBm, the far one (1400 m)
  // about −83 dBm, below echo's −80 dBm: 10 packets each in 10 h.
  EXPECT_EQ(near.generated, 10U);
  EXPECT_EQ(near.fates[0], 10U);
  EXPECT_EQ(far.fates[below], 10U);
  EXPECT_EQ(far.delivered, 0U);
  EXPECT_TRUE(std::isnan(r.technology_value(near, "spreading_factor")));
  EXPECT_EQ(r.technology_value(near, "echo_hops"), 1.0);
  EXPECT_EQ(r.technology_value(far, "echo_hops"), 0.0);
  EXPECT_TRUE(std::isnan(r.technology_value(r.devices[0], "echo_hops")));
  EXPECT_EQ(r.technology_value(r.devices[0], "spreading_factor"), 7.0);
  // Each technology's devices link to its own sites only: gw and ap stand at
  // the same point, yet every LoRaWAN device's best site is gw and every echo
  // device's is ap. The echo group: half delivered, each after 100 ms + ap's
  // 5 ms backhaul (gw's would be 20 ms).
  for (std::size_t d = 0; d < 3; ++d) EXPECT_EQ(r.devices[d].best_gateway, "gw");
  EXPECT_EQ(near.best_gateway, "ap");
  EXPECT_EQ(far.best_gateway, "ap");
  EXPECT_DOUBLE_EQ(r.groups[1].delivery_ratio, 0.5);
  EXPECT_NEAR(r.groups[1].latency_p50_s, 0.105, 1e-12);
  // devices.csv: another technology's columns are empty cells.
  std::ostringstream csv;
  analysis::write_devices_csv(r, csv);
  EXPECT_THAT(csv.str(), HasSubstr("id,group,x_m,y_m,spreading_factor,tx_power_dBm,echo_hops,best_gateway"));
  EXPECT_THAT(csv.str(), HasSubstr("\n3,echo,1010.00,1000.00,,,1,ap,"));
  EXPECT_THAT(csv.str(), HasSubstr("\n0,lora,1100.00,1000.00,7,14.0,,gw,"));
}

TEST(TechnologySeam, AnotherTechnologysGroupLeavesTheLorawanGroupAsItIs) {
  // Named streams, one link budget per device and separate media: the
  // LoRaWAN devices' results do not depend on the echo group.
  const auto with = run(kLoraPart + kEchoPart);
  const auto without = run(kLoraPart);
  for (std::size_t d = 0; d < 3; ++d) {
    EXPECT_EQ(with.devices[d].fates[0], without.devices[d].fates[0]);
    EXPECT_EQ(with.devices[d].generated, without.devices[d].generated);
    EXPECT_DOUBLE_EQ(with.devices[d].charge_mAh, without.devices[d].charge_mAh);
    EXPECT_DOUBLE_EQ(with.devices[d].best_rx_dBm, without.devices[d].best_rx_dBm);
  }
  EXPECT_EQ(without.fate_names.size(), 11U);  // echo's fates only when it runs
}

TEST(TechnologySeam, SitesNameTheirTechnologyWhenThereAreSeveral) {
  std::string text = kLoraPart + kEchoPart;
  text.replace(text.find("technology: lorawan, position"), 20, "");
  try {
    scenario::load_scenario_text(text, "seam.yaml", {}, both_formats());
    ADD_FAILURE() << "no error";
  } catch (const scenario::ScenarioError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("missing key 'technology' in gateways[0]: one of lorawan, echo"));
  }
  // A group whose technology no site serves is refused where its radio is.
  std::string unserved = kLoraPart + kEchoPart;
  unserved.replace(unserved.find("  - { name: ap"), unserved.find("devices:") - unserved.find("  - { name: ap"), "");
  try {
    scenario::load_scenario_text(unserved, "seam.yaml", {}, both_formats());
    ADD_FAILURE() << "no error";
  } catch (const scenario::ScenarioError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("device group 'echo' uses echo, but no gateway serves it"));
  }
  // An echo radio key on a LoRaWAN group is refused by LoRaWAN's table.
  std::string wrong = kLoraPart;
  wrong.replace(wrong.find("spreading_factor: 7"), 19, "latency: 5 ms");
  try {
    scenario::load_scenario_text(wrong, "seam.yaml", {}, both_formats());
    ADD_FAILURE() << "no error";
  } catch (const scenario::ScenarioError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("unknown key 'latency' in devices[0] (group lora).radio"));
  }
}

TEST(TechnologySeam, TheJsonSchemaOffersEachTechnologysRadio) {
  // Two sections at devices[].radio: the schema's radio is one of them.
  std::vector<const scenario::ParamSection*> sections;
  for (const auto* f : both_formats())
    for (const auto* s : f->sections()) sections.push_back(s);
  const auto schema = scenario::json_schema(sections);
  EXPECT_THAT(schema, HasSubstr("\"devices[].radio\": {\"oneOf\": [{\"$ref\": \"#/$defs/devices[].radio-1\"}, "
                                "{\"$ref\": \"#/$defs/devices[].radio-2\"}]}"));
  EXPECT_THAT(schema, HasSubstr("\"title\": \"devices[].radio (echo)\""));
}

}  // namespace
}  // namespace m2msim
