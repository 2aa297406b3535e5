// SPDX-License-Identifier: BSD-3-Clause
// geoinv campaign / geoinv collect: the command-line side of campaigns
// (framework/src/campaigns/campaign.hpp).
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "campaigns/campaign.hpp"
#include "campaigns/campaign_mpi.hpp"
#include "command_functions.hpp"
#include "figure_formats_option.hpp"
#include "geoinv/error.hpp"
#include "print_error.hpp"
#include "reporting/report.hpp"
#include "shared_options.hpp"

namespace fs = std::filesystem;

namespace geoinv_cli {

namespace {

// The peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KiB).
double peak_resident_mb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int read_jobs(const po::variables_map& arguments) {
  const int jobs = arguments["jobs"].as<int>();
  if (jobs < 1) throw usage_error("--jobs must be at least 1", "campaign");
  const int limit = geoinv::max_jobs();
  if (jobs > limit)
    throw usage_error(fmt::format("--jobs {} is above the limit of {} threads (4 x the hardware threads; "
                                  "GEOINV_MAX_JOBS sets another)",
                                  jobs, limit),
                      "campaign");
  return jobs;
}

// --shard i/N: this process runs the run ids = i mod N.
void read_shard(const std::string& text, geoinv::CampaignOptions& campaign) {
  const auto slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    campaign.shard_index = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("index");
    const std::string count = text.substr(slash + 1);
    campaign.shard_count = std::stoi(count, &used);
    if (used != count.size()) throw std::invalid_argument("count");
  } catch (const std::exception&) {
    throw usage_error("--shard expects i/N, e.g. --shard 0/4, got '" + text + "'", "campaign");
  }
  if (campaign.shard_count < 1 || campaign.shard_index < 0 || campaign.shard_index >= campaign.shard_count)
    throw usage_error("--shard i/N needs 0 <= i < N, got '" + text + "'", "campaign");
}

geoinv::CampaignOptions read_campaign_options(const po::variables_map& arguments) {
  geoinv::CampaignOptions campaign;
  if (arguments.count("out")) campaign.out = arguments["out"].as<std::string>();
  if (arguments.count("jobs")) campaign.jobs = read_jobs(arguments);
  if (arguments.count("shard")) read_shard(arguments["shard"].as<std::string>(), campaign);
  campaign.resume = has_flag(arguments, "resume");
  campaign.retry_crashed = has_flag(arguments, "retry-crashed");
  if (campaign.retry_crashed && !campaign.resume) throw usage_error("--retry-crashed needs --resume", "campaign");
  if (arguments.count("executor")) {
    const std::string executor = arguments["executor"].as<std::string>();
    if (executor != "processes" && executor != "threads")
      throw usage_error("--executor expects processes or threads, got '" + executor + "'", "campaign");
    campaign.executor = executor == "threads" ? geoinv::CampaignOptions::ExecutorKind::threads
                                              : geoinv::CampaignOptions::ExecutorKind::processes;
  }
  campaign.overwrite = has_flag(arguments, "overwrite");
  if (campaign.resume && campaign.overwrite)
    throw usage_error("--resume completes the folder's campaign and --overwrite replaces it: give one",
                      "campaign");
  campaign.progress = !has_flag(arguments, "quiet");
  campaign.overrides = set_overrides(arguments);
  return campaign;
}

// What a finished campaign prints: its counts, unless --quiet its time and memory, and where its results
// and report are.
void print_campaign(const geoinv::CampaignReport& report, bool quiet, bool figures,
                    const geoinv::FigureFormats& formats) {
  if (report.interrupted) {
    std::cout << fmt::format("campaign interrupted: {} of {} runs are safely written in {}\nto complete it: {}\n",
                             report.runs_done_before + report.runs_done_now, report.runs_total,
                             (report.out / "results.csv").string(), report.resume_command);
    return;
  }
  if (report.runs_done_before == report.runs_total)
    std::cout << fmt::format("campaign complete: all {} runs were already in {}\n", report.runs_total,
                             (report.out / "results.csv").string());
  // The summary exists now: the figures and report.html; a missing gnuplot only warns.
  const bool drawn = figures && geoinv::render_report_or_warn(report.out, report.out, formats);
  std::cout << fmt::format("campaign: {} runs ({} done before, {} now, {} with a failed solver)",
                           report.runs_total, report.runs_done_before, report.runs_done_now,
                           report.failed_runs);
  if (quiet) {
    std::cout << "\n";
  } else {
    const double rate = report.seconds > 0 ? static_cast<double>(report.runs_done_now) / report.seconds : 0.0;
    std::cout << fmt::format(
        " in {:.3f} s, {:.0f} runs/s, peak memory {:.1f} MB\ntime: set-up {:.3f} s, runs {:.3f} s, summary "
        "{:.3f} s\n",
        report.seconds, rate, peak_resident_mb(), report.setup_seconds, report.runs_seconds,
        report.summary_seconds);
  }
  std::cout << "results: " << report.out.string() << "\n";
  if (drawn) std::cout << "report: " << (report.out / "report.html").string() << "\n";
}

}  // namespace

void campaign_options(po::options_description& options) {
  options.add_options()("jobs", po::value<int>()->value_name("N"),
                        "workers, processes or threads as --executor says (default: the hardware threads; "
                        "under MPI: per rank, default 1); at most 4 x the hardware threads, or "
                        "GEOINV_MAX_JOBS");
  options.add_options()("executor", po::value<std::string>()->value_name("processes|threads"),
                        "where runs are solved: worker processes, where a crashing plugin loses only its run "
                        "(recorded as crashed), or threads of one process, where it ends the campaign "
                        "(default: processes, under MPI too)");
  add_out_option(options, "runs/<name>, or runs/<name>.shard<i>of<N> with --shard");
  options.add_options()("shard", po::value<std::string>()->value_name("i/N"),
                        "run only the run ids = i mod N, for `geoinv collect` to merge (default: 0/1, all)");
  options.add_options()("resume",
                        "complete the interrupted campaign in the --out folder: its finished runs are kept "
                        "(default: refuse a folder that holds a campaign)");
  options.add_options()("retry-crashed",
                        "with --resume: run again the runs recorded as crashed (default: they count as done)");
  add_overwrite_option(options);
  add_quiet_option(options, "only the counts of runs and where the results are, and errors and warnings");
  add_no_figures_option(options);
  add_figure_formats_option(options);
  add_set_option(options,
                 "the base experiment of every run (a swept key takes the sweep's value) or, written "
                 "campaign.KEY=VALUE, of the campaign file");
}

void collect_options(po::options_description& options) {
  add_out_option(options, "the one folder given; required for several");
  add_no_figures_option(options);
  add_figure_formats_option(options);
}

int campaign_command(const po::variables_map& arguments) {
  const fs::path file = require_positional(arguments, "the campaign file (CAMPAIGN.yaml)", "campaign");
  const geoinv::CampaignOptions campaign = read_campaign_options(arguments);
  geoinv::campaign_memory_budget();  // a bad GEOINV_CAMPAIGN_MEMORY_BYTES fails before anything runs
  const bool quiet = has_flag(arguments, "quiet"), figures = !has_flag(arguments, "no-figures");
  const geoinv::FigureFormats formats = figure_formats_of(arguments);
  const auto print = [quiet, figures, formats](const geoinv::CampaignReport& report) {
    print_campaign(report, quiet, figures, formats);
  };
  // Under mpirun/srun with more than one rank: the MPI backend (--jobs then counts workers per rank);
  // rank 0 alone prints and draws.
  if (geoinv::mpi_world_size_from_environment() > 1)
    return geoinv::run_mpi_campaign(file, campaign, print, print_error);
  const geoinv::CampaignReport report = geoinv::run_campaign(file, campaign);
  print(report);
  return report.interrupted ? 128 + SIGINT : 0;
}

int collect_command(const po::variables_map& arguments) {
  std::vector<fs::path> folders;
  for (const auto& folder : positionals(arguments)) folders.emplace_back(folder);
  if (folders.empty()) throw usage_error("collect needs one or more campaign folders", "collect");
  fs::path out;
  if (arguments.count("out"))
    out = arguments["out"].as<std::string>();
  else if (folders.size() == 1)
    out = folders.front();
  else
    throw usage_error("collect of several folders needs --out DIR", "collect");
  geoinv::campaign_memory_budget();
  const auto started = std::chrono::steady_clock::now();
  const geoinv::CollectReport collected = geoinv::collect_campaign(folders, out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << fmt::format("collected {} folder(s) into {} in {:.2f} s, peak memory {:.1f} MB\n",
                           folders.size(), out.string(), seconds, peak_resident_mb());
  if (!has_flag(arguments, "no-figures") && geoinv::render_report_or_warn(out, out, figure_formats_of(arguments)))
    std::cout << "report: " << (out / "report.html").string() << "\n";
  if (collected.runs_without_rows > 0)
    std::cout << fmt::format("warning: {} runs have no rows yet (a shard is missing or unfinished)\n",
                             collected.runs_without_rows);
  if (collected.unreadable_lines > 0)
    std::cerr << fmt::format(
        "geoinv: warning: dropped {} unreadable line(s) of results.csv (the first: {})\n",
        collected.unreadable_lines, collected.first_unreadable.to_string());
  return 0;
}

}  // namespace geoinv_cli
