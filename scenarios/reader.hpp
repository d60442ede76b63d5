// The scenario reader's API: what the loader, and a technology reading its
// own sections, use to read YAML with located errors. Every error is a
// ScenarioError whose message starts with FILE:LINE:COLUMN (1-based) of the
// offending node, or with the --set override that made it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/units.hpp"
#include "sim/time.hpp"

namespace m2msim::scenario {

class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(const std::string& message) : std::runtime_error(message) {}
};

/// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

/// Where a value written as nothing (`key:` at the end of its line) is:
/// just after its key's colon, 1-based.
struct EmptyValue {
  std::size_t line, column;
};

struct SetValue {
  YAML::Node node;
  std::string text;  ///< "path=value" as given
};

class Context {
 public:
  std::string file;
  std::vector<SetValue> set_values;
  /// The file's empty values, by the byte offset where yaml-cpp marks them
  /// (the next token, often on a later line): see parse_yaml.
  std::shared_ptr<const std::map<std::size_t, EmptyValue>> empty_values;

  [[noreturn]] void fail(const YAML::Node& n, const std::string& msg) const {
    for (const auto& s : set_values) {
      if (contains(s.node, n)) throw ScenarioError(excerpt("--set " + s.text + ": " + msg));
    }
    const YAML::Mark m = n.Mark();
    if (m.is_null()) {
      // A node made while applying --set (e.g. a new key) has no position.
      std::string sets;
      for (const auto& s : set_values) sets += (sets.empty() ? "" : " ") + std::string("--set ") + s.text;
      throw ScenarioError(excerpt((sets.empty() ? file : sets) + ": " + msg));
    }
    if (n.IsNull() && empty_values) {
      if (const auto e = empty_values->find(static_cast<std::size_t>(m.pos)); e != empty_values->end())
        throw ScenarioError(
            excerpt(file + ":" + std::to_string(e->second.line) + ":" + std::to_string(e->second.column) + ": " + msg));
    }
    throw ScenarioError(
        excerpt(file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": " + msg));
  }

  /// A message quotes at most a short excerpt of what it names (an unclosed
  /// quote can make a scalar of the whole rest of a file; a --set value can
  /// be any length): its beginning and its end.
  static std::string excerpt(const std::string& message) {
    if (message.size() <= 600) return message;
    return message.substr(0, 400) + " [... " + std::to_string(message.size() - 550) + " characters ...] " +
           message.substr(message.size() - 150);
  }

 private:
  static bool contains(const YAML::Node& root, const YAML::Node& n) {
    if (root.is(n)) return true;
    if (root.IsSequence() || root.IsMap()) {
      for (auto it = root.begin(); it != root.end(); ++it) {
        if (root.IsMap()) {
          if (it->first.is(n) || contains(it->second, n)) return true;
        } else if (contains(*it, n)) {
          return true;
        }
      }
    }
    return false;
  }
};

/// "a, b, c".
std::string join(const std::vector<std::string>& v);

/// " Did you mean 'x'?" or " Valid: a, b, c."
std::string suggestion(const std::string& got, const std::vector<std::string>& valid);

/// "a map", "a list", "a single value", ... for messages.
const char* kind_name(const YAML::Node& n);

/// The node's text; an error unless it is a single value.
std::string scalar(const Context& ctx, const YAML::Node& n, const std::string& what);

/// A quantity with its unit, in the dimension's canonical unit (units.hpp).
double quantity(const Context& ctx, const YAML::Node& n, Dimension d, const std::string& what);

/// Fails with "WHAT is out of range: must be RANGE_TEXT, got 'TEXT'" unless lo <= v <= hi.
void check_range(const Context& ctx, const YAML::Node& n, double v, double lo, double hi, const std::string& what,
                 const std::string& range_text);

/// A whole number in [lo, hi].
std::int64_t integer(const Context& ctx, const YAML::Node& n, std::int64_t lo, std::int64_t hi,
                     const std::string& what);

/// A whole number 0 to 2^64 − 1.
std::uint64_t unsigned_integer(const Context& ctx, const YAML::Node& n, const std::string& what);

/// true or false.
bool boolean(const Context& ctx, const YAML::Node& n, const std::string& what);

/// One of `options`; otherwise an error naming the nearest one.
std::string choice(const Context& ctx, const YAML::Node& n, const std::vector<std::string>& options,
                   const std::string& what);

/// A name usable in --set paths: non-empty, no '.', '=', space or control character.
std::string name_value(const Context& ctx, const YAML::Node& n, const std::string& what);

/// Text that must not be empty.
std::string text_value(const Context& ctx, const YAML::Node& n, const std::string& what);

/// A time quantity, rounded to the nanosecond.
Time time_value(const Context& ctx, const YAML::Node& n, const std::string& what);

/// Parses YAML text; a syntax error is a ScenarioError at its position. The
/// text is first checked by libyaml (one document, bounded nesting, valid
/// syntax: yaml-cpp can loop on some malformed texts). With `ctx`, its
/// errors on empty values point at the value's own line.
YAML::Node parse_yaml(const std::string& text, const std::string& file, Context* ctx = nullptr);

/// One data file (a region, a chip or board profile, a battery cell): its
/// root node, read by `read(ctx, root)` with errors at FILE:LINE:COLUMN; an
/// empty file is an error at FILE:1:1 naming `what`.
template <class Read>
auto parse_document(const std::string& text, const std::string& file, const std::string& what, Read read) {
  Context ctx;
  ctx.file = file;
  const YAML::Node root = parse_yaml(text, file, &ctx);
  if (!root || root.IsNull()) throw ScenarioError(file + ":1:1: the " + what + " is empty");
  return read(ctx, root);
}

/// The 1-based line and column (counted in bytes) of byte `offset` of `text`.
struct TextPosition {
  std::size_t line, column;
};
TextPosition position_at(const std::string& text, std::size_t offset);

/// The first control character of `text` that YAML does not allow (all but
/// tab, LF and CR), with its 1-based line and column.
struct ControlCharacter {
  std::size_t line, column;
  unsigned char byte;
};
std::optional<ControlCharacter> control_character_at(const std::string& text);

/// The largest text file (scenario, region, profile, sites CSV) m2msim reads.
inline constexpr std::uintmax_t kMaxTextFileBytes = 64ULL * 1024 * 1024;
/// A whole file's text; an error naming `what` when it cannot be read.
/// The text of a regular file of at most kMaxTextFileBytes, without a UTF-8
/// byte-order mark; a ScenarioError at `path:1:1` otherwise.
std::string read_text_file(const std::string& path, const char* what);

/// A data file named in a scenario (a value ending in .yaml): its path,
/// relative to the scenario file's folder, which must be readable; nullopt
/// for a built-in name.
std::optional<std::string> data_file_path(const Context& ctx, const YAML::Node& n, const std::string& v,
                                          const std::string& what, const char* kind);

/// A point [x, y] of two lengths, in metres.
std::pair<double, double> read_point(const Context& ctx, const YAML::Node& n, const std::string& what);

/// A map whose keys are checked against a fixed set when it is opened.
class MapReader {
 public:
  MapReader(const Context& ctx, const YAML::Node& node, std::string where, std::vector<std::string> keys)
      : ctx_(ctx), node_(node), where_(std::move(where)), keys_(std::move(keys)) {
    if (!node_.IsMap()) ctx_.fail(node_, where_ + " must be a map of keys, got " + kind_name(node_));
    std::set<std::string> seen;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string k = scalar(ctx_, it->first, "a key");
      if (std::find(keys_.begin(), keys_.end(), k) == keys_.end()) {
        ctx_.fail(it->first, "unknown key '" + k + "' in " + where_ + "." + suggestion(k, keys_));
      }
      if (!seen.insert(k).second) ctx_.fail(it->first, "key '" + k + "' appears twice in " + where_);
    }
  }
  // Lookups go through a const node: yaml-cpp's non-const operator[] would
  // add the key to the map.
  [[nodiscard]] bool has(const std::string& key) const { return static_cast<bool>(cnode()[key]); }
  [[nodiscard]] YAML::Node get(const std::string& key) const { return cnode()[key]; }
  [[nodiscard]] YAML::Node require(const std::string& key) const {
    YAML::Node n = cnode()[key];
    if (!n) ctx_.fail(node_, "missing key '" + key + "' in " + where_);
    return n;
  }
  [[nodiscard]] const std::string& where() const { return where_; }
  /// Names the map differently in later messages (once its name key is read).
  void set_where(std::string where) { where_ = std::move(where); }
  [[nodiscard]] const YAML::Node& node() const { return node_; }
  [[nodiscard]] const YAML::Node& cnode() const { return node_; }

 private:
  const Context& ctx_;
  YAML::Node node_;
  std::string where_;
  std::vector<std::string> keys_;
};

/// Parses each built-in data file once per process: a sweep loads its
/// scenario once per run, and parsing the built-in region and chip files
/// (YAML, a few hundred lines) took about a quarter of a run of a few
/// milliseconds (perf). The embedded texts never change, so the parsed
/// value is the same every time; callers get copies.
template <class T, class Files, class Parse>
T parsed_builtin(const std::string& name, const Files& files, Parse parse, const char* what) {
  static std::mutex mu;
  static std::map<std::string, T, std::less<>> cache;
  {
    std::lock_guard lock(mu);
    if (const auto it = cache.find(name); it != cache.end()) return it->second;
  }
  for (const auto& f : files) {
    if (name == f.name) {
      T value = parse(f.text, f.path);  // outside the lock: errors propagate, nothing is cached
      std::lock_guard lock(mu);
      return cache.emplace(name, std::move(value)).first->second;
    }
  }
  throw ScenarioError(std::string("no built-in ") + what + " '" + name + "'");
}

}  // namespace m2msim::scenario
