// m2msim schema: the reference tables of docs/scenario-reference.md are the
// parameter tables the loader reads with, and the JSON Schema is a
// well-formed document that declares every key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "cli_helpers.hpp"

namespace {

using m2msim::test::run;
using m2msim::test::slurp;
using ::testing::HasSubstr;

/// "### TITLE\n\nTABLE\n" sections of `m2msim schema --markdown`.
std::map<std::string, std::string> schema_tables() {
  const auto r = run("schema --markdown");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, std::string> tables;
  std::size_t at = 0;
  while ((at = r.output.find("### ", at)) != std::string::npos) {
    const auto title_end = r.output.find("\n\n", at);
    const auto next = r.output.find("\n### ", title_end);
    const std::string title = r.output.substr(at + 4, title_end - at - 4);
    std::string body =
        r.output.substr(title_end + 2, (next == std::string::npos ? r.output.size() : next + 1) - title_end - 2);
    while (body.size() > 1 && body[body.size() - 1] == '\n' && body[body.size() - 2] == '\n') body.pop_back();
    tables[title] = body;
    at = title_end;
  }
  return tables;
}

TEST(Schema, ReferenceDocTablesAreGeneratedFromTheParameterTables) {
  // Every section has exactly one block in the reference, and each block is
  // what the tables print now (scripts/update-reference-tables.py rewrites them).
  const auto tables = schema_tables();
  ASSERT_GE(tables.size(), 15U);
  const std::string doc = slurp(std::string(M2MSIM_SOURCE_DIR) + "/docs/scenario-reference.md");
  const std::regex block("<!-- generated: (.*?) -->\\n([\\s\\S]*?)<!-- end generated -->");
  std::map<std::string, int> seen;
  for (std::sregex_iterator it(doc.begin(), doc.end(), block), end; it != end; ++it) {
    const std::string title = (*it)[1];
    ++seen[title];
    ASSERT_TRUE(tables.count(title)) << "the reference has a block for '" << title
                                     << "', which m2msim schema does not print";
    EXPECT_EQ((*it)[2].str(), tables.at(title))
        << "docs/scenario-reference.md, block '" << title << "': run scripts/update-reference-tables.py";
  }
  for (const auto& [title, table] : tables)
    EXPECT_EQ(seen[title], 1) << "block '" << title << "' in docs/scenario-reference.md";
}

/// A minimal JSON syntax check (RFC 8259): values, objects, arrays, strings
/// with escapes, numbers, literals.
class JsonChecker {
 public:
  explicit JsonChecker(const std::string& s) : s_(s) {}
  bool document() {
    ws();
    if (!value()) return false;
    ws();
    return i_ == s_.size();
  }

 private:
  void ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool literal(const char* w) {
    const std::string t(w);
    if (s_.compare(i_, t.size(), t) != 0) return false;
    i_ += t.size();
    return true;
  }
  bool string() {
    if (s_[i_] != '"') return false;
    for (++i_; i_ < s_.size(); ++i_) {
      const char c = s_[i_];
      if (c == '"') return ++i_, true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        const char e = s_[++i_];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k)
            if (!std::isxdigit(static_cast<unsigned char>(s_[++i_]))) return false;
        } else if (std::string("\"\\/bfnrt").find(e) == std::string::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool number() {
    const std::size_t start = i_;
    if (s_[i_] == '-') ++i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' || s_[i_] == 'e' ||
                              s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
      ++i_;
    return i_ > start;
  }
  template <class F>
  bool sequence(char close, F&& item) {
    ++i_;
    ws();
    if (s_[i_] == close) return ++i_, true;
    for (;;) {
      if (!item()) return false;
      ws();
      if (s_[i_] == close) return ++i_, true;
      if (s_[i_] != ',') return false;
      ++i_;
      ws();
    }
  }
  bool value() {
    if (i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{':
        return sequence('}', [&] {
          if (!string()) return false;
          ws();
          if (s_[i_] != ':') return false;
          ++i_;
          ws();
          return value();
        });
      case '[': return sequence(']', [&] { return value(); });
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }
  const std::string& s_;
  std::size_t i_ = 0;
};

TEST(Schema, JsonSchemaIsWellFormedAndDeclaresEveryKey) {
  const auto r = run("schema --json-schema");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(JsonChecker(r.output).document()) << "not well-formed JSON";
  EXPECT_THAT(r.output, HasSubstr("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""));
  // Every key of every Markdown table is a property of the schema.
  for (const auto& [title, table] : schema_tables()) {
    std::istringstream rows(table);
    for (std::string row; std::getline(rows, row);) {
      if (!row.starts_with("| `")) continue;  // the header and the rule
      const std::string path = row.substr(3, row.find('`', 3) - 3);
      const std::string key = path.substr(path.find_last_of('.') + 1);
      EXPECT_THAT(r.output, HasSubstr("\"" + key + "\": {\"description\"")) << title << ": " << path;
    }
  }
  // A typo is caught by editors: objects are closed.
  EXPECT_THAT(r.output, HasSubstr("\"additionalProperties\": false"));
}

TEST(Schema, MarkdownAndJsonSchemaExcludeEachOther) { EXPECT_EQ(run("schema --markdown --json-schema").exit_code, 2); }

}  // namespace
