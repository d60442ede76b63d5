// The hold model on m2msim's scheduler: each executed event schedules one new
// event at now + Exp(1 s), with a fixed number of pending events.
#include <benchmark/benchmark.h>

#include "sim/random.hpp"
#include "sim/scheduler.hpp"

namespace {

using m2msim::RandomStream;
using m2msim::Scheduler;
using m2msim::Time;

struct Hold {
  Scheduler sched;
  RandomStream rng{1};
  void fire() { sched.schedule_in(Time::from_seconds(rng.exponential(1.0)), [this] { fire(); }); }
};

void BM_M2msimHold(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  Hold h;
  h.sched.reserve(pending);
  for (std::size_t i = 0; i < pending; ++i) h.sched.schedule_in(Time::from_seconds(h.rng.exponential(1.0)), [p = &h] { p->fire(); });
  std::uint64_t events = 0;
  for (auto _ : state) {
    const std::uint64_t before = h.sched.executed();
    h.sched.run_until(h.sched.now() + Time::milliseconds(10));
    events += h.sched.executed() - before;
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_M2msimHold)->Arg(100)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
