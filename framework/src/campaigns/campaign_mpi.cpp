// SPDX-License-Identifier: BSD-3-Clause
// The MPI campaign backend (docs/campaigns.md, "MPI"): `mpirun -np N geoinv campaign CAMPAIGN.yaml`.
//
// Rank 0 owns the campaign folder exactly as a threaded run does (manifest, resume scan, results.csv,
// summary) and hands out run ids dynamically; every rank evaluates runs with the same RunEvaluator as
// the thread pool, so a row does not depend on where it was computed. Rank 0 computes too: with two
// ranks on two cores both cores solve, which is what makes a 2-rank run comparable with --jobs 2.
//
// Where a rank solves (--executor): in worker processes (the default; campaign_mpi_workers.hpp), which
// its worker host forked before MPI_Init runs and replaces when a plugin crashes, the rank's main thread
// handing the host run ids and taking back rows between its messages; or, with --executor threads, on
// `--jobs` threads: its main thread, which handles the messages between its runs, and --jobs - 1 more.
// MPI is called from each rank's main thread only (MPI_THREAD_FUNNELED). A rank with nothing left to
// solve waits by testing and sleeping (MPI_Iprobe on rank 0, non-blocking sends and receives elsewhere)
// instead of blocking in MPI, because Open MPI's blocking calls spin and would take a core away from the
// solvers (wait_politely below).
//
// Protocol (tags below): rank 0 sends every worker rank a Start (the output folder and shard and a first
// chunk of run ids, or "stop" with an exit code when setting up failed). A worker then sends Reports: the
// rows it finished, and whether it wants more runs; rank 0 answers a request with an Assignment (run ids;
// empty means none left). A worker's last Report says finished (after an error, with the message); rank 0
// returns when every worker has finished and its own threads are done.
#include <fmt/format.h>
#include <unistd.h>

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
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "campaigns/campaign.hpp"
#include "campaigns/campaign_mpi.hpp"
#include "campaigns/campaign_mpi_workers.hpp"
#include "geoinv/error.hpp"

namespace mpi = boost::mpi;
namespace fs = std::filesystem;

namespace boost::serialization {
template <class Archive>
void serialize(Archive& archive, geoinv::RunOutcome& outcome, const unsigned /*version*/) {
  archive & outcome.run_id & outcome.rows & outcome.failed;
}
}  // namespace boost::serialization

namespace geoinv {

namespace {

enum Tag : int { kStart = 1, kReport = 2, kAssignment = 3 };

struct Start {
  bool go = false;
  int exit_code = 0;  // when !go: the exit code rank 0 exits with
  std::string details_dir;
  int shard = 0;
  std::uint64_t fingerprint = 0;
  std::vector<std::int64_t> first_runs;  // the worker's first chunk: it starts solving without asking
  template <class Archive>
  void serialize(Archive& archive, const unsigned /*version*/) {
    archive & go & exit_code & details_dir & shard & fingerprint & first_runs;
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

// The main thread of every rank solves too, and handles messages between its runs: with one solver per
// core there is no thread left over to wait for messages, and a waiting thread that sleeps and wakes
// takes time from the solvers and answers late. A message waits at most one run (tens of microseconds
// for a sphere); a worker rank asks for more runs while it still has half a chunk, and at least
// kLowWaterRuns per thread, to solve, so slow runs do not starve it either.
//
// Where a rank only waits (no run left to solve, or a worker that waits for its next chunk), it tests
// and sleeps, from 10 µs doubling to 250 µs, instead of blocking in MPI: Open MPI's blocking calls spin
// on a core, which other ranks' solvers on the same machine need.
constexpr auto kFirstPause = std::chrono::microseconds(10);
constexpr auto kLongestPause = std::chrono::microseconds(250);
constexpr std::size_t kLowWaterRuns = 16;
constexpr std::size_t kReportRuns = 256;  // rows a worker rank sends in one Report at most...
constexpr auto kReportInterval = std::chrono::milliseconds(50);  // ...and it sends them at least this often
constexpr int kLocalWaitMs = 1;  // how long a rank waits for its worker host's rows between its messages

// Sleeps between tests while a rank has nothing to solve: short after activity, longer while idle.
class Backoff {
 public:
  void reset() { pause_ = kFirstPause; }
  void wait() {
    std::this_thread::sleep_for(pause_);
    pause_ = std::min(pause_ * 2, kLongestPause);
  }

 private:
  std::chrono::microseconds pause_ = kFirstPause;
};

// The launcher (mpirun, or its daemon on another host) is every rank's parent. When it is killed, Open
// MPI no longer ends the ranks: they are re-parented and would keep solving, and rank 0 writing, for a
// while. Each rank notices its launcher is gone (its parent changed) where it loops, and stops: a worker
// at once, writing nothing; rank 0 by ending the campaign, which keeps the whole runs written so far and
// releases the folder's lock (--resume completes it).
pid_t launcher_pid() {
  static const pid_t launcher = ::getppid();  // first called before anything runs (run_mpi_campaign)
  return launcher;
}
bool launcher_gone() { return ::getppid() != launcher_pid(); }
constexpr int kLauncherGoneExit = 1;

void exit_if_launcher_gone() {
  if (!launcher_gone()) return;
  std::cerr << "error: the MPI launcher (mpirun) is gone: this rank stops\n";
  std::_Exit(kLauncherGoneExit);
}

void wait_politely(mpi::request request) {
  Backoff backoff;
  while (!request.test()) {
    exit_if_launcher_gone();
    backoff.wait();
  }
}

// Rank 0's executor: serves the worker ranks from the campaign's RunQueue and solves from the same queue,
// on its main thread between messages and on --jobs - 1 more threads; every outcome goes to the
// campaign's sink (results.csv).
class MpiCoordinator final : public geoinv::Executor {
 public:
  MpiCoordinator(mpi::communicator& world, geoinv::ExecutorContext context, int jobs, bool& started,
                 const LocalWorkers& local)
      : world_(world), context_(std::move(context)), jobs_(std::max(1, jobs)), started_(started), local_(local) {}

  void execute(const geoinv::CampaignPlan& plan, geoinv::RunQueue& queue, geoinv::RowSink& sink) override {
    RankWorkers* const workers = local_.get();
    Start start;
    start.go = true;
    start.details_dir = fs::absolute(context_.details_dir).string();  // ranks may start elsewhere
    start.shard = context_.shard;
    start.fingerprint = plan.fingerprint;
    for (int rank = 1; rank < world_.size(); ++rank) {
      start.first_runs = next_chunk(queue);
      wait_politely(world_.isend(rank, kStart, start));
    }
    started_ = true;

    Serving state;
    state.active = world_.size() - 1;
    std::optional<geoinv::RunEvaluator> evaluator;
    if (workers) {
      workers->start({context_.shard, start.details_dir}, plan.fingerprint);
    } else {
      evaluator.emplace(plan, context_.shard, context_.details_dir);
    }
    geoinv::SolverThreads extra(
        plan, context_, workers ? 0 : jobs_ - 1, [&queue] { return queue.next(); },
        [&sink](const geoinv::RunOutcome& outcome) { sink.accept(outcome); }, [&queue] { queue.stop(); });

    Backoff backoff;
    bool solving = true;
    for (;;) {
      const bool served = serve(queue, sink, state);
      if (solving && workers) {
        solving = solve_in_workers(*workers, queue, sink, state, served);
        continue;
      }
      if (solving) {
        if (const auto id = queue.next()) {
          try {
            sink.accept(evaluator->evaluate(geoinv::make_run_spec(plan, *id)));
          } catch (...) {
            state.fail(std::current_exception(), queue);
          }
          continue;
        }
        solving = false;
      }
      if (state.active == 0 && state.sends.empty()) break;
      if (launcher_gone()) {
        queue.stop();
        extra.join();
        throw geoinv::Error(geoinv::Error::Category::io,
                            "the MPI launcher (mpirun) is gone: the campaign stops; --resume completes it");
      }
      if (served) {
        backoff.reset();
      } else {
        backoff.wait();
      }
    }
    extra.join();
    if (state.failure) std::rethrow_exception(state.failure);
    if (const auto extra_failure = extra.failure()) std::rethrow_exception(extra_failure);
    if (!state.worker_error.empty()) {
      if (state.worker_error_category < 0) throw std::runtime_error(state.worker_error);
      throw geoinv::Error(static_cast<geoinv::Error::Category>(state.worker_error_category), state.worker_error);
    }
  }

 private:
  // What serving the worker ranks has left: the first failure, a worker's error, the Assignments in flight
  // (a vector of run ids is sent from its own memory, kept until the send is done), the ranks still busy.
  struct Serving {
    std::exception_ptr failure;
    std::string worker_error;
    int worker_error_category = -1;
    std::list<std::pair<Assignment, mpi::request>> sends;
    int active = 0;
    // The first failure ends the campaign: no run is handed out after it.
    void fail(std::exception_ptr error, geoinv::RunQueue& queue) {
      if (!failure) failure = error;
      queue.stop();
    }
  };

  // Every Report waiting: its rows to the sink, and an answer when it asks for more runs. Returns whether
  // there was one.
  bool serve(geoinv::RunQueue& queue, geoinv::RowSink& sink, Serving& state) {
    bool served = false;
    while (const boost::optional<mpi::status> probe = world_.iprobe(mpi::any_source, kReport)) {
      served = true;
      Report report;
      world_.recv(probe->source(), kReport, report);
      try {
        if (!state.failure)
          for (const auto& outcome : report.outcomes) sink.accept(outcome);
      } catch (...) {
        state.fail(std::current_exception(), queue);
      }
      if (!report.error.empty() && state.worker_error.empty()) {
        state.worker_error = fmt::format("rank {}: {}", probe->source(), report.error);
        state.worker_error_category = report.error_category;
        queue.stop();
      }
      if (report.finished) {
        --state.active;
      } else if (report.want_more) {
        state.sends.emplace_back(next_chunk(queue), mpi::request());
        state.sends.back().second = world_.isend(probe->source(), kAssignment, state.sends.back().first);
      }
    }
    state.sends.remove_if([](std::pair<Assignment, mpi::request>& send) { return bool(send.second.test()); });
    return served;
  }

  // Tops up this rank's worker host from the queue and takes the rows it finished (waiting a little when
  // no message came); false once the host has done every run, or failed. The host holds no more than
  // the chunk another rank would get now (two runs per worker at least): rank 0 draws on the same queue
  // as the others and must not hoard the last runs while they idle.
  bool solve_in_workers(RankWorkers& workers, geoinv::RunQueue& queue, geoinv::RowSink& sink,
                        Serving& state, bool served) {
    try {
      const std::size_t share = std::max(2 * static_cast<std::size_t>(jobs_), chunk_size(queue));
      const std::size_t room = std::min(workers.room(), share - std::min(share, workers.held()));
      Assignment ids;
      while (ids.size() < room) {
        const auto id = queue.next();
        if (!id) break;
        ids.push_back(*id);
      }
      workers.give(ids);
      if (ids.size() < room) workers.no_more_runs();
      return workers.collect(served ? 0 : kLocalWaitMs, [&](const geoinv::RunOutcome& outcome) {
        if (!state.failure) sink.accept(outcome);
      });
    } catch (...) {
      state.fail(std::current_exception(), queue);
      return false;
    }
  }

  // Guided self-scheduling: big chunks while much is left (few messages), single runs at the end (no rank
  // idles while another finishes a long chunk).
  std::size_t chunk_size(const geoinv::RunQueue& queue) const {
    const std::int64_t solvers = static_cast<std::int64_t>(world_.size()) * jobs_;
    return static_cast<std::size_t>(std::clamp<std::int64_t>(queue.remaining_estimate() / (4 * solvers), 1, 256));
  }
  Assignment next_chunk(geoinv::RunQueue& queue) const {
    const std::size_t size = chunk_size(queue);
    Assignment ids;
    while (ids.size() < size) {
      const auto id = queue.next();
      if (!id) break;
      ids.push_back(*id);
    }
    return ids;
  }

  mpi::communicator& world_;
  geoinv::ExecutorContext context_;
  int jobs_;
  bool& started_;
  const LocalWorkers& local_;
};

// A worker rank: run ids arrive from rank 0 in chunks. The main thread solves from the backlog like the
// other threads and, between its runs, sends the finished rows and asks for more ids while the backlog
// still lasts, so no thread waits for a message.
class WorkerRank {
 public:
  WorkerRank(mpi::communicator& world, const fs::path& campaign_file, std::vector<std::string> overrides, int jobs,
             const LocalWorkers& local)
      : local_(local),
        world_(world),
        campaign_file_(campaign_file),
        overrides_(std::move(overrides)),
        jobs_(jobs),
        solvers_(static_cast<std::size_t>(std::max(1, jobs))) {}

  // The whole protocol; returns the rank's exit code.
  int run() {
    // The campaign is read and checked while rank 0 validates and writes the manifest, not after: at tens
    // of thousands of runs a second the few milliseconds this takes (plugins load, sample runs set up)
    // would be runs rank 0 solves alone.
    try {
      plan_.emplace(load_campaign(campaign_file_, overrides_));
      validate_campaign(*plan_);
    } catch (...) {
      report_.set_error(std::current_exception());
    }
    wait_politely(world_.irecv(0, kStart, start_));  // rank 0 may validate and write the manifest a while
    if (!start_.go) return start_.exit_code;  // rank 0 failed to set up and reports why; this rank's error is the same
    backlog_.assign(start_.first_runs.begin(), start_.first_runs.end());
    exhausted_ = backlog_.empty();
    low_water_ = std::max(kLowWaterRuns * solvers_, start_.first_runs.size() / 2);
    start_solvers();
    last_report_ = std::chrono::steady_clock::now();
    Backoff backoff;
    while (report_.error.empty()) {
      exit_if_launcher_gone();
      exchange_messages();
      if (const auto failure = extra_ ? extra_->failure() : nullptr) {
        report_.set_error(failure);
        break;
      }
      if (!solve_one(backoff)) break;
    }
    return finish();
  }

 private:
  // Run ids for the solvers; the caller holds `mutex_`.
  std::optional<std::int64_t> take() {
    if (stopping_ || backlog_.empty()) return std::nullopt;
    const std::int64_t id = backlog_.front();
    backlog_.pop_front();
    ++in_flight_;
    return id;
  }

  void deliver(const RunOutcome& outcome) {
    std::lock_guard<std::mutex> lock(mutex_);
    outbox_.push_back(outcome);
    --in_flight_;
  }

  // This thread's evaluator and the --jobs - 1 extra threads, unless reading the campaign failed (then
  // nothing is solved and the error is reported).
  void start_solvers() {
    try {
      if (report_.error.empty() && plan_->fingerprint != start_.fingerprint)
        throw Error(Error::Category::io,
                    "this rank reads another campaign than rank 0 (its campaign or base file differs)",
                    {campaign_file_.string()});
      if (!report_.error.empty()) return;
      const ExecutorContext context{start_.shard, start_.details_dir};
      workers_ = local_.get();
      if (workers_) {
        workers_->start(context, start_.fingerprint);
        return;
      }
      evaluator_.emplace(*plan_, context.shard, context.details_dir);
      extra_ = std::make_unique<SolverThreads>(
          *plan_, context, jobs_ - 1,
          [this]() -> std::optional<std::int64_t> {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_worker_.wait(lock, [this] { return stopping_ || !backlog_.empty() || exhausted_; });
            return take();
          },
          [this](const RunOutcome& outcome) { deliver(outcome); });
    } catch (...) {
      report_.set_error(std::current_exception());
    }
  }

  // Messages first: a new chunk, a finished send, then rows to send and more runs to ask for.
  void exchange_messages() {
    if (assignment_in_flight_ && assignment_in_flight_->test()) {
      assignment_in_flight_.reset();
      std::lock_guard<std::mutex> lock(mutex_);
      if (incoming_.empty()) exhausted_ = true;
      low_water_ = std::max(kLowWaterRuns * solvers_, incoming_.size() / 2);
      backlog_.insert(backlog_.end(), incoming_.begin(), incoming_.end());
      wake_worker_.notify_all();
    }
    if (report_in_flight_ && report_in_flight_->test()) report_in_flight_.reset();
    if (report_in_flight_) return;
    std::unique_lock<std::mutex> lock(mutex_);
    report_.want_more = !exhausted_ && !assignment_in_flight_ && backlog_.size() < low_water_;
    const auto now = std::chrono::steady_clock::now();
    if (report_.want_more || outbox_.size() >= kReportRuns ||
        (!outbox_.empty() && (now - last_report_ >= kReportInterval || (exhausted_ && backlog_.empty())))) {
      report_.outcomes.swap(outbox_);
      lock.unlock();
      report_in_flight_ = world_.isend(0, kReport, report_);
      report_.outcomes.clear();
      last_report_ = now;
      if (report_.want_more) assignment_in_flight_ = world_.irecv(0, kAssignment, incoming_);
    }
  }

  // One run on this thread, or a pause for the next chunk or the extra threads' last runs; false when
  // every run is done and sent.
  bool solve_one(Backoff& backoff) {
    if (workers_) return solve_in_workers();
    std::optional<std::int64_t> id;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      id = take();
      if (!id && exhausted_ && in_flight_ == 0 && outbox_.empty()) return false;
    }
    if (id) {
      try {
        deliver(evaluator_->evaluate(make_run_spec(*plan_, *id)));
      } catch (...) {
        report_.set_error(std::current_exception());
      }
      backoff.reset();
    } else {
      backoff.wait();
    }
    return true;
  }

  // Hands the worker host ids from the backlog and takes the rows it finished; false when every run is
  // done and sent.
  bool solve_in_workers() {
    Assignment ids;
    bool dry = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (std::size_t room = workers_->room(); ids.size() < room;) {
        const auto id = take();
        if (!id) break;
        ids.push_back(*id);
      }
      dry = exhausted_ && backlog_.empty();
    }
    try {
      workers_->give(ids);
      if (dry) workers_->no_more_runs();
      workers_->collect(kLocalWaitMs, [this](const RunOutcome& outcome) { deliver(outcome); });
    } catch (...) {
      report_.set_error(std::current_exception());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    return !(exhausted_ && backlog_.empty() && in_flight_ == 0 && outbox_.empty());
  }

  // Stops the extra threads and sends the last Report (finished, with the error if any).
  int finish() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = !report_.error.empty();
      exhausted_ = true;
      wake_worker_.notify_all();
    }
    if (extra_) extra_->join();
    if (report_.error.empty() && extra_ && extra_->failure()) report_.set_error(extra_->failure());
    // Rank 0 answers every request, even after an error: take the answer, so no message is left unmatched.
    if (assignment_in_flight_) wait_politely(*assignment_in_flight_);
    if (report_in_flight_) wait_politely(*report_in_flight_);
    report_.outcomes = std::move(outbox_);
    report_.want_more = false;
    report_.finished = true;
    wait_politely(world_.isend(0, kReport, report_));
    return report_.error.empty() ? 0 : 1;
  }

  const LocalWorkers& local_;
  RankWorkers* workers_ = nullptr;  // --executor processes: this rank's worker host
  mpi::communicator& world_;
  const fs::path campaign_file_;
  const std::vector<std::string> overrides_;  // --set, the same on every rank
  const int jobs_;
  const std::size_t solvers_;
  Report report_;
  std::optional<CampaignPlan> plan_;
  Start start_;

  // Shared with the extra threads, under `mutex_`.
  std::mutex mutex_;
  std::condition_variable wake_worker_;
  std::deque<std::int64_t> backlog_;
  bool exhausted_ = false;  // rank 0 has no run left to give
  bool stopping_ = false;
  std::vector<RunOutcome> outbox_;
  std::int64_t in_flight_ = 0;  // runs taken from the backlog and not yet in the outbox
  std::size_t low_water_ = 0;

  std::optional<RunEvaluator> evaluator_;
  std::unique_ptr<SolverThreads> extra_;
  std::optional<mpi::request> report_in_flight_;  // Boost.MPI keeps the serialized Report itself
  std::optional<mpi::request> assignment_in_flight_;
  Assignment incoming_;  // received into until assignment_in_flight_ completes
  std::chrono::steady_clock::time_point last_report_;
};

int serve_as_worker(mpi::communicator& world, const fs::path& campaign_file,
                    const std::vector<std::string>& overrides, int jobs, const LocalWorkers& local) {
  return WorkerRank(world, campaign_file, overrides, jobs, local).run();
}

}  // namespace

int run_mpi_campaign(const fs::path& campaign_file, CampaignOptions options,
                     const std::function<void(const CampaignReport&)>& print, const ReportFailure& report_failure) {
  // Boost.MPI's environment aborts every rank if it is destroyed while an exception propagates, so an
  // MPI error is carried past its end and thrown afterwards, as any other command's error.
  const int jobs = options.jobs > 0 ? options.jobs : 1;  // under MPI: worker processes or threads per rank
  const LocalWorkers local = fork_local_workers(campaign_file, options, jobs);  // no fork after MPI_Init
  std::optional<mpi::environment> environment(std::in_place, mpi::threading::funneled);
  launcher_pid();
  std::exception_ptr failure;
  int exit_code = 0;
  try {
    mpi::communicator world;
    if (world.rank() != 0) {
      exit_code = serve_as_worker(world, campaign_file, options.overrides, jobs, local);
    } else {
      bool started = false;
      options.make_executor = [&](const geoinv::ExecutorContext& context) -> std::unique_ptr<geoinv::Executor> {
        return std::make_unique<MpiCoordinator>(world, context, jobs, started, local);
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
      } catch (...) {
        // Printed before the other ranks are let go: they exit with its code as soon as rank 0 is in
        // MPI_Finalize, and the launcher then kills the ranks still running, rank 0 maybe before it
        // printed why.
        exit_code = report_failure(std::current_exception());
        release_workers(exit_code);
      }
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (launcher_gone()) std::_Exit(exit_code != 0 ? exit_code : kLauncherGoneExit);  // no peer to finalize with
  environment.reset();
  if (failure) std::rethrow_exception(failure);
  return exit_code;
}

}  // namespace geoinv
