// The m2msim command: validate and run scenario files; run sweeps and read
// their results.
//
// Exit codes: 0 success; 1 a scenario error (FILE:LINE:COLUMN printed);
// 2 a usage error (printed by CLI11); 3 a run or output failure.
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/coverage_map.hpp"
#include "analysis/report.hpp"
#include "analysis/results_store.hpp"
#include "cli/sweep.hpp"
#include "engine/native_engine.hpp"
#include "scenarios/loader.hpp"

namespace {

enum ExitCode : int { kOk = 0, kScenarioError = 1, kUsageError = 2, kRunError = 3 };

struct Common {
  std::string file;
  std::vector<std::string> sets;
};

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("FILE", c.file, "scenario file (YAML)")->required();
  cmd->add_option("--set", c.sets, "override a scenario value: PATH=VALUE, e.g. devices.meters.count=500")
      ->type_name("PATH=VALUE");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"m2msim — discrete-event simulator for M2M / IoT deployments"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "m2msim 0.1.0");

  Common validate_args;
  CLI::App* validate = app.add_subcommand("validate", "check a scenario file without running it");
  add_common(validate, validate_args);

  Common run_args;
  std::string output_dir;
  bool quiet = false;
  std::string seed_text, replication_text;
  CLI::App* run = app.add_subcommand("run", "run a scenario and write its results folder");
  add_common(run, run_args);
  run->add_option("-o,--output", output_dir, "results folder (default: results/<scenario name>)");
  run->add_option("--seed", seed_text, "override the scenario's seed (0 to 18446744073709551615)");
  run->add_option("--replication", replication_text,
                  "replication number, 0 to 18446744073709551615 (selects independent random streams)");
  run->add_flag("-q,--quiet", quiet, "do not print the summary table");

  m2msim::cli::SweepArgs sweep_args;
  Common sweep_common;
  CLI::App* sweep = app.add_subcommand("sweep", "run every point of the scenario's sweep: section (resumable)");
  add_common(sweep, sweep_common);
  sweep->add_option("--db", sweep_args.db, "results database (default: results/<scenario name>/sweep.db)");
  sweep->add_option("-j,--jobs", sweep_args.jobs, "runs at once (default: every core)")->check(CLI::Range(1U, 1024U));
  sweep->add_option("--replications", sweep_args.replications, "replications per point (default: the file's, or 1)")
      ->check(CLI::Range(1LL, 100000LL));
  sweep->add_flag("-q,--quiet", sweep_args.quiet, "no progress output");

  std::string results_db, results_group = "all";
  std::vector<std::string> results_metrics;
  CLI::App* results = app.add_subcommand("results", "print a sweep's metrics per point (mean and 95 % confidence interval)");
  results->add_option("DB", results_db, "results database written by m2msim sweep")->required();
  results->add_option("-m,--metric", results_metrics, "metric to show (repeatable; default: delivery_ratio, latency_p50_s, "
                                                      "battery_median_years, coverage_ratio)");
  results->add_option("-g,--group", results_group, "device group, or 'all' (default)");

  std::string export_db, export_dir;
  bool export_csv_flag = false;
  CLI::App* exp = app.add_subcommand("export", "write a sweep's results as tidy CSV (runs.csv, points.csv)");
  exp->add_option("DB", export_db, "results database written by m2msim sweep")->required();
  exp->add_flag("--csv", export_csv_flag, "CSV output (the only format)")->required();
  exp->add_option("-o,--output", export_dir, "folder for the CSV files (default: the database's folder)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kUsageError;
  }

  try {
    if (*sweep) {
      sweep_args.file = sweep_common.file;
      sweep_args.sets = sweep_common.sets;
      return m2msim::cli::run_sweep(sweep_args);
    }
    if (*results) return m2msim::cli::show_results(results_db, results_metrics, results_group);
    if (*exp) {
      if (export_dir.empty()) {
        export_dir = std::filesystem::path(export_db).parent_path().string();
        if (export_dir.empty()) export_dir = ".";
      }
      return m2msim::cli::export_csv(export_db, export_dir);
    }
    if (*validate) {
      const auto s = m2msim::scenario::load_scenario_file(validate_args.file, validate_args.sets);
      std::size_t devices = 0;
      for (const auto& g : s.groups) devices += g.count;
      std::cout << validate_args.file << ": valid (" << s.groups.size() << " device group(s), " << devices
                << " devices, " << s.gateways.size() << " gateway(s), duration " << s.duration.to_string() << ")\n";
      return kOk;
    }
    // --seed and --replication are applied as --set overrides, so they are
    // checked by the same rules (and reported the same way) as file values.
    std::vector<std::string> sets = run_args.sets;
    if (!seed_text.empty()) sets.push_back("seed=" + seed_text);
    if (!replication_text.empty()) sets.push_back("replication=" + replication_text);
    auto s = m2msim::scenario::load_scenario_file(run_args.file, sets);
    if (s.has_sweep) {
      std::cerr << "note: " << run_args.file << " has a sweep: section; `run` runs the scenario as written (with --set), "
                << "`m2msim sweep " << run_args.file << "` runs the sweep\n";
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto record = m2msim::engine::run_native(s);
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string dir = output_dir;
    if (dir.empty()) dir = s.outputs.directory.value_or((std::filesystem::path("results") / s.name).string());
    m2msim::analysis::write_results(record, dir);
    if (!quiet) {
      m2msim::analysis::print_summary_table(record, std::cout);
      std::string files = "summary.json, devices.csv";
      if (record.coverage_map) {
        files += m2msim::analysis::can_plot() ? ", coverage.csv, coverage.png"
                                              : ", coverage.csv (no coverage.png: built without MathGL)";
      }
      std::cout << "\nresults written to " << dir << "/ (" << files << "); wall time "
                << static_cast<long long>(wall_s * 1000.0) << " ms\n";
    }
    return kOk;
  } catch (const m2msim::scenario::ScenarioError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kScenarioError;
  } catch (const m2msim::analysis::StoreError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kRunError;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kRunError;
  }
}
