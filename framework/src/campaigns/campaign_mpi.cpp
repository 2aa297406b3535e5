// The MPI campaign backend (docs/campaigns.md, "MPI"): `mpirun -np N geoinv campaign CAMPAIGN.yaml`.
//
// Rank 0 owns the campaign folder exactly as a threaded run does (manifest, resume scan, results.csv,
// summary) and hands out run ids dynamically; every rank evaluates runs with the same RunEvaluator as
// the thread pool, so a row does not depend on where it was computed. Rank 0 computes too: with two
// ranks on two cores both cores solve, which is what makes a 2-rank run comparable with --jobs 2.
//
// Threads: MPI is called from each rank's main thread only (MPI_THREAD_FUNNELED). Each rank solves on
// `--jobs` threads (default 1): its main thread, which handles the messages between its runs, and
// --jobs - 1 more. A rank with nothing left to solve waits by testing and sleeping (MPI_Iprobe on rank 0,
// non-blocking sends and receives elsewhere) instead of blocking in MPI, because Open MPI's blocking
// calls spin and would take a core away from the solvers (wait_politely below).
//
// Protocol (tags below): rank 0 sends every worker rank a Start (the output folder and shard and a first
// chunk of run ids, or "stop" with an exit code when setting up failed). A worker then sends Reports: the
// rows it finished, and whether it wants more runs; rank 0 answers a request with an Assignment (run ids;
// empty means none left). A worker's last Report says finished (after an error, with the message); rank 0
// returns when every worker has finished and its own threads are done.
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
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "campaigns/campaign.hpp"
#include "campaigns/campaign_mpi.hpp"
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

void wait_politely(mpi::request request) {
  Backoff backoff;
  while (!request.test()) backoff.wait();
}

// Rank 0's executor: serves the worker ranks from the campaign's RunQueue and solves from the same queue,
// on its main thread between messages and on --jobs - 1 more threads; every outcome goes to the
// campaign's sink (results.csv).
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
    for (int rank = 1; rank < world_.size(); ++rank) {
      start.first_runs = next_chunk(queue);
      wait_politely(world_.isend(rank, kStart, start));
    }
    started_ = true;

    std::exception_ptr failure;
    std::string worker_error;
    int worker_error_category = -1;
    const auto fail = [&](std::exception_ptr error) {
      if (!failure) failure = error;
      queue.stop();
    };
    geoinv::RunEvaluator evaluator(plan, context_.shard, context_.details_dir);
    geoinv::SolverThreads extra(
        plan, context_, jobs_ - 1, [&queue] { return queue.next(); },
        [&sink](const geoinv::RunOutcome& outcome) { sink.accept(outcome); }, [&queue] { queue.stop(); });

    // Assignments in flight: a vector of run ids is sent from its own memory, kept until the send is done.
    std::list<std::pair<Assignment, mpi::request>> sends;
    int active = world_.size() - 1;
    // Every Report waiting: its rows to the sink, and an answer when it asks for more runs.
    const auto serve = [&] {
      bool served = false;
      while (const boost::optional<mpi::status> probe = world_.iprobe(mpi::any_source, kReport)) {
        served = true;
        Report report;
        world_.recv(probe->source(), kReport, report);
        try {
          if (!failure)
            for (const auto& outcome : report.outcomes) sink.accept(outcome);
        } catch (...) {
          fail(std::current_exception());
        }
        if (!report.error.empty() && worker_error.empty()) {
          worker_error = fmt::format("rank {}: {}", probe->source(), report.error);
          worker_error_category = report.error_category;
          queue.stop();
        }
        if (report.finished) {
          --active;
        } else if (report.want_more) {
          sends.emplace_back(next_chunk(queue), mpi::request());
          sends.back().second = world_.isend(probe->source(), kAssignment, sends.back().first);
        }
      }
      sends.remove_if([](std::pair<Assignment, mpi::request>& send) { return bool(send.second.test()); });
      return served;
    };

    Backoff backoff;
    bool solving = true;
    for (;;) {
      const bool served = serve();
      if (solving) {
        if (const auto id = queue.next()) {
          try {
            sink.accept(evaluator.evaluate(geoinv::make_run_spec(plan, *id)));
          } catch (...) {
            fail(std::current_exception());
          }
          continue;
        }
        solving = false;
      }
      if (active == 0 && sends.empty()) break;
      if (served) {
        backoff.reset();
      } else {
        backoff.wait();
      }
    }
    extra.join();
    if (failure) std::rethrow_exception(failure);
    if (const auto extra_failure = extra.failure()) std::rethrow_exception(extra_failure);
    if (!worker_error.empty()) {
      if (worker_error_category < 0) throw std::runtime_error(worker_error);
      throw geoinv::Error(static_cast<geoinv::Error::Category>(worker_error_category), worker_error);
    }
  }

 private:
  // Guided self-scheduling: big chunks while much is left (few messages), single runs at the end (no rank
  // idles while another finishes a long chunk).
  Assignment next_chunk(geoinv::RunQueue& queue) const {
    const std::int64_t solvers = static_cast<std::int64_t>(world_.size()) * jobs_;
    const auto size =
        static_cast<std::size_t>(std::clamp<std::int64_t>(queue.remaining_estimate() / (4 * solvers), 1, 256));
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
};

// A worker rank: run ids arrive from rank 0 in chunks. The main thread solves from the backlog like the
// other threads and, between its runs, sends the finished rows and asks for more ids while the backlog
// still lasts, so no thread waits for a message.
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

  // Shared with the extra threads, under `mutex`.
  std::mutex mutex;
  std::condition_variable wake_worker;
  std::deque<std::int64_t> backlog(start.first_runs.begin(), start.first_runs.end());
  bool exhausted = backlog.empty();  // rank 0 has no run left to give
  bool stopping = false;
  std::vector<geoinv::RunOutcome> outbox;
  std::int64_t in_flight = 0;  // runs taken from the backlog and not yet in the outbox
  const std::size_t solvers = static_cast<std::size_t>(std::max(1, jobs));
  std::size_t low_water = std::max(kLowWaterRuns * solvers, start.first_runs.size() / 2);

  const auto take = [&](std::unique_lock<std::mutex>&) -> std::optional<std::int64_t> {
    if (stopping || backlog.empty()) return std::nullopt;
    const std::int64_t id = backlog.front();
    backlog.pop_front();
    ++in_flight;
    return id;
  };
  const auto deliver = [&](const geoinv::RunOutcome& outcome) {
    std::lock_guard<std::mutex> lock(mutex);
    outbox.push_back(outcome);
    --in_flight;
  };

  std::optional<geoinv::RunEvaluator> evaluator;
  std::unique_ptr<geoinv::SolverThreads> extra;
  try {
    if (report.error.empty() && plan->fingerprint != start.fingerprint)
      throw geoinv::Error(geoinv::Error::Category::io,
                          "this rank reads another campaign than rank 0 (its campaign or base file differs)",
                          {campaign_file.string()});
    if (report.error.empty()) {  // else reading the campaign failed: reported below, nothing solved
      const geoinv::ExecutorContext context{start.shard, start.details_dir};
      evaluator.emplace(*plan, context.shard, context.details_dir);
      extra = std::make_unique<geoinv::SolverThreads>(
          *plan, context, jobs - 1,
          [&]() -> std::optional<std::int64_t> {
            std::unique_lock<std::mutex> lock(mutex);
            wake_worker.wait(lock, [&] { return stopping || !backlog.empty() || exhausted; });
            return take(lock);
          },
          deliver);
    }
  } catch (...) {
    report.set_error(std::current_exception());
  }

  std::optional<mpi::request> report_in_flight;  // Boost.MPI keeps the serialized Report itself
  std::optional<mpi::request> assignment_in_flight;
  Assignment incoming;  // received into until assignment_in_flight completes
  auto last_report = std::chrono::steady_clock::now();
  Backoff backoff;
  while (report.error.empty()) {
    // Messages first: a new chunk, a finished send, then rows to send and more runs to ask for.
    if (assignment_in_flight && assignment_in_flight->test()) {
      assignment_in_flight.reset();
      std::lock_guard<std::mutex> lock(mutex);
      if (incoming.empty()) exhausted = true;
      low_water = std::max(kLowWaterRuns * solvers, incoming.size() / 2);
      backlog.insert(backlog.end(), incoming.begin(), incoming.end());
      wake_worker.notify_all();
    }
    if (report_in_flight && report_in_flight->test()) report_in_flight.reset();
    if (!report_in_flight) {
      std::unique_lock<std::mutex> lock(mutex);
      report.want_more = !exhausted && !assignment_in_flight && backlog.size() < low_water;
      const auto now = std::chrono::steady_clock::now();
      if (report.want_more || outbox.size() >= kReportRuns ||
          (!outbox.empty() && (now - last_report >= kReportInterval || (exhausted && backlog.empty())))) {
        report.outcomes.swap(outbox);
        lock.unlock();
        report_in_flight = world.isend(0, kReport, report);
        report.outcomes.clear();
        last_report = now;
        if (report.want_more) assignment_in_flight = world.irecv(0, kAssignment, incoming);
      }
    }
    if (const auto failure = extra ? extra->failure() : nullptr) {
      report.set_error(failure);
      break;
    }
    // Then one run on this thread.
    std::optional<std::int64_t> id;
    {
      std::unique_lock<std::mutex> lock(mutex);
      id = take(lock);
      if (!id && exhausted && in_flight == 0 && outbox.empty()) break;
    }
    if (id) {
      try {
        deliver(evaluator->evaluate(geoinv::make_run_spec(*plan, *id)));
      } catch (...) {
        report.set_error(std::current_exception());
      }
      backoff.reset();
    } else {
      backoff.wait();  // for the next chunk, or for the extra threads' last runs
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = !report.error.empty();
    exhausted = true;
    wake_worker.notify_all();
  }
  if (extra) extra->join();
  if (report.error.empty() && extra && extra->failure()) report.set_error(extra->failure());
  // Rank 0 answers every request, even after an error: take the answer, so no message is left unmatched.
  if (assignment_in_flight) wait_politely(*assignment_in_flight);
  if (report_in_flight) wait_politely(*report_in_flight);
  report.outcomes = std::move(outbox);
  report.want_more = false;
  report.finished = true;
  wait_politely(world.isend(0, kReport, report));
  return report.error.empty() ? 0 : 1;
}

}  // namespace

int run_mpi_campaign(const fs::path& campaign_file, CampaignOptions options,
                     const std::function<void(const CampaignReport&)>& print, const ReportFailure& report_failure) {
  // Boost.MPI's environment aborts every rank if it is destroyed while an exception propagates, so an
  // MPI error is carried past its end and thrown afterwards, as any other command's error.
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
  environment.reset();
  if (failure) std::rethrow_exception(failure);
  return exit_code;
}

}  // namespace geoinv
