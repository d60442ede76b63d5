// The m2msim command: validate and run scenario files; run sweeps and read
// their results.
//
// Exit codes: 0 success; 1 a scenario error (FILE:LINE:COLUMN printed);
// 2 a usage error (printed by CLI11); 3 a run or output failure.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/coverage_map.hpp"
#include "analysis/html_report.hpp"
#include "analysis/report.hpp"
#include "analysis/results_store.hpp"
#include "cli/sweep.hpp"
#include "engine/engine.hpp"
#include "engine/memory_estimate.hpp"
#include "engine/technologies.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/parameters.hpp"
#include "scenarios/reader.hpp"

namespace {

enum ExitCode : int { kOk = 0, kScenarioError = 1, kUsageError = 2, kRunError = 3 };

struct Common {
  std::string file;
  std::vector<std::string> sets;
};

std::vector<std::string> engine_names() {
  std::vector<std::string> v;
  for (const auto* e : m2msim::engine::engines()) v.emplace_back(e->name());
  return v;
}

void add_engine_option(CLI::App* cmd, std::string& engine) {
  cmd->add_option("--engine", engine, "the engine that runs the scenario (default: native)")
      ->check(CLI::IsMember(engine_names()));
}

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("FILE", c.file, "scenario file (YAML)")->required();
  cmd->add_option("--set", c.sets, "override a scenario value: PATH=VALUE, e.g. devices.meters.count=500")
      ->type_name("PATH=VALUE");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"m2msim — discrete-event simulator for M2M / IoT deployments"};
  app.require_subcommand(1);
#ifdef M2MSIM_HAVE_MPI
  app.set_version_flag("--version", "m2msim 0.1.0 (MPI)");
#else
  app.set_version_flag("--version", "m2msim 0.1.0");
#endif

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
  std::string run_engine = "native";
  add_engine_option(run, run_engine);
  std::string max_memory_text;
  run->add_option("--max-memory", max_memory_text,
                  "refuse to start a run whose memory estimate exceeds this (e.g. 2GiB, 500MiB; default: the "
                  "memory the system has available)");
  bool run_report = false;
  run->add_flag("--report", run_report,
                "also write plots (PNG, SVG) and a self-contained report.html into the results folder");

  m2msim::cli::SweepArgs sweep_args;
  Common sweep_common;
  CLI::App* sweep = app.add_subcommand("sweep", "run every point of the scenario's sweep: section (resumable)");
  add_common(sweep, sweep_common);
  sweep->add_option("--db", sweep_args.db, "results database (default: results/<scenario name>/sweep.db)");
  sweep->add_option("-j,--jobs", sweep_args.jobs, "runs at once (default: every core)")->check(CLI::Range(1U, 1024U));
  sweep->add_option("--replications", sweep_args.replications, "replications per point (default: the file's, or 1)")
      ->check(CLI::Range(1LL, 100000LL));
  sweep->add_flag("-q,--quiet", sweep_args.quiet, "no progress output");
  sweep->add_option("--max-memory", sweep_args.max_memory,
                    "refuse to start runs whose memory estimates exceed this when run at once (e.g. 2GiB; default: "
                    "the memory the system has available)");
  add_engine_option(sweep, sweep_args.engine);

  std::string results_db, results_group = "all";
  std::vector<std::string> results_metrics;
  CLI::App* results =
      app.add_subcommand("results", "print a sweep's metrics per point (mean and 95 % confidence interval)");
  results->add_option("DB", results_db, "results database written by m2msim sweep")->required();
  results->add_option("-m,--metric", results_metrics,
                      "metric to show (repeatable; default: delivery_ratio, latency_p50_s, "
                      "battery_median_years, coverage_ratio)");
  results->add_option("-g,--group", results_group, "device group, or 'all' (default)");
  std::optional<std::uint64_t> results_paired;
  results->add_option("--paired-with", results_paired,
                      "print each point's difference from point P, replication by replication, with the 95 % "
                      "confidence interval of the paired differences (docs/sweeps.md section 3.1)");

  std::string plot_db, plot_metric, plot_x, plot_group = "all", plot_out;
  CLI::App* plot = app.add_subcommand("plot", "plot a sweep's metric against a swept parameter (PNG and SVG)");
  plot->add_option("DB", plot_db, "results database written by m2msim sweep")->required();
  plot->add_option("-m,--metric", plot_metric, "metric, e.g. delivery_ratio")->required();
  plot->add_option("-x,--x", plot_x, "swept parameter on the x axis (default: the first)");
  plot->add_option("-g,--group", plot_group, "device group, or 'all' (default)");
  plot->add_option("-o,--output", plot_out,
                   "file name without extension (default: next to the database, sweep_<metric>)");

  std::string report_db, report_dir, report_group = "all";
  std::vector<std::string> report_metrics;
  CLI::App* report = app.add_subcommand("report", "write a sweep's self-contained HTML report (table and plots)");
  report->add_option("DB", report_db, "results database written by m2msim sweep")->required();
  report->add_option("-o,--output", report_dir,
                     "folder for report.html and its plots (default: the database's folder)");
  report->add_option("-m,--metric", report_metrics,
                     "metrics (default: delivery_ratio, latency_p50_s, battery_median_years, coverage_ratio)");
  report->add_option("-g,--group", report_group, "device group, or 'all' (default)");

  bool schema_json = false, schema_markdown = false;
  CLI::App* schema = app.add_subcommand(
      "schema", "print every key of the scenario format: Markdown tables, or a JSON Schema for editors");
  auto* md_flag = schema->add_flag("--markdown", schema_markdown, "one Markdown table per section (the default)");
  schema
      ->add_flag("--json-schema", schema_json,
                 "a JSON Schema (draft 2020-12) document, for editors with YAML language support")
      ->excludes(md_flag);

  std::string export_db, export_dir;
  bool export_csv_flag = false;
  CLI::App* exp = app.add_subcommand("export", "write a sweep's results as tidy CSV (runs.csv, points.csv)");
  exp->add_option("DB", export_db, "results database written by m2msim sweep")->required();
  exp->add_flag("--csv", export_csv_flag, "CSV output (the only format)")->required();
  exp->add_option("-o,--output", export_dir, "folder for the CSV files (default: the database's folder)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A first word that names no command: say so, and which there are
    // (CLI11 would only say that a command is required).
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::string names;
      for (const auto* sub : app.get_subcommands({})) names += (names.empty() ? "" : ", ") + sub->get_name();
      std::cerr << "error: unknown command '" << argv[1] << "'; the commands are " << names
                << " (m2msim --help says what each does)\n";
      return kUsageError;
    }
    return app.exit(e) == 0 ? kOk : kUsageError;
  }

  try {
    if (*sweep) {
      sweep_args.file = sweep_common.file;
      sweep_args.sets = sweep_common.sets;
      return m2msim::cli::run_sweep(sweep_args);
    }
    if (*results) return m2msim::cli::show_results(results_db, results_metrics, results_group, results_paired);
    if (*schema) {
      const auto sections = m2msim::engine::scenario_sections();
      if (schema_json) {
        std::cout << m2msim::scenario::json_schema(sections);
      } else {
        for (const auto* s : sections)
          std::cout << "### " << s->title << "\n\n" << m2msim::scenario::markdown_table(*s) << "\n";
      }
      return kOk;
    }
    auto folder_of = [](const std::string& db) {
      const auto d = std::filesystem::path(db).parent_path().string();
      return d.empty() ? std::string(".") : d;
    };
    if (*plot) {
      m2msim::analysis::ResultsStore store(plot_db, true);
      if (!store.notice().empty()) std::cerr << "note: " << store.notice() << "\n";
      const auto params = store.parameters();
      if (plot_x.empty() && !params.empty()) plot_x = params.front();
      if (plot_out.empty()) plot_out = (std::filesystem::path(folder_of(plot_db)) / ("sweep_" + plot_metric)).string();
      if (store.values(plot_group, plot_metric).empty()) {
        std::cerr << "error: " << m2msim::cli::missing_metric_error(store, plot_db, plot_group, plot_metric) << "\n";
        return kScenarioError;
      }
      if (std::find(params.begin(), params.end(), plot_x) == params.end()) {
        std::cerr << "error: " << plot_db << " has no swept parameter '" << plot_x
                  << "'. Swept: " << m2msim::scenario::join(params) << "\n";
        return kScenarioError;
      }
      if (!m2msim::analysis::write_sweep_plot(store, plot_metric, plot_x, plot_group, plot_out)) {
        std::cerr << "error: this m2msim was built without a plotting library (MathGL)\n";
        return kRunError;
      }
      std::cout << "wrote " << plot_out << ".png and " << plot_out << ".svg\n";
      return kOk;
    }
    if (*report) {
      m2msim::analysis::ResultsStore store(report_db, true);
      if (!store.notice().empty()) std::cerr << "note: " << store.notice() << "\n";
      if (report_metrics.empty())
        report_metrics = {"delivery_ratio", "latency_p50_s", "battery_median_years", "coverage_ratio"};
      for (const auto& m : report_metrics) {
        if (store.values(report_group, m).empty()) {
          std::cerr << "error: " << m2msim::cli::missing_metric_error(store, report_db, report_group, m) << "\n";
          return kScenarioError;
        }
      }
      const auto path = m2msim::analysis::write_sweep_report(store, report_metrics, report_group,
                                                             report_dir.empty() ? folder_of(report_db) : report_dir);
      std::cout << "wrote " << path << "\n";
      return kOk;
    }
    if (*exp) {
      if (export_dir.empty()) {
        export_dir = std::filesystem::path(export_db).parent_path().string();
        if (export_dir.empty()) export_dir = ".";
      }
      return m2msim::cli::export_csv(export_db, export_dir);
    }
    if (*validate) {
      const auto s = m2msim::engine::load_scenario_file(validate_args.file, validate_args.sets);
      if (s.has_sweep) {
        // The sweep section too: every value and every point.
        const auto sw = m2msim::engine::load_sweep_file(validate_args.file, validate_args.sets);
        std::cout << validate_args.file << ": sweep of " << sw.points.size() << " point(s) × " << sw.replications
                  << " replication(s)" << (sw.common_random_numbers ? " with common random numbers" : "")
                  << " is valid\n";
      }
      std::size_t devices = 0;
      for (const auto& g : s.groups) devices += g.count;
      std::cout << validate_args.file << ": valid (" << s.groups.size() << " device group(s), " << devices
                << " devices, " << s.gateways.size() << " gateway(s), duration " << s.duration.to_string() << ")\n";
      std::cout << validate_args.file << ": memory estimate of a run: about "
                << m2msim::engine::estimate_memory(s).details << "\n";
      return kOk;
    }
    // --seed and --replication are applied as --set overrides, so they are
    // checked by the same rules (and reported the same way) as file values.
    std::vector<std::string> sets = run_args.sets;
    if (!seed_text.empty()) sets.push_back("seed=" + seed_text);
    if (!replication_text.empty()) sets.push_back("replication=" + replication_text);
    auto s = m2msim::engine::load_scenario_file(run_args.file, sets);
    if (s.has_sweep) {
      std::cerr << "note: " << run_args.file
                << " has a sweep: section; `run` runs the scenario as written (with --set), "
                << "`m2msim sweep " << run_args.file << "` runs the sweep\n";
    }
    {
      // Refuse before starting a run that cannot fit, naming the estimate.
      const auto estimate = m2msim::engine::estimate_memory(s);
      const auto limit = m2msim::engine::memory_limit(max_memory_text);
      if (!limit) {
        std::cerr << "error: --max-memory " << max_memory_text << ": give a size with its unit, e.g. 2GiB or 500MiB\n";
        return kUsageError;
      }
      if (limit->bytes && estimate.bytes > *limit->bytes) {
        std::cerr << "error: this run needs about " << estimate.details << "; " << limit->from << " is "
                  << m2msim::engine::format_bytes(*limit->bytes)
                  << " (fewer devices or sites, a coarser coverage map, or a larger machine; --max-memory sets "
                     "the limit)\n";
        return kRunError;
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto record = m2msim::engine::find_engine(run_engine)->run(s, {});
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string dir = output_dir;
    if (dir.empty()) dir = s.outputs.directory.value_or((std::filesystem::path("results") / s.name).string());
    m2msim::analysis::write_results(record, dir);
    std::string report_path;
    if (run_report) {
      std::ifstream in(run_args.file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      std::string shown = text.str();
      for (const auto& set : sets) shown = "# --set " + set + "\n" + shown;
      report_path = m2msim::analysis::write_run_report(record, shown, dir);
    }
    if (!quiet) {
      m2msim::analysis::print_summary_table(record, std::cout);
      std::string files = "summary.json, devices.csv, gateways.csv";
      if (record.coverage_map) {
        files += m2msim::analysis::can_plot() ? ", coverage.csv, coverage.png, coverage.svg"
                                              : ", coverage.csv (no coverage.png/.svg: built without MathGL)";
      }
      if (!record.state_of_charge.empty()) files += ", state_of_charge.csv";
      if (run_report) files += ", latency_cdf, battery_life and energy_breakdown (PNG, SVG), report.html";
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
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory: the scenario needs more memory than this machine could give (fewer devices, "
                 "a coarser coverage map, or a machine with more memory)\n";
    return kRunError;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kRunError;
  }
}
