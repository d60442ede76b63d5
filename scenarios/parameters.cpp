#include "scenarios/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "results/json.hpp"

namespace m2msim::scenario {

const Param* ParamSection::find(std::string_view key) const {
  for (const auto& p : params) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::vector<std::string> ParamSection::keys() const {
  std::vector<std::string> v;
  for (const auto& p : params) v.emplace_back(p.key);
  return v;
}

std::vector<std::string> split_choices(std::string_view choices) {
  std::vector<std::string> v;
  while (!choices.empty()) {
    const auto bar = choices.find('|');
    v.emplace_back(choices.substr(0, bar));
    if (bar == std::string_view::npos) break;
    choices.remove_prefix(bar + 1);
  }
  return v;
}

namespace {

std::string units_text(Dimension d) {
  std::string s;
  for (const auto& u : dimension_units(d)) s += (s.empty() ? "`" : ", `") + u + "`";
  return s;
}

/// "a length" → "length".
std::string bare_dimension_name(Dimension d) {
  std::string s = dimension_name(d);
  for (const char* article : {"a ", "an "}) {
    if (s.starts_with(article)) return s.substr(std::string(article).size());
  }
  return s;
}

std::string code_list(std::string_view choices) {
  std::string s;
  for (const auto& c : split_choices(choices)) s += (s.empty() ? "`" : ", `") + c + "`";
  return s;
}

/// What a key takes, for a missing-key message: "a length (1 m to 1000 km)".
std::string describe(const Param& p) {
  std::string s;
  switch (p.kind) {
    case ParamKind::Quantity: s = dimension_name(p.dimension); break;
    case ParamKind::Choice: s = "one of " + join(split_choices(p.choices)); break;
    default: s = type_text(p); break;
  }
  if (!p.range.empty()) s += " (" + std::string(p.range) + ")";
  if (!p.example.empty()) s += ", e.g. '" + std::string(p.example) + "'";
  std::erase(s, '`');  // the docs' code marks
  return s;
}

}  // namespace

std::string type_text(const Param& p) {
  if (!p.type.empty()) return std::string(p.type);
  switch (p.kind) {
    case ParamKind::Quantity: return bare_dimension_name(p.dimension) + " (" + units_text(p.dimension) + ")";
    case ParamKind::Integer:
    case ParamKind::Count: return "whole number";
    case ParamKind::Boolean: return "`true` or `false`";
    case ParamKind::Choice: return "choice";
    case ParamKind::Name: return "name";
    case ParamKind::Text: return "text";
    case ParamKind::Point: return "`[x, y]`, two lengths";
    case ParamKind::Map: return "map (`" + std::string(p.section) + "`)";
    case ParamKind::List:
      return p.section.empty() ? std::string("list") : "list of maps (`" + std::string(p.section) + "`)";
    case ParamKind::Special: return "see below";
  }
  return "";
}

namespace {
std::vector<std::string> keys_of(const std::vector<const ParamSection*>& sections) {
  std::vector<std::string> keys;
  for (const auto* s : sections)
    for (auto& k : s->keys()) keys.push_back(std::move(k));
  return keys;
}
}  // namespace

ParamReader::ParamReader(const Context& ctx, const YAML::Node& node, std::string where, const ParamSection& section)
    : ParamReader(ctx, node, std::move(where), std::vector<const ParamSection*>{&section}) {}

ParamReader::ParamReader(const Context& ctx, const YAML::Node& node, std::string where,
                         std::vector<const ParamSection*> sections)
    : ctx_(ctx), sections_(std::move(sections)), map_(ctx, node, std::move(where), keys_of(sections_)) {}

const Param& ParamReader::param(std::string_view key) const {
  for (const auto* s : sections_) {
    if (const Param* p = s->find(key)) return *p;
  }
  // A reader asking for a key its own table lacks is a bug in m2msim.
  throw std::logic_error("parameter '" + std::string(key) + "' is not declared in section " +
                         std::string(sections_.front()->path));
}

YAML::Node ParamReader::require(std::string_view key) const {
  const Param& p = param(key);
  YAML::Node n = get(key);
  if (!n) ctx_.fail(node(), "missing key '" + std::string(key) + "' in " + where() + ": " + describe(p));
  return n;
}

YAML::Node ParamReader::value(const Param& p) const {
  if (has(p.key)) return get(p.key);
  if (p.required || p.default_value.empty()) return require(p.key);
  return YAML::Node(std::string(p.default_value));
}

double ParamReader::quantity(std::string_view key) const {
  const Param& p = param(key);
  const YAML::Node n = value(p);
  const double v = scenario::quantity(ctx_, n, p.dimension, what(key));
  check_range(ctx_, n, v, p.min, p.max, what(key), std::string(p.range));
  return v;
}

std::optional<double> ParamReader::optional_quantity(std::string_view key) const {
  if (!has(key) && param(key).default_value.empty()) return std::nullopt;
  return quantity(key);
}

Time ParamReader::time(std::string_view key) const {
  const Param& p = param(key);
  const YAML::Node n = value(p);
  const Time t = time_value(ctx_, n, what(key));
  check_range(ctx_, n, static_cast<double>(t.ns()), p.min, p.max, what(key), std::string(p.range));
  return t;
}

std::int64_t ParamReader::integer(std::string_view key) const {
  const Param& p = param(key);
  return scenario::integer(ctx_, value(p), static_cast<std::int64_t>(p.min), static_cast<std::int64_t>(p.max),
                           what(key));
}

std::uint64_t ParamReader::count(std::string_view key) const {
  return unsigned_integer(ctx_, value(param(key)), what(key));
}

bool ParamReader::boolean(std::string_view key) const { return scenario::boolean(ctx_, value(param(key)), what(key)); }

std::string ParamReader::choice(std::string_view key) const {
  const Param& p = param(key);
  return scenario::choice(ctx_, value(p), split_choices(p.choices), what(key));
}

std::string ParamReader::name(std::string_view key) const { return name_value(ctx_, value(param(key)), what(key)); }

// ---------------------------------------------------------------- Markdown

namespace {

std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string markdown_table(const ParamSection& section) {
  std::ostringstream out;
  out << "| key | type / unit | default | allowed | example | description |\n";
  out << "| --- | --- | --- | --- | --- | --- |\n";
  for (const auto& p : section.params) {
    const std::string key =
        section.path.empty() ? std::string(p.key) : std::string(section.path) + "." + std::string(p.key);
    std::string def = p.required                 ? std::string("**required**")
                      : !p.default_value.empty() ? "`" + std::string(p.default_value) + "`"
                      : !p.default_text.empty()  ? std::string(p.default_text)
                                                 : std::string("none");
    std::string allowed = p.kind == ParamKind::Choice && p.range.empty() ? code_list(p.choices) : std::string(p.range);
    std::string help(p.help);
    if (!p.applies.empty()) help += " Only with `" + std::string(section.selector) + "` " + code_list(p.applies) + ".";
    if (!p.source.empty()) help += " Source: " + std::string(p.source) + ".";
    const std::string example = p.example.empty() ? std::string() : "`" + std::string(p.example) + "`";
    out << "| `" << key << "` | " << cell(type_text(p)) << " | " << cell(def) << " | " << cell(allowed) << " | "
        << cell(example) << " | " << cell(help) << " |\n";
  }
  return out.str();
}

// ---------------------------------------------------------------- JSON Schema

namespace {

std::string def_name(std::string_view path, std::size_t variant) {
  std::string s = path.empty() ? std::string("scenario") : std::string(path);
  if (variant > 0) s += "-" + std::to_string(variant);
  return s;
}

std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

/// A number, then one of the dimension's units.
std::string quantity_pattern(Dimension d) {
  std::string units;
  for (const auto& u : dimension_units(d)) {
    units += (units.empty() ? "" : "|") + u;
  }
  return "^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*(" + units + ")\\s*$";
}

std::string property_schema(const Param& p) {
  std::string desc(p.help);
  if (!p.range.empty()) desc += " Allowed: " + std::string(p.range) + ".";
  std::string s = "{\"description\": " + results::json_string(desc);
  if (!p.default_value.empty()) {
    const bool bare = p.kind == ParamKind::Integer || p.kind == ParamKind::Count || p.kind == ParamKind::Boolean;
    s += ", \"default\": " + (bare ? std::string(p.default_value) : results::json_string(p.default_value));
  }
  switch (p.kind) {
    case ParamKind::Quantity:
      s += ", \"type\": \"string\", \"pattern\": " + results::json_string(quantity_pattern(p.dimension));
      break;
    case ParamKind::Integer:
      s += ", \"type\": \"integer\", \"minimum\": " + number(p.min) + ", \"maximum\": " + number(p.max);
      break;
    case ParamKind::Count: s += ", \"type\": \"integer\", \"minimum\": 0"; break;
    case ParamKind::Boolean: s += ", \"type\": \"boolean\""; break;
    case ParamKind::Choice: {
      s += ", \"enum\": [";
      const auto c = split_choices(p.choices);
      for (std::size_t i = 0; i < c.size(); ++i) s += (i ? ", " : "") + results::json_string(c[i]);
      s += "]";
      break;
    }
    case ParamKind::Name: s += ", \"type\": \"string\", \"pattern\": \"^[^.= \\\\t\\\\n]+$\""; break;
    case ParamKind::Text: s += ", \"type\": \"string\""; break;
    case ParamKind::Point:
      s += ", \"type\": \"array\", \"minItems\": 2, \"maxItems\": 2, \"items\": {\"type\": \"string\", \"pattern\": " +
           results::json_string(quantity_pattern(Dimension::Length)) + "}";
      break;
    case ParamKind::Map: s += ", \"$ref\": " + results::json_string("#/$defs/" + def_name(p.section, 0)); break;
    case ParamKind::List:
      s += ", \"type\": \"array\"";
      if (!p.section.empty())
        s += ", \"items\": {\"$ref\": " + results::json_string("#/$defs/" + def_name(p.section, 0)) + "}";
      break;
    case ParamKind::Special: break;
  }
  return s + "}";
}

std::string object_schema(const ParamSection& section) {
  std::string s = "{\"title\": " + results::json_string(section.title) +
                  ", \"type\": \"object\", \"additionalProperties\": false, \"properties\": {";
  std::string required;
  for (std::size_t i = 0; i < section.params.size(); ++i) {
    const auto& p = section.params[i];
    s += std::string(i ? ", " : "") + results::json_string(p.key) + ": " + property_schema(p);
    if (p.required) required += (required.empty() ? "" : ", ") + results::json_string(p.key);
  }
  s += "}";
  if (!required.empty()) s += ", \"required\": [" + required + "]";
  return s + "}";
}

}  // namespace

std::string json_schema(std::span<const ParamSection* const> sections) {
  // Sections that share a path (a group's radio, one per technology) are
  // alternatives: the path's definition is oneOf them.
  std::map<std::string, std::vector<const ParamSection*>> by_path;
  std::map<std::string, std::vector<Param>> extra;  ///< keys added by extending sections
  std::vector<std::string> order;
  for (const auto* s : sections) {
    if (s->extends) {
      // Two technologies may add a key of the same name (a cellular site's
      // carrier_power): the schema lists it once.
      auto& keys = extra[std::string(s->path)];
      for (const auto& p : s->params)
        if (std::none_of(keys.begin(), keys.end(), [&](const Param& q) { return q.key == p.key; })) keys.push_back(p);
      continue;
    }
    auto& v = by_path[std::string(s->path)];
    if (v.empty()) order.emplace_back(s->path);
    v.push_back(s);
  }
  std::string out = "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n";
  out += "  \"title\": \"m2msim scenario file\",\n  \"$ref\": \"#/$defs/scenario\",\n  \"$defs\": {\n";
  bool first = true;
  for (const auto& path : order) {
    const auto& v = by_path[path];
    const auto add = [&](const std::string& name, const std::string& body) {
      out += std::string(first ? "" : ",\n") + "    " + results::json_string(name) + ": " + body;
      first = false;
    };
    if (v.size() == 1) {
      std::vector<Param> params(v.front()->params.begin(), v.front()->params.end());
      for (const auto& p : extra[path]) params.push_back(p);
      ParamSection merged = *v.front();
      merged.params = params;
      add(def_name(path, 0), object_schema(merged));
      continue;
    }
    std::string one_of = "{\"oneOf\": [";
    for (std::size_t i = 0; i < v.size(); ++i) {
      add(def_name(path, i + 1), object_schema(*v[i]));
      one_of +=
          std::string(i ? ", " : "") + "{\"$ref\": " + results::json_string("#/$defs/" + def_name(path, i + 1)) + "}";
    }
    add(def_name(path, 0), one_of + "]}");
  }
  return out + "\n  }\n}\n";
}

}  // namespace m2msim::scenario
