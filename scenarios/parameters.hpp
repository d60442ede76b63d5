// Parameters declared once. Every section of the scenario format (the core's
// and each technology's) declares its keys in a table of Param rows: key,
// kind and unit, range, default (or required), help text, source. From the
// table come the accepted keys and the "did you mean" suggestions, the
// missing-key and out-of-range messages with units, the defaults, `m2msim
// schema` (Markdown and JSON Schema) and the tables of
// docs/scenario-reference.md. Checks that span several keys stay as code in
// the section's reader.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/reader.hpp"

namespace m2msim::scenario {

enum class ParamKind {
  Quantity,  ///< a number with a unit of `dimension`
  Integer,   ///< a whole number in [min, max]
  Count,     ///< a whole number 0 to 2^64 − 1
  Boolean,   ///< true or false
  Choice,    ///< one of `choices`
  Name,      ///< a name usable in --set paths
  Text,      ///< free text
  Point,     ///< [x, y], two lengths
  Map,       ///< a nested section (`section` names it)
  List,      ///< a list of `section`s, or of values (`section` empty)
  Special,   ///< read by the section's own code; `type` and `range` say what it takes
};

struct Param {
  std::string_view key;
  ParamKind kind = ParamKind::Special;
  Dimension dimension = Dimension::Length;  ///< Quantity: the unit's dimension
  /// Quantity: bounds in the dimension's canonical unit (units.hpp);
  /// Integer: whole-number bounds.
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::string_view range = {};          ///< the allowed values in words, with units, as messages and docs print them
  std::string_view default_value = {};  ///< as a file would write it ("15 m"), read when the key is absent
  std::string_view default_text = {};   ///< without default_value: what absence means, in words (docs)
  bool required = false;
  std::string_view choices = {};  ///< Choice: "a|b|c"
  std::string_view section = {};  ///< Map, List: the path of the nested section
  std::string_view type = {};     ///< the docs' type column, when the kind's own words do not say enough
  std::string_view applies = {};  ///< only under these values of the section's selector ("a|b"); empty: always
  std::string_view help = {};
  std::string_view example = {};  ///< a YAML line for the docs
  std::string_view source = {};   ///< where the range or default comes from
};

/// One section of the format: its path as users see it ("gateways[]",
/// "devices[].radio") and its parameters.
struct ParamSection {
  std::string_view path;
  std::string_view title;
  std::span<const Param> params;
  /// When keys depend on another key of the section (a model, say): its key.
  std::string_view selector = {};
  /// Adds keys to the section of the same path (a technology's keys of
  /// every site, say) instead of being an alternative to it.
  bool extends = false;

  [[nodiscard]] const Param* find(std::string_view key) const;
  [[nodiscard]] std::vector<std::string> keys() const;
};

/// "a|b|c" → {"a", "b", "c"}.
std::vector<std::string> split_choices(std::string_view choices);
/// The docs' type column of a parameter ("length", "power (`dBm`, `mW`, `W`)", ...).
std::string type_text(const Param& p);

/// A map read against its section's table: unknown and duplicate keys are
/// refused when it is opened; each getter checks kind and range as declared
/// and returns the given value, or the declared default.
class ParamReader {
 public:
  ParamReader(const Context& ctx, const YAML::Node& node, std::string where, const ParamSection& section);
  /// A map whose keys are those of several sections (a core section and the
  /// sections that extend it).
  ParamReader(const Context& ctx, const YAML::Node& node, std::string where, std::vector<const ParamSection*> sections);

  [[nodiscard]] bool has(std::string_view key) const { return map_.has(std::string(key)); }
  [[nodiscard]] YAML::Node get(std::string_view key) const { return map_.get(std::string(key)); }
  /// The node, or a "missing key" error that says what the key takes.
  [[nodiscard]] YAML::Node require(std::string_view key) const;
  [[nodiscard]] const std::string& where() const { return map_.where(); }
  /// Names the map differently in later messages (once its name key is read).
  void set_where(std::string where) { map_.set_where(std::move(where)); }
  [[nodiscard]] const YAML::Node& node() const { return map_.node(); }
  /// "WHERE.KEY", the name of a key in messages (the key alone at the top level).
  [[nodiscard]] std::string what(std::string_view key) const {
    return sections_.front()->path.empty() ? std::string(key) : where() + "." + std::string(key);
  }
  /// The given node, or the declared default's text as a node (for keys a
  /// section's own code reads); a "missing key" error without either.
  [[nodiscard]] YAML::Node value_of(std::string_view key) const { return value(param(key)); }

  [[nodiscard]] double quantity(std::string_view key) const;
  [[nodiscard]] std::optional<double> optional_quantity(std::string_view key) const;
  [[nodiscard]] Time time(std::string_view key) const;
  [[nodiscard]] std::int64_t integer(std::string_view key) const;
  [[nodiscard]] std::uint64_t count(std::string_view key) const;
  [[nodiscard]] bool boolean(std::string_view key) const;
  [[nodiscard]] std::string choice(std::string_view key) const;
  [[nodiscard]] std::string name(std::string_view key) const;

 private:
  const Param& param(std::string_view key) const;
  /// The given node, or the default's text parsed as a node.
  YAML::Node value(const Param& p) const;

  const Context& ctx_;
  std::vector<const ParamSection*> sections_;
  MapReader map_;
};

/// Markdown: one table per section (key, type / unit, default, allowed,
/// example, description), as docs/scenario-reference.md includes them.
std::string markdown_table(const ParamSection& section);
/// A JSON Schema (draft 2020-12) document of the whole format, from the
/// sections; `root` is the path of the top-level section ("").
std::string json_schema(std::span<const ParamSection* const> sections);

}  // namespace m2msim::scenario
