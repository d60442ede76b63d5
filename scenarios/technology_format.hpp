// What a technology adds to the scenario format. The core (area,
// environment, sites, device groups with placement, traffic, battery and
// hardware, outputs) is read by scenarios/loader.cpp; each technology reads
// its own keys through this interface: its top-level section, the keys it
// adds to its sites, and its device groups' `radio:` keys. The loader is
// handed the technologies (the engine's registration list); it names none.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/parameters.hpp"
#include "scenarios/reader.hpp"

namespace m2msim::scenario {

struct DeviceGroupSpec;

/// A technology's settings as read from the scenario: opaque to the core,
/// downcast by the technology that made them.
struct TechnologySettings {
  virtual ~TechnologySettings() = default;
  /// Data files these settings were read from by path (not built in), so
  /// that a sweep whose files change is another sweep.
  [[nodiscard]] virtual std::vector<std::string> files() const { return {}; }
};

class TechnologyFormat {
 public:
  virtual ~TechnologyFormat() = default;
  /// The value of `radio.technology` (and of a site's `technology`).
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Its parameter tables (sections with `extends` add keys to a core section).
  [[nodiscard]] virtual std::span<const ParamSection* const> sections() const = 0;
  /// The key of its top-level section ("lora"), or empty.
  [[nodiscard]] virtual std::string_view section_key() const = 0;
  /// The `technology` of its radio chips' current profiles ("lora"); the
  /// built-in board a group without `hardware` gets (with its battery), and
  /// the radio a group with `hardware.board: none` gets.
  [[nodiscard]] virtual std::string_view radio_profile_technology() const = 0;
  [[nodiscard]] virtual std::string_view default_board() const = 0;
  [[nodiscard]] virtual std::string_view default_radio_profile() const = 0;
  /// The receiver noise figure of its sites when `gateways[].noise_figure` is
  /// not given (dB).
  [[nodiscard]] virtual double default_site_noise_figure_dB() const = 0;

  /// Its network-wide settings, from its top-level section (an empty map
  /// when the file has none: every key takes its default).
  [[nodiscard]] virtual std::shared_ptr<const TechnologySettings> read_network(const Context& ctx,
                                                                               const YAML::Node& section) const = 0;
  /// Its keys of one site; `site` reads the core's and its keys together.
  [[nodiscard]] virtual std::shared_ptr<const TechnologySettings> read_site(
      const Context& ctx, const ParamReader& site, const TechnologySettings& network) const = 0;
  /// A group's radio (`group_node` is the whole devices[] entry), once the
  /// core keys of `group` are read; checks that span the radio and the core
  /// keys (payload, hardware) belong here.
  [[nodiscard]] virtual std::shared_ptr<const TechnologySettings> read_radio(const Context& ctx,
                                                                             const YAML::Node& group_node,
                                                                             const DeviceGroupSpec& group,
                                                                             const TechnologySettings& network,
                                                                             const std::string& where) const = 0;
  /// The carrier a group's path loss and penetration are evaluated at.
  [[nodiscard]] virtual double carrier_hz(const TechnologySettings& radio) const = 0;
};

using TechnologyFormats = std::span<const TechnologyFormat* const>;

}  // namespace m2msim::scenario
