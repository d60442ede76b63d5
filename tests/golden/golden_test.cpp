// Golden outputs: every case of tests/golden/cases.txt (every example
// scenario, and the benchmark scenarios at a reduced size) is run with the
// built m2msim, and each file kept in tests/golden/NAME/ must come out byte
// for byte the same. A difference is reported at its first line, with both
// versions of that line. The goldens change only in a commit of their own
// (scripts/update-goldens.sh), which says which model change caused it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_helpers.hpp"

namespace m2msim::test {
namespace {

const fs::path kRoot = M2MSIM_SOURCE_DIR;

struct GoldenCase {
  std::string name;
  std::string scenario;
  std::string args;
};

// gtest prints a parameter with this (else as raw bytes in the test's name).
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::vector<GoldenCase> read_cases() {
  std::vector<GoldenCase> cases;
  std::ifstream in(kRoot / "tests/golden/cases.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    GoldenCase c;
    ls >> c.name >> c.scenario;
    std::getline(ls, c.args);
    cases.push_back(c);
  }
  return cases;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream s(text);
  for (std::string l; std::getline(s, l);) v.push_back(l);
  return v;
}

/// "" when equal, else where and how the texts first differ.
std::string first_difference(const std::string& want, const std::string& got) {
  if (want == got) return "";
  const auto a = lines_of(want), b = lines_of(got);
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      return "first difference at line " + std::to_string(i + 1) + ":\n  golden: " + a[i] + "\n  now:    " + b[i];
    }
  }
  return "the golden has " + std::to_string(a.size()) + " lines, the output " + std::to_string(b.size()) +
         " (or they differ only in line endings)";
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, OutputsEqualTheGoldenFilesByteForByte) {
  const auto& c = GetParam();
  const fs::path golden = kRoot / "tests/golden" / c.name;
  // The case must have its goldens: summary.json, devices.csv and gateways.csv at least.
  ASSERT_TRUE(fs::exists(golden / "summary.json")) << golden << " has no summary.json (scripts/update-goldens.sh)";
  ASSERT_TRUE(fs::exists(golden / "devices.csv")) << golden << " has no devices.csv (scripts/update-goldens.sh)";
  ASSERT_TRUE(fs::exists(golden / "gateways.csv")) << golden << " has no gateways.csv (scripts/update-goldens.sh)";
  const fs::path out = temp_dir("golden-" + c.name);
  const auto r = shell("cd " + kRoot.string() + " && " + kCli + " run " + c.scenario + " " + c.args + " --output " +
                       out.string() + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::size_t compared = 0;
  for (const auto& entry : fs::directory_iterator(golden)) {
    const auto file = entry.path().filename();
    ASSERT_TRUE(fs::exists(out / file)) << c.name << ": the run wrote no " << file;
    EXPECT_EQ(first_difference(slurp(entry.path()), slurp(out / file)), "") << c.name << "/" << file.string();
    ++compared;
  }
  EXPECT_GE(compared, 3U);
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Examples, Golden, ::testing::ValuesIn(read_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& param_info) {
                           std::string n = param_info.param.name;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(GoldenCases, ListEveryExampleScenario) {
  // A new example without a golden would go unguarded.
  std::vector<std::string> listed;
  for (const auto& c : read_cases()) listed.push_back(c.scenario);
  for (const auto& e : fs::directory_iterator(kRoot / "scenarios/examples")) {
    if (e.path().extension() != ".yaml") continue;
    const auto rel = "scenarios/examples/" + e.path().filename().string();
    EXPECT_NE(std::find(listed.begin(), listed.end(), rel), listed.end()) << rel << " is not in tests/golden/cases.txt";
  }
}

}  // namespace
}  // namespace m2msim::test
