// The m2msim command as a user types it: exit codes, messages, and
// byte-identical results folders.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_helpers.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using m2msim::test::kCli;
const std::string kQuickstart = std::string(M2MSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.yaml";

using m2msim::test::run;
using m2msim::test::slurp;
fs::path temp_dir(const std::string& name) { return m2msim::test::temp_dir("cli-" + name); }

TEST(Cli, ValidateAcceptsTheQuickstart) {
  const auto r = run("validate " + kQuickstart);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("valid (2 device group(s), 250 devices, 1 gateway(s), duration 1 d)"));
}

TEST(Cli, RunPrintsTheSummaryTableAndWritesByteIdenticalResults) {
  const auto a = temp_dir("a"), b = temp_dir("b");
  const auto ra = run("run " + kQuickstart + " --output " + a.string());
  ASSERT_EQ(ra.exit_code, 0) << ra.output;
  for (const char* row : {"devices", "packets sent", "packets delivered", "delivery ratio (%)", "latency p50 (ms)",
                          "latency p95 (ms)", "latency p99 (ms)", "battery life p5 (years)",
                          "battery life median (years)", "fate: interference", "fate: below_sensitivity"}) {
    EXPECT_THAT(ra.output, HasSubstr(row));
  }
  ASSERT_EQ(run("run " + kQuickstart + " -q --output " + b.string()).exit_code, 0);
  for (const char* f : {"summary.json", "devices.csv"}) {
    const auto x = slurp(a / f);
    EXPECT_FALSE(x.empty()) << f;
    EXPECT_EQ(x, slurp(b / f)) << f << " differs between two runs with the same seed";
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, SetOverridesReachTheRun) {
  const auto d = temp_dir("set");
  const auto r = run("run " + kQuickstart + " -q --set devices.meters.count=7 --set devices.alarms.count=3 --output " +
                     d.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(slurp(d / "summary.json"), HasSubstr("\"devices\": 10,"));
  fs::remove_all(d);
}

TEST(Cli, ScenarioErrorsExitWithOneAndFileLineColumn) {
  const auto d = temp_dir("bad");
  fs::create_directories(d);
  const fs::path bad = d / "bad.yaml";
  std::ofstream(bad) << "name: bad\nduraton: 1 d\n";
  const auto r = run("validate " + bad.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output,
              HasSubstr(bad.string() + ":2:1: unknown key 'duraton' in the scenario. Did you mean 'duration'?"));
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("terminate")));
  fs::remove_all(d);
}

TEST(Cli, MissingFileAndBadSetAreErrorsNotCrashes) {
  const auto r = run("run /nonexistent.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("/nonexistent.yaml:1:1: cannot read the scenario file"));
  const auto s = run("validate " + kQuickstart + " --set devices.meters.count=-5");
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_THAT(s.output, HasSubstr("--set devices.meters.count=-5: "));
  EXPECT_THAT(s.output, HasSubstr("out of range"));
}

TEST(Cli, UnusualInputsAreBoundedAndNamed) {
  // Not a regular file: refused at once, not read until memory runs out or forever.
  auto r = run("validate /dev/zero");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("/dev/zero:1:1: is not a regular file"));
  r = run("validate /tmp");
  EXPECT_THAT(r.output, HasSubstr("/tmp:1:1: is a folder; give the scenario file itself"));
  const std::string dir = "/tmp/m2msim-cli-inputs";
  std::filesystem::create_directories(dir);
  const std::string fifo = dir + "/pipe.yaml";
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  r = run("validate " + fifo);
  EXPECT_THAT(r.output, HasSubstr("is not a regular file (a pipe, socket or device)"));
  // Larger than the bound (a sparse file: nothing is written).
  const std::string huge = dir + "/huge.yaml";
  { std::ofstream(huge) << "name: x\n"; }
  std::filesystem::resize_file(huge, 65ULL * 1024 * 1024);
  r = run("validate " + huge);
  EXPECT_THAT(r.output, HasSubstr("the scenario file is 65 MiB; m2msim reads text files of at most 64 MiB"));
  // A byte-order mark is not part of the first key; a second document is refused.
  const std::string text = slurp(kQuickstart);
  { std::ofstream(dir + "/bom.yaml", std::ios::binary) << "\xEF\xBB\xBF" << text; }
  EXPECT_EQ(run("validate " + dir + "/bom.yaml").exit_code, 0);
  { std::ofstream(dir + "/two.yaml", std::ios::binary) << text << "---\nname: second\n"; }
  r = run("validate " + dir + "/two.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("holds 2 YAML documents (separated by '---'); m2msim reads one"));
  // A duration beyond 64-bit nanoseconds says so instead of overflowing.
  r = run("validate " + kQuickstart + " --set duration=1e10s");
  EXPECT_THAT(r.output, HasSubstr("is too long a time: durations are at most 292 years"));
  // A long value is quoted as an excerpt.
  r = run("validate " + kQuickstart + " --set name=" + std::string(5000, 'a') + ".b");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_LT(r.output.size(), 1000u);
  EXPECT_THAT(r.output, HasSubstr("characters ...]"));
  // An unknown command names the commands.
  r = run("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("unknown command 'frobnicate'; the commands are validate, run, sweep"));
}

/// Runs m2msim with `args` (split on spaces) in a child process; its peak
/// resident memory in bytes (getrusage of the child).
double peak_memory_of(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(kCli.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    execv(kCli.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;  // ru_maxrss is in KiB on Linux
}

/// The estimate `validate` prints ("memory estimate of a run: about N MiB").
double estimate_of(const std::string& args) {
  const auto r = run("validate " + args);
  const std::string key = "memory estimate of a run: about ";
  const auto at = r.output.find(key);
  EXPECT_NE(at, std::string::npos) << r.output;
  if (at == std::string::npos) return 0.0;
  const auto number = at + key.size();
  const double v = std::stod(r.output.substr(number));
  const bool gib = r.output.compare(r.output.find(' ', number) + 1, 3, "GiB") == 0;
  return v * (gib ? 1073741824.0 : 1048576.0);
}

TEST(Cli, TheMemoryEstimateIsWithinAQuarterOfThePeakAndRefusesWhatDoesNotFit) {
#if M2MSIM_SANITIZED
  GTEST_SKIP() << "a sanitizer build's memory is not a user's";
#endif
  // Two technologies at two sizes: LoRaWAN (the quick start, 20 050 devices,
  // one gateway) and NB-IoT (the city benchmark's 60 cells, 25 000 meters,
  // 1.5 million links). The estimate's constants were fitted on other sizes
  // (docs/performance.md §8); measured here, within ±25 %.
  const std::string city = std::string(M2MSIM_SOURCE_DIR) + "/bench/scenarios/nbiot-city-100k.yaml";
  const struct {
    std::string file, set;
  } cases[] = {{kQuickstart, "devices.meters.count=20000"}, {city, "devices.meters.count=25000"}};
  for (const auto& c : cases) {
    const double estimate = estimate_of(c.file + " --set " + c.set);
    const double peak = peak_memory_of({"run", c.file, "--set", c.set, "-q", "--output", "/tmp/m2msim-cli-memory"});
    EXPECT_NEAR(estimate / peak, 1.0, 0.25) << c.file << ": estimate " << estimate << " B, peak " << peak << " B";
  }
  // A limit below the estimate refuses the run before it starts, naming both.
  const auto r = run("run " + kQuickstart + " -q --max-memory 20MiB --output /tmp/m2msim-cli-memory");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("error: this run needs about "));
  EXPECT_THAT(r.output, HasSubstr("; --max-memory is 20 MiB"));
  EXPECT_EQ(run("run " + kQuickstart + " -q --max-memory lots").exit_code, 2);
}

TEST(Cli, ASweepsRunsAtOnceMustFitInMemory) {
  // The single-gateway sweep: its largest point (100 nodes) needs the
  // program's 27 MiB and a little more, two runs at once about 32 MiB.
  const std::string sweep = std::string(M2MSIM_SOURCE_DIR) + "/scenarios/examples/sweep-single-gateway.yaml";
  const std::string db = "/tmp/m2msim-cli-sweep-memory/s.db";
  std::filesystem::remove_all("/tmp/m2msim-cli-sweep-memory");
  // Not even one run fits: refused before any run.
  auto r = run("sweep " + sweep + " --db " + db + " -q --replications 1 --max-memory 27.1MiB");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("error: the sweep's largest run (point 4) needs about"));
  // -j 2 does not fit, -j 1 would: refused, naming the -j that fits.
  r = run("sweep " + sweep + " --db " + db + " -q --replications 1 -j 2 --max-memory 31MiB");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("-j 2 runs 2 runs at once, which need about"));
  EXPECT_THAT(r.output, HasSubstr(": -j 1 fits"));
  EXPECT_EQ(run("sweep " + sweep + " --db " + db + " -q --max-memory plenty").exit_code, 2);
}

TEST(Readme, CiRunsExactlyTheQuickStartTestCommand) {
  // The README's second Quick start command is what a new user types to run
  // the tests; .ci/run must run that same line.
  const std::string readme = slurp(std::string(M2MSIM_SOURCE_DIR) + "/README.md");
  const std::string ci = slurp(std::string(M2MSIM_SOURCE_DIR) + "/.ci/run");
  const std::string command =
      "./scripts/install-deps.sh && cmake -B build && cmake --build build -j2 && ctest --test-dir build "
      "--output-on-failure -j2";
  EXPECT_THAT(readme, HasSubstr("```sh\n" + command + "\n```"));
  EXPECT_THAT(ci, HasSubstr("\n" + command + "\n"));
}

TEST(Cli, SeedOptionsAreCheckedLikeFileValues) {
  const auto r = run("run " + kQuickstart + " -q --seed -1 --output /tmp/m2msim-cli-seed");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("--set seed=-1: seed must be a whole number 0 or above"));
  const auto big = run("run " + kQuickstart + " -q --replication 18446744073709551616 --output /tmp/m2msim-cli-seed");
  EXPECT_EQ(big.exit_code, 1);
  EXPECT_THAT(big.output, HasSubstr("replication is out of range"));
}

TEST(Cli, RunNamesTheCoverageFilesItWrote) {
  const auto d = temp_dir("cov");
  const auto r = run(
      "run " + std::string(M2MSIM_SOURCE_DIR) +
      "/scenarios/examples/coverage-city.yaml --set \"outputs.coverage_map.resolution=200 m\" --output " + d.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("coverage.csv"));
  EXPECT_TRUE(fs::exists(d / "coverage.csv"));
  fs::remove_all(d);
}

TEST(Cli, EveryExampleScenarioValidates) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(std::string(M2MSIM_SOURCE_DIR) + "/scenarios/examples")) {
    if (e.path().extension() != ".yaml") continue;
    ++n;
    const auto r = run("validate " + e.path().string());
    EXPECT_EQ(r.exit_code, 0) << e.path() << ": " << r.output;
  }
  EXPECT_GE(n, 2);
}

TEST(Cli, EnginesAreChosenByName) {
  // native is the default and the only engine built today; another name is
  // a usage error that lists the valid ones.
  const auto out = temp_dir("engine");
  const auto ok = run("run " + kQuickstart + " --engine native -q --output " + out.string());
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  const auto bad = run("run " + kQuickstart + " --engine ns3 -q --output " + out.string());
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_THAT(bad.output, HasSubstr("native"));
  const auto sweep = run("sweep " + kQuickstart + " --engine nope");
  EXPECT_EQ(sweep.exit_code, 2) << sweep.output;
  fs::remove_all(out);
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("frobnicate").exit_code, 2);
}

}  // namespace
