// Whole-run timing: loads a scenario (with --set overrides), runs it once and
// prints wall time, events, events/s and the process's peak memory.
//
//   build/bench/whole_run_bench scenarios/examples/quickstart.yaml
//       --set devices.meters.count=80000 --set devices.alarms.count=20000
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/native_engine.hpp"
#include "engine/technologies.hpp"
#include "scenarios/loader.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SCENARIO [--set PATH=VALUE ...]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> sets;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--set" && i + 1 < argc) {
      sets.emplace_back(argv[++i]);
    } else {
      std::fprintf(stderr, "unknown argument '%s' (expected --set PATH=VALUE)\n", a.c_str());
      return 2;
    }
  }
  try {
    const auto s = m2msim::engine::load_scenario_file(argv[1], sets);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = m2msim::engine::run_native(s);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("scenario            %s\n", s.name.c_str());
    std::printf("devices             %llu\n", static_cast<unsigned long long>(r.total.devices));
    std::printf("simulated           %.0f s\n", r.duration_s);
    std::printf("events              %llu\n", static_cast<unsigned long long>(r.events));
    std::printf("wall time           %.3f s (load, placement, link budget, run and records)\n", wall);
    std::printf("  link budget       %.3f s (placement and every device-gateway link)\n", r.wall.link_budget_s);
    std::printf("  links stored      %llu of %llu (%.1f MiB, sparse)\n",
                static_cast<unsigned long long>(r.link_budget.links),
                static_cast<unsigned long long>(r.total.devices * s.gateways.size()),
                static_cast<double>(r.link_budget.bytes) / 1048576.0);
    std::printf("  coverage map      %.3f s\n", r.wall.coverage_map_s);
    std::printf("  run               %.3f s (event loop)\n", r.wall.run_s);
    std::printf("  records           %.3f s\n", r.wall.records_s);
    std::printf("events/s            %.3g\n", static_cast<double>(r.events) / wall);
    std::printf("peak memory (RSS)   %.1f MiB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
    std::printf("delivery ratio      %.4f\n", r.total.delivery_ratio);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
