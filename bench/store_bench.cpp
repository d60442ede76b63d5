// The results store's cost per finished run: ResultsStore::add_run (one
// SQLite transaction) with the 58 metrics a one-group LoRaWAN scenario
// stores (29 per group, for the group and for "all"; one `runs` row with
// them all since schema version 3), into a database file
// in the system's temporary directory. docs/performance.md section 6.2
// compares it with the length of a short run.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/results_store.hpp"

namespace {

std::vector<m2msim::analysis::StoredMetric> one_group_metrics() {
  // The names metrics_of() gives a one-group run (the values do not matter).
  const char* names[] = {"battery_median_years", "battery_p5_years", "battery_p95_years", "coverage_probability",
                         "coverage_ratio", "delivery_ratio", "devices", "downlink_delivery_ratio",
                         "downlink_latency_p50_s", "downlink_latency_p95_s", "downlinks_delivered",
                         "downlinks_generated", "fate_battery_empty", "fate_below_sensitivity", "fate_delivered",
                         "fate_duty_cycle", "fate_gateway_transmitting", "fate_in_flight_at_end", "fate_interference",
                         "fate_no_free_demodulator", "fate_not_joined", "fate_radio_busy", "fate_retries_exhausted",
                         "latency_p50_s", "latency_p95_s", "latency_p99_s", "packets_delivered", "packets_generated",
                         "packets_sent"};
  std::vector<m2msim::analysis::StoredMetric> m;
  double v = 0.5;
  for (const char* group : {"all", "meters"})
    for (const char* name : names) m.push_back({group, name, v += 1.25});
  return m;
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
