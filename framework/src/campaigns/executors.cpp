// SPDX-License-Identifier: BSD-3-Clause
// The run queue and the executors that run a campaign's specs: serial, and a pool of solver threads.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "campaigns/campaign.hpp"
#include "campaigns/interruption.hpp"

namespace geoinv {

namespace fs = std::filesystem;

RunQueue::RunQueue(std::int64_t runs, int shard_index, int shard_count, std::vector<bool> done)
    : runs_(runs), shard_count_(shard_count), done_(std::move(done)), cursor_(shard_index) {
  for (std::int64_t id = shard_index; id < runs_; id += shard_count_)
    if (static_cast<std::size_t>(id) >= done_.size() || !done_[static_cast<std::size_t>(id)]) ++total_;
}

std::optional<std::int64_t> RunQueue::next() {
  while (!stopped_ && !interruption_requested()) {
    const std::int64_t id = cursor_.fetch_add(shard_count_);
    if (id >= runs_) return std::nullopt;
    if (static_cast<std::size_t>(id) < done_.size() && done_[static_cast<std::size_t>(id)]) continue;
    return id;
  }
  return std::nullopt;
}

std::int64_t RunQueue::remaining_estimate() const {
  return std::max<std::int64_t>(0, (runs_ - cursor_.load()) / shard_count_);
}

RowSink::~RowSink() = default;
Executor::~Executor() = default;

SolverThreads::SolverThreads(const CampaignPlan& plan, const ExecutorContext& context, int count,
                             std::function<std::optional<std::int64_t>()> next,
                             std::function<void(const RunOutcome&)> deliver, std::function<void()> on_failure)
    : next_(std::move(next)), deliver_(std::move(deliver)), on_failure_(std::move(on_failure)) {
  for (int j = 0; j < count; ++j)
    evaluators_.push_back(std::make_unique<RunEvaluator>(plan, context.shard, context.details_dir));
  for (auto& evaluator : evaluators_) {
    try {
      threads_.emplace_back([this, &plan, &evaluator = *evaluator] {
        try {
          while (const auto id = next_()) deliver_(evaluator.evaluate(make_run_spec(plan, *id)));
        } catch (...) {
          keep_failure(std::current_exception());
        }
      });
    } catch (const std::system_error& refusal) {
      keep_failure(std::make_exception_ptr(thread_start_error(refusal, threads_.size(), evaluators_.size())));
      break;
    }
  }
}

void SolverThreads::keep_failure(std::exception_ptr failure) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failure_) failure_ = std::move(failure);
  }
  if (on_failure_) on_failure_();
}

SolverThreads::~SolverThreads() { join(); }

void SolverThreads::join() {
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
}

std::exception_ptr SolverThreads::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

int max_jobs() {
  const char* text = std::getenv("GEOINV_MAX_JOBS");
  if (text == nullptr || *text == '\0')
    return 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int limit = 0;
  const char* end = text + std::strlen(text);
  const auto [stop, error] = std::from_chars(text, end, limit);
  if (error != std::errc() || stop != end || limit < 1)
    throw Error(Error::Category::usage,
                fmt::format("GEOINV_MAX_JOBS must be a positive whole number of threads, got '{}'", text));
  return limit;
}

Error thread_start_error(const std::system_error& refusal, std::size_t started, std::size_t wanted) {
  return Error(
      Error::Category::usage,
      fmt::format("--jobs: the system refused to start solver thread {} of {} ({}); {} started: "
                  "lower --jobs, or raise the user's limits on processes (ulimit -u) or memory (ulimit -v)",
                  started + 1, wanted, refusal.code().message(), started));
}

namespace {

class SerialExecutor final : public Executor {
 public:
  explicit SerialExecutor(ExecutorContext context) : context_(std::move(context)) {}
  void execute(const CampaignPlan& plan, RunQueue& queue, RowSink& sink) override {
    RunEvaluator evaluator(plan, context_.shard, context_.details_dir);
    while (const auto id = queue.next()) sink.accept(evaluator.evaluate(make_run_spec(plan, *id)));
  }

 private:
  ExecutorContext context_;
};

class ThreadExecutor final : public Executor {
 public:
  ThreadExecutor(ExecutorContext context, int jobs)
      : context_(std::move(context)), jobs_(std::max(1, jobs)) {}
  void execute(const CampaignPlan& plan, RunQueue& queue, RowSink& sink) override {
    SolverThreads threads(
        plan, context_, jobs_, [&queue] { return queue.next(); },
        [&sink](const RunOutcome& outcome) { sink.accept(outcome); }, [&queue] { queue.stop(); });
    threads.join();
    if (const auto failure = threads.failure()) std::rethrow_exception(failure);
  }

 private:
  ExecutorContext context_;
  int jobs_;
};

}  // namespace

std::unique_ptr<Executor> make_serial_executor(ExecutorContext context) {
  return std::make_unique<SerialExecutor>(std::move(context));
}

std::unique_ptr<Executor> make_thread_executor(ExecutorContext context, int jobs) {
  return std::make_unique<ThreadExecutor>(std::move(context), jobs);
}


}  // namespace geoinv
