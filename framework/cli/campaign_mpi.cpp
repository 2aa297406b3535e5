// The MPI campaign backend (docs/campaigns.md, "MPI"): `mpirun -np N geoinv campaign CAMPAIGN.yaml`.
//
// Rank 0 owns the campaign folder exactly as a threaded run does (manifest, resume scan, results.csv,
// summary) and hands out run ids dynamically; every rank evaluates runs with the same RunEvaluator as
// the thread pool, so a row does not depend on where it was computed. Rank 0 computes too: with two
// ranks on two cores both cores solve, which is what makes a 2-rank run comparable with --jobs 2.
//
// Threads: MPI is called from each rank's main thread only (MPI_THREAD_FUNNELED); the solving happens on
// `--jobs` worker threads per rank (default 1). Every rank's main thread waits by testing and sleeping
// (MPI_Iprobe on rank 0, non-blocking sends and receives elsewhere) instead of blocking in MPI, because
// Open MPI's blocking calls spin and would take a core away from the solvers (wait_politely below).
//
// Protocol (tags below): rank 0 sends every worker rank a Start (the output folder and shard, or "stop"
// with an exit code when setting up failed). A worker then sends Reports: the rows it finished, and
// whether it wants more runs; rank 0 answers a request with an Assignment (run ids; empty means none
// left). A worker's last Report says finished (after an error, with the message); rank 0 returns when
// every worker has finished and its own threads are done.
#include <fmt/format.h>

#include <algorithm>
#include <boost/mpi.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "campaign.hpp"
#include "campaign_mpi.hpp"
#include "geoinv/error.hpp"

namespace mpi = boost::mpi;
namespace fs = std::filesystem;

namespace boost::serialization {
template <class Archive>
void serialize(Archive& archive, geoinv::RunOutcome& outcome, const unsigned /*version*/) {
  archive & outcome.run_id & outcome.rows & outcome.failed;
}
}  // namespace boost::serialization

namespace geoinv_cli {

namespace {

enum Tag : int { kStart = 1, kReport = 2, kAssignment = 3 };

struct Start {
  bool go = false;
  int exit_code = 0;  // when !go: the exit code rank 0 exits with
  std::string details_dir;
  int shard = 0;
  std::uint64_t fingerprint = 0;
  template <class Archive>
  void serialize(Archive& archive, const unsigned /*version*/) {
    archive & go & exit_code & details_dir & shard & fingerprint;
  }
};

struct Report {
  std::vector<geoinv::RunOutcome> outcomes;
  bool want_more = false;
  bool finished = false;
  std::string error;  // a worker's fatal error (I/O, a plugin that cannot load): the campaign stops
  int error_category = -1;  // geoinv::Error::Category of `error`, or -1 for another exception
  template <class Archive>
  void serialize(Archive& archive, const unsigned /*version*/) {
    archive & outcomes & want_more & finished & error & error_category;
  }
  void set_error(const std::exception_ptr& failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const geoinv::Error& e) {
      error = e.what();
      error_category = static_cast<int>(e.category());
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown error";
    }
  }
};

using Assignment = std::vector<std::int64_t>;

// Open MPI's blocking calls spin on a core until the message comes; with as many solver threads as cores
// that spinning takes a core from them. Every wait here instead tests and sleeps, from 10 µs doubling to
// 1 ms while nothing comes: a worker asks for more runs while it still has half a chunk to solve, so a
// millisecond of latency costs nothing.
constexpr auto kFirstPause = std::chrono::microseconds(10);
constexpr auto kLongestPause = std::chrono::microseconds(1000);

void wait_politely(mpi::request request) {
  auto pause = kFirstPause;
  while (!request.test()) {
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, kLongestPause);
  }
}

// The worker threads of one rank: each pulls run ids from `next`, evaluates them with its own
// RunEvaluator (plugins loaded up front on the calling thread) and hands outcomes to `deliver`.
class WorkerThreads {
 public:
  template <class Next, class Deliver>
  WorkerThreads(const geoinv::CampaignPlan& plan, const geoinv::ExecutorContext& context, int jobs, Next next,
                Deliver deliver) {
    for (int j = 0; j < jobs; ++j)
      evaluators_.push_back(std::make_unique<geoinv::RunEvaluator>(plan, context.shard, context.details_dir));
    for (int j = 0; j < jobs; ++j) {
      threads_.emplace_back([this, &plan, j, next, deliver] {
        try {
          while (const auto id = next())
            deliver(evaluators_[static_cast<std::size_t>(j)]->evaluate(geoinv::make_run_spec(plan, *id)));
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex_);
          if (!failure_) failure_ = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(mutex_);
        ++finished_;
      });
    }
  }
  ~WorkerThreads() { join(); }
  void join() {
    for (auto& thread : threads_)
      if (thread.joinable()) thread.join();
  }
  bool all_finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_ == threads_.size();
  }
  std::exception_ptr failure() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failure_;
  }

 private:
  std::vector<std::unique_ptr<geoinv::RunEvaluator>> evaluators_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::size_t finished_ = 0;
  std::exception_ptr failure_;
};

// Rank 0's executor: serves the worker ranks from the campaign's RunQueue and solves with its own
// threads from the same queue; every outcome goes to the campaign's sink (results.csv).
class MpiCoordinator final : public geoinv::Executor {
 public:
  MpiCoordinator(mpi::communicator& world, geoinv::ExecutorContext context, int jobs, bool& started)
      : world_(world), context_(std::move(context)), jobs_(std::max(1, jobs)), started_(started) {}

  void execute(const geoinv::CampaignPlan& plan, geoinv::RunQueue& queue, geoinv::RowSink& sink) override {
    Start start;
    start.go = true;
    start.details_dir = fs::absolute(context_.details_dir).string();  // ranks may start elsewhere
    start.shard = context_.shard;
    start.fingerprint = plan.fingerprint;
    for (int rank = 1; rank < world_.size(); ++rank) wait_politely(world_.isend(rank, kStart, start));
    started_ = true;

    std::exception_ptr failure;
    std::string worker_error;
    int worker_error_category = -1;
    WorkerThreads local(
        plan, context_, jobs_, [&queue] { return queue.next(); },
        [&sink](const geoinv::RunOutcome& outcome) { sink.accept(outcome); });

    int active = world_.size() - 1;
    auto pause = kFirstPause;
    while (active > 0) {
      const boost::optional<mpi::status> probe = world_.iprobe(mpi::any_source, kReport);
      if (!probe) {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, kLongestPause);
        continue;
      }
      pause = kFirstPause;
      Report report;
      world_.recv(probe->source(), kReport, report);
      try {
        if (!failure)
          for (const auto& outcome : report.outcomes) sink.accept(outcome);
      } catch (...) {
        failure = std::current_exception();
        queue.stop();
      }
      if (!report.error.empty() && worker_error.empty()) {
        worker_error = fmt::format("rank {}: {}", probe->source(), report.error);
        worker_error_category = report.error_category;
        queue.stop();
      }
      if (report.finished) {
        --active;
        continue;
      }
      if (report.want_more) {
        Assignment ids;
        const std::size_t chunk = chunk_size(queue);
        while (ids.size() < chunk) {
          const auto id = queue.next();
          if (!id) break;
          ids.push_back(*id);
        }
        wait_politely(world_.isend(probe->source(), kAssignment, ids));
      }
    }
    local.join();
    if (failure) std::rethrow_exception(failure);
    if (const auto local_failure = local.failure()) std::rethrow_exception(local_failure);
    if (!worker_error.empty()) {
      if (worker_error_category < 0) throw std::runtime_error(worker_error);
      throw geoinv::Error(static_cast<geoinv::Error::Category>(worker_error_category), worker_error);
    }
  }

 private:
  // Guided self-scheduling: big chunks while much is left (few messages), single runs at the end (no rank
  // idles while another finishes a long chunk).
  std::size_t chunk_size(const geoinv::RunQueue& queue) const {
    const std::int64_t workers = static_cast<std::int64_t>(world_.size()) * jobs_;
    const std::int64_t chunk = queue.remaining_estimate() / (4 * workers);
    return static_cast<std::size_t>(std::clamp<std::int64_t>(chunk, 1, 256));
  }

  mpi::communicator& world_;
  geoinv::ExecutorContext context_;
  int jobs_;
  bool& started_;
};

// A worker rank: run ids arrive from rank 0 in chunks; the main thread trades finished rows for more ids
// whenever the local backlog runs low, so the solver threads rarely wait for a message.
int serve_as_worker(mpi::communicator& world, const fs::path& campaign_file, int jobs) {
  // The campaign is read and checked while rank 0 validates and writes the manifest, not after: at tens
  // of thousands of runs a second the few milliseconds this takes (plugins load, sample runs set up)
  // would be runs rank 0 solves alone.
  Report report;
  std::optional<geoinv::CampaignPlan> plan;
  try {
    plan.emplace(geoinv::load_campaign(campaign_file));
    geoinv::validate_campaign(*plan);
  } catch (...) {
    report.set_error(std::current_exception());
  }
  Start start;
  wait_politely(world.irecv(0, kStart, start));  // rank 0 may validate and write the manifest a while
  if (!start.go) return start.exit_code;  // rank 0 failed to set up and reports why; this rank's error is the same

  std::deque<std::int64_t> backlog;
  bool exhausted = false;
  std::mutex mutex;
  std::condition_variable wake_worker, wake_main;
  std::vector<geoinv::RunOutcome> outbox;
  bool stopping = false;
  std::int64_t in_flight = 0;  // runs taken from the backlog and not yet in the outbox
  // Ask for more while half the last chunk is still queued, so the reply arrives before the threads run
  // dry (rank 0 answers within a poll interval, or later on a loaded machine).
  std::size_t low_water = static_cast<std::size_t>(std::max(1, jobs));
  constexpr std::size_t kOutboxRuns = 256;  // rows sent in one Report, unless more runs are wanted sooner
  // What the main thread waits for. The solver threads wake it only when this turns true, not at every
  // run: a wake-up per run would cost a context switch per run on a machine whose cores all solve.
  const auto main_has_work = [&] {
    return (!exhausted && backlog.size() < low_water) || (exhausted && in_flight == 0 && backlog.empty()) ||
           outbox.size() >= kOutboxRuns;
  };

  std::unique_ptr<WorkerThreads> threads;
  try {
    if (report.error.empty() && plan->fingerprint != start.fingerprint)
      throw geoinv::Error(geoinv::Error::Category::io,
                          "this rank reads another campaign than rank 0 (its campaign or base file differs)",
                          {campaign_file.string()});
    if (report.error.empty()) {  // else reading the campaign failed: reported below, no threads
      const geoinv::ExecutorContext context{start.shard, start.details_dir};
      threads = std::make_unique<WorkerThreads>(
          *plan, context, jobs,
          [&]() -> std::optional<std::int64_t> {
            std::unique_lock<std::mutex> lock(mutex);
            wake_worker.wait(lock, [&] { return stopping || !backlog.empty() || exhausted; });
            if (stopping || backlog.empty()) return std::nullopt;
            const std::int64_t id = backlog.front();
            backlog.pop_front();
            ++in_flight;
            if (main_has_work()) wake_main.notify_one();
            return id;
          },
          [&](const geoinv::RunOutcome& outcome) {
            std::lock_guard<std::mutex> lock(mutex);
            outbox.push_back(outcome);
            --in_flight;
            if (main_has_work()) wake_main.notify_one();
          });
    }
  } catch (...) {
    report.set_error(std::current_exception());
  }

  while (report.error.empty()) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      // The timeout sends finished rows at least every few milliseconds when runs are slow.
      wake_main.wait_for(lock, std::chrono::milliseconds(5), main_has_work);
      if (exhausted && in_flight == 0 && backlog.empty()) break;
      report.outcomes.swap(outbox);
      report.want_more = !exhausted && backlog.size() < low_water;
    }
    if (threads) {
      if (const auto failure = threads->failure()) {
        report.set_error(failure);
        break;
      }
    }
    if (report.outcomes.empty() && !report.want_more) continue;
    wait_politely(world.isend(0, kReport, report));
    report.outcomes.clear();
    if (report.want_more) {
      Assignment ids;
      wait_politely(world.irecv(0, kAssignment, ids));
      std::lock_guard<std::mutex> lock(mutex);
      if (ids.empty()) exhausted = true;
      low_water = std::max(static_cast<std::size_t>(std::max(1, jobs)), ids.size() / 2);
      backlog.insert(backlog.end(), ids.begin(), ids.end());
      wake_worker.notify_all();
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = !report.error.empty();
    exhausted = true;
    wake_worker.notify_all();
  }
  if (threads) threads->join();
  {
    std::lock_guard<std::mutex> lock(mutex);
    report.outcomes.insert(report.outcomes.end(), outbox.begin(), outbox.end());
  }
  if (report.error.empty() && threads && threads->failure()) report.set_error(threads->failure());
  report.want_more = false;
  report.finished = true;
  wait_politely(world.isend(0, kReport, report));
  return report.error.empty() ? 0 : 1;
}

}  // namespace

int mpi_world_size_from_environment() {
  // Set by the launchers for every rank: Open MPI's mpirun, and PMI (MPICH, Slurm's srun).
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* value = std::getenv(name)) {
      const int size = std::atoi(value);
      if (size > 0) return size;
    }
  }
  return 1;
}

int run_mpi_campaign(const fs::path& campaign_file, geoinv::CampaignOptions options,
                     const std::function<void(const geoinv::CampaignReport&)>& print) {
  // Boost.MPI's environment aborts every rank if it is destroyed while an exception propagates, so the
  // error is carried past its end and thrown afterwards, as any other command's error.
  std::optional<mpi::environment> environment(std::in_place, mpi::threading::funneled);
  std::exception_ptr failure;
  int exit_code = 0;
  try {
    mpi::communicator world;
    const int jobs = options.jobs > 0 ? options.jobs : 1;  // under MPI: threads per rank
    if (world.rank() != 0) {
      exit_code = serve_as_worker(world, campaign_file, jobs);
    } else {
      bool started = false;
      options.make_executor = [&](const geoinv::ExecutorContext& context) -> std::unique_ptr<geoinv::Executor> {
        return std::make_unique<MpiCoordinator>(world, context, jobs, started);
      };
      const auto release_workers = [&](int code) {
        if (started) return;
        Start stop;
        stop.exit_code = code;
        for (int rank = 1; rank < world.size(); ++rank) wait_politely(world.isend(rank, kStart, stop));
        started = true;
      };
      try {
        const geoinv::CampaignReport report = geoinv::run_campaign(campaign_file, options);
        release_workers(0);
        print(report);
      } catch (const geoinv::Error& error) {
        release_workers(error.exit_code());
        throw;
      } catch (...) {
        release_workers(1);
        throw;
      }
    }
  } catch (...) {
    failure = std::current_exception();
  }
  environment.reset();
  if (failure) std::rethrow_exception(failure);
  return exit_code;
}

}  // namespace geoinv_cli
