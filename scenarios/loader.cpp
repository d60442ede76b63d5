#include "scenarios/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>

#include "models/energy/energy.hpp"
#include "models/geo/position.hpp"
#include "models/propagation/path_loss.hpp"
#include "scenarios/device_hardware.hpp"
#include "scenarios/hardware.hpp"
#include "scenarios/parameter_tables.hpp"
#include "scenarios/parameters.hpp"
#include "scenarios/units.hpp"
#include "scenarios/yaml_shape.hpp"

namespace m2msim::scenario {

namespace {

// ---------------------------------------------------------------- sections

AreaSpec read_area(const Context& ctx, const YAML::Node& n) {
  ParamReader r(ctx, n, "area", tables::kArea);
  AreaSpec a;
  if (r.has("radius")) {
    if (r.has("width") || r.has("height"))
      ctx.fail(n, "area takes either width and height (a rectangle) or radius (a disc), not both");
    a.shape = AreaSpec::Shape::Disc;
    a.radius_m = r.quantity("radius");
  } else {
    if (!r.has("width") && !r.has("height"))
      ctx.fail(n, "area needs width and height (a rectangle) or radius (a disc)");
    a.width_m = r.quantity("width");
    a.height_m = r.quantity("height");
  }
  return a;
}

/// The keys of `section` that apply only under some values of its selector
/// and not under `value`'s.
std::vector<std::string> keys_applying_to(const ParamSection& section, const std::string& value) {
  std::vector<std::string> v;
  for (const auto& p : section.params) {
    if (p.applies.empty()) continue;
    const auto applies = split_choices(p.applies);
    if (std::find(applies.begin(), applies.end(), value) != applies.end()) v.emplace_back(p.key);
  }
  return v;
}

PropagationSpec read_propagation(const Context& ctx, const YAML::Node& n) {
  ParamReader r(ctx, n, "environment.propagation", tables::kPropagation);
  PropagationSpec p;
  const std::string w = "environment.propagation.";
  p.model = r.choice("model");
  {
    using M = PropagationSpec::Model;
    static const std::pair<const char*, M> kModels[] = {{"log-distance", M::LogDistance},
                                                        {"free-space", M::FreeSpace},
                                                        {"okumura-hata", M::OkumuraHata},
                                                        {"cost231-hata", M::Cost231Hata},
                                                        {"3gpp-rma", M::ThreeGppRma},
                                                        {"3gpp-uma", M::ThreeGppUma},
                                                        {"3gpp-umi-street-canyon", M::ThreeGppUmiStreetCanyon},
                                                        {"3gpp-36942-macro", M::Macro36942}};
    for (const auto& [name, kind] : kModels)
      if (p.model == name) p.kind = kind;
  }
  // Each model's own keys; a key of another model is an error that says so.
  const auto own = keys_applying_to(tables::kPropagation, p.model);
  for (auto it = r.node().begin(); it != r.node().end(); ++it) {
    const std::string k = it->first.Scalar();
    if (!tables::kPropagation.find(k)->applies.empty() && std::find(own.begin(), own.end(), k) == own.end()) {
      ctx.fail(it->first,
               "key '" + k + "' does not apply to model " + p.model +
                   (own.empty() ? std::string(" (it takes no parameters)") : " (its keys: " + join(own) + ")"));
    }
  }
  if (r.has("shadowing")) {
    ParamReader sh(ctx, r.get("shadowing"), w + "shadowing", tables::kShadowing);
    p.shadowing_sigma_dB = sh.quantity("sigma");
    if (sh.has("decorrelation")) p.shadowing_decorrelation_m = sh.quantity("decorrelation");
  }
  if (p.model == "log-distance" && r.has("preset")) {
    // A published parameter set; its three parameters may not also be given.
    const std::string name = choice(ctx, r.get("preset"), propagation::log_distance_preset_names(), w + "preset");
    for (const char* k : {"reference_distance", "reference_loss", "exponent"}) {
      if (r.has(k))
        ctx.fail(r.get(k), w + k + " is set by preset " + name +
                               "; give either the preset or reference_distance, reference_loss and exponent");
    }
    const auto* preset = propagation::find_log_distance_preset(name);
    p.preset = name;
    p.reference_distance_m = preset->reference_distance_m;
    p.reference_loss_dB = preset->reference_loss_db;
    p.exponent = preset->exponent;
    p.formula_below_reference = preset->formula_below_reference;
  } else if (p.model == "log-distance") {
    p.reference_distance_m = r.quantity("reference_distance");
    p.reference_loss_dB = r.quantity("reference_loss");
    const YAML::Node e = r.require("exponent");
    const std::string es = scalar(ctx, e, w + "exponent");
    char* end = nullptr;
    p.exponent = std::strtod(es.c_str(), &end);
    if (end == es.c_str() || *end != '\0')
      ctx.fail(e, w + "exponent must be a plain number (no unit), e.g. 2.7, got '" + es + "'");
    const Param& ep = *tables::kPropagation.find("exponent");
    check_range(ctx, e, p.exponent, ep.min, ep.max, w + "exponent", std::string(ep.range));
  }
  if (p.model == "log-distance" && r.has("below_reference"))
    p.formula_below_reference = r.choice("below_reference") == "formula";
  if (p.model == "okumura-hata") {
    using H = propagation::OkumuraHataLoss;
    const std::string env = r.choice("environment"), city = r.choice("city");
    p.environment = env == "suburban" ? H::Environment::Suburban
                    : env == "open"   ? H::Environment::Open
                                      : H::Environment::Urban;
    p.city = city == "large" ? H::CitySize::Large : city == "medium" ? H::CitySize::Medium : H::CitySize::Small;
  } else if (p.model == "cost231-hata") {
    p.area = r.choice("area") == "metropolitan" ? propagation::Cost231HataLoss::Area::Metropolitan
                                                : propagation::Cost231HataLoss::Area::MediumCityOrSuburban;
  } else if (p.model.starts_with("3gpp-") && p.model != "3gpp-36942-macro") {
    const std::string c = r.choice("condition");
    using C = PropagationSpec::Condition;
    p.condition = c == "random" ? C::Random : c == "nlos" ? C::Nlos : C::Los;
    p.building_height_m = r.quantity("building_height");
    p.street_width_m = r.quantity("street_width");
  } else if (p.model == "3gpp-36942-macro") {
    p.rooftop_height_m = r.quantity("rooftop_height");
  }
  return p;
}

/// The technology named `name`, or nullptr.
const TechnologyFormat* find_format(TechnologyFormats formats, std::string_view name) {
  for (const auto* f : formats)
    if (f->name() == name) return f;
  return nullptr;
}

std::vector<std::string> format_names(TechnologyFormats formats) {
  std::vector<std::string> v;
  for (const auto* f : formats) v.emplace_back(f->name());
  return v;
}

/// The sections of `formats` that extend the core section at `path`.
std::vector<const ParamSection*> with_extensions(const ParamSection& core, TechnologyFormats formats) {
  std::vector<const ParamSection*> v{&core};
  for (const auto* f : formats)
    for (const auto* sec : f->sections())
      if (sec->extends && sec->path == core.path) v.push_back(sec);
  return v;
}

/// One site of a layout: its name and position.
struct SitePlace {
  std::string name;
  double x_m = 0.0, y_m = 0.0;
};

/// A CSV file of sites: the header `name,x_m,y_m`, then one site per line.
/// Errors point at the file's line and column.
std::vector<SitePlace> read_sites_csv(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const std::string v = text_value(ctx, n, what);
  std::string path = v;
  if (path.front() != '/') {
    const auto slash = ctx.file.find_last_of('/');
    if (slash != std::string::npos) path = ctx.file.substr(0, slash + 1) + path;
  }
  if (!std::ifstream(path)) {
    ctx.fail(n, what + ": cannot read the sites file '" + path + "' (paths are relative to the scenario file)");
  }
  const std::string text = read_text_file(path, "sites file");
  std::vector<SitePlace> sites;
  std::istringstream in(text);
  std::string line;
  std::size_t line_no = 0;
  auto fail = [&](std::size_t column, const std::string& msg) {
    throw ScenarioError(path + ":" + std::to_string(line_no) + ":" + std::to_string(column) + ": " + msg);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1) {
      if (line != "name,x_m,y_m")
        fail(1, "the first line must be the header 'name,x_m,y_m' (x and y in metres), got '" + line + "'");
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::pair<std::string, std::size_t>> cells;  // text, 1-based column
    std::size_t start = 0;
    for (;;) {
      const auto comma = line.find(',', start);
      cells.emplace_back(line.substr(start, comma - start), start + 1);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (cells.size() != 3) fail(1, "a site line has 3 fields (name,x_m,y_m), got " + std::to_string(cells.size()));
    SitePlace site;
    site.name = cells[0].first;
    if (site.name.empty() || site.name.find_first_of(".= \t") != std::string::npos) {
      fail(cells[0].second,
           "site name '" + site.name + "' must be non-empty, without '.', '=' or spaces (it is used in --set paths)");
    }
    double* coords[2] = {&site.x_m, &site.y_m};
    for (int k = 0; k < 2; ++k) {
      const auto& [t, col] = cells[static_cast<std::size_t>(k) + 1];
      char* end = nullptr;
      *coords[k] = std::strtod(t.c_str(), &end);
      if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(*coords[k])) {
        fail(col, std::string(k == 0 ? "x_m" : "y_m") + " must be a number of metres, got '" + t + "'");
      }
      if (std::fabs(*coords[k]) > 1e7)
        fail(col, std::string(k == 0 ? "x_m" : "y_m") + " must be within ±10000 km, got " + t);
    }
    sites.push_back(std::move(site));
  }
  if (sites.empty()) throw ScenarioError(path + ":1:1: the sites file lists no site");
  return sites;
}

/// The sites of a `layout`, named NAME-0, NAME-1, ... (a CSV file names its own).
std::vector<SitePlace> read_layout(const Context& ctx, const YAML::Node& n, const std::string& name,
                                   const AreaSpec& area, const std::string& where, std::vector<std::string>& files) {
  ParamReader r(ctx, n, where, tables::kLayout);
  if (r.node().size() != 1) ctx.fail(n, where + " takes exactly one of list, grid, hexagonal or csv");
  constexpr std::size_t kMaxSites = 10'000;
  std::vector<SitePlace> sites;
  if (r.has("csv")) {
    sites = read_sites_csv(ctx, r.get("csv"), r.what("csv"));
    const std::string v = r.get("csv").Scalar();
    files.push_back(v.front() == '/' || ctx.file.find('/') == std::string::npos
                        ? v
                        : ctx.file.substr(0, ctx.file.find_last_of('/') + 1) + v);
  } else if (r.has("list")) {
    const YAML::Node list = r.get("list");
    if (!list.IsSequence() || list.size() == 0)
      ctx.fail(list, r.what("list") + " must be a non-empty list of [x, y] points");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto [x, y] = read_point(ctx, list[i], r.what("list") + "[" + std::to_string(i) + "]");
      sites.push_back({name + "-" + std::to_string(i), x, y});
    }
  } else {
    const bool hex = r.has("hexagonal");
    const std::string key = hex ? "hexagonal" : "grid";
    ParamReader lattice(ctx, r.get(key), r.what(key), hex ? tables::kHexagonal : tables::kGrid);
    const double spacing = lattice.quantity("spacing");
    const bool disc = area.shape == AreaSpec::Shape::Disc;
    const geo::Rectangle rect = disc ? geo::Rectangle{0.0, 0.0, 2 * area.radius_m, 2 * area.radius_m}
                                     : geo::Rectangle{0.0, 0.0, area.width_m, area.height_m};
    const geo::Disc d{area.radius_m, area.radius_m, area.radius_m};
    const auto points = geo::place_lattice(hex ? geo::Lattice::Hexagonal : geo::Lattice::Square, spacing, rect,
                                           disc ? &d : nullptr, 0.0, kMaxSites);
    if (points.empty())
      ctx.fail(lattice.get("spacing"),
               lattice.what("spacing") + " leaves no site inside the area; choose a smaller spacing");
    for (std::size_t i = 0; i < points.size(); ++i)
      sites.push_back({name + "-" + std::to_string(i), points[i].x_m, points[i].y_m});
  }
  if (sites.size() > kMaxSites) {
    ctx.fail(n, where + " gives more than 10 000 sites; at most 10 000 in all (choose a larger spacing)");
  }
  return sites;
}

/// One entry of `gateways`: a site, or with `layout` many sites that share
/// every other key.
/// The technology of a site without `technology`: the one every device
/// group's radio names, when they name one (nullptr otherwise).
const TechnologyFormat* implied_site_format(const YAML::Node& devices, TechnologyFormats formats) {
  if (formats.size() == 1) return formats.front();
  if (!devices.IsSequence()) return nullptr;
  const TechnologyFormat* found = nullptr;
  for (const auto& node : devices) {
    const YAML::Node& g = node;
    const YAML::Node radio = g.IsMap() ? std::as_const(g)["radio"] : YAML::Node();
    const YAML::Node t = radio.IsMap() ? std::as_const(radio)["technology"] : YAML::Node();
    const TechnologyFormat* f = t.IsScalar() ? find_format(formats, t.Scalar()) : nullptr;
    if (f == nullptr || (found != nullptr && f != found)) return nullptr;
    found = f;
  }
  return found;
}

/// Why no technology is implied for the sites, when the reason is a mistake
/// in `devices` (not a list, empty, or a group naming an unknown
/// technology): the error at that place, not at the site.
void check_devices_name_technologies(const Context& ctx, const YAML::Node& devices, TechnologyFormats formats) {
  if (!devices) return;  // reported as a missing key later
  if (!devices.IsSequence() || devices.size() == 0)
    ctx.fail(devices, "devices must be a non-empty list of device groups");
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const YAML::Node g = devices[i];
    const YAML::Node radio = g.IsMap() ? std::as_const(g)["radio"] : YAML::Node();
    const YAML::Node t = radio.IsMap() ? std::as_const(radio)["technology"] : YAML::Node();
    if (t) choice(ctx, t, format_names(formats), "devices[" + std::to_string(i) + "].radio.technology");
  }
}

std::vector<GatewaySpec> read_gateways(const Context& ctx, const YAML::Node& n, std::size_t i, Scenario& s,
                                       TechnologyFormats formats, const TechnologyFormat* implied,
                                       const YAML::Node& devices) {
  const std::string where = "gateways[" + std::to_string(i) + "]";
  // The site's technology decides which keys besides the core's it takes:
  // its `technology`, or the one technology all device groups use.
  const TechnologyFormat* format = implied;
  if (n.IsMap() && std::as_const(n)["technology"]) {
    const std::string t = choice(ctx, std::as_const(n)["technology"], format_names(formats), where + ".technology");
    format = find_format(formats, t);
  }
  if (format == nullptr) check_devices_name_technologies(ctx, devices, formats);
  if (format == nullptr)
    ctx.fail(n, "missing key 'technology' in " + where + ": one of " + join(format_names(formats)) +
                    " (a site may leave it out only when every device group uses the same technology)");
  std::vector<const ParamSection*> sections{&tables::kGateway};
  for (const auto* sec : format->sections())
    if (sec->extends && sec->path == tables::kGateway.path) sections.push_back(sec);
  ParamReader r(ctx, n, where, sections);
  GatewaySpec g;
  g.name = r.name("name");
  g.technology = std::string(format->name());
  std::vector<SitePlace> places;
  if (r.has("layout")) {
    if (r.has("position"))
      ctx.fail(r.get("position"), where + " takes either position (one site) or layout (many), not both");
    places = read_layout(ctx, r.get("layout"), g.name, s.area, where + ".layout", s.data_files);
  } else {
    const auto [x, y] = read_point(ctx, r.require("position"), where + ".position");
    places.push_back({g.name, x, y});
  }
  g.height_m = r.quantity("height");
  g.antenna_gain_dBi = r.quantity("antenna_gain");
  const auto sectors = static_cast<int>(r.integer("sectors"));
  if (r.has("antenna") || sectors > 1) {
    // A sector antenna; a sectorised site without `antenna` gets its defaults.
    const YAML::Node a = r.has("antenna") ? r.get("antenna") : YAML::Node(YAML::NodeType::Map);
    ParamReader ar(ctx, a, where + ".antenna", tables::kAntenna);
    g.antenna.directional = true;
    g.antenna.azimuth_deg = ar.quantity("azimuth");
    g.antenna.beamwidth_deg = ar.quantity("beamwidth");
    g.antenna.front_to_back_dB = ar.quantity("front_to_back");
  }
  g.cable_loss_dB = r.quantity("cable_loss");
  g.noise_figure_dB = r.has("noise_figure") ? r.quantity("noise_figure") : format->default_site_noise_figure_dB();
  g.backhaul_delay = r.time("backhaul_delay");
  g.settings = format->read_site(ctx, r, *s.network(format->name()));
  std::vector<GatewaySpec> out;
  for (auto& p : places) {
    for (int k = 0; k < sectors; ++k) {
      GatewaySpec site = g;
      site.name = sectors > 1 ? p.name + "-s" + std::to_string(k) : p.name;
      site.x_m = p.x_m;
      site.y_m = p.y_m;
      site.antenna.azimuth_deg = std::fmod(g.antenna.azimuth_deg + 360.0 * k / sectors, 360.0);
      out.push_back(std::move(site));
    }
  }
  return out;
}

PlacementSpec read_placement(const Context& ctx, const YAML::Node& n, const std::string& where) {
  PlacementSpec p;
  if (n.IsScalar()) {
    const std::string k = choice(ctx, n, {"uniform", "grid"}, where);
    p.kind = k == "grid" ? PlacementSpec::Kind::Grid : PlacementSpec::Kind::Uniform;
    return p;
  }
  MapReader r(ctx, n, where, {"uniform", "grid", "list"});
  if (r.node().size() != 1) ctx.fail(n, where + " takes exactly one of uniform, grid or list");
  if (r.has("uniform") || r.has("grid")) {
    const std::string k = r.has("grid") ? "grid" : "uniform";
    const YAML::Node body = r.get(k);
    if (!body.IsNull() && !(body.IsMap() && body.size() == 0))
      ctx.fail(body, where + "." + k + " takes no parameters: write '" + k + ": {}'");
    p.kind = k == "grid" ? PlacementSpec::Kind::Grid : PlacementSpec::Kind::Uniform;
    return p;
  }
  const YAML::Node list = r.get("list");
  if (!list.IsSequence() || list.size() == 0) ctx.fail(list, where + ".list must be a non-empty list of [x, y] points");
  p.kind = PlacementSpec::Kind::List;
  for (std::size_t i = 0; i < list.size(); ++i)
    p.points_m.push_back(read_point(ctx, list[i], where + ".list[" + std::to_string(i) + "]"));
  return p;
}

TrafficSpec read_traffic(const Context& ctx, const YAML::Node& n, const std::string& where) {
  ParamReader r(ctx, n, where, tables::kTraffic);
  TrafficSpec t;
  if (r.has("periodic") == r.has("poisson")) ctx.fail(n, where + " needs exactly one of 'periodic' or 'poisson'");
  if (r.has("periodic")) {
    ParamReader p(ctx, r.get("periodic"), where + ".periodic", tables::kPeriodic);
    t.kind = TrafficSpec::Kind::Periodic;
    t.interval = p.time("every");
    t.jitter = p.time("jitter");
  } else {
    ParamReader p(ctx, r.get("poisson"), where + ".poisson", tables::kPoisson);
    t.kind = TrafficSpec::Kind::Poisson;
    t.interval = p.time("mean_interval");
  }
  const double bytes = r.quantity("payload");
  if (bytes != std::floor(bytes)) ctx.fail(r.get("payload"), where + ".payload must be a whole number of bytes");
  t.payload_bytes = static_cast<std::uint32_t>(bytes);
  return t;
}

propagation::PenetrationModel read_indoor(const Context& ctx, const YAML::Node& n, const std::string& where) {
  using Kind = propagation::PenetrationModel::Kind;
  ParamReader r(ctx, n, where, tables::kIndoor);
  propagation::PenetrationModel m;
  const std::string model = r.choice("model");
  // Which keys each model takes; any other is an error, not ignored.
  const std::vector<std::string> takes = keys_applying_to(tables::kIndoor, model);
  for (const char* k : {"penetration", "high_loss", "max_depth", "metallized_windows"}) {
    if (r.has(k) && std::find(takes.begin(), takes.end(), k) == takes.end()) {
      ctx.fail(r.get(k), where + "." + k + " does not apply to model " + model +
                             " (it takes: " + (takes.empty() ? std::string("share") : join(takes) + ", share") + ")");
    }
  }
  m.indoor_share = r.quantity("share");
  if (model == "fixed") {
    m.kind = Kind::Fixed;
    m.fixed_dB = r.quantity("penetration");
  } else if (model == "3gpp-38901" || model == "3gpp-38901-legacy") {
    m.kind = model == "3gpp-38901" ? Kind::ThreeGpp : Kind::ThreeGppLegacy;
    // No default: the share of high-loss (IRR-glass) buildings is the
    // planner's assumption (TR 38.901's calibration uses 50 %).
    if (m.kind == Kind::ThreeGpp) m.high_loss_share = r.quantity("high_loss");
    m.max_depth_m = r.quantity("max_depth");
  } else if (model == "ns3-45820") {
    m.kind = Kind::Tr45820Ns3;
  } else {
    m.kind = Kind::Car;
    m.metallized_windows = r.boolean("metallized_windows");
  }
  return m;
}

/// The 3GPP models hold over the frequencies TR 38.901 states.
void check_indoor_frequency(const Context& ctx, const YAML::Node& n, const propagation::PenetrationModel& m, double f,
                            const std::string& where) {
  using Kind = propagation::PenetrationModel::Kind;
  const char* range = nullptr;
  if (m.kind == Kind::ThreeGpp && (f < 0.5e9 || f > 100e9)) range = "0.5 GHz to 100 GHz (TR 38.901 §7.4.3)";
  if (m.kind == Kind::ThreeGppLegacy && (f < 0.5e9 || f >= 6e9))
    range = "0.5 GHz to below 6 GHz (TR 38.901 Table 7.4.3-3)";
  if (m.kind == Kind::Car && (f < 0.6e9 || f > 60e9)) range = "0.6 GHz to 60 GHz (TR 38.901 §7.4.3.2)";
  if (range != nullptr) {
    char got[64];
    std::snprintf(got, sizeof got, "%g MHz", f / 1e6);
    ctx.fail(std::as_const(n)["model"], where + ".model holds for carriers of " + range +
                                            "; the group's radio.frequency is " + got +
                                            " (use model fixed with a measured penetration loss)");
  }
}

DeviceGroupSpec read_group(const Context& ctx, const YAML::Node& n, std::size_t i, const Scenario& s,
                           TechnologyFormats formats) {
  const AreaSpec& area = s.area;
  std::string where = "devices[" + std::to_string(i) + "]";
  ParamReader r(ctx, n, where, tables::kGroup);
  DeviceGroupSpec g;
  g.name = r.name("group");
  where = "devices[" + std::to_string(i) + "] (group " + g.name + ")";
  r.set_where(where);
  if (r.has("placement")) g.placement = read_placement(ctx, r.get("placement"), where + ".placement");
  if (g.placement.kind == PlacementSpec::Kind::List) {
    g.count = g.placement.points_m.size();
    if (r.has("count")) {
      const auto c = r.integer("count");
      if (static_cast<std::uint64_t>(c) != g.count) {
        ctx.fail(r.get("count"), where + ".count is " + std::to_string(c) + " but placement.list has " +
                                     std::to_string(g.count) + " points; drop count or make them agree");
      }
    }
  } else {
    g.count = static_cast<std::uint64_t>(r.integer("count"));
    if (g.placement.kind == PlacementSpec::Kind::Grid && area.shape == AreaSpec::Shape::Disc) {
      ctx.fail(r.get("placement"),
               where + ".placement: grid needs a rectangular area (width and height); use uniform in a disc");
    }
  }
  g.height_m = r.quantity("height");
  if (r.has("indoor")) g.indoor = read_indoor(ctx, r.get("indoor"), where + ".indoor");
  // radio.technology chooses the technology that reads the radio's keys.
  const YAML::Node radio = r.require("radio");
  if (!radio.IsMap()) ctx.fail(radio, where + ".radio must be a map of keys, got " + kind_name(radio));
  const YAML::Node technology = std::as_const(radio)["technology"];
  if (!technology)
    ctx.fail(radio, "missing key 'technology' in " + where + ".radio: one of " + join(format_names(formats)));
  g.technology = choice(ctx, technology, format_names(formats), where + ".radio.technology");
  const TechnologyFormat& format = *find_format(formats, g.technology);
  g.traffic = read_traffic(ctx, r.require("traffic"), where + ".traffic");
  if (r.has("downlink")) g.downlink = read_traffic(ctx, r.get("downlink"), where + ".downlink");
  const YAML::Node hardware_node = r.has("hardware") ? r.get("hardware") : YAML::Node();
  const DeviceHardware hardware =
      read_hardware(ctx, r.has("hardware") ? &hardware_node : nullptr, where + ".hardware", format);
  g.hardware = hardware.spec;
  g.hardware.radio = radio_for_technology(hardware.spec.radio, format, formats);
  g.radio = format.read_radio(ctx, n, g, *s.network(g.technology), where);
  if (r.has("indoor"))
    check_indoor_frequency(ctx, r.get("indoor"), g.indoor, format.carrier_hz(*g.radio), where + ".indoor");
  const YAML::Node temperature_node = r.has("temperature") ? r.get("temperature") : YAML::Node();
  const auto temperature =
      read_temperature(ctx, r.has("temperature") ? &temperature_node : nullptr, where + ".temperature");
  if (!r.has("battery") && !hardware.board)
    ctx.fail(n, "missing key 'battery' in " + where +
                    ": a group without a board (hardware.board: none) needs one; a board profile names the battery "
                    "it typically carries");
  const YAML::Node battery_node = r.has("battery") ? r.get("battery") : YAML::Node();
  g.battery = read_battery(ctx, r.has("battery") ? &battery_node : nullptr, where + ".battery", hardware, temperature);
  return g;
}

// ---------------------------------------------------------------- --set

YAML::Node rebuild_without_marks(const YAML::Node& n) {
  if (n.IsScalar()) return YAML::Node(n.Scalar());
  if (n.IsSequence()) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& e : n) out.push_back(rebuild_without_marks(e));
    return out;
  }
  if (n.IsMap()) {
    YAML::Node out(YAML::NodeType::Map);
    for (auto it = n.begin(); it != n.end(); ++it) out[it->first.Scalar()] = rebuild_without_marks(it->second);
    return out;
  }
  return YAML::Node(YAML::NodeType::Null);
}

/// How many places of the tree hold each node of the file, by its position
/// (a YAML alias, `*name`, is a second place of its anchor's node). Each
/// node's children are counted once, however many places hold it, so that
/// nested aliases cannot make the count explode.
void count_places(const YAML::Node& n, std::map<std::size_t, int>& places) {
  const YAML::Mark m = n.Mark();
  if (!m.is_null() && ++places[static_cast<std::size_t>(m.pos)] > 1) return;
  if (n.IsSequence()) {
    for (const auto& e : n) count_places(e, places);
  } else if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) count_places(it->second, places);
  }
}

/// Puts `value` in place of `parent[key]` without writing into the node
/// that was there (yaml-cpp's assignment would, and so change every place
/// sharing it).
void replace_in_map(YAML::Node& parent, const std::string& key, const YAML::Node& value) {
  parent.remove(key);
  parent[key] = value;
}
void replace_in_list(YAML::Node& parent, std::size_t index, const YAML::Node& value) {
  YAML::Node list(YAML::NodeType::Sequence);
  for (std::size_t i = 0; i < parent.size(); ++i) list.push_back(i == index ? value : parent[i]);
  parent = list;
}

bool shared(const YAML::Node& n, const std::map<std::size_t, int>& places) {
  const YAML::Mark m = n.Mark();
  if (m.is_null()) return false;
  const auto it = places.find(static_cast<std::size_t>(m.pos));
  return it != places.end() && it->second > 1;
}

void apply_override(YAML::Node root, const std::string& text, Context& ctx) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError("--set " + text + ": expected PATH=VALUE, e.g. devices.meters.count=500");
  const std::string path = text.substr(0, eq);
  const std::string value = text.substr(eq + 1);
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
  // The sweep: section is read from the file as written (load_sweep_file);
  // a --set there would be silently ignored.
  if (!parts.empty() && parts.front() == "sweep")
    throw ScenarioError("--set " + path +
                        ": the sweep: section cannot be changed from the command line; edit the file, or give "
                        "`m2msim sweep --replications N` for the number of replications");

  if (control_character_at(value))
    throw ScenarioError("--set " + text.substr(0, eq + 1) +
                        "...: the value holds a control character (only tab and "
                        "line breaks are allowed in YAML text)");
  YAML::Node value_node;
  try {
    if (value.starts_with('[') || value.starts_with('{')) check_yaml_shape(value, "value");
  } catch (const ScenarioError& e) {
    throw ScenarioError(
        Context::excerpt("--set " + text.substr(0, eq + 1) + "...: the value is not valid YAML (" + e.what() + ")"));
  }
  try {
    value_node = (value.starts_with('[') || value.starts_with('{')) ? rebuild_without_marks(YAML::Load(value))
                                                                    : YAML::Node(value);
  } catch (const YAML::Exception& e) {
    throw ScenarioError("--set " + text + ": the value is not valid YAML (" + e.msg + ")");
  }

  // A map or list the path goes through that the file shares between
  // places (an anchor and its aliases) is copied first: --set changes the
  // place it names, not every place that shares it.
  std::map<std::size_t, int> places;
  count_places(root, places);
  YAML::Node cur = root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& key = parts[i];
    const bool last = i + 1 == parts.size();
    if (key.empty()) throw ScenarioError("--set " + text + ": empty path element");
    if (cur.IsSequence()) {
      // A list element by index or by its group/name.
      std::optional<std::size_t> index;
      std::vector<std::string> names;
      for (std::size_t k = 0; k < cur.size(); ++k) {
        const YAML::Node e = cur[k];
        for (const char* id : {"group", "name"}) {
          if (e.IsMap() && e[id] && e[id].IsScalar()) {
            names.push_back(e[id].Scalar());
            if (e[id].Scalar() == key) index = k;
          }
        }
      }
      if (!index) {
        std::size_t k = 0;
        const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), k);
        if (ec == std::errc() && end == key.data() + key.size() && k < cur.size()) index = k;
      }
      if (!index) {
        const std::string where = walked.empty() ? "the scenario" : walked;
        if (cur.size() == 0) throw ScenarioError("--set " + text + ": " + where + " is an empty list");
        throw ScenarioError("--set " + text + ": no element '" + key + "' in " + where + " (use an index from 0 to " +
                            std::to_string(cur.size() - 1) +
                            (names.empty() ? std::string() : " or a name: " + join(names)) + ")");
      }
      if (last) {
        if (shared(cur[*index], places)) {
          replace_in_list(cur, *index, value_node);
        } else {
          cur[*index] = value_node;
        }
      } else {
        if (shared(cur[*index], places)) replace_in_list(cur, *index, YAML::Clone(cur[*index]));
        cur.reset(cur[*index]);
      }
    } else if (cur.IsMap() || cur.IsNull()) {
      if (last) {
        // (In place when nothing else shares the value: the map keeps its order.)
        if (cur[key] && shared(cur[key], places)) {
          replace_in_map(cur, key, value_node);
        } else {
          cur[key] = value_node;
        }
      } else {
        YAML::Node next = cur[key];
        if (!next) {
          cur[key] = YAML::Node(YAML::NodeType::Map);
        } else if (shared(next, places)) {
          replace_in_map(cur, key, YAML::Clone(next));
        }
        cur.reset(cur[key]);
      }
    } else {
      throw ScenarioError("--set " + text + ": '" + walked + "' is a single value, it has no '" + key + "'");
    }
    walked += (walked.empty() ? "" : ".") + key;
  }
  ctx.set_values.push_back({value_node, text});
}

Scenario read_root(Context& ctx, YAML::Node root, TechnologyFormats formats) {
  if (!root || root.IsNull()) throw ScenarioError(ctx.file + ":1:1: the scenario file is empty");
  ParamReader r(ctx, root, "the scenario", with_extensions(tables::kRoot, formats));
  Scenario s;
  s.file = ctx.file;
  s.has_sweep = r.has("sweep");
  s.name = r.name("name");
  s.seed = r.count("seed");
  s.replication = r.count("replication");
  s.duration = r.time("duration");
  s.area = read_area(ctx, r.require("area"));
  ParamReader env(ctx, r.require("environment"), "environment", tables::kEnvironment);
  s.propagation = read_propagation(ctx, env.require("propagation"));

  // Each technology's top-level section; without one, every key takes its
  // declared default.
  for (const auto* f : formats) {
    const std::string key(f->section_key());
    const YAML::Node section = !key.empty() && r.has(key) ? r.get(key) : YAML::Node(YAML::NodeType::Map);
    s.networks.emplace_back(std::string(f->name()), f->read_network(ctx, section));
  }
  const YAML::Node gws = r.require("gateways");
  if (!gws.IsSequence() || gws.size() == 0) ctx.fail(gws, "gateways must be a non-empty list");
  std::set<std::string> site_names;
  const YAML::Node devices_node = r.has("devices") ? r.get("devices") : YAML::Node();
  const TechnologyFormat* implied = implied_site_format(devices_node, formats);
  for (std::size_t i = 0; i < gws.size(); ++i) {
    for (auto& site : read_gateways(ctx, gws[i], i, s, formats, implied, devices_node)) {
      if (!site_names.insert(site.name).second) {
        ctx.fail(gws[i]["name"], "gateway name '" + site.name + "' is used twice");
      }
      s.gateways.push_back(std::move(site));
    }
    if (s.gateways.size() > 10'000)
      ctx.fail(gws, "at most 10 000 sites in all, got " + std::to_string(s.gateways.size()));
  }
  const YAML::Node devs = r.require("devices");
  if (!devs.IsSequence() || devs.size() == 0) ctx.fail(devs, "devices must be a non-empty list of device groups");
  if (devs.size() > 10'000) ctx.fail(devs, "at most 10 000 device groups, got " + std::to_string(devs.size()));
  std::uint64_t total = 0;
  std::set<std::string> group_names;
  for (std::size_t i = 0; i < devs.size(); ++i) {
    s.groups.push_back(read_group(ctx, devs[i], i, s, formats));
    if (!group_names.insert(s.groups.back().name).second)
      ctx.fail(devs[i]["group"], "device group '" + s.groups[i].name + "' is used twice");
    total += s.groups.back().count;
  }
  if (total > 10'000'000) ctx.fail(devs, "at most 10 000 000 devices in all, got " + std::to_string(total));
  // A technology's section with no group of that technology would change
  // nothing: refuse it rather than ignore it.
  for (const auto* f : formats) {
    const std::string key(f->section_key());
    if (key.empty() || !r.has(key)) continue;
    const bool used = std::any_of(s.groups.begin(), s.groups.end(),
                                  [&](const DeviceGroupSpec& g) { return g.technology == f->name(); });
    if (!used)
      ctx.fail(r.get(key), "the " + key + ": section applies to " + std::string(f->name()) +
                               " device groups, but no group has radio.technology: " + std::string(f->name()) +
                               "; remove the section, or add such a group");
  }
  std::set<std::string> served_technologies;
  for (const auto& site : s.gateways) served_technologies.insert(site.technology);
  for (std::size_t i = 0; i < s.groups.size(); ++i) {
    const auto& g = s.groups[i];
    const bool served = served_technologies.count(g.technology) > 0;
    if (!served) {
      ctx.fail(devs[i]["radio"], "device group '" + g.name + "' uses " + g.technology +
                                     ", but no gateway serves it; give a gateway technology: " + g.technology);
    }
  }
  if (r.has("outputs")) {
    ParamReader o(ctx, r.get("outputs"), "outputs", tables::kOutputs);
    if (o.has("coverage_map")) {
      ParamReader c(ctx, o.get("coverage_map"), "outputs.coverage_map", tables::kCoverageMap);
      CoverageMapSpec m;
      m.resolution_m = c.quantity("resolution");
      const double w = s.area.shape == AreaSpec::Shape::Disc ? 2 * s.area.radius_m : s.area.width_m;
      const double h = s.area.shape == AreaSpec::Shape::Disc ? 2 * s.area.radius_m : s.area.height_m;
      const double pixels = std::ceil(w / m.resolution_m) * std::ceil(h / m.resolution_m);
      if (pixels > 4e6) {
        ctx.fail(c.get("resolution"), "outputs.coverage_map.resolution gives " +
                                          std::to_string(static_cast<long long>(pixels)) +
                                          " pixels over the area; at most 4 000 000 (choose a coarser resolution)");
      }
      m.group = s.groups.front().name;
      if (c.has("group")) {
        std::vector<std::string> names;
        for (const auto& g : s.groups) names.push_back(g.name);
        m.group = choice(ctx, c.get("group"), names, "outputs.coverage_map.group");
      }
      s.outputs.coverage_map = m;
    }
    if (o.has("state_of_charge")) {
      ParamReader c(ctx, o.get("state_of_charge"), "outputs.state_of_charge", tables::kStateOfCharge);
      StateOfChargeSpec soc;
      soc.devices = static_cast<std::uint64_t>(c.integer("devices"));
      soc.every = c.time("every");
      std::uint64_t devices = 0;
      for (const auto& g : s.groups) devices += g.count;
      if (soc.devices > devices)
        ctx.fail(c.has("devices") ? c.get("devices") : c.node(),
                 "outputs.state_of_charge.devices is " + std::to_string(soc.devices) +
                     (c.has("devices") ? "" : " (the default)") + "; the scenario has " + std::to_string(devices) +
                     " devices: give devices: " + std::to_string(devices) + " or fewer");
      if (soc.every > s.duration)
        ctx.fail(c.value_of("every"), "outputs.state_of_charge.every (" + soc.every.to_string() +
                                          ") is longer than the run (" + s.duration.to_string() +
                                          "): only the start would be sampled; choose at most the duration");
      const auto samples = static_cast<double>(s.duration.ns() / soc.every.ns() + 1);
      if (samples > 100000)
        ctx.fail(c.value_of("every"),
                 "outputs.state_of_charge.every gives more than 100 000 samples per device over "
                 "the duration; choose a longer period");
      if (samples * static_cast<double>(soc.devices) > 1e7)
        ctx.fail(c.value_of("every"),
                 "outputs.state_of_charge gives " +
                     std::to_string(static_cast<long long>(samples) * static_cast<long long>(soc.devices)) +
                     " samples (devices × instants); at most 10 000 000: sample fewer devices or "
                     "less often");
      s.outputs.state_of_charge = soc;
    }
    if (o.has("directory")) {
      s.outputs.directory = scalar(ctx, o.get("directory"), "outputs.directory");
      if (s.outputs.directory->empty()) ctx.fail(o.get("directory"), "outputs.directory must not be empty");
    }
  }
  return s;
}

Scenario load(const std::string& text, const std::string& file, const std::vector<std::string>& overrides,
              TechnologyFormats formats) {
  Context ctx;
  ctx.file = file;
  YAML::Node root = parse_yaml(text, file, &ctx);
  if (root && !root.IsNull() && !root.IsMap())
    ctx.fail(root, "the scenario must be a map of keys (name, duration, area, ...)");
  for (const auto& o : overrides) {
    if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    apply_override(root, o, ctx);
  }
  try {
    return read_root(ctx, root, formats);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on malformed access we did not anticipate; never crash.
    throw ScenarioError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " +
                        e.msg);
  }
}

/// "1.5 km" → (1.5, " km"); "100" → (100, "").
bool split_number(const std::string& text, double& value, std::string& unit) {
  const char* b = text.c_str();
  char* end = nullptr;
  value = std::strtod(b, &end);
  if (end == b) return false;
  unit = std::string(end);
  return true;
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

}  // namespace

Sweep load_sweep_file(const std::string& path, const std::vector<std::string>& overrides, TechnologyFormats formats,
                      const std::function<double(const Scenario&)>& memory_of) {
  Sweep sw;
  sw.file = path;
  sw.text = read_text_file(path, "scenario file");
  sw.base_sets = overrides;
  // The base scenario must be valid on its own (with the command line's --set).
  const Scenario base = load(sw.text, path, overrides, formats);
  sw.name = base.name;
  sw.base_seed = base.seed;
  Context ctx;
  ctx.file = path;
  const YAML::Node root = YAML::Load(sw.text);
  const YAML::Node sweep_node = std::as_const(root)["sweep"];
  if (!sweep_node)
    throw ScenarioError(path +
                        ":1:1: no sweep: section (add one: sweep: { replications: 3, parameters: { "
                        "devices.meters.count: [100, 200] } })");
  MapReader r(ctx, sweep_node, "sweep", {"replications", "common_random_numbers", "parameters"});
  if (r.has("replications"))
    sw.replications = static_cast<std::uint64_t>(integer(ctx, r.get("replications"), 1, 100000, "sweep.replications"));
  if (r.has("common_random_numbers"))
    sw.common_random_numbers = boolean(ctx, r.get("common_random_numbers"), "sweep.common_random_numbers");
  const YAML::Node params = r.require("parameters");
  if (!params.IsMap() || params.size() == 0)
    ctx.fail(params, "sweep.parameters must be a map of PATH: [values] or PATH: { from, to, step }");
  std::vector<std::vector<std::pair<std::string, YAML::Node>>> values;  // [parameter] → (text, node)
  std::set<std::string> keys;
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string key = scalar(ctx, it->first, "a sweep parameter path");
    if (!keys.insert(key).second)
      ctx.fail(it->first, "sweep parameter '" + key + "' is given twice (each path once, with all its values)");
    const YAML::Node v = it->second;
    std::vector<std::pair<std::string, YAML::Node>> list;
    if (v.IsSequence()) {
      if (v.size() == 0) ctx.fail(v, "sweep parameter '" + key + "' has no values");
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].IsScalar()) ctx.fail(v[i], "sweep parameter '" + key + "': each value must be a single value");
        list.emplace_back(v[i].Scalar(), v[i]);
      }
    } else if (v.IsMap()) {
      MapReader range(ctx, v, "sweep parameter '" + key + "'", {"from", "to", "step"});
      double from = 0, to = 0, step = 0;
      std::string uf, ut, us;
      const YAML::Node nf = range.require("from"), nt = range.require("to"), ns = range.require("step");
      if (!split_number(scalar(ctx, nf, "from"), from, uf))
        ctx.fail(nf, "sweep range 'from' must be a number, with its unit if it has one");
      if (!split_number(scalar(ctx, nt, "to"), to, ut))
        ctx.fail(nt, "sweep range 'to' must be a number, with its unit if it has one");
      if (!split_number(scalar(ctx, ns, "step"), step, us))
        ctx.fail(ns, "sweep range 'step' must be a number, with its unit if it has one");
      if (ut != uf || us != uf) ctx.fail(v, "sweep range of '" + key + "': from, to and step must have the same unit");
      if (!std::isfinite(from) || !std::isfinite(to) || !std::isfinite(step) || !(step > 0) || to < from) {
        ctx.fail(ns, "sweep range of '" + key + "': needs finite numbers, step > 0 and to >= from");
      }
      const double n = std::floor((to - from) / step + 1e-9);
      if (n + 1 > 100000) ctx.fail(ns, "sweep range of '" + key + "' has more than 100 000 values");
      for (int i = 0; i <= static_cast<int>(n); ++i) list.emplace_back(format_number(from + i * step) + uf, nf);
    } else {
      ctx.fail(v, "sweep parameter '" + key + "' must be a list of values or { from, to, step }");
    }
    sw.parameters.push_back(key);
    values.push_back(std::move(list));
  }
  // The grid's size first: a grid too large is refused before any of its
  // values is checked.
  std::size_t total = 1;
  for (const auto& v : values) {
    total *= v.size();
    if (total > 1'000'000) ctx.fail(params, "the sweep grid has more than 1 000 000 points");
  }
  // Every value of every parameter must be valid on its own, reported at its place in the file.
  for (std::size_t p = 0; p < values.size(); ++p) {
    for (const auto& [text, node] : values[p]) {
      std::vector<std::string> sets = overrides;
      sets.push_back(sw.parameters[p] + "=" + text);
      try {
        load(sw.text, path, sets, formats);
      } catch (const ScenarioError& e) {
        std::string msg = e.what();
        const std::string prefix = "--set " + sets.back() + ": ";
        const auto at = msg.find(prefix);
        if (at != std::string::npos) msg = msg.substr(at + prefix.size());
        ctx.fail(node, "sweep parameter '" + sw.parameters[p] + "' = '" + text + "': " + msg);
      }
    }
  }
  // The grid, last parameter fastest; and every point as a whole (values
  // valid alone may clash together).
  for (std::size_t i = 0; i < total; ++i) {
    std::vector<std::string> point(values.size());
    std::size_t rest = i;
    for (std::size_t p = values.size(); p-- > 0;) {
      point[p] = values[p][rest % values[p].size()].first;
      rest /= values[p].size();
    }
    sw.points.push_back(point);
  }
  std::set<std::string> referenced;
  for (std::size_t i = 0; i < sw.points.size(); ++i) {
    try {
      const Scenario s = load(sw.text, path, sw.sets_of(i), formats);
      // Files read by path; the built-in ones are compiled in and never change
      // under a sweep.
      auto note_file = [&](const std::string& f) {
        if (f.empty() || referenced.count(f)) return;
        referenced.insert(f);
        sw.referenced_files += "\n== " + f + "\n" + read_text_file(f, "referenced file");
      };
      for (const auto& [name, settings] : s.networks)
        for (const auto& f : settings->files()) note_file(f);
      for (const auto& f : s.data_files) note_file(f);
      for (const auto& g : s.groups) {
        for (const auto& f : g.hardware.files) note_file(f);
        note_file(g.battery.file);
      }
      double uplinks = 0.0;
      for (const auto& g : s.groups) {
        uplinks +=
            static_cast<double>(g.count) * s.duration.to_seconds() / std::max(g.traffic.interval.to_seconds(), 1e-9);
      }
      sw.cost.push_back(uplinks);
      if (memory_of) sw.memory.push_back(memory_of(s));
    } catch (const ScenarioError& e) {
      ctx.fail(params, "sweep point " + std::to_string(i) + " is not a valid scenario: " + e.what());
    }
  }
  return sw;
}

Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const std::vector<std::string>& overrides, TechnologyFormats formats) {
  return load(text, file_name, overrides, formats);
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides,
                            TechnologyFormats formats) {
  return load(read_text_file(path, "scenario file"), path, overrides, formats);
}

}  // namespace m2msim::scenario
