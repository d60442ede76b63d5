// m2msim sweep / results / export as a user runs them: the grid, resuming,
// a kill -9 in the middle, errors before the first run, thread-count
// independence, and the tidy CSV files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_helpers.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <thread>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using m2msim::test::kCli;
using m2msim::test::run;
using m2msim::test::slurp;
fs::path temp_dir(const std::string& name) { return m2msim::test::temp_dir("sweep-" + name, true); }

// A pure-ALOHA cell, small enough that a run takes milliseconds.
std::string scenario(const std::string& sweep, const std::string& duration = "1 h") {
  return "name: sw\n"
         "seed: 3\n"
         "duration: " +
         duration +
         "\n"
         "area: { radius: 200 m }\n"
         "lora: { interference: aloha }\n"
         "environment: { propagation: { model: log-distance, preset: bor2016 } }\n"
         "gateways: [ { name: gw, position: [200 m, 200 m], demodulators: unlimited } ]\n"
         "devices:\n"
         "  - group: nodes\n"
         "    count: 100\n"
         "    radio: { technology: lorawan, spreading_factor: 12, frequency: 868.1 MHz, receive_windows: false, "
         "duty_cycle: false }\n"
         "    traffic: { poisson: { mean_interval: 100 s }, payload: 20 B }\n"
         "    battery: { capacity: 2600 mAh, voltage: 3.6 V }\n" +
         sweep;
}

const std::string kSweep =
    "sweep:\n"                                                                    // line 14
    "  replications: 3\n"                                                         // 15
    "  parameters:\n"                                                             // 16
    "    devices.nodes.count: [50, 100]\n"                                        // 17
    "    devices.nodes.traffic.payload: { from: 10 B, to: 30 B, step: 10 B }\n";  // 18

fs::path write(const fs::path& dir, const std::string& text) {
  const fs::path f = dir / "s.yaml";
  std::ofstream(f) << text;
  return f;
}

// A CSV file's lines split at commas (the tests' files quote none).
std::vector<std::vector<std::string>> csv_rows(const fs::path& csv) {
  std::istringstream in(slurp(csv));
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::stringstream ls(line);
    auto& cells = rows.emplace_back();
    for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
  }
  return rows;
}

// runs.csv without its wall_s column (a measurement, not a result).
std::string runs_without_wall_time(const fs::path& csv) {
  const auto rows = csv_rows(csv);
  const auto& head = rows.at(0);
  const auto wall = std::find(head.begin(), head.end(), "wall_s") - head.begin();
  std::string out;
  for (const auto& cells : rows) {
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (static_cast<std::ptrdiff_t>(i) != wall) out += cells[i] + ",";
    out += "\n";
  }
  return out;
}

// The cells of a CSV file's column `name`, row by row (header excluded).
std::vector<std::string> column(const fs::path& csv, const std::string& name) {
  const auto rows = csv_rows(csv);
  const auto& head = rows.at(0);
  const auto at = static_cast<std::size_t>(std::find(head.begin(), head.end(), name) - head.begin());
  std::vector<std::string> out;
  for (std::size_t r = 1; r < rows.size(); ++r) out.push_back(rows[r].at(at));
  return out;
}

long count_of(const std::string& text, const std::string& what) {
  long n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(Sweep, RunsEveryPointAndReplicationThenResumesWithNothingToDo) {
  const auto d = temp_dir("grid");
  const auto f = write(d, scenario(kSweep));
  const auto db = (d / "r.db").string();
  // 2 counts × 3 payloads (10, 20, 30 B) = 6 points × 3 replications = 18 runs.
  auto r = run("sweep " + f.string() + " --db " + db + " -j 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("6 point(s) × 3 replication(s) = 18 runs"));
  EXPECT_THAT(r.output, HasSubstr("sweep done: 18 run(s)"));
  // Not a terminal: a line per run, and the line of a point's last run says
  // so (the 6th point done is the 18th run written).
  EXPECT_EQ(count_of(r.output, " done ("), 6);
  EXPECT_THAT(r.output, HasSubstr("run 18/18: "));
  EXPECT_THAT(r.output, HasSubstr(" done (6/6 points); ETA 0 s\n"));
  r = run("sweep " + f.string() + " --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("(18 already in " + db + ", skipped)"));
  EXPECT_THAT(r.output, HasSubstr("sweep done: 0 run(s)"));
  EXPECT_EQ(count_of(r.output, " done ("), 0);
  // More replications extend the same sweep.
  r = run("sweep " + f.string() + " --db " + db + " --replications 4");
  EXPECT_THAT(r.output, HasSubstr("sweep done: 6 run(s)"));
  EXPECT_EQ(count_of(r.output, " done ("), 6);  // each new run is its point's last
  EXPECT_THAT(r.output, HasSubstr(" done (6/6 points)"));
  r = run("results " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("devices.nodes.count"));
  EXPECT_THAT(r.output, HasSubstr("delivery_ratio"));
  EXPECT_THAT(r.output, HasSubstr("± "));
  r = run("export " + db + " --csv -o " + (d / "csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // One row per run and group (24 runs × groups all, nodes and the
  // gateway's, gateways.lorawan) plus a header; one row per point and group
  // (6 × 3) plus a header.
  const std::string runs = slurp(d / "csv" / "runs.csv"), points = slurp(d / "csv" / "points.csv");
  EXPECT_EQ(std::count(runs.begin(), runs.end(), '\n'), 1 + 24 * 3);
  EXPECT_EQ(std::count(points.begin(), points.end(), '\n'), 1 + 6 * 3);
  EXPECT_THAT(points, HasSubstr("delivery_ratio_mean,delivery_ratio_ci95_low,delivery_ratio_ci95_high"));
  // A group, metric or parameter the database does not have: exit code 1
  // and what it does have.
  r = run("results " + db + " -g nosuch");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("has no group 'nosuch'. Groups: all, gateways.lorawan, nodes"));
  r = run("results " + db + " -g nodes -m nosuch");
  EXPECT_THAT(r.output, HasSubstr("has no metric 'nosuch' for group 'nodes'. Metrics: devices, "));
  r = run("plot " + db + " -g nodes -m delivery_ratio -x nosuch -o " + (d / "p").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output,
              HasSubstr("has no swept parameter 'nosuch'. Swept: devices.nodes.count, devices.nodes.traffic.payload"));
}

TEST(Sweep, ResultsDoNotDependOnTheNumberOfWorkers) {
  const auto d = temp_dir("jobs");
  const auto f = write(d, scenario(kSweep));
  ASSERT_EQ(run("sweep " + f.string() + " -q --db " + (d / "a.db").string() + " -j 1").exit_code, 0);
  ASSERT_EQ(run("sweep " + f.string() + " -q --db " + (d / "b.db").string() + " -j 2").exit_code, 0);
  ASSERT_EQ(run("export " + (d / "a.db").string() + " --csv -o " + (d / "a").string()).exit_code, 0);
  ASSERT_EQ(run("export " + (d / "b.db").string() + " --csv -o " + (d / "b").string()).exit_code, 0);
  EXPECT_EQ(runs_without_wall_time(d / "a" / "runs.csv"), runs_without_wall_time(d / "b" / "runs.csv"));
  EXPECT_EQ(slurp(d / "a" / "points.csv"), slurp(d / "b" / "points.csv"));
}

TEST(Sweep, AKilledSweepLosesNothingAndResumes) {
  // Runs of one simulated day take long enough to kill the sweep in the
  // middle; whatever it had finished stays, and the rerun completes the
  // rest: exactly 12 runs in the end, none twice.
  const auto d = temp_dir("kill");
  const auto f = write(
      d, scenario("sweep:\n  replications: 2\n  parameters:\n    devices.nodes.count: [400, 500, 600, 700, 800, 900]\n",
                  "2 d"));
  const auto db = (d / "r.db").string();
  const pid_t pid = fork();
  if (pid == 0) {
    execl(kCli.c_str(), kCli.c_str(), "sweep", f.c_str(), "--db", db.c_str(), "-j", "1", "-q",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  const auto r = run("sweep " + f.string() + " --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_EQ(run("export " + db + " --csv -o " + (d / "csv").string()).exit_code, 0);
  const std::string runs = slurp(d / "csv" / "runs.csv");
  EXPECT_EQ(std::count(runs.begin(), runs.end(), '\n'), 1 + 12 * 3);
  EXPECT_THAT(r.output, HasSubstr("6 point(s) × 2 replication(s) = 12 runs"));
}

TEST(Sweep, RepeatedKillsAtRandomMomentsLoseNothing) {
  // A chaos test: the same sweep killed (SIGKILL) eight times at random
  // moments (drawn from a fixed seed; with runs of a few milliseconds and a
  // commit after each, some kills land inside a write), resumed each time,
  // then finished; its database must equal an uninterrupted sweep's value
  // for value (wall times aside), with every run exactly once.
  const auto d = temp_dir("chaos");
  const auto f = write(
      d, scenario("sweep:\n  replications: 3\n  parameters:\n    devices.nodes.count: [40, 60, 80, 100, 120, 140, "
                  "160, 180]\n",
                  "6 d"));
  const auto db = (d / "chaos.db").string();
  std::mt19937 rng(20261206);
  std::uniform_int_distribution<int> delay_ms(0, 300);
  int interrupted = 0;
  for (int k = 0; k < 8; ++k) {
    const pid_t pid = fork();
    if (pid == 0) {
      execl(kCli.c_str(), kCli.c_str(), "sweep", f.c_str(), "--db", db.c_str(), "-j", "2", "-q",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++interrupted;
  }
  // The sweep (about 1.5 s in a release build on 2 cores) was still running at most kills.
  EXPECT_GE(interrupted, 5);
  ASSERT_EQ(run("sweep " + f.string() + " -q --db " + db).exit_code, 0);
  ASSERT_EQ(run("sweep " + f.string() + " -q --db " + (d / "whole.db").string()).exit_code, 0);
  ASSERT_EQ(run("export " + db + " --csv -o " + (d / "k").string()).exit_code, 0);
  ASSERT_EQ(run("export " + (d / "whole.db").string() + " --csv -o " + (d / "w").string()).exit_code, 0);
  const std::string runs = slurp(d / "k" / "runs.csv");
  EXPECT_EQ(std::count(runs.begin(), runs.end(), '\n'),
            1 + 8 * 3 * 3);  // a row per run and group (all, nodes, gateways.lorawan)
  EXPECT_EQ(runs_without_wall_time(d / "k" / "runs.csv"), runs_without_wall_time(d / "w" / "runs.csv"));
  EXPECT_EQ(slurp(d / "k" / "points.csv"), slurp(d / "w" / "points.csv"));
}

TEST(Sweep, EachPointCarriesItsRunsBatteryWarnings) {
  // The same cell swept over two batteries: a CR2032's 20 mA pulse rating
  // (its cell file) is below the SF12 uplink's peak, the LS 14500's 100 mA
  // is not, so only the CR2032 point's runs warn, as a single run's summary
  // would; results, export and report all say so.
  const auto d = temp_dir("warnings");
  std::string text = scenario(
      "sweep:\n"
      "  replications: 2\n"
      "  parameters:\n"
      "    devices.nodes.battery.cell: [ls14500, cr2032]\n");
  text.replace(text.find("battery: { capacity: 2600 mAh, voltage: 3.6 V }"),
               std::string("battery: { capacity: 2600 mAh, voltage: 3.6 V }").size(), "battery: { cell: ls14500 }");
  const auto f = write(d, text);
  const auto db = (d / "w.db").string();
  ASSERT_EQ(run("sweep " + f.string() + " -q --db " + db).exit_code, 0);
  auto r = run("results " + db + " -g nodes");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("point 1 (2 of its runs): 100 of 100 devices draw up to"));
  EXPECT_THAT(r.output, HasSubstr("above the battery's pulse rating of 20 mA"));
  EXPECT_EQ(count_of(r.output, "point 0 ("), 0);
  ASSERT_EQ(run("export " + db + " --csv -o " + (d / "csv").string()).exit_code, 0);
  const std::string runs = slurp(d / "csv" / "runs.csv"), points = slurp(d / "csv" / "points.csv");
  EXPECT_THAT(runs.substr(0, runs.find('\n')), ::testing::EndsWith(",warnings"));
  EXPECT_THAT(points.substr(0, points.find('\n')), ::testing::EndsWith(",warnings"));
  // Two runs of point 1, each a row for all (with the group's name) and one
  // for nodes; the point's row says in how many of its runs.
  EXPECT_EQ(count_of(runs, "pulse rating of 20 mA"), 4);
  EXPECT_EQ(count_of(runs, "\"nodes: 100 of 100 devices draw up to"), 2);
  EXPECT_EQ(count_of(points, "pulse rating of 20 mA"), 2);
  EXPECT_THAT(points,
              HasSubstr("a real device needs a buffer capacitor or a cell with a higher rating (2 of the runs)"));
  ASSERT_EQ(run("report " + db + " -g nodes -o " + (d / "rep").string()).exit_code, 0);
  const std::string html = slurp(d / "rep" / "report.html");
  EXPECT_THAT(html, HasSubstr("<h2>Warnings</h2>"));
  EXPECT_THAT(html, HasSubstr("<li>point 1 (2): 100 of 100 devices draw up to"));
}

TEST(Sweep, OverMpiRanksTheDatabaseHoldsTheSameResults) {
  // mpirun -n 2: rank 0 hands out runs and writes them, rank 1 runs them.
  // The database must hold exactly what a threaded sweep writes.
#if !M2MSIM_WITH_MPI
  GTEST_SKIP() << "this build has no MPI (M2MSIM_MPI=OFF, or no MPI library found at configure time)";
#endif
  ASSERT_THAT(run("--version").output, HasSubstr("(MPI)"));
  ASSERT_TRUE(fs::exists("/usr/bin/mpirun")) << "mpirun is not installed: run scripts/install-deps.sh";
  const auto d = temp_dir("mpi");
  // On a CR2032 every run warns (its 20 mA pulse rating): the warnings
  // cross from the worker rank too.
  std::string text = scenario(kSweep);
  text.replace(text.find("battery: { capacity: 2600 mAh, voltage: 3.6 V }"),
               std::string("battery: { capacity: 2600 mAh, voltage: 3.6 V }").size(), "battery: { cell: cr2032 }");
  const auto f = write(d, text);
  // OpenMPI itself leaks at MPI_Finalize (libopen-pal, libmpi and its
  // dlopen'ed components): under the sanitizer build, leak checking is off
  // for the MPI processes only.
  const std::string env =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 "
      "ASAN_OPTIONS=detect_leaks=0 ";
  const auto mpi =
      m2msim::test::shell(env + "mpirun -n 2 " + kCli + " sweep " + f.string() + " --db " + (d / "mpi.db").string());
  const std::string& out = mpi.output;
  ASSERT_EQ(mpi.exit_code, 0) << out;
  EXPECT_THAT(out, HasSubstr("over MPI: 18 runs (0 already in"));
  EXPECT_THAT(out, HasSubstr("1 worker rank(s)"));
  ASSERT_EQ(run("sweep " + f.string() + " -q --db " + (d / "thr.db").string()).exit_code, 0);
  ASSERT_EQ(run("export " + (d / "mpi.db").string() + " --csv -o " + (d / "m").string()).exit_code, 0);
  ASSERT_EQ(run("export " + (d / "thr.db").string() + " --csv -o " + (d / "t").string()).exit_code, 0);
  EXPECT_EQ(runs_without_wall_time(d / "m" / "runs.csv"), runs_without_wall_time(d / "t" / "runs.csv"));
  EXPECT_THAT(slurp(d / "m" / "runs.csv"), HasSubstr("pulse rating of 20 mA"));
}

TEST(Sweep, CommonRandomNumbersGiveEveryPointPointZerosSeeds) {
  // Two payloads, two replications. Without common random numbers every
  // (point, replication) has its own seed; with them, replication r of
  // every point runs with point 0's seed of replication r, the seed it has
  // without them, so point 0's results do not change. The payload does not
  // touch the traffic's draws: with the same seed, both points generate the
  // same Poisson packets (100 nodes × 1 h / 100 s, about 3600, so two
  // independent draws differ but for a chance of about 1 in 200).
  const std::string grid = "  parameters:\n    devices.nodes.traffic.payload: [10 B, 30 B]\n";
  const auto d = temp_dir("crn");
  auto rows = [&](const std::string& sweep, const std::string& name) {
    const auto f = write(d, scenario(sweep));
    const auto db = (d / (name + ".db")).string();
    auto r = run("sweep " + f.string() + " --db " + db + " -j 2");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    r = run("export " + db + " --csv -o " + (d / name).string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    // group all: point/replication, seed, packets generated, delivery ratio
    std::vector<std::array<std::string, 4>> v;
    const auto csv = d / name / "runs.csv";
    const auto payload = column(csv, "devices.nodes.traffic.payload"), rep = column(csv, "replication"),
               seed = column(csv, "seed"), group = column(csv, "group"), gen = column(csv, "packets_generated"),
               ratio = column(csv, "delivery_ratio");
    for (std::size_t i = 0; i < group.size(); ++i)
      if (group[i] == "all") v.push_back({payload[i] + "/" + rep[i], seed[i], gen[i], ratio[i]});
    std::sort(v.begin(), v.end());
    return v;  // 10 B/0, 10 B/1, 30 B/0, 30 B/1
  };
  const auto apart = rows("sweep:\n  replications: 2\n" + grid, "apart");
  const auto common = rows("sweep:\n  replications: 2\n  common_random_numbers: true\n" + grid, "common");
  ASSERT_EQ(apart.size(), 4u);
  ASSERT_EQ(common.size(), 4u);
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_NE(apart[r][1], apart[2 + r][1]);    // independent: each point its own seed
    EXPECT_EQ(common[r][1], apart[r][1]);       // point 0's seed ...
    EXPECT_EQ(common[2 + r][1], apart[r][1]);   // ... for every point
    EXPECT_EQ(common[r][2], common[2 + r][2]);  // and the same packets,
    EXPECT_NE(common[r][3], common[2 + r][3]);  // each point with its own payload: 30 B overlap more
    EXPECT_NE(apart[r][2], apart[2 + r][2]);
  }
  EXPECT_NE(common[0][1], common[1][1]);  // replications stay independent
  // results says when the points share their seeds, and how to compare them.
  EXPECT_THAT(run("results " + (d / "common.db").string()).output,
              HasSubstr("(the points share their seeds, common random numbers: whether two points' intervals overlap "
                        "does not say whether they differ; compare them with --paired-with P)"));
  EXPECT_THAT(run("results " + (d / "apart.db").string()).output, Not(HasSubstr("share their seeds")));
  ASSERT_EQ(run("report " + (d / "common.db").string() + " -o " + (d / "report").string()).exit_code, 0);
  EXPECT_THAT(slurp(d / "report" / "report.html"), HasSubstr("The points share their seeds (common random numbers)"));
  const auto f = write(d, scenario("sweep:\n  common_random_numbers: yes\n" + grid));
  const auto r = run("validate " + f.string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr(":15:26: sweep.common_random_numbers must be true or false, got 'yes'"));
  const auto ok = write(d, scenario("sweep:\n  common_random_numbers: true\n" + grid));
  EXPECT_THAT(run("validate " + ok.string()).output,
              HasSubstr("sweep of 2 point(s) × 1 replication(s) with common random numbers is valid"));
}

TEST(Sweep, ResultsPairedWithAPointGiveTheIntervalOfTheDifferences) {
  // SF12 under pure ALOHA: 30 B packets are longer on air than 10 B ones,
  // so more of them overlap. With common random numbers the two points
  // send the same packets at the same moments, and the difference of their
  // delivery ratios is taken replication by replication.
  const auto d = temp_dir("paired");
  const auto f = write(d, scenario("sweep:\n  replications: 3\n  common_random_numbers: true\n  parameters:\n"
                                   "    devices.nodes.traffic.payload: [10 B, 30 B]\n"));
  const auto db = (d / "r.db").string();
  ASSERT_EQ(run("sweep " + f.string() + " --db " + db + " -j 2 -q").exit_code, 0);
  ASSERT_EQ(run("export " + db + " --csv -o " + (d / "csv").string()).exit_code, 0);
  const auto csv = d / "csv" / "runs.csv";
  const auto point = column(csv, "point"), rep = column(csv, "replication"), group = column(csv, "group"),
             ratio = column(csv, "delivery_ratio");
  double x[2][3] = {};
  for (std::size_t i = 0; i < group.size(); ++i)
    if (group[i] == "all") x[std::stoi(point[i])][std::stoi(rep[i])] = std::stod(ratio[i]);
  // The paired differences' mean and the half-width t(0.975, 2) · s / √3,
  // t = 4.303 (NIST/SEMATECH e-Handbook §1.3.6.7.2, 2 degrees of freedom).
  double diff[3], mean = 0, ss = 0;
  for (int r = 0; r < 3; ++r) mean += (diff[r] = x[1][r] - x[0][r]) / 3;
  for (double v : diff) ss += (v - mean) * (v - mean);
  const double half = 4.303 * std::sqrt(ss / 2) / std::sqrt(3.0);
  ASSERT_GT(half, 0.0);
  auto text = [](double v, int digits) {
    std::ostringstream o;
    o << std::setprecision(digits) << v;
    return o.str();
  };
  auto r = run("results " + db + " -g all -m delivery_ratio --paired-with 0");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("difference from point 0, replication by replication"));
  EXPECT_THAT(r.output, HasSubstr("(the points share their seeds: common random numbers)"));
  EXPECT_THAT(r.output, HasSubstr("(reference)"));
  EXPECT_THAT(r.output, HasSubstr("3      " + text(mean, 4) + " ± " + text(half, 2)));
  // Against point 1 the difference changes sign.
  r = run("results " + db + " -g all -m delivery_ratio --paired-with 1");
  EXPECT_THAT(r.output, HasSubstr(text(-mean, 4) + " ± " + text(half, 2)));
  r = run("results " + db + " --paired-with 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.output, HasSubstr("--paired-with 2: " + db + " has no point 2 (points 0 to 1)"));
}

TEST(Sweep, ARepeatedPathOrAnOversizedGridIsRefusedAtOnce) {
  const auto d = temp_dir("grid");
  auto f = write(d, scenario("sweep:\n  parameters:\n    devices.nodes.count: [1, 2]\n    devices.nodes.count: [3]\n"));
  auto r = run("validate " + f.string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr(":17:5: sweep parameter 'devices.nodes.count' is given twice"));
  // 2000 × 1000 points: refused by its size before any value is loaded.
  f = write(d, scenario("sweep:\n  parameters:\n    seed: { from: 1, to: 2000, step: 1 }\n"
                        "    devices.nodes.count: { from: 1, to: 1000, step: 1 }\n"));
  r = run("validate " + f.string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("the sweep grid has more than 1 000 000 points"));
}

TEST(Sweep, ABadKeyOrValueFailsBeforeTheFirstRunWithItsPosition) {
  const auto d = temp_dir("bad");
  auto f = write(d, scenario("sweep:\n  parameters:\n    devices.nodes.cuont: [1, 2]\n"));
  auto r = run("sweep " + f.string() + " --db " + (d / "r.db").string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr(f.string() + ":16:27: sweep parameter 'devices.nodes.cuont' = '1': "));
  EXPECT_THAT(r.output, HasSubstr("unknown key 'cuont'"));
  EXPECT_FALSE(fs::exists(d / "r.db"));
  // validate checks the sweep section too.
  r = run("validate " + f.string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr(":16:27: sweep parameter 'devices.nodes.cuont'"));
  f = write(d, scenario("sweep:\n  parameters:\n    devices.nodes.count: [10, -5]\n"));
  r = run("sweep " + f.string() + " --db " + (d / "r.db").string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr(f.string() + ":16:31: sweep parameter 'devices.nodes.count' = '-5': "));
  EXPECT_FALSE(fs::exists(d / "r.db"));
}

TEST(Sweep, EditingAFileTheScenarioReadsByPathMakesItAnotherSweep) {
  // A sites CSV under a folder named data/ (the built-in files' folder in
  // the source tree, so a prefix test would have skipped it): editing it
  // must not resume the old results.
  const auto d = temp_dir("csv");
  fs::create_directories(d / "data");
  std::ofstream(d / "data" / "sites.csv") << "name,x_m,y_m\ngw,200,200\n";
  std::string text = scenario("sweep:\n  parameters:\n    devices.nodes.count: [20]\n");
  const std::string site = "gateways: [ { name: gw, position: [200 m, 200 m], demodulators: unlimited } ]";
  text.replace(text.find(site), site.size(),
               "gateways: [ { name: gw, layout: { csv: data/sites.csv }, demodulators: unlimited } ]");
  write(d, text);
  // Run from the scenario's folder, so that the file's path is data/sites.csv.
  const std::string sweep = "cd " + d.string() + " && " + kCli + " sweep s.yaml -q --db r.db";
  ASSERT_EQ(m2msim::test::shell(sweep).exit_code, 0);
  std::ofstream(d / "data" / "sites.csv") << "name,x_m,y_m\ngw,150,200\n";
  const auto r = m2msim::test::shell(sweep);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("this database holds a different sweep"));
}

TEST(Sweep, ADatabaseOfAnotherSweepOrNotOursIsAClearError) {
  const auto d = temp_dir("other");
  const auto f = write(d, scenario(kSweep));
  const auto db = (d / "r.db").string();
  ASSERT_EQ(run("sweep " + f.string() + " -q --db " + db).exit_code, 0);
  const auto g = d / "t.yaml";
  std::ofstream(g) << scenario("sweep:\n  parameters:\n    devices.nodes.count: [7]\n");
  auto r = run("sweep " + g.string() + " --db " + db);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("this database holds a different sweep"));
  r = run("results " + (d / "missing.db").string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("no such results database"));
  EXPECT_FALSE(fs::exists(d / "missing.db"));
  std::ofstream(d / "junk.db") << "this is not a database, just text that is long enough to have a header";
  r = run("results " + (d / "junk.db").string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.output, HasSubstr("not an SQLite database"));
}

}  // namespace
