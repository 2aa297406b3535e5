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
      pollfd ready{input_, POLLIN, 0};
      if (::poll(&ready, 1, 0) <= 0) flush();
      if (!fill()) return std::nullopt;
    }
    std::int64_t id;
    std::memcpy(&id, buffer_ + start_, 8);
    start_ += 8;
    return id;
  }
  void send(WorkerMessage::Kind kind, bool failed, std::int64_t number, std::string_view payload) {
    append_frame(pending_, kind, failed, number, payload);
    if (pending_.size() >= kBatchBytes) flush();
  }
  void flush() {
    write_fully(output_, pending_, kPipeName);
    pending_.clear();
  }

 private:
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
      if (got <= 0) return false;
      end_ += static_cast<std::size_t>(got);
    }
    return true;
  }

  int input_, output_;
  char buffer_[8 * 512];
  std::size_t start_ = 0, end_ = 0;
  std::string pending_;
};

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

}  // namespace

WorkerProcess::WorkerProcess(const CampaignPlan& plan, const ExecutorContext& context) {
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
    close_inherited_descriptors(to_worker[0], from_worker[1]);
    run_worker(plan, context, to_worker[0], from_worker[1], shared_);
  }
  ::close(to_worker[0]);
  ::close(from_worker[1]);
  input_fd_ = to_worker[1];
  output_fd_ = from_worker[0];
}

WorkerProcess::~WorkerProcess() {
  if (!reaped_) {
    kill();
    reap();
  }
  if (input_fd_ >= 0) ::close(input_fd_);
  if (output_fd_ >= 0) ::close(output_fd_);
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
      if (!assigned_.empty() && assigned_.front() == number) assigned_.pop_front();
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

std::string WorkerEnd::describe() const {
  if (signal == 0) return "exit status " + std::to_string(exit_status);
  const char* abbreviation = sigabbrev_np(signal);
  const char* description = sigdescr_np(signal);
  return std::string("SIG") + (abbreviation ? abbreviation : std::to_string(signal).c_str()) + " (" +
         (description ? description : "unknown signal") + ")";
}

namespace {

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

}  // namespace

}  // namespace geoinv
