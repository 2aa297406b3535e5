// SPDX-License-Identifier: BSD-3-Clause
// geoinv campaign / geoinv collect: the command-line side of campaigns (framework/src/campaigns/campaign.hpp).
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "campaigns/campaign.hpp"
#include "campaigns/campaign_mpi.hpp"
#include "geoinv/error.hpp"
#include "print_error.hpp"
#include "reporting/report.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace geoinv_cli {

namespace {

geoinv::Error usage(const std::string& message) {
  return geoinv::Error(geoinv::Error::Category::usage, message + " (see geoinv --help)");
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const char* positional_name, int count) {
  po::positional_options_description positional;
  positional.add(positional_name, count);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw usage(e.what());
  }
  return vm;
}

// The peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KiB).
double peak_resident_mb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int command_campaign(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("campaign", po::value<std::string>(), "campaign file")(
      "jobs", po::value<int>(),
      "workers (processes or threads, --executor); default: the hardware threads (under MPI: threads per "
      "rank, default 1); at most "
      "geoinv::max_jobs(), 4 x the hardware threads or GEOINV_MAX_JOBS")(
      "out", po::value<std::string>(), "output folder")(
      "shard", po::value<std::string>(), "i/N")("resume", "complete an interrupted campaign")(
      "retry-crashed", "with --resume: run again the runs recorded as crashed (default: they count as done)")(
      "executor", po::value<std::string>(),
      "processes (default: worker processes, a crashing plugin loses one run) or threads (one process); "
      "ignored under MPI, where every rank uses threads")(
      "quiet", "no progress output")("no-figures", "write no figures/ and report.html");
  const po::variables_map vm = parse(args, options, "campaign", 1);
  if (!vm.count("campaign")) throw usage("missing the campaign file (CAMPAIGN.yaml)");
  geoinv::CampaignOptions campaign;
  if (vm.count("out")) campaign.out = vm["out"].as<std::string>();
  if (vm.count("jobs")) {
    campaign.jobs = vm["jobs"].as<int>();
    if (campaign.jobs < 1) throw usage("--jobs must be at least 1");
    const int limit = geoinv::max_jobs();
    if (campaign.jobs > limit)
      throw usage(
          fmt::format("--jobs {} is above the limit of {} threads (4 x the hardware threads; "
                      "GEOINV_MAX_JOBS sets another)",
                      campaign.jobs, limit));
  }
  if (vm.count("shard")) {
    const std::string text = vm["shard"].as<std::string>();
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
      throw usage("--shard expects i/N, e.g. --shard 0/4, got '" + text + "'");
    }
    if (campaign.shard_count < 1 || campaign.shard_index < 0 || campaign.shard_index >= campaign.shard_count)
      throw usage("--shard i/N needs 0 <= i < N, got '" + text + "'");
  }
  geoinv::campaign_memory_budget();  // a bad GEOINV_CAMPAIGN_MEMORY_BYTES fails before anything runs
  campaign.resume = vm.count("resume") > 0;
  campaign.retry_crashed = vm.count("retry-crashed") > 0;
  if (campaign.retry_crashed && !campaign.resume) throw usage("--retry-crashed needs --resume");
  if (vm.count("executor")) {
    const std::string executor = vm["executor"].as<std::string>();
    if (executor != "processes" && executor != "threads")
      throw usage("--executor expects processes or threads, got '" + executor + "'");
    campaign.executor = executor == "threads" ? geoinv::CampaignOptions::ExecutorKind::threads
                                              : geoinv::CampaignOptions::ExecutorKind::processes;
  }
  campaign.progress = vm.count("quiet") == 0;
  const bool figures = vm.count("no-figures") == 0;
  const auto print = [figures](const geoinv::CampaignReport& report) {
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
    const bool drawn = figures && geoinv::render_report_or_warn(report.out, report.out);
    const double rate =
        report.seconds > 0 ? static_cast<double>(report.runs_done_now) / report.seconds : 0.0;
    std::cout << fmt::format(
        "campaign: {} runs ({} done before, {} now, {} with a failed solver) in {:.3f} s, "
        "{:.0f} runs/s, peak memory {:.1f} MB\n"
        "time: set-up {:.3f} s, runs {:.3f} s, summary {:.3f} s\nresults: {}\n",
        report.runs_total, report.runs_done_before, report.runs_done_now, report.failed_runs,
        report.seconds, rate, peak_resident_mb(), report.setup_seconds, report.runs_seconds,
        report.summary_seconds, report.out.string());
    if (drawn) std::cout << "report: " << (report.out / "report.html").string() << "\n";
  };
  const fs::path file = vm["campaign"].as<std::string>();
  // Under mpirun/srun with more than one rank: the MPI backend (--jobs then counts threads per rank);
  // rank 0 alone prints and draws.
  if (geoinv::mpi_world_size_from_environment() > 1)
    return geoinv::run_mpi_campaign(file, campaign, print, print_error);
  const geoinv::CampaignReport report = geoinv::run_campaign(file, campaign);
  print(report);
  return report.interrupted ? 128 + SIGINT : 0;
}

int command_collect(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("folders", po::value<std::vector<std::string>>()->composing(), "campaign folders")(
      "out", po::value<std::string>(), "output folder")("no-figures", "write no figures/ and report.html");
  const po::variables_map vm = parse(args, options, "folders", -1);
  if (!vm.count("folders")) throw usage("collect needs one or more campaign folders");
  std::vector<fs::path> folders;
  for (const auto& folder : vm["folders"].as<std::vector<std::string>>()) folders.emplace_back(folder);
  fs::path out;
  if (vm.count("out"))
    out = vm["out"].as<std::string>();
  else if (folders.size() == 1)
    out = folders.front();
  else
    throw usage("collect of several folders needs --out DIR");
  geoinv::campaign_memory_budget();
  const auto started = std::chrono::steady_clock::now();
  const geoinv::CollectReport collected = geoinv::collect_campaign(folders, out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << fmt::format("collected {} folder(s) into {} in {:.2f} s, peak memory {:.1f} MB\n",
                           folders.size(), out.string(), seconds, peak_resident_mb());
  if (vm.count("no-figures") == 0 && geoinv::render_report_or_warn(out, out))
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
