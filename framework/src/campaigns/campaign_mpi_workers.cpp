// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/campaign_mpi_workers.hpp"

#include <poll.h>

#include <algorithm>

#include "geoinv/error.hpp"

namespace geoinv {

namespace {

// Run ids a rank keeps in its host per worker: the host's own executor keeps up to 256 in each worker
// for fast runs (process_executor.cpp); a rank's backlog holds the rest. At most kMostIds in all, so
// that they fit in the pipe (64 KiB, 8 bytes an id): the rank's writes never wait for the host, which
// may itself wait for the rank to read its rows.
constexpr std::size_t kIdsPerWorker = 64;
constexpr std::size_t kMostIds = 4096;

}  // namespace

RankWorkers::RankWorkers(const CampaignPlan& plan, int jobs)
    : host_(WorkerProcess::worker_host(plan, std::max(1, jobs))),
      depth_(std::min(kMostIds, kIdsPerWorker * static_cast<std::size_t>(std::max(1, jobs)))) {}

RankWorkers::~RankWorkers() = default;

void RankWorkers::start(const ExecutorContext& context, std::uint64_t fingerprint) {
  const BrokenPipesIgnored broken_pipes_ignored;
  host_->send_context(context, fingerprint);  // a dead host: collect() says so
}

std::size_t RankWorkers::room() const {
  if (host_->input_fd() < 0) return 0;
  return depth_ - std::min(depth_, held());
}

void RankWorkers::give(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  const BrokenPipesIgnored broken_pipes_ignored;
  host_->assign(ids);  // a dead host: collect() says so
}

void RankWorkers::no_more_runs() { host_->finish_input(); }

bool RankWorkers::collect(int wait_ms, const std::function<void(const RunOutcome&)>& deliver) {
  if (ended_) return false;
  pollfd ready{host_->output_fd(), POLLIN, 0};
  if (::poll(&ready, 1, wait_ms) <= 0) return true;
  std::vector<WorkerMessage> messages;
  const bool open = host_->read_available(messages);
  for (const WorkerMessage& message : messages) {
    if (message.kind == WorkerMessage::Kind::error) throw_worker_error(message);
    deliver(message.outcome);
  }
  if (open) return true;
  ended_ = true;
  const WorkerEnd end = host_->reap();
  if (end.signal != 0 || end.exit_status != 0 || held() != 0)
    throw Error(Error::Category::io, "the process that runs this rank's campaign workers ended (" + end.describe() +
                                         ") with " + std::to_string(held()) + " runs unfinished");
  return false;
}

RankWorkers* LocalWorkers::get() const {
  if (!wanted) return nullptr;
  if (!workers) std::rethrow_exception(failure);
  return workers.get();
}

LocalWorkers fork_local_workers(const std::filesystem::path& campaign_file, const CampaignOptions& options, int jobs) {
  LocalWorkers local;
  local.wanted = options.executor == CampaignOptions::ExecutorKind::processes;
  if (!local.wanted) return local;
  try {
    CampaignPlan plan = load_campaign(campaign_file, options.overrides);
    validate_campaign(plan);
    local.workers = std::make_unique<RankWorkers>(plan, jobs);
  } catch (...) {
    local.failure = std::current_exception();
  }
  return local;
}

}  // namespace geoinv
