// SPDX-License-Identifier: BSD-3-Clause
// The executor of worker processes (docs/campaigns.md, "Worker processes"): `--jobs` workers
// (worker_process.hpp), fed run ids from the queue and replaced when one dies.
#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "campaigns/campaign.hpp"
#include "campaigns/interruption.hpp"
#include "campaigns/result_row.hpp"
#include "campaigns/worker_process.hpp"

namespace geoinv {

namespace {

using Clock = std::chrono::steady_clock;

// Run ids in flight per worker: enough for about kWorkInFlight of solving, so a fast run (tens of
// microseconds) costs no round trip, and a slow one is not held back from an idle worker at the end.
constexpr std::chrono::duration<double> kWorkInFlight{0.02};
constexpr std::size_t kFewestInFlight = 2, kMostInFlight = 256;
constexpr int kLongestPollMs = 100;
// A worker that dies this many times in a row before finishing any run (a plugin that crashes as it
// loads) ends the campaign instead of being replaced forever.
constexpr int kDeathsWithoutProgress = 3;

// Where the worker was: in a solver, or left one by a throw (a foreign throw reaches the worker's loop).
std::string solver_of(const SolverActivity& activity) {
  if (activity.started_ns.load() == 0 && !activity.left_by_exception.load()) return "outside its solvers";
  return fmt::format("in solver '{}' (plugin {})", activity.label, activity.plugin);
}

double seconds_running(const SolverActivity& activity, Clock::time_point now) {
  const std::int64_t started = activity.started_ns.load();
  if (started == 0) return 0.0;
  return std::chrono::duration<double>(now.time_since_epoch() - std::chrono::nanoseconds(started)).count();
}

// A campaign's RunQueue as a source: its first nothing is its last.
class QueueSource final : public RunSource {
 public:
  explicit QueueSource(RunQueue& queue) : queue_(queue) {}
  std::optional<std::int64_t> next() override {
    const auto id = queue_.next();
    exhausted_ = !id;
    return id;
  }
  bool exhausted() const override { return exhausted_; }

 private:
  RunQueue& queue_;
  bool exhausted_ = false;
};

class ProcessExecutor final : public Executor {
 public:
  ProcessExecutor(ExecutorContext context, int jobs) : context_(std::move(context)), jobs_(std::max(1, jobs)) {}
  void execute(const CampaignPlan& plan, RunQueue& queue, RowSink& sink) override {
    QueueSource source(queue);
    execute(plan, source, sink);
  }
  void execute(const CampaignPlan& plan, RunSource& source, RowSink& sink);

 private:
  struct Slot {
    std::unique_ptr<WorkerProcess> worker;
    bool timed_out = false;
    double killed_after_s = 0;
  };

  std::optional<std::int64_t> take(RunSource& source);
  bool work_left() const { return !retry_.empty() || !exhausted_; }
  std::size_t in_flight_per_worker(Clock::time_point started) const;
  void start_worker(const CampaignPlan& plan, Slot& slot);
  void feed(RunSource& source, Slot& slot, std::size_t depth);
  void receive(Slot& slot, RowSink& sink);
  void kill_overdue(Slot& slot, Clock::time_point now);
  int poll_timeout_ms(Clock::time_point now) const;
  void bury(const CampaignPlan& plan, Slot& slot, RowSink& sink);

  ExecutorContext context_;
  int jobs_;
  std::vector<Slot> slots_;
  std::deque<std::int64_t> retry_;  // runs a dead worker held but had not started: run again first
  bool exhausted_ = false;          // the queue has no more runs
  bool starved_ = false;            // a worker wanted a run the source did not have yet
  std::int64_t received_ = 0;
  int deaths_without_progress_ = 0;
};

std::optional<std::int64_t> ProcessExecutor::take(RunSource& source) {
  if (!retry_.empty()) {
    const std::int64_t id = retry_.front();
    retry_.pop_front();
    return id;
  }
  if (exhausted_) return std::nullopt;
  const auto id = source.next();
  if (!id) {
    exhausted_ = source.exhausted();
    starved_ = !exhausted_;
  }
  return id;
}

std::size_t ProcessExecutor::in_flight_per_worker(Clock::time_point started) const {
  if (received_ == 0) return kFewestInFlight;
  const double seconds_per_run =
      std::chrono::duration<double>(Clock::now() - started).count() * jobs_ / static_cast<double>(received_);
  const double runs = kWorkInFlight.count() / std::max(seconds_per_run, 1e-9);
  return std::clamp(static_cast<std::size_t>(runs), kFewestInFlight, kMostInFlight);
}

void ProcessExecutor::start_worker(const CampaignPlan& plan, Slot& slot) {
  slot = Slot{};
  slot.worker = std::make_unique<WorkerProcess>(plan, context_);
}

void ProcessExecutor::feed(RunSource& source, Slot& slot, std::size_t depth) {
  WorkerProcess& worker = *slot.worker;
  if (worker.input_fd() < 0) return;
  std::vector<std::int64_t> ids;
  while (worker.assigned().size() + ids.size() < depth)
    if (const auto id = take(source)) ids.push_back(*id);
    else break;
  if (!ids.empty() && !worker.assign(ids)) retry_.insert(retry_.begin(), ids.begin(), ids.end());
  if (!work_left()) worker.finish_input();  // it runs what it holds, sends the rows and exits
}

void ProcessExecutor::receive(Slot& slot, RowSink& sink) {
  std::vector<WorkerMessage> messages;
  slot.worker->read_available(messages);  // at end of file output_fd() becomes -1: the caller buries it
  for (const WorkerMessage& message : messages) {
    if (message.kind == WorkerMessage::Kind::error) throw_worker_error(message);
    sink.accept(message.outcome);
    ++received_;
    deaths_without_progress_ = 0;
  }
}

void ProcessExecutor::kill_overdue(Slot& slot, Clock::time_point now) {
  const SolverActivity& activity = slot.worker->activity();
  const double budget = activity.wall_budget_s.load();
  if (slot.timed_out || budget <= 0 || activity.started_ns.load() == 0) return;
  const double running = seconds_running(activity, now);
  if (running <= kWallTimeKillFactor * budget + kWallTimeKillGraceS) return;
  slot.timed_out = true;
  slot.killed_after_s = running;
  slot.worker->kill();
}

int ProcessExecutor::poll_timeout_ms(Clock::time_point now) const {
  double wait = kLongestPollMs / 1000.0;
  for (const Slot& slot : slots_) {
    if (!slot.worker || slot.timed_out) continue;
    const SolverActivity& activity = slot.worker->activity();
    const double budget = activity.wall_budget_s.load();
    if (budget > 0 && activity.started_ns.load() != 0)
      wait = std::min(wait, kWallTimeKillFactor * budget + kWallTimeKillGraceS - seconds_running(activity, now));
  }
  return static_cast<int>(std::ceil(std::max(wait, 0.0) * 1000.0));
}

// A worker's pipe reached its end: reap it, mark the run it was in as crashed or timed out, queue again
// the runs it held but had not started.
void ProcessExecutor::bury(const CampaignPlan& plan, Slot& slot, RowSink& sink) {
  WorkerProcess& worker = *slot.worker;
  const WorkerEnd end = worker.reap();
  const std::int64_t run = worker.current_run();
  const auto& held = worker.assigned();
  for (auto id = held.rbegin(); id != held.rend(); ++id)
    if (*id != run) retry_.push_front(*id);
  const bool died_in_run = run >= 0 && std::find(held.begin(), held.end(), run) != held.end();
  if (died_in_run) {
    const SolverActivity& activity = worker.activity();
    std::string status(kCrashedStatus), message;
    if (slot.timed_out) {
      status = kTimedOutStatus;
      message = fmt::format("killed after {:.3g} s {}: over the wall-time budget of {} s by more than the margin "
                            "({} x budget + {} s)",
                            slot.killed_after_s, solver_of(activity), activity.wall_budget_s.load(),
                            kWallTimeKillFactor, kWallTimeKillGraceS);
    } else if (worker.threw_foreign_exception()) {
      message = fmt::format("the worker process ended {}: a throw that is not a std::exception", solver_of(activity));
    } else {
      message = fmt::format("the worker process ended {}: {}", solver_of(activity), end.describe());
    }
    std::cerr << fmt::format("geoinv: warning: run {} {}: {}; the campaign goes on\n", run, status, message);
    sink.accept(killed_run_outcome(plan, context_.shard, run, status, message,
                                   slot.timed_out ? slot.killed_after_s : seconds_running(activity, Clock::now())));
    ++received_;
  } else if (!held.empty() || end.signal != 0 || end.exit_status != 0) {
    if (++deaths_without_progress_ >= kDeathsWithoutProgress)
      throw Error(Error::Category::plugin,
                  fmt::format("campaign worker processes end before their first run ({}, {} times in a row); "
                              "run one run with `geoinv run` to see why",
                              end.describe(), deaths_without_progress_));
  }
  slot.worker.reset();
  if (work_left()) start_worker(plan, slot);
}

void ProcessExecutor::execute(const CampaignPlan& plan, RunSource& source, RowSink& sink) {
  const BrokenPipesIgnored broken_pipes_ignored;
  const auto started = Clock::now();
  slots_.resize(static_cast<std::size_t>(jobs_));
  for (Slot& slot : slots_) start_worker(plan, slot);
  std::vector<pollfd> ready;
  std::vector<Slot*> polled;
  while (!interruption_requested()) {
    const std::size_t depth = in_flight_per_worker(started);
    ready.clear();
    polled.clear();
    starved_ = false;
    for (Slot& slot : slots_) {
      if (!slot.worker) continue;
      feed(source, slot, depth);
      ready.push_back({slot.worker->output_fd(), POLLIN, 0});
      polled.push_back(&slot);
    }
    if (ready.empty()) return;  // every worker finished its runs and exited
    // Wake for the source's ids only when a worker waits for them: it stays readable while they wait.
    if (starved_ && source.ready_fd() >= 0) ready.push_back({source.ready_fd(), POLLIN, 0});
    if (::poll(ready.data(), ready.size(), poll_timeout_ms(Clock::now())) < 0) continue;  // EINTR
    for (std::size_t i = 0; i < polled.size(); ++i) {
      Slot& slot = *polled[i];
      if ((ready[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      receive(slot, sink);
      if (slot.worker->output_fd() < 0) bury(plan, slot, sink);
    }
    const auto now = Clock::now();
    for (Slot& slot : slots_)
      if (slot.worker) kill_overdue(slot, now);
  }
  // Interrupted: the outcomes already sent are whole runs; the workers' runs in progress are dropped
  // (--resume runs them again).
  for (Slot& slot : slots_)
    if (slot.worker) slot.worker->kill();
  slots_.clear();
}

}  // namespace

std::unique_ptr<Executor> make_process_executor(ExecutorContext context, int jobs) {
  return std::make_unique<ProcessExecutor>(std::move(context), jobs);
}

void run_in_worker_processes(const CampaignPlan& plan, const ExecutorContext& context, int jobs, RunSource& source,
                             RowSink& sink) {
  ProcessExecutor(context, jobs).execute(plan, source, sink);
}

}  // namespace geoinv
