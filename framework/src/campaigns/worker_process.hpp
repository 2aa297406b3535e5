// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// One campaign worker process (docs/campaigns.md, "Worker processes"): a fork of the campaign that
// evaluates the run ids its parent sends with its own RunEvaluator and sends back each run's rows, so a
// plugin that segfaults, aborts, calls exit() or hangs takes only its worker down, never the campaign.
//
// Channels, both pipes, both owned by this object on the parent's side:
//   parent -> worker  run ids, 8 bytes each (native int64). Closing it (finish_input) tells the worker to
//                     send what it holds and exit with status 0.
//   worker -> parent  frames: {kind: 1 byte, failed: 1 byte, run id or error category: int64, size:
//                     uint32} then `size` bytes: a run's rows of results.csv (kind outcome) or the message
//                     of an error that ends the campaign (kind error: a plugin that cannot load, a run
//                     folder that cannot be written; what the thread pool rethrows, the parent rethrows).
//                     The worker gathers frames and writes them in one write() when it has no run id
//                     waiting or 64 KiB are gathered, so rows travel in batches.
// Beside the pipes, a page of shared memory holds the run the worker is evaluating and the solver it is
// running (running/solver_activity.hpp): what the parent reads to name a crashed run and its solver, and
// to time a solver against its wall-time budget. A worker runs the assigned ids in order.
//
// The worker dies with its parent (PR_SET_PDEATHSIG), ignores SIGINT (the parent decides: Ctrl-C reaches
// the whole process group), closes every descriptor it inherited but its pipes and stdin/out/err (the
// folder lock's among them, so a killed campaign's lock is free at once; a sibling's pipes, so that
// sibling's end of file comes when it ends) and leaves through _exit: nothing of the parent's (buffers,
// atexit handlers) is flushed twice.
#include <sys/types.h>

#include <signal.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "campaigns/campaign.hpp"
#include "running/solver_activity.hpp"

namespace geoinv {

// What a worker sends: a run's outcome, or an error that ends the campaign.
struct WorkerMessage {
  enum class Kind : std::uint8_t { outcome = 1, error = 2 };
  Kind kind = Kind::outcome;
  RunOutcome outcome;           // kind outcome
  std::string error;            // kind error: the message
  int error_category = -1;      // kind error: geoinv::Error::Category, or -1 for another exception
};

// How a worker ended, from waitpid: a signal, or an exit status.
struct WorkerEnd {
  int signal = 0;       // the signal that killed it, 0 when it exited
  int exit_status = 0;  // when it exited
  std::string describe() const;  // "SIGSEGV (Segmentation fault)", "exit status 0"
};

struct WorkerSharedPage;  // the page shared with the worker (worker_process.cpp)

class WorkerProcess {
 public:
  // Forks the worker. Throws an io Error when the system refuses the pipes, the shared page or the fork.
  WorkerProcess(const CampaignPlan& plan, const ExecutorContext& context);

  // Forks a rank's worker host (docs/campaigns.md, "MPI"): forked before MPI_Init, it runs `jobs` worker
  // processes of its own with run_in_worker_processes, replacing those that die, and never calls MPI. It
  // speaks the channels above, except that it first reads the context (send_context) and that its
  // outcomes arrive in the order its workers finish them, not in the order of assign().
  static std::unique_ptr<WorkerProcess> worker_host(const CampaignPlan& plan, int jobs);
  // The host's first message: where rows go, and the fingerprint of rank 0's campaign, which the host
  // checks against its own plan. Returns false when the host cannot take it (it died).
  bool send_context(const ExecutorContext& context, std::uint64_t fingerprint);
  ~WorkerProcess();  // kills the worker if it still runs, and reaps it
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  pid_t pid() const { return pid_; }
  int output_fd() const { return output_fd_; }  // poll it for frames; -1 after end of file
  int input_fd() const { return input_fd_; }    // -1 after finish_input

  // Sends run ids; they join assigned(). Returns false when the worker cannot take them (it died).
  bool assign(const std::vector<std::int64_t>& run_ids);
  const std::deque<std::int64_t>& assigned() const { return assigned_; }  // sent, no outcome yet, in order
  void finish_input();  // no more runs: the worker exits once it has sent every outcome

  // Reads what the worker sent and appends the whole messages to `messages` (an outcome also leaves
  // assigned()). Returns false at end of file: the worker has exited or died.
  bool read_available(std::vector<WorkerMessage>& messages);

  // The run being evaluated, -1 between runs; and its running solver. Meaningful after the worker ended.
  std::int64_t current_run() const;
  const SolverActivity& activity() const;
  bool threw_foreign_exception() const;  // a throw that is not a std::exception left a run

  void kill();       // SIGKILL (the worker may be dead already)
  WorkerEnd reap();  // waits for the worker to end (call after end of file or kill)

 private:
  WorkerProcess() = default;
  template <class Body>
  void fork_with(const Body& body);  // body(input, output, shared) runs in the child and never returns

  pid_t pid_ = -1;
  int input_fd_ = -1, output_fd_ = -1;
  WorkerSharedPage* shared_ = nullptr;
  std::deque<std::int64_t> assigned_;
  std::string received_;  // bytes of frames not yet whole
  bool reaped_ = false;
  WorkerEnd end_;
};

// Throws the error a worker sent (kind error) as the campaign's error: an Error of its category, or a
// std::runtime_error when it was another exception.
[[noreturn]] void throw_worker_error(const WorkerMessage& message);

// Writing to a dead worker's pipe must fail with EPIPE, not end the campaign with SIGPIPE: SIGPIPE is
// ignored while an object of this class lives.
class BrokenPipesIgnored {
 public:
  BrokenPipesIgnored();
  ~BrokenPipesIgnored();
  BrokenPipesIgnored(const BrokenPipesIgnored&) = delete;
  BrokenPipesIgnored& operator=(const BrokenPipesIgnored&) = delete;

 private:
  struct sigaction previous_ {};
};

// Where the executor of worker processes takes run ids: a campaign's RunQueue, or under MPI the ids a
// rank sends its worker host. next() gives an id, or nothing when none is there now; exhausted() is true
// once none will ever come (RunQueue: at its first nothing). ready_fd() is a descriptor that becomes
// readable when ids arrive, polled beside the workers; -1 when next() never waits.
class RunSource {
 public:
  virtual ~RunSource() = default;
  virtual std::optional<std::int64_t> next() = 0;
  virtual bool exhausted() const = 0;
  virtual int ready_fd() const { return -1; }
};

// Runs every id of `source` in `jobs` worker processes and gives each outcome to `sink` (a crashed or
// timed-out run's too), replacing the workers that die (process_executor.cpp). Returns when the source
// is exhausted and every run is done, or on Ctrl-C (interruption.hpp); throws the error a worker sent.
void run_in_worker_processes(const CampaignPlan& plan, const ExecutorContext& context, int jobs, RunSource& source,
                             RowSink& sink);

}  // namespace geoinv
