#include "scenarios/yaml_shape.hpp"

#include <yaml.h>

#include <vector>

namespace m2msim::scenario {
namespace {

struct Parser {
  yaml_parser_t p;
  Parser() { yaml_parser_initialize(&p); }
  ~Parser() { yaml_parser_delete(&p); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};

struct Event {
  yaml_event_t e{};
  bool held = false;
  ~Event() {
    if (held) yaml_event_delete(&e);
  }
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
};

std::string at(const std::string& file, const yaml_mark_t& m) {
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

/// The byte offset of the first token at or after `i`: past blanks, line
/// breaks and comments.
std::size_t next_token(const std::string& text, std::size_t i) {
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else {
      break;
    }
  }
  return i;
}

/// The byte offset of a libyaml mark, whose column counts characters.
std::size_t byte_offset(const std::string& text, std::vector<std::size_t>& line_starts, const yaml_mark_t& m) {
  if (line_starts.empty()) {
    line_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts.push_back(i + 1);
  }
  std::size_t i = m.line < line_starts.size() ? line_starts[m.line] : text.size();
  for (std::size_t c = 0; c < m.column && i < text.size(); ++c) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;  // continuation bytes
  }
  return i;
}

}  // namespace

YamlShape check_yaml_shape(const std::string& text, const std::string& file) {
  YamlShape shape;
  Parser parser;
  yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_parser_set_encoding(&parser.p, YAML_UTF8_ENCODING);
  std::vector<std::size_t> line_starts;  // made when first needed
  std::size_t depth = 0, documents = 0, values = 0;
  yaml_mark_t second_document{};
  // In a map, nodes alternate key and value: per open collection, what
  // its next node is.
  enum class Next : char { Key, Value, Item };
  std::vector<Next> next_in;
  for (;;) {
    Event ev;
    if (yaml_parser_parse(&parser.p, &ev.e) == 0) {
      if (documents > 1) break;  // the second document is the first thing to say
      yaml_mark_t m = parser.p.problem_mark;
      if (parser.p.error == YAML_READER_ERROR) {  // a byte offset only
        const TextPosition p = position_at(text, parser.p.problem_offset);
        m = yaml_mark_t{parser.p.problem_offset, p.line - 1, p.column - 1};
      }
      std::string msg = at(file, m) + ": not valid YAML: " + (parser.p.problem ? parser.p.problem : "unreadable text");
      if (parser.p.context != nullptr)
        msg += " (" + std::string(parser.p.context) + " at line " + std::to_string(parser.p.context_mark.line + 1) +
               ", column " + std::to_string(parser.p.context_mark.column + 1) + ")";
      throw ScenarioError(Context::excerpt(msg));
    }
    ev.held = true;
    const yaml_event_type_t type = ev.e.type;
    if (type == YAML_STREAM_END_EVENT) break;
    // A node in a map alternates key, value.
    const bool is_node = type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT || type == YAML_MAPPING_START_EVENT ||
                         type == YAML_SEQUENCE_START_EVENT;
    if (is_node && ++values > kMaxYamlValues)
      throw ScenarioError(at(file, ev.e.start_mark) +
                          ": the file holds more than 1 000 000 YAML values; m2msim "
                          "reads at most that (give many sites as a CSV file: "
                          "gateways: { csv: FILE })");
    bool is_value = false;
    if (is_node && !next_in.empty() && next_in.back() != Next::Item) {
      is_value = next_in.back() == Next::Value;
      next_in.back() = is_value ? Next::Key : Next::Value;
    }
    switch (type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++documents == 2) second_document = ev.e.start_mark;
        break;
      case YAML_MAPPING_START_EVENT:
      case YAML_SEQUENCE_START_EVENT:
        if (++depth > kMaxYamlNesting)
          throw ScenarioError(at(file, ev.e.start_mark) + ": maps and lists nest more than " +
                              std::to_string(kMaxYamlNesting) +
                              " levels deep here; m2msim reads at most that (a scenario needs about 6)");
        next_in.push_back(type == YAML_MAPPING_START_EVENT ? Next::Key : Next::Item);
        break;
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        --depth;
        next_in.pop_back();
        break;
      case YAML_SCALAR_EVENT:
        // A value written as nothing: libyaml marks it just after its
        // key's colon; yaml-cpp at the token that follows.
        if (is_value && ev.e.data.scalar.length == 0 && ev.e.data.scalar.plain_implicit != 0 &&
            ev.e.data.scalar.tag == nullptr && ev.e.data.scalar.anchor == nullptr &&
            ev.e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
          const yaml_mark_t m = ev.e.start_mark;
          shape.empty_values.emplace(next_token(text, byte_offset(text, line_starts, m)),
                                     EmptyValue{m.line + 1, m.column + 1});
        }
        break;
      default: break;
    }
  }
  if (documents > 1)
    throw ScenarioError(file + ":" + std::to_string(second_document.line + 1) + ":1: the file holds " +
                        (parser.p.error == YAML_NO_ERROR ? std::to_string(documents) : "at least 2") +
                        " YAML documents (separated by '---'); m2msim reads one: split them into files");
  return shape;
}

}  // namespace m2msim::scenario
