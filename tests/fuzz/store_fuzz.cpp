// libFuzzer target: the results-database readers. The input is written as a
// database file and read as `results` and `export` read it; it must read or
// be refused with a StoreError.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "analysis/results_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/m2msim-store-fuzz-" + std::to_string(::getpid()) + ".db";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  try {
    m2msim::analysis::ResultsStore store(path, true);
    (void)store.parameters();
    (void)store.points();
    (void)store.runs();
    for (const auto& [group, metric] : store.metric_names()) (void)store.values(group, metric);
  } catch (const m2msim::analysis::StoreError&) {}
  return 0;
}
