// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A rank's worker processes under MPI (docs/campaigns.md, "MPI"): Open MPI does not support fork() after
// MPI_Init, so each rank forks, before MPI_Init, one worker host (WorkerProcess::worker_host) that never
// calls MPI; the host forks the rank's `--jobs` worker processes and replaces the ones that die, exactly
// as a campaign without MPI does. The rank hands the host the run ids rank 0 gives it and takes back
// each run's rows; a run whose plugin crashed comes back as rows with status crashed (or timed_out), so
// the rank and the campaign go on. The host dies with its rank (PR_SET_PDEATHSIG), its workers with it.
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "campaigns/campaign.hpp"
#include "campaigns/worker_process.hpp"

namespace geoinv {

class RankWorkers {
 public:
  // Forks the worker host; call before MPI_Init. Throws an io Error when the system refuses the fork.
  RankWorkers(const CampaignPlan& plan, int jobs);
  ~RankWorkers();  // kills the host (and so its workers) if it still runs

  // Where rows go and rank 0's campaign fingerprint (the host refuses another campaign's).
  void start(const ExecutorContext& context, std::uint64_t fingerprint);
  // How many more run ids the host takes now: enough to keep its workers busy between two messages.
  std::size_t room() const;
  void give(const std::vector<std::int64_t>& ids);
  std::size_t held() const { return host_->assigned().size(); }  // given, no outcome yet
  void no_more_runs();  // the host finishes what it holds and exits

  // Waits at most `wait_ms` for outcomes and hands each to `deliver`. Returns false once the host has
  // exited after its last outcome. Throws the error a worker sent (a plugin that cannot load, a folder
  // that cannot be written), or an io Error when the host itself died.
  bool collect(int wait_ms, const std::function<void(const RunOutcome&)>& deliver);

 private:
  std::unique_ptr<WorkerProcess> host_;
  std::size_t depth_;
  bool ended_ = false;
};

// This rank's worker processes as set up before MPI_Init: with --executor processes the host, or why it
// could not be forked (the campaign did not load: rank 0 reports that itself, and a worker rank that
// reads it again sends rank 0 its own error); nothing with --executor threads.
struct LocalWorkers {
  bool wanted = false;  // --executor processes
  std::unique_ptr<RankWorkers> workers;
  std::exception_ptr failure;
  // The host; nullptr with --executor threads; rethrows the failure that left none. Called where the
  // rank starts solving, so that the failure is reported the way any other is.
  RankWorkers* get() const;
};

// Call before MPI_Init: reads and validates the campaign as `geoinv campaign` would (its file and --set)
// and forks the rank's worker host with it, `jobs` workers. Never throws (LocalWorkers::failure).
LocalWorkers fork_local_workers(const std::filesystem::path& campaign_file, const CampaignOptions& options, int jobs);

}  // namespace geoinv
