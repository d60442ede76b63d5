// The results store's cost per finished run: ResultsStore::add_run (one
// SQLite transaction) with the 58 metrics a one-group LoRaWAN scenario
// stores (29 per group, for the group and for "all"; one `runs` row with
// them all since schema version 3), into a database file
// in the system's temporary directory. docs/performance.md section 6.2
// compares it with the length of a short run.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/results_store.hpp"
#include "models/lorawan/fates.hpp"
#include "results/run_record.hpp"

namespace {

// The metrics of a one-group run, as a sweep stores them: metrics_of() of a
// run record with the model's fate names, so the list follows what m2msim
// stores. Plausible values: counts, ratios, latencies, one NaN (no downlink).
std::vector<m2msim::analysis::StoredMetric> one_group_metrics() {
  m2msim::results::RunRecord r;
  for (const auto f : m2msim::lora::kFates) r.fate_names.emplace_back(f.name);
  m2msim::results::GroupSummary g;
  g.devices = 250;
  g.generated = 24000;
  g.sent = 23950;
  g.delivered = 21413;
  g.fates.assign(r.fate_names.size(), 0);
  g.fates[0] = 21413;
  g.fates[2] = 2537;
  g.delivery_ratio = 21413.0 / 24000.0;
  g.coverage_ratio = g.coverage_probability = 1.0;
  g.latency_p50_s = g.latency_p95_s = g.latency_p99_s = 0.185344;
  g.battery_p5_years = 9.87654321;
  g.battery_median_years = 10.1234567;
  g.battery_p95_years = 10.4567891;
  g.downlink_delivery_ratio = g.downlink_latency_p50_s = g.downlink_latency_p95_s = std::nan("");
  r.total = g;
  r.total.name = "all";
  g.name = "meters";
  r.groups.push_back(g);
  return m2msim::analysis::metrics_of(r);
}

void BM_AddRun(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "m2msim-store-bench.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  const auto metrics = one_group_metrics();
  {
    m2msim::analysis::ResultsStore store(path.string());
    store.begin_sweep("bench", "bench.yaml", "name: bench\n", {"devices.meters.count"}, {{"100"}});
    std::uint64_t replication = 0;
    for (auto _ : state) {
      store.add_run(0, replication, 12345 + replication, 0.006, 100000, metrics);
      ++replication;
    }
    state.SetItemsProcessed(state.iterations());
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
BENCHMARK(BM_AddRun)->Name("store/add_run")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
