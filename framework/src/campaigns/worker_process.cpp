// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/worker_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <optional>

#include "base/file_io.hpp"
#include "geoinv/error.hpp"
#include "running/learning.hpp"

namespace geoinv {

struct WorkerSharedPage {
  SolverActivity activity;
  std::atomic<std::int64_t> run_id{-1};
  std::atomic<bool> foreign_exception{false};
};

namespace {

constexpr std::size_t kFrameHeader = 1 + 1 + 8 + 4;
constexpr std::size_t kBatchBytes = 64 * 1024;
const char* const kPipeName = "campaign worker pipe";

Error system_error(const std::string& what) {
  return Error(Error::Category::io, what + ": " + std::strerror(errno));
}

void append_frame(std::string& out, WorkerMessage::Kind kind, bool failed, std::int64_t number,
                  std::string_view payload) {
  char header[kFrameHeader];
  header[0] = static_cast<char>(kind);
  header[1] = failed ? 1 : 0;
  std::memcpy(header + 2, &number, 8);
  const auto size = static_cast<std::uint32_t>(payload.size());
  std::memcpy(header + 10, &size, 4);
  out.append(header, kFrameHeader).append(payload);
}

// The worker's side: run ids in, frames out, until the parent closes the ids' pipe.
class WorkerLoop {
 public:
  WorkerLoop(int input, int output) : input_(input), output_(output) {}

  // The next run id; sends the gathered frames first when none is waiting. Empty at end of file.
  std::optional<std::int64_t> next() {
    if (end_ - start_ < 8) {
      if (!input_waiting()) flush();
      if (!fill()) return std::nullopt;
    }
    return pop();
  }
  // The next run id if one is there now; empty when none is, or at end of file (then ended()).
  std::optional<std::int64_t> next_if_waiting() {
    if (end_ - start_ < 8) {
      if (ended_ || !input_waiting()) return std::nullopt;
      if (!fill()) return std::nullopt;
    }
    return pop();
  }
  bool ended() const { return ended_; }
  int input() const { return input_; }
  void send(WorkerMessage::Kind kind, bool failed, std::int64_t number, std::string_view payload) {
    append_frame(pending_, kind, failed, number, payload);
    if (pending_.size() >= kBatchBytes) flush();
  }
  void flush() {
    write_fully(output_, pending_, kPipeName);
    pending_.clear();
  }

 private:
  bool input_waiting() const {
    pollfd ready{input_, POLLIN, 0};
    return ::poll(&ready, 1, 0) > 0;
  }
  std::int64_t pop() {
    std::int64_t id;
    std::memcpy(&id, buffer_ + start_, 8);
    start_ += 8;
    return id;
  }
  // Reads until a whole id is buffered (a read may end inside one: the rest stays for the next); false at
  // end of file.
  bool fill() {
    const std::size_t partial = end_ - start_;
    std::memmove(buffer_, buffer_ + start_, partial);
    start_ = 0;
    end_ = partial;
    while (end_ < 8) {
      const ssize_t got = ::read(input_, buffer_ + end_, sizeof buffer_ - end_);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ended_ = true;
        return false;
      }
      end_ += static_cast<std::size_t>(got);
    }
    return true;
  }

  int input_, output_;
  char buffer_[8 * 512];
  std::size_t start_ = 0, end_ = 0;
  bool ended_ = false;
  std::string pending_;
};

// A crashing plugin must end the worker by its signal, which the parent names (WorkerEnd::describe).
// Handlers inherited across fork() would turn the crash into an exit status, or into a report slow enough
// to outlive the wall-time budget: AddressSanitizer's SIGSEGV, SIGBUS and SIGFPE reporters, or those of
// a program that embeds the host.
void die_of_crash_signals() {
  for (const int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(signal_number, SIG_DFL);
}

// Closes every descriptor from 3 up but `keep` and `also_keep`.
void close_inherited_descriptors(int keep, int also_keep) {
  const unsigned low = static_cast<unsigned>(std::min(keep, also_keep));
  const unsigned high = static_cast<unsigned>(std::max(keep, also_keep));
  const auto close_between = [](unsigned first, unsigned last) {
    if (first > last) return;
    if (::close_range(first, last, 0) == 0) return;
    for (unsigned fd = first; fd <= std::min(last, 65535u); ++fd) ::close(static_cast<int>(fd));
  };
  close_between(3, low - 1);
  close_between(low + 1, high - 1);
  close_between(high + 1, ~0u);
}

[[noreturn]] void run_worker(const CampaignPlan& plan, const ExecutorContext& context, int input, int output,
                             WorkerSharedPage* shared);
[[noreturn]] void run_worker_host(const CampaignPlan& plan, int jobs, int input, int output, WorkerSharedPage* shared);

}  // namespace

WorkerProcess::WorkerProcess(const CampaignPlan& plan, const ExecutorContext& context) {
  fork_with([&](int input, int output, WorkerSharedPage* shared) { run_worker(plan, context, input, output, shared); });
}

std::unique_ptr<WorkerProcess> WorkerProcess::worker_host(const CampaignPlan& plan, int jobs) {
  std::unique_ptr<WorkerProcess> host(new WorkerProcess);
  host->fork_with(
      [&](int input, int output, WorkerSharedPage* shared) { run_worker_host(plan, jobs, input, output, shared); });
  return host;
}

template <class Body>
void WorkerProcess::fork_with(const Body& body) {
  void* page = ::mmap(nullptr, sizeof(WorkerSharedPage), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) throw system_error("cannot map memory shared with a campaign worker");
  shared_ = new (page) WorkerSharedPage;
  int to_worker[2], from_worker[2];
  if (::pipe2(to_worker, O_CLOEXEC) != 0) throw system_error("cannot create a pipe to a campaign worker");
  if (::pipe2(from_worker, O_CLOEXEC) != 0) {
    ::close(to_worker[0]);
    ::close(to_worker[1]);
    throw system_error("cannot create a pipe from a campaign worker");
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);  // the child must not write the parent's buffered output again
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    for (const int fd : {to_worker[0], to_worker[1], from_worker[0], from_worker[1]}) ::close(fd);
    throw system_error("cannot start a campaign worker process (fork)");
  }
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(0);  // the parent died before the line above
    die_of_crash_signals();
    close_inherited_descriptors(to_worker[0], from_worker[1]);
    body(to_worker[0], from_worker[1], shared_);
  }
  ::close(to_worker[0]);
  ::close(from_worker[1]);
  input_fd_ = to_worker[1];
  output_fd_ = from_worker[0];
}

WorkerProcess::~WorkerProcess() {
  if (pid_ > 0 && !reaped_) {
    kill();
    reap();
  }
  if (input_fd_ >= 0) ::close(input_fd_);
  if (output_fd_ >= 0) ::close(output_fd_);
  if (shared_ == nullptr) return;
  shared_->~WorkerSharedPage();
  ::munmap(shared_, sizeof(WorkerSharedPage));
}

bool WorkerProcess::assign(const std::vector<std::int64_t>& run_ids) {
  if (input_fd_ < 0) return false;
  try {
    write_fully(input_fd_, {reinterpret_cast<const char*>(run_ids.data()), run_ids.size() * 8}, kPipeName);
  } catch (const Error&) {
    return false;  // EPIPE: the worker died; its end of file tells the rest
  }
  assigned_.insert(assigned_.end(), run_ids.begin(), run_ids.end());
  return true;
}

bool WorkerProcess::send_context(const ExecutorContext& context, std::uint64_t fingerprint) {
  if (input_fd_ < 0) return false;
  // Three numbers, then the folder padded to whole numbers: the host reads it as ids (run_worker_host).
  const std::string folder = context.details_dir.string();
  const std::int64_t header[3] = {context.shard, static_cast<std::int64_t>(fingerprint),
                                  static_cast<std::int64_t>(folder.size())};
  std::string message(reinterpret_cast<const char*>(header), sizeof header);
  message.append(folder).append((8 - folder.size() % 8) % 8, '\0');
  try {
    write_fully(input_fd_, message, kPipeName);
  } catch (const Error&) {
    return false;
  }
  return true;
}

void WorkerProcess::finish_input() {
  if (input_fd_ >= 0) ::close(input_fd_);
  input_fd_ = -1;
}

bool WorkerProcess::read_available(std::vector<WorkerMessage>& messages) {
  char chunk[64 * 1024];
  ssize_t got;
  do got = ::read(output_fd_, chunk, sizeof chunk);
  while (got < 0 && errno == EINTR);
  if (got <= 0) {
    ::close(output_fd_);
    output_fd_ = -1;
    return false;
  }
  received_.append(chunk, static_cast<std::size_t>(got));
  std::size_t start = 0;
  while (received_.size() - start >= kFrameHeader) {
    std::uint32_t size;
    std::memcpy(&size, received_.data() + start + 10, 4);
    if (received_.size() - start < kFrameHeader + size) break;
    WorkerMessage message;
    message.kind = static_cast<WorkerMessage::Kind>(received_[start]);
    std::int64_t number;
    std::memcpy(&number, received_.data() + start + 2, 8);
    std::string payload = received_.substr(start + kFrameHeader, size);
    if (message.kind == WorkerMessage::Kind::outcome) {
      message.outcome = {number, std::move(payload), received_[start + 1] != 0};
      // A worker's outcomes come in order; a worker host's nearly so.
      const auto held = std::find(assigned_.begin(), assigned_.end(), number);
      if (held != assigned_.end()) assigned_.erase(held);
    } else {
      message.error = std::move(payload);
      message.error_category = static_cast<int>(number);
    }
    messages.push_back(std::move(message));
    start += kFrameHeader + size;
  }
  received_.erase(0, start);
  return true;
}

std::int64_t WorkerProcess::current_run() const { return shared_->run_id.load(); }
const SolverActivity& WorkerProcess::activity() const { return shared_->activity; }
bool WorkerProcess::threw_foreign_exception() const { return shared_->foreign_exception.load(); }

void WorkerProcess::kill() {
  if (!reaped_) ::kill(pid_, SIGKILL);
}

WorkerEnd WorkerProcess::reap() {
  if (reaped_) return end_;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  if (WIFSIGNALED(status)) end_.signal = WTERMSIG(status);
  if (WIFEXITED(status)) end_.exit_status = WEXITSTATUS(status);
  return end_;
}

void throw_worker_error(const WorkerMessage& message) {
  if (message.error_category < 0) throw std::runtime_error(message.error);
  throw Error(static_cast<Error::Category>(message.error_category), message.error);
}

BrokenPipesIgnored::BrokenPipesIgnored() {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGPIPE, &ignore, &previous_);
}
BrokenPipesIgnored::~BrokenPipesIgnored() { ::sigaction(SIGPIPE, &previous_, nullptr); }

std::string WorkerEnd::describe() const {
  if (signal == 0) return "exit status " + std::to_string(exit_status);
  const char* abbreviation = sigabbrev_np(signal);
  const char* description = sigdescr_np(signal);
  return std::string("SIG") + (abbreviation ? abbreviation : std::to_string(signal).c_str()) + " (" +
         (description ? description : "unknown signal") + ")";
}

namespace {

// Sends the error that ends the campaign to the parent, or notes a foreign throw (the run crashed), and
// leaves.
[[noreturn]] void leave_after_throw(WorkerLoop& loop, WorkerSharedPage* shared) {
  try {
    throw;
  } catch (const Error& error) {
    loop.send(WorkerMessage::Kind::error, false, static_cast<int>(error.category()), error.what());
  } catch (const std::exception& error) {
    loop.send(WorkerMessage::Kind::error, false, -1, error.what());
  } catch (...) {
    shared->foreign_exception.store(true);  // a plugin threw something else: the run crashed
  }
  try {
    loop.flush();
  } catch (...) {
  }
  remove_model_cache_folder_now();
  ::_exit(0);
}

void run_worker(const CampaignPlan& plan, const ExecutorContext& context, int input, int output,
                WorkerSharedPage* shared) {
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  use_solver_activity_record(&shared->activity);
  WorkerLoop loop(input, output);
  try {
    RunEvaluator evaluator(plan, context.shard, context.details_dir);
    while (const auto id = loop.next()) {
      shared->run_id.store(*id);
      const RunOutcome outcome = evaluator.evaluate(make_run_spec(plan, *id));
      shared->run_id.store(-1);
      loop.send(WorkerMessage::Kind::outcome, outcome.failed, outcome.run_id, outcome.rows);
    }
    loop.flush();
    remove_model_cache_folder_now();
    ::_exit(0);
  } catch (...) {
    leave_after_throw(loop, shared);
  }
}

// The ids the rank sends its worker host, as they arrive.
class PipeSource final : public RunSource {
 public:
  explicit PipeSource(WorkerLoop& loop) : loop_(loop) {}
  std::optional<std::int64_t> next() override { return loop_.next_if_waiting(); }
  bool exhausted() const override { return loop_.ended(); }
  int ready_fd() const override { return loop_.input(); }

 private:
  WorkerLoop& loop_;
};

// Each outcome goes to the rank at once: it reports rows to rank 0 as they come.
class PipeSink final : public RowSink {
 public:
  explicit PipeSink(WorkerLoop& loop) : loop_(loop) {}
  void accept(const RunOutcome& outcome) override {
    loop_.send(WorkerMessage::Kind::outcome, outcome.failed, outcome.run_id, outcome.rows);
    loop_.flush();
  }

 private:
  WorkerLoop& loop_;
};

// The context (WorkerProcess::send_context); empty when the rank closed the pipe first (rank 0 did not
// start the campaign).
std::optional<ExecutorContext> read_context(WorkerLoop& loop, const CampaignPlan& plan) {
  const auto shard = loop.next(), fingerprint = loop.next(), size = loop.next();
  if (!size) return std::nullopt;
  std::string folder;
  while (folder.size() < static_cast<std::size_t>(*size)) {
    const auto chunk = loop.next();
    if (!chunk) return std::nullopt;
    folder.append(reinterpret_cast<const char*>(&*chunk), 8);
  }
  folder.resize(static_cast<std::size_t>(*size));
  if (static_cast<std::uint64_t>(*fingerprint) != plan.fingerprint)
    throw Error(Error::Category::io,
                "this rank reads another campaign than rank 0 (its campaign or base file differs)");
  return ExecutorContext{static_cast<int>(*shard), folder};
}

void run_worker_host(const CampaignPlan& plan, int jobs, int input, int output, WorkerSharedPage* shared) {
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  WorkerLoop loop(input, output);
  try {
    if (const auto context = read_context(loop, plan)) {
      PipeSource source(loop);
      PipeSink sink(loop);
      run_in_worker_processes(plan, *context, jobs, source, sink);
    }
    loop.flush();
    ::_exit(0);
  } catch (...) {
    leave_after_throw(loop, shared);
  }
}

}  // namespace

}  // namespace geoinv
