#include "cli/sweep.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "analysis/results_store.hpp"
#include "engine/engine.hpp"
#include "engine/memory_estimate.hpp"
#include "engine/technologies.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/reader.hpp"
#include "sim/random.hpp"

#ifdef M2MSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace m2msim::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string hex64(std::uint64_t v) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
  return b;
}

/// What identifies a sweep for resuming: the scenario text and the data
/// files it refers to by path, the engine, the command line's overrides and the grid. --replications is not part of
/// it, so a sweep can be extended with more (sweep.replications is, as part of the file's text).
std::string fingerprint(const scenario::Sweep& sw, const engine::Engine& e) {
  std::string s = sw.text + sw.referenced_files;
  // The engine is named only when it is not the default, so that sweeps
  // written before engines could be chosen still resume.
  if (e.name() != engine::engines().front()->name()) s += "\nengine " + std::string(e.name());
  for (const auto& x : sw.base_sets) s += "\n--set " + x;
  for (const auto& p : sw.parameters) s += "\nparameter " + p;
  for (const auto& point : sw.points)
    for (const auto& v : point) s += "\n" + v;
  return hex64(fnv1a64(s));
}

// Says that opening the database for this sweep converted it to the
// current schema (docs/sweeps.md section 6.2).
void say_if_converted(const analysis::ResultsStore& store, const std::string& db) {
  if (store.migrated_from() == 0) return;
  std::cerr << db << ": converted from results schema version " << store.migrated_from() << " to "
            << analysis::kStoreSchemaVersion << " (docs/sweeps.md section 6.2)\n";
}

/// How long the main thread of a sweep lets finished runs gather before
/// writing them (docs/sweeps.md section 5): a run finished this long before
/// the process is killed may be run again when the sweep resumes.
constexpr std::chrono::milliseconds kWriteBatchWindow{50};

// CPU time used so far, in s: by the calling thread, or by the whole process.
double cpu_seconds(clockid_t which) {
  timespec t{};
  clock_gettime(which, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

std::string format_duration(double s) {
  if (!std::isfinite(s)) return "?";
  char b[32];
  if (s < 60) {
    std::snprintf(b, sizeof b, "%.0f s", s);
  } else if (s < 3600) {
    std::snprintf(b, sizeof b, "%.0f min %02.0f s", std::floor(s / 60), std::fmod(s, 60));
  } else {
    std::snprintf(b, sizeof b, "%.0f h %02.0f min", std::floor(s / 3600), std::fmod(s / 60, 60));
  }
  return b;
}

std::string num(double v, int precision = 6) {
  if (std::isnan(v)) return "";
  std::ostringstream o;
  o << std::setprecision(precision) << v;
  return o.str();
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

struct Job {
  std::uint64_t point, replication;
};

/// Which points of a sweep have all their replications written.
class PointProgress {
 public:
  PointProgress(std::size_t points, const std::vector<Job>& to_run) : left_(points, 0) {
    for (const Job& j : to_run) ++left_[j.point];
    done_ = static_cast<std::size_t>(std::count(left_.begin(), left_.end(), 0U));
  }
  /// A run of `point` is written: "point P done (K/N points)" if that was
  /// the point's last, else "".
  std::string finish(std::uint64_t point) {
    if (--left_[point] != 0) return "";
    ++done_;
    return "point " + std::to_string(point) + " done (" + std::to_string(done_) + "/" + std::to_string(left_.size()) +
           " points)";
  }
  [[nodiscard]] std::size_t done() const { return done_; }
  [[nodiscard]] std::size_t points() const { return left_.size(); }

 private:
  std::vector<std::size_t> left_;
  std::size_t done_ = 0;
};

struct Done {
  Job job;
  std::uint64_t seed;
  double wall_s;
  std::uint64_t events;
  std::vector<analysis::StoredMetric> metrics;
  std::vector<analysis::StoredWarning> warnings;
};

/// One run of the sweep, single-threaded. Every (point, replication) pair
/// has its own seed, derived from the scenario's seed, the replication and
/// the point (with common random numbers, point 0 for every point).
Done run_job(const scenario::Sweep& sw, Job j, const engine::Engine& e) {
  const std::uint64_t seed = sw.run_seed(j.point, j.replication);
  auto sets = sw.sets_of(j.point);
  sets.push_back("seed=" + std::to_string(seed));
  sets.push_back("replication=" + std::to_string(j.replication));
  const auto s = engine::load_scenario_text(sw.text, sw.file, sets);
  const auto t0 = Clock::now();
  const auto record = e.run(s, engine::RunOptions{1});
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  return Done{j, seed, wall, record.events, analysis::metrics_of(record), analysis::warnings_of(record)};
}

#ifdef M2MSIM_HAVE_MPI
bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
         std::getenv("PMIX_RANK") != nullptr;
}

std::string serialize(const Done& d) {
  std::ostringstream o;
  o << d.job.point << ' ' << d.job.replication << ' ' << d.seed << ' ' << std::setprecision(17) << d.wall_s << ' '
    << d.events << '\n';
  for (const auto& m : d.metrics) o << m.group << '\t' << m.metric << '\t' << std::setprecision(17) << m.value << '\n';
  // The warnings after a line of their own: group, then the text (one
  // line: a warning holds no newline or tab).
  o << "warnings\n";
  for (const auto& w : d.warnings) o << w.group << '\t' << w.text << '\n';
  return o.str();
}

Done deserialize(const std::string& text) {
  std::istringstream in(text);
  Done d{};
  std::string line;
  std::getline(in, line);
  std::istringstream head(line);
  head >> d.job.point >> d.job.replication >> d.seed >> d.wall_s >> d.events;
  bool warnings = false;
  while (std::getline(in, line)) {
    if (line == "warnings") {
      warnings = true;
      continue;
    }
    if (warnings) {
      const auto a = line.find('\t');
      if (a != std::string::npos) d.warnings.push_back({line.substr(0, a), line.substr(a + 1)});
      continue;
    }
    const auto a = line.find('\t'), b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    d.metrics.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), std::strtod(line.c_str() + b + 1, nullptr)});
  }
  return d;
}

enum Tag : int { kReady = 1, kJob = 2, kStop = 3, kResult = 4, kError = 5 };

/// Under mpirun: rank 0 hands out runs and writes every result to the
/// database (one transaction per run, as without MPI); the other ranks run
/// them, one at a time each.
int run_sweep_mpi(const SweepArgs& a) {
  const engine::Engine& eng = *engine::find_engine(a.engine);
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SINGLE, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::optional<scenario::Sweep> sw;
  int status = 0;
  try {
    sw = engine::load_sweep_file(a.file, a.sets);
  } catch (const std::exception& e) {
    std::cerr << "error (rank " << rank << "): " << e.what() << "\n";
    status = 1;
  }
  // Every rank must have read the same sweep: agree on failure, and check
  // the workers' sweep against rank 0's (a node seeing another file would
  // otherwise mix results).
  int worst = 0;
  MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (worst == 0 && size > 1) {
    char fp[17] = {};
    if (rank == 0) std::snprintf(fp, sizeof fp, "%s", fingerprint(*sw, eng).c_str());
    MPI_Bcast(fp, 17, MPI_CHAR, 0, MPI_COMM_WORLD);
    const int differs = rank != 0 && fingerprint(*sw, eng) != fp ? 1 : 0;
    if (differs)
      std::cerr << "error (rank " << rank << "): its sweep differs from rank 0's (another scenario file or --set?)\n";
    MPI_Allreduce(&differs, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  }
  if (worst != 0 || size == 1) {
    MPI_Finalize();
    return worst != 0 ? 1 : -1;  // −1: run without MPI
  }
  if (rank != 0) {
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kReady, MPI_COMM_WORLD);
    for (;;) {
      std::uint64_t job[2];
      MPI_Status st;
      MPI_Recv(job, 2, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      if (st.MPI_TAG == kStop) break;
      try {
        const std::string msg = serialize(run_job(*sw, Job{job[0], job[1]}, eng));
        MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, kResult, MPI_COMM_WORLD);
      } catch (const std::exception& e) {
        const std::string msg = "rank " + std::to_string(rank) + ", point " + std::to_string(job[0]) +
                                ", replication " + std::to_string(job[1]) + ": " + e.what();
        MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, kError, MPI_COMM_WORLD);
      }
    }
    MPI_Finalize();
    return 0;
  }
  try {
    const std::uint64_t replications =
        a.replications > 0 ? static_cast<std::uint64_t>(a.replications) : sw->replications;
    const std::string db = a.db.empty() ? (std::filesystem::path("results") / sw->name / "sweep.db").string() : a.db;
    if (const auto dir = std::filesystem::path(db).parent_path(); !dir.empty())
      std::filesystem::create_directories(dir);
    analysis::ResultsStore store(db);
    store.begin_sweep(fingerprint(*sw, eng), sw->file, sw->text, sw->parameters, sw->points);
    if (!a.quiet) say_if_converted(store, db);
    std::set<std::pair<std::uint64_t, std::uint64_t>> done;
    for (const auto& r : store.finished_runs()) done.insert(r);
    std::vector<Job> jobs;
    for (std::uint64_t p = 0; p < sw->points.size(); ++p)
      for (std::uint64_t r = 0; r < replications; ++r)
        if (!done.count({p, r})) jobs.push_back({p, r});
    std::stable_sort(jobs.begin(), jobs.end(),
                     [&](const Job& x, const Job& y) { return sw->cost[x.point] > sw->cost[y.point]; });
    const std::size_t total = sw->points.size() * replications;
    if (!a.quiet) {
      std::cerr << "sweep " << sw->name << " over MPI: " << total << " runs"
                << (sw->common_random_numbers ? " with common random numbers" : "") << " (" << (total - jobs.size())
                << " already in " << db << "), " << (size - 1) << " worker rank(s); results in " << db << "\n";
    }
    std::size_t next = 0, written = 0;
    PointProgress progress(sw->points.size(), jobs);
    int active = size - 1;
    const auto start = Clock::now();
    while (active > 0) {
      MPI_Status st;
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      int bytes = 0;
      MPI_Get_count(&st, MPI_CHAR, &bytes);
      std::string buf(static_cast<std::size_t>(bytes), '\0');
      MPI_Recv(buf.data(), bytes, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (st.MPI_TAG == kError) throw std::runtime_error(buf);
      if (st.MPI_TAG == kResult) {
        const Done d = deserialize(buf);
        store.add_run(d.job.point, d.job.replication, d.seed, d.wall_s, d.events, d.metrics, d.warnings);
        ++written;
        if (!a.quiet) {
          std::ostringstream line;  // one write: std::cerr is unbuffered
          line << "run " << (total - jobs.size() + written) << "/" << total << ": point " << d.job.point
               << ", replication " << d.job.replication << " (rank " << st.MPI_SOURCE << "), " << std::fixed
               << std::setprecision(3) << d.wall_s << " s";
          if (const std::string point_done = progress.finish(d.job.point); !point_done.empty())
            line << "; " << point_done;
          line << "\n";
          std::cerr << line.str();
        }
      }
      if (next < jobs.size()) {
        const std::uint64_t job[2] = {jobs[next].point, jobs[next].replication};
        ++next;
        MPI_Send(job, 2, MPI_UINT64_T, st.MPI_SOURCE, kJob, MPI_COMM_WORLD);
      } else {
        const std::uint64_t none[2] = {0, 0};
        MPI_Send(none, 2, MPI_UINT64_T, st.MPI_SOURCE, kStop, MPI_COMM_WORLD);
        --active;
      }
    }
    if (!a.quiet) {
      std::cerr << "sweep done: " << written << " run(s) in " << std::fixed << std::setprecision(2)
                << std::chrono::duration<double>(Clock::now() - start).count() << " s; see: m2msim results " << db
                << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    MPI_Abort(MPI_COMM_WORLD, 3);
  }
  MPI_Finalize();
  return 0;
}
#endif

}  // namespace

/// Checks, before any run starts, that the `workers` largest pending runs fit
/// in memory together (docs/reliability.md §3): with -j given, a sweep that
/// does not fit is refused, naming the estimate and the -j that fits;
/// without it, fewer workers are started, and the sweep says so. Returns a
/// non-zero exit code when it refuses.
int fit_workers_in_memory(const SweepArgs& a, const scenario::Sweep& sw, const std::vector<Job>& jobs,
                          unsigned& workers) {
  if (jobs.empty() || sw.memory.size() != sw.points.size()) return 0;
  const auto given = engine::memory_limit(a.max_memory);
  if (!given) {
    std::cerr << "error: --max-memory " << a.max_memory << ": give a size with its unit, e.g. 2GiB or 500MiB\n";
    return 2;
  }
  if (!given->bytes) return 0;
  const double limit = *given->bytes;
  const std::string& from = given->from;
  // The largest runs first: any `workers` of them may run at once.
  std::vector<double> largest;
  largest.reserve(jobs.size());
  for (const Job& j : jobs) largest.push_back(sw.memory[j.point]);
  const std::size_t n = std::min<std::size_t>(workers, largest.size());
  std::partial_sort(largest.begin(), largest.begin() + static_cast<std::ptrdiff_t>(n), largest.end(), std::greater<>());
  largest.resize(n);
  auto need = [&](unsigned w) {
    return engine::concurrent_bytes(std::vector<double>(largest.begin(), largest.begin() + w));
  };
  if (need(workers) <= limit) return 0;
  unsigned fits = workers;
  while (fits > 0 && need(fits) > limit) --fits;
  std::size_t biggest = 0;
  for (std::size_t p = 1; p < sw.memory.size(); ++p)
    if (sw.memory[p] > sw.memory[biggest]) biggest = p;
  if (fits == 0) {
    std::cerr << "error: the sweep's largest run (point " << biggest << ") needs about "
              << engine::format_bytes(sw.memory[biggest]) << "; " << from << " is " << engine::format_bytes(limit)
              << " (fewer devices or sites in that point, a coarser coverage map, or a larger machine; --max-memory "
                 "sets the limit)\n";
    return 3;
  }
  if (a.jobs != 0) {
    std::cerr << "error: -j " << a.jobs << " runs " << workers << " runs at once, which need about "
              << engine::format_bytes(need(workers)) << " (the largest, point " << biggest << ", about "
              << engine::format_bytes(sw.memory[biggest]) << "); " << from << " is " << engine::format_bytes(limit)
              << ": -j " << fits << " fits\n";
    return 3;
  }
  std::cerr << "note: " << fits << " worker(s) instead of " << workers << ": " << workers
            << " runs at once would need about " << engine::format_bytes(need(workers)) << " (the largest, point "
            << biggest << ", about " << engine::format_bytes(sw.memory[biggest]) << "); " << from << " is "
            << engine::format_bytes(limit) << "\n";
  workers = fits;
  return 0;
}

int run_sweep(const SweepArgs& a) {
  const engine::Engine& eng = *engine::find_engine(a.engine);
#ifdef M2MSIM_HAVE_MPI
  if (launched_by_mpirun()) {
    const int code = run_sweep_mpi(a);
    if (code >= 0) return code;
  }
#endif
  const scenario::Sweep sw = engine::load_sweep_file(a.file, a.sets);
  const std::uint64_t replications = a.replications > 0 ? static_cast<std::uint64_t>(a.replications) : sw.replications;
  const std::string db = a.db.empty() ? (std::filesystem::path("results") / sw.name / "sweep.db").string() : a.db;
  if (const auto dir = std::filesystem::path(db).parent_path(); !dir.empty()) std::filesystem::create_directories(dir);
  analysis::ResultsStore store(db);
  store.begin_sweep(fingerprint(sw, eng), sw.file, sw.text, sw.parameters, sw.points);
  if (!a.quiet) say_if_converted(store, db);

  // The runs still to do: every (point, replication) not in the store.
  std::set<std::pair<std::uint64_t, std::uint64_t>> done;
  for (const auto& r : store.finished_runs()) done.insert(r);
  std::vector<Job> jobs;
  for (std::uint64_t p = 0; p < sw.points.size(); ++p)
    for (std::uint64_t r = 0; r < replications; ++r)
      if (!done.count({p, r})) jobs.push_back({p, r});
  // Longest runs first (by the grid's cost estimate), so that no worker is
  // left with one long run at the end; results do not depend on the order.
  std::stable_sort(jobs.begin(), jobs.end(),
                   [&](const Job& x, const Job& y) { return sw.cost[x.point] > sw.cost[y.point]; });
  const std::size_t total = sw.points.size() * replications;
  const std::size_t skipped = total - jobs.size();
  unsigned workers =
      std::max(1U, std::min<unsigned>(a.jobs ? a.jobs : std::max(1U, std::thread::hardware_concurrency()),
                                      static_cast<unsigned>(std::max<std::size_t>(jobs.size(), 1))));
  if (const int code = fit_workers_in_memory(a, sw, jobs, workers); code != 0) return code;
  if (!a.quiet) {
    std::cerr << "sweep " << sw.name << ": " << sw.points.size() << " point(s) × " << replications
              << " replication(s) = " << total << " runs";
    if (sw.common_random_numbers) std::cerr << " with common random numbers";
    if (skipped) std::cerr << " (" << skipped << " already in " << db << ", skipped)";
    std::cerr << "; " << workers << " worker(s); results in " << db << "\n";
  }

  // Workers run; the main thread writes each finished run, in its own
  // transaction, and reports progress.
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Done> finished;
  std::exception_ptr failure;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= jobs.size() || stop) return;
      const Job j = jobs[i];
      try {
        Done d = run_job(sw, j, eng);
        std::lock_guard lock(mu);
        finished.push_back(std::move(d));
      } catch (...) {
        std::lock_guard lock(mu);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
      cv.notify_one();
    }
  };
  const bool tty = isatty(STDERR_FILENO) != 0;
  PointProgress progress(sw.points.size(), jobs);
  const auto start = Clock::now();
  const double start_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w) pool.emplace_back(work);

  std::size_t written = 0;
  // CPU time spent writing to the database. With every core running a
  // worker, what the writer takes the workers lose, so its share of the
  // sweep's CPU time is what it adds to the sweep's wall time (less when a
  // core is spare: -j 1 on two cores writes beside the worker).
  double store_cpu_s = 0.0;
  // A database error here must stop the workers before it propagates
  // (threads still running at exit would terminate the process).
  auto stop_workers = [&] {
    stop = true;
    for (auto& t : pool)
      if (t.joinable()) t.join();
  };
  try {
    while (written < jobs.size()) {
      std::unique_lock lock(mu);
      if (finished.empty()) {
        cv.wait(lock, [&] { return !finished.empty() || failure; });
        // Woken for a finished run: wait a moment for more before writing,
        // each still in its own transaction. Writes back to back find
        // SQLite's code and pages in the caches; one write per wake-up
        // costs two to six times as much (docs/performance.md section
        // 6.2). The last run and a failure end the wait at once.
        cv.wait_for(lock, kWriteBatchWindow, [&] { return failure || written + finished.size() == jobs.size(); });
      }
      // After a failed run, the runs that finished are still written.
      if (finished.empty()) break;  // (woken by a failure)
      Done d = std::move(finished.front());
      finished.pop_front();
      lock.unlock();
      const double w0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
      store.add_run(d.job.point, d.job.replication, d.seed, d.wall_s, d.events, d.metrics, d.warnings);
      store_cpu_s += cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - w0;
      ++written;
      if (!a.quiet) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const double rate = static_cast<double>(written) / std::max(elapsed, 1e-9);
        const double eta = static_cast<double>(jobs.size() - written) / rate;
        std::ostringstream line;  // one write per line: std::cerr is unbuffered
        const std::string point_done = progress.finish(d.job.point);
        if (tty) {
          const int width = 30;
          const auto filled =
              static_cast<int>(width * static_cast<double>(skipped + written) / static_cast<double>(total));
          line << "\r[" << std::string(static_cast<std::size_t>(filled), '=')
               << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << progress.done() << "/"
               << progress.points() << " points, " << (skipped + written) << "/" << total << " runs, " << std::fixed
               << std::setprecision(2) << rate << " runs/s, ETA " << format_duration(eta) << "   ";
        } else {
          line << "run " << (skipped + written) << "/" << total << ": point " << d.job.point << ", replication "
               << d.job.replication << ", " << std::fixed << std::setprecision(3) << d.wall_s << " s; ";
          if (!point_done.empty()) line << point_done << "; ";
          line << "ETA " << format_duration(eta) << "\n";
        }
        std::cerr << line.str() << std::flush;
      }
    }
  } catch (...) {
    stop_workers();
    throw;
  }
  for (auto& t : pool) t.join();
  if (!a.quiet && tty) std::cerr << "\n";
  if (failure) std::rethrow_exception(failure);
  if (!a.quiet) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - start_cpu;
    std::cerr << "sweep done: " << written << " run(s) in " << std::fixed << std::setprecision(2) << elapsed
              << " s (writing results: " << std::setprecision(3) << store_cpu_s << " s of " << cpu << " s CPU, "
              << std::setprecision(2) << (cpu > 0 ? 100.0 * store_cpu_s / cpu : 0.0) << " %); see: m2msim results "
              << db << "\n";
  }
  return 0;
}

std::string missing_metric_error(const analysis::ResultsStore& store, const std::string& db, const std::string& group,
                                 const std::string& metric) {
  std::set<std::string> groups;
  std::vector<std::string> known;
  for (const auto& [g, name] : store.metric_names()) {
    groups.insert(g);
    if (g == group) known.push_back(name);
  }
  if (groups.empty()) return db + " has no finished run yet";
  if (known.empty())
    return db + " has no group '" + group + "'. Groups: " + scenario::join({groups.begin(), groups.end()});
  return db + " has no metric '" + metric + "' for group '" + group + "'. Metrics: " + scenario::join(known);
}

namespace {

std::string mean_cell(const analysis::MeanCi& ci) {
  return ci.n == 0                   ? "—"
         : std::isnan(ci.half_width) ? num(ci.mean, 4)
                                     : num(ci.mean, 4) + " ± " + num(ci.half_width, 2);
}

}  // namespace

int show_results(const std::string& db, const std::vector<std::string>& metrics_in, const std::string& group,
                 std::optional<std::uint64_t> paired_with) {
  analysis::ResultsStore store(db, true);
  if (!store.notice().empty()) std::cerr << "note: " << store.notice() << "\n";
  const auto params = store.parameters();
  const auto points = store.points();
  if (paired_with && *paired_with >= points.size()) {
    std::cerr << "error: --paired-with " << *paired_with << ": " << db << " has no point " << *paired_with
              << " (points 0 to " << points.size() - 1 << ")\n";
    return 1;
  }
  std::vector<std::string> metrics = metrics_in;
  if (metrics.empty()) metrics = {"delivery_ratio", "latency_p50_s", "battery_median_years", "coverage_ratio"};
  // [metric][point][replication] → value
  std::vector<std::map<std::uint64_t, std::map<std::uint64_t, double>>> values;
  for (const auto& m : metrics) {
    values.push_back(store.values_by_replication(group, m));
    if (values.back().empty()) {
      std::cerr << "error: " << missing_metric_error(store, db, group, m) << "\n";
      return 1;
    }
  }
  const bool shared = analysis::points_share_seeds(store.runs());
  std::cout << "sweep of " << store.meta("scenario_file") << " — group " << group << "; ";
  if (paired_with) {
    std::cout << "difference from point " << *paired_with
              << ", replication by replication: mean ± half-width of the 95 % confidence interval of the paired "
                 "differences (Student t over the replications both points have)\n";
    std::cout << (shared ? "(the points share their seeds: common random numbers)\n\n"
                         : "(the points have independent seeds: the pairs are independent, and the interval is about "
                           "that of two independent means; sweep.common_random_numbers shares them)\n\n");
  } else {
    std::cout << "mean ± half-width of the 95 % confidence interval (Student t over replications)\n";
    std::cout << (shared ? "(the points share their seeds, common random numbers: whether two points' intervals "
                           "overlap does not say whether they differ; compare them with --paired-with P)\n\n"
                         : "\n");
  }
  std::vector<std::string> header{"point"};
  for (const auto& p : params) header.push_back(p);
  header.push_back(paired_with ? "pairs" : "runs");
  for (const auto& m : metrics) header.push_back(m);
  std::vector<std::vector<std::string>> rows{header};
  for (std::uint64_t p = 0; p < points.size(); ++p) {
    std::vector<std::string> row{std::to_string(p)};
    for (const auto& v : points[p]) row.push_back(v);
    std::size_t n = 0;
    std::vector<std::string> cells;
    for (const auto& v : values) {
      const auto it = v.find(p);
      std::vector<double> x;
      if (it != v.end()) {
        const auto ref = paired_with ? v.find(*paired_with) : v.end();
        for (const auto& [r, value] : it->second) {
          if (!paired_with) {
            x.push_back(value);
          } else if (ref != v.end()) {
            if (const auto other = ref->second.find(r); other != ref->second.end()) x.push_back(value - other->second);
          }
        }
      }
      const auto ci = analysis::mean_ci95(x);
      n = std::max(n, paired_with ? ci.n : x.size());  // pairs with both values; runs, as stored
      cells.push_back(paired_with && p == *paired_with ? "(reference)" : mean_cell(ci));
    }
    row.push_back(std::to_string(n));
    for (auto& c : cells) row.push_back(c);
    rows.push_back(row);
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i)
      std::cout << (i ? "  " : "") << std::left << std::setw(static_cast<int>(width[i])) << r[i];
    std::cout << "\n";
  }
  // What a single run's summary would warn about, per point.
  const auto warned = analysis::point_warnings(store.warnings(), group);
  if (!warned.empty()) std::cout << "\nwarnings (the runs' summary warnings, by point):\n";
  for (const auto& [p, list] : warned)
    for (const auto& [text, runs] : list)
      std::cout << "  point " << p << " (" << runs << " of its runs): " << text << "\n";
  if (const auto n = store.runs_without_warnings(); n > 0)
    std::cout << "\nnote: " << n << " runs were written before the results store kept warnings (schema version "
              << "below 4): their warnings are not known\n";
  return 0;
}

int export_csv(const std::string& db, const std::string& directory) {
  analysis::ResultsStore store(db, true);
  if (!store.notice().empty()) std::cerr << "note: " << store.notice() << "\n";
  const auto params = store.parameters();
  const auto points = store.points();
  const auto names = store.metric_names();
  std::vector<std::string> groups, metrics;
  for (const auto& [g, m] : names) {
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
  }
  std::filesystem::create_directories(directory);
  // Each run's warnings for one group's row: its own, or for `all` every
  // group's, each after its group's name.
  const auto stored = store.warnings();
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<const analysis::ResultsStore::RunWarning*>> warned;
  for (const auto& w : stored) warned[{w.point, w.replication}].push_back(&w);
  const auto warnings_of = [&](std::uint64_t point, std::uint64_t replication, const std::string& group) {
    std::vector<std::string> v;
    const auto it = warned.find({point, replication});
    if (it == warned.end()) return v;
    for (const auto* w : it->second)
      if (std::string text = analysis::warning_in_row(*w, group); !text.empty()) v.push_back(std::move(text));
    return v;
  };
  const auto joined = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& t : v) s += (s.empty() ? "" : " | ") + t;
    return s;
  };
  // [group][metric][point] → the values over replications, gathered while
  // writing runs.csv (runs in (point, replication) order) for points.csv.
  std::vector<std::vector<std::map<std::uint64_t, std::vector<double>>>> all(
      groups.size(), std::vector<std::map<std::uint64_t, std::vector<double>>>(metrics.size()));
  {
    std::ofstream out(std::filesystem::path(directory) / "runs.csv");
    out << "point";
    for (const auto& p : params) out << ',' << csv_field(p);
    out << ",replication,seed,wall_s,events,group";
    for (const auto& m : metrics) out << ',' << m;
    out << ",warnings\n";
    for (const auto& run : store.runs()) {
      const auto values = store.run_metrics(run.point, run.replication);
      for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        out << run.point;
        for (const auto& v : points[run.point]) out << ',' << csv_field(v);
        out << ',' << run.replication << ',' << run.seed << ',' << num(run.wall_s) << ',' << run.events << ','
            << csv_field(groups[gi]);
        for (std::size_t mi = 0; mi < metrics.size(); ++mi) {
          const auto it = values.find({groups[gi], metrics[mi]});
          out << ',' << (it == values.end() ? "" : num(it->second, 10));
          if (it != values.end()) all[gi][mi][run.point].push_back(it->second);  // for points.csv
        }
        const auto w = warnings_of(run.point, run.replication, groups[gi]);
        out << ',' << csv_field(joined(w)) << "\n";
      }
    }
    if (!out) throw std::runtime_error(directory + "/runs.csv: cannot write");
  }
  {
    std::vector<analysis::PointWarnings> by_point;
    for (const auto& g : groups) by_point.push_back(analysis::point_warnings(stored, g));
    std::ofstream out(std::filesystem::path(directory) / "points.csv");
    out << "point";
    for (const auto& p : params) out << ',' << csv_field(p);
    out << ",group,runs";
    for (const auto& m : metrics) out << ',' << m << "_mean," << m << "_ci95_low," << m << "_ci95_high";
    out << ",warnings\n";
    for (std::uint64_t p = 0; p < points.size(); ++p) {
      for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        std::size_t n = 0;
        std::ostringstream cells;
        for (std::size_t mi = 0; mi < metrics.size(); ++mi) {
          const auto it = all[gi][mi].find(p);
          const auto ci = analysis::mean_ci95(it == all[gi][mi].end() ? std::vector<double>{} : it->second);
          n = std::max(n, it == all[gi][mi].end() ? 0 : it->second.size());
          cells << ',' << num(ci.mean, 10) << ',' << num(analysis::ci95_low(metrics[mi], ci), 10) << ','
                << num(analysis::ci95_high(metrics[mi], ci), 10);
        }
        out << p;
        for (const auto& v : points[p]) out << ',' << csv_field(v);
        std::vector<std::string> w;
        if (const auto it = by_point[gi].find(p); it != by_point[gi].end())
          for (const auto& [t, runs] : it->second) w.push_back(t + " (" + std::to_string(runs) + " of the runs)");
        out << ',' << csv_field(groups[gi]) << ',' << n << cells.str() << ',' << csv_field(joined(w)) << "\n";
      }
    }
    if (!out) throw std::runtime_error(directory + "/points.csv: cannot write");
  }
  if (const auto n = store.runs_without_warnings(); n > 0)
    std::cerr << "note: " << n << " runs were written before the results store kept warnings (schema version "
              << "below 4): their warnings columns are empty, not known to be\n";
  std::cout << "wrote " << directory << "/runs.csv and " << directory << "/points.csv\n";
  return 0;
}

}  // namespace m2msim::cli
