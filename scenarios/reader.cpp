#include "scenarios/reader.hpp"

#include "scenarios/yaml_shape.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <variant>

namespace m2msim::scenario {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += v[i];
  }
  return s;
}

/// " Did you mean 'x'?" or " Valid: a, b, c."
std::string suggestion(const std::string& got, const std::vector<std::string>& valid) {
  std::string best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& v : valid) {
    const std::size_t d = edit_distance(got, v);
    if (d < best_d) best_d = d, best = v;
  }
  const std::size_t limit = std::max<std::size_t>(2, got.size() / 3);
  if (!best.empty() && best_d <= limit) return " Did you mean '" + best + "'? Valid: " + join(valid) + ".";
  return " Valid: " + join(valid) + ".";
}

const char* kind_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a single value";
    case YAML::NodeType::Null: return "nothing (null)";
    default: return "nothing";
  }
}

std::string scalar(const Context& ctx, const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) ctx.fail(n, what + " must be a single value, got " + kind_name(n));
  return n.Scalar();
}

double quantity(const Context& ctx, const YAML::Node& n, Dimension d, const std::string& what) {
  const std::string s = scalar(ctx, n, what);
  auto r = parse_quantity(s, d);
  if (auto* err = std::get_if<std::string>(&r)) ctx.fail(n, what + ": " + *err);
  return std::get<Quantity>(r).value;
}

void check_range(const Context& ctx, const YAML::Node& n, double v, double lo, double hi, const std::string& what,
                 const std::string& range_text) {
  if (!(v >= lo && v <= hi)) {
    // A power given in mW or W is compared in dBm: say what it is there.
    std::string in_range_unit;
    if (range_text.find(" dBm") != std::string::npos && n.Scalar().find("dBm") == std::string::npos &&
        std::isfinite(v)) {
      char buf[48];
      std::snprintf(buf, sizeof buf, " (%.4g dBm)", v);
      in_range_unit = buf;
    }
    ctx.fail(n, what + " is out of range: must be " + range_text + ", got '" + n.Scalar() + "'" + in_range_unit);
  }
}

std::int64_t integer(const Context& ctx, const YAML::Node& n, std::int64_t lo, std::int64_t hi,
                     const std::string& what) {
  const std::string s = scalar(ctx, n, what);
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size()) ctx.fail(n, what + " must be a whole number, got '" + s + "'");
  if (v < lo || v > hi) {
    ctx.fail(n, what + " is out of range: must be " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + s);
  }
  return v;
}

std::uint64_t unsigned_integer(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const std::string s = scalar(ctx, n, what);
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range)
    ctx.fail(n, what + " is out of range: must be 0 to 18446744073709551615, got " + s);
  if (ec != std::errc() || end != s.data() + s.size())
    ctx.fail(n, what + " must be a whole number 0 or above, got '" + s + "'");
  return v;
}

bool boolean(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const std::string s = scalar(ctx, n, what);
  if (s == "true") return true;
  if (s == "false") return false;
  ctx.fail(n, what + " must be true or false, got '" + s + "'");
}

std::string choice(const Context& ctx, const YAML::Node& n, const std::vector<std::string>& options,
                   const std::string& what) {
  const std::string s = scalar(ctx, n, what);
  if (std::find(options.begin(), options.end(), s) == options.end()) {
    ctx.fail(n, what + " '" + s + "' is not known." + suggestion(s, options));
  }
  return s;
}

namespace {

/// The offset of the first byte of `s` that is not well-formed UTF-8 (RFC
/// 3629: no overlong forms, no surrogates, at most U+10FFFF), or npos.
std::size_t utf8_error_at(const std::string& s) {
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* p = begin;
  const auto* end = p + s.size();
  const auto bad = [&] { return static_cast<std::size_t>(p - begin); };
  while (p < end) {
    const unsigned c = *p;
    int len = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++p;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      len = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 3;
      cp = c & 0x07;
    } else {
      return bad();
    }
    if (end - p <= len) return bad();
    for (int i = 1; i <= len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return bad();
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((len == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return bad();
    p += len + 1;
  }
  return std::string::npos;
}

bool valid_utf8(const std::string& s) { return utf8_error_at(s) == std::string::npos; }

}  // namespace

std::string name_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const std::string s = scalar(ctx, n, what);
  if (s.empty()) ctx.fail(n, what + " must not be empty");
  for (char c : s) {
    if (c == '.' || c == '=' || c == ' ')
      ctx.fail(n, what + " '" + s + "' must not contain '.', '=' or spaces (it is used in --set paths)");
    if (c == '/' || c == '\\')
      ctx.fail(n, what + " '" + s + "' must not contain '/' or '\\' (names become file and folder names)");
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      ctx.fail(n, what + " must not contain control characters (tabs, line breaks)");
  }
  if (!valid_utf8(s))
    ctx.fail(n, what + " is not valid UTF-8 text (results files are UTF-8): re-save the file as UTF-8");
  return s;
}

Time time_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const double ns = quantity(ctx, n, Dimension::Time, what);
  // The simulator counts whole nanoseconds in 64 bits: ±292 years.
  if (!(std::abs(ns) < 9.2e18))
    ctx.fail(n, what + " '" + n.Scalar().substr(0, 40) + "' is too long a time: durations are at most 292 years");
  return Time::nanoseconds(static_cast<std::int64_t>(std::llround(ns)));
}

TextPosition position_at(const std::string& text, std::size_t offset) {
  const auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size()));
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), end, '\n'));
  const std::size_t line_start = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  return {line, line_start == std::string::npos ? offset + 1 : offset - line_start};
}

std::optional<ControlCharacter> control_character_at(const std::string& text) {
  const auto bad = std::find_if(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
  });
  if (bad == text.end()) return std::nullopt;
  const TextPosition p = position_at(text, static_cast<std::size_t>(bad - text.begin()));
  return ControlCharacter{p.line, p.column, static_cast<unsigned char>(*bad)};
}

YAML::Node parse_yaml(const std::string& text, const std::string& file, Context* ctx) {
  // YAML text has no control characters but tab and line breaks (YAML 1.2
  // §5.1); refused here, before yaml-cpp, which can loop on a NUL byte.
  if (const auto at = control_character_at(text)) {
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", at->byte);
    throw ScenarioError(file + ":" + std::to_string(at->line) + ":" + std::to_string(at->column) +
                        ": a control character (byte " + code +
                        ") is not allowed in YAML text (only tab and line breaks are); is this a binary file?");
  }
  // and is Unicode: UTF-8 here (yaml-cpp can loop on some invalid bytes).
  if (const std::size_t bad = utf8_error_at(text); bad != std::string::npos) {
    const TextPosition p = position_at(text, bad);
    throw ScenarioError(file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
                        ": the text is not valid UTF-8 here; save the file as UTF-8");
  }
  const YamlShape shape = check_yaml_shape(text, file);
  try {
    YAML::Node root = YAML::Load(text);
    if (ctx != nullptr)
      ctx->empty_values = std::make_shared<const std::map<std::size_t, EmptyValue>>(shape.empty_values);
    return root;
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": not valid YAML: " + e.msg);
  }
}

std::string read_text_file(const std::string& path, const char* what) {
  // Only a regular file of bounded size: a folder, a pipe or a device
  // (/dev/zero) would otherwise be read until memory runs out, or forever.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status))
    throw ScenarioError(path + ":1:1: is a folder; give the " + std::string(what) + " itself");
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw ScenarioError(path + ":1:1: is not a regular file (a pipe, socket or device); give the " + std::string(what) +
                        " as a file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ScenarioError(path + ":1:1: cannot read the " + std::string(what) + " (does it exist, and is it readable?)");
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxTextFileBytes)
    throw ScenarioError(path + ":1:1: the " + std::string(what) + " is " + std::to_string(size / (1024 * 1024)) +
                        " MiB; m2msim reads text files of at most " +
                        std::to_string(kMaxTextFileBytes / (1024 * 1024)) + " MiB");
  std::string text(static_cast<std::size_t>(ec ? 0 : size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw ScenarioError(path + ":1:1: error while reading the " + std::string(what));
  // A UTF-8 byte-order mark (some editors write one) is not part of the text.
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return text;
}

/// A data file named in a scenario (a value ending in .yaml): its path,
/// relative to the scenario file's folder, which must be readable; nullopt
/// for a built-in name.
std::optional<std::string> data_file_path(const Context& ctx, const YAML::Node& n, const std::string& v,
                                          const std::string& what, const char* kind) {
  if (v.size() <= 5 || v.compare(v.size() - 5, 5, ".yaml") != 0) return std::nullopt;
  std::string path = v;
  if (path.front() != '/') {
    const auto slash = ctx.file.find_last_of('/');
    if (slash != std::string::npos) path = ctx.file.substr(0, slash + 1) + path;
  }
  std::ifstream probe(path);
  if (!probe)
    ctx.fail(n, what + ": cannot read the " + kind + " file '" + path + "' (paths are relative to the scenario file)");
  return path;
}

std::pair<double, double> read_point(const Context& ctx, const YAML::Node& n, const std::string& what) {
  if (!n.IsSequence() || n.size() != 2) ctx.fail(n, what + " must be a list of two lengths [x, y], e.g. [1 km, 500 m]");
  const double x = quantity(ctx, n[0], Dimension::Length, what + " x");
  const double y = quantity(ctx, n[1], Dimension::Length, what + " y");
  check_range(ctx, n[0], x, -1e7, 1e7, what + " x", "within ±10000 km");
  check_range(ctx, n[1], y, -1e7, 1e7, what + " y", "within ±10000 km");
  return {x, y};
}

std::string text_value(const Context& ctx, const YAML::Node& n, const std::string& what) {
  const std::string s = scalar(ctx, n, what);
  if (s.empty()) ctx.fail(n, what + " must not be empty");
  return s;
}

}  // namespace m2msim::scenario
