// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/campaign.hpp"

#include <fcntl.h>
#include <fmt/compile.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "campaigns/campaign_io.hpp"
#include "campaigns/interruption.hpp"
#include "campaigns/results_file.hpp"
#include "campaigns/result_row.hpp"
#include "campaigns/wedge_summary.hpp"
#include "configuration/config_node.hpp"
#include "configuration/experiment.hpp"
#include "base/file_io.hpp"
#include "base/folder_lock.hpp"
#include "geoinv/plugin_registry.hpp"
#include "base/random.hpp"
#include "running/run_outputs.hpp"
#include "running/runner.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

json campaign_json(const CampaignPlan& plan, int shard_index, int shard_count) {
  json info = {{"name", plan.name},
          {"campaign_file", fs::absolute(plan.file).lexically_normal().string()},
          {"base_file", fs::absolute(plan.base_file).lexically_normal().string()},
          {"fingerprint", fmt::format("{:016x}", plan.fingerprint)},
          {"seed", plan.seed},
          {"runs", plan.runs},
          {"points", plan.points},
          {"replicates", plan.replicates},
          {"shard", {{"index", shard_index}, {"count", shard_count}}},
          {"axis_columns", plan.axis_columns()},
          {"value_columns", plan.value_columns()},
          {"solvers", plan.solvers.all()},
          {"parameters", plan.parameter_names},
          {"data_unit", plan.data_unit},
          {"success",
           {{"parameter", plan.success.parameter},
            {"relative_error", plan.success.relative_error},
            {"definition", plan.success.describe()}}},
          {"keep_details", plan.keep.describe()}};
  // Runs with different solvers (a sweep over `solvers`): which have which. Only then, so that every
  // other campaign.json is as before.
  if (!plan.solvers.uniform()) info["solver_sets"] = plan.solvers.to_json();
  // A model with parameter blocks: their metric columns of results.csv (result_row.hpp).
  if (!plan.metric_columns.empty()) info["metric_columns"] = plan.metric_columns;
  // Only a campaign with `fixed_target:` has the key, so that every other campaign.json is as before.
  if (plan.has_fixed_target())
    info["fixed_target"] = {{"precisions", plan.target_precisions}, {"instance", plan.target_instance()}};
  return info;
}


// Whether `out` holds this campaign already (campaign.json), checking it may be used: a campaign there
// needs --resume and the same fingerprint and shard; other files refuse the folder.
bool check_output_folder(const fs::path& out, const json& info, const CampaignOptions& options) {
  std::error_code ec;
  if (options.overwrite && fs::exists(out, ec) && !fs::is_empty(out, ec)) {
    // --overwrite: the folder is replaced, as `geoinv run --overwrite` replaces a run folder.
    for (const auto& entry : fs::directory_iterator(out, ec)) fs::remove_all(entry.path(), ec);
    if (ec) throw Error(Error::Category::io, "cannot empty the folder for --overwrite: " + ec.message(), {out.string()});
    return false;
  }
  const bool exists = fs::exists(out / "campaign.json", ec);
  if (exists) {
    if (!options.resume)
      throw Error(Error::Category::io,
                  "the folder holds a campaign already: add --resume to complete it, --overwrite to "
                  "replace it, or choose another --out",
                  {out.string()});
    const json previous = read_campaign_json(out);
    if (previous.value("fingerprint", "") != info["fingerprint"] || previous["shard"] != info["shard"])
      throw Error(
          Error::Category::io,
          "the folder holds another campaign (or shard): its campaign or base file changed; cannot resume",
          {out.string()});
  } else if (fs::exists(out, ec) && !fs::is_empty(out, ec)) {
    // With --resume, a folder holding only what is written before campaign.json (the campaign was stopped
    // before it started) is started afresh.
    bool started_only = options.resume;
    for (const auto& entry : fs::directory_iterator(out, ec)) {
      const std::string name = entry.path().filename().string();
      started_only =
          started_only && (name == "manifest.csv" || name == "manifest.csv.tmp" || name == "campaign.yaml" ||
                           name == "base.yaml" || name == "campaign.json.tmp");
    }
    if (!started_only)
      throw Error(Error::Category::io,
                  "the output folder already holds files; choose another with --out, or replace it with "
                  "--overwrite",
                  {out.string()});
  }
  return exists;
}

// The manifest first, before anything runs: every run of this shard, its sweep values and seed.
void write_manifest(const fs::path& out, const CampaignPlan& plan, const CampaignOptions& options) {
  AtomicFileWriter manifest(out / "manifest.csv");
  manifest.write(manifest_header(plan));
  for (std::int64_t id = options.shard_index; id < plan.runs; id += options.shard_count)
    manifest.write(manifest_row(plan, make_run_spec(plan, id)));
  manifest.commit();
}

std::unique_ptr<Executor> make_executor(const CampaignOptions& options, const ExecutorContext& context, int jobs) {
  if (options.make_executor) return options.make_executor(context);
  if (options.executor == CampaignOptions::ExecutorKind::processes) return make_process_executor(context, jobs);
  return jobs == 1 ? make_serial_executor(context) : make_thread_executor(context, jobs);
}

// `word` as one word of a POSIX shell command: as it is when it holds only safe characters, else quoted.
std::string shell_quoted(const std::string& word) {
  const bool safe = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                            "0123456789_-+./=:,@%") == std::string::npos;
  if (safe) return word;
  std::string quoted = "'";
  for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The command that completes an interrupted campaign: the same file, folder and shard.
std::string resume_command(const fs::path& file, const CampaignOptions& options, const fs::path& out) {
  std::string command = fmt::format("geoinv campaign {} --out {} --resume", shell_quoted(file.string()),
                                    shell_quoted(out.string()));
  if (options.shard_count > 1) command += fmt::format(" --shard {}/{}", options.shard_index, options.shard_count);
  if (options.executor == CampaignOptions::ExecutorKind::threads) command += " --executor threads";
  return command;
}

}  // namespace

CampaignReport run_campaign(const fs::path& file, const CampaignOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  CampaignPlan plan = load_campaign(file, options.overrides);
  validate_campaign(plan);
  if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
    throw Error(Error::Category::usage, "--shard i/N needs 0 <= i < N");
  CampaignReport report;
  report.out = options.out;
  if (report.out.empty()) {
    report.out = fs::path("runs") / plan.name;
    if (options.shard_count > 1)
      report.out = fs::path("runs") /
                   fmt::format("{}.shard{}of{}", plan.name, options.shard_index, options.shard_count);
  }
  const fs::path& out = report.out;
  const json info = campaign_json(plan, options.shard_index, options.shard_count);
  const FolderLock lock(out);  // held until the summary is written: one writer per folder
  const bool exists = check_output_folder(out, info, options);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw Error(Error::Category::io, "cannot create the folder: " + ec.message(), {out.string()});
  if (!exists) {
    write_manifest(out, plan, options);
    fs::copy_file(plan.file, out / "campaign.yaml", fs::copy_options::overwrite_existing);
    fs::copy_file(plan.base_file, out / "base.yaml", fs::copy_options::overwrite_existing);
    write_atomically(out / "campaign.json", info.dump(2) + "\n");
  }

  const fs::path results = out / "results.csv";
  const std::string header = results_header(plan);
  std::vector<bool> done = prepare_for_resume(results, header, plan.parameter_names, plan.solvers, plan.runs,
                                              options.retry_crashed);
  create_results_file(results, header);
  RunQueue queue(plan.runs, options.shard_index, options.shard_count, std::move(done));
  std::int64_t shard_runs = 0;
  for (std::int64_t id = options.shard_index; id < plan.runs; id += options.shard_count) ++shard_runs;
  report.runs_total = shard_runs;
  report.runs_done_before = shard_runs - queue.total();

  ExecutorContext context{options.shard_index, out / "runs"};
  const int jobs =
      options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::unique_ptr<Executor> executor = make_executor(options, context, jobs);
  ResultsWriter writer(results, queue.total(), options.progress);
  const auto seconds_since = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  };
  report.setup_seconds = seconds_since(started);
  const auto runs_started = std::chrono::steady_clock::now();
  {
    const InterruptionGuard ctrl_c;
    executor->execute(plan, queue, writer);
    report.interrupted = interruption_requested();
  }
  writer.finish();
  report.runs_seconds = seconds_since(runs_started);
  report.runs_done_now = writer.done();
  report.failed_runs = writer.failed();
  if (report.interrupted) {
    report.resume_command = resume_command(file, options, out);
    report.seconds = seconds_since(started);
    return report;
  }
  const auto summary_started = std::chrono::steady_clock::now();
  write_summary(out);
  write_wedge_summary(out);
  report.summary_seconds = seconds_since(summary_started);
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace geoinv
