// SPDX-License-Identifier: BSD-3-Clause
// Crash isolation (docs/campaigns.md, "Worker processes"), with the real binary and the `crashing` test
// plugin (tests/fixtures/crashing.cpp): a campaign whose plugin segfaults, aborts, calls exit(0), throws
// an int or hangs on chosen runs completes with every run's rows, the bad ones marked crashed or
// timed_out; --resume trusts crashed runs unless --retry-crashed; `geoinv run` names the crashing plugin
// in one line; Ctrl-C says what is safe and how to resume.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "e2e/campaign_support.hpp"
#include "e2e/cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// kBase with the crashing plugin on the search path and a wall-time budget of 0.2 s: a hung solver is
// killed 1.25 x 0.2 + 1 = 1.25 s after it started.
std::string crash_base() {
  return std::string(kBase) + "plugin_paths: [" + GEOINV_FIXTURE_CRASHING_DIR + "]\n" +
         "budget: {max_wall_time_s: 0.2}\n";
}

// Runs 0..7: dls, and `boom` doing what the sweep says.
const std::vector<std::string> kActions = {"none", "segfault", "none", "abort", "exit0", "throw_other", "hang", "none"};

std::string crash_campaign() {
  std::string actions;
  for (const auto& action : kActions) actions += (actions.empty() ? "" : ", ") + action;
  return "version: 1\nname: crash\nseed: 11\nbase: base.yaml\n"
         "solvers:\n  - {plugin: dls, label: dls}\n  - {plugin: crashing, label: boom}\n"
         "sweep:\n  grid:\n    solvers.1.options.action: [" + actions + "]\n";
}

class CrashIsolation : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("base.yaml", crash_base());
    dir_.write("c.yaml", crash_campaign());
  }
  CliResult campaign(std::vector<std::string> extra) {
    std::vector<std::string> args = {"campaign", "c.yaml", "--out", "out", "--no-figures", "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_geoinv(args, dir_.path());
  }
  TempDir dir_;
};

// Every run of crash_campaign() has the rows of both its solvers in `out`, the bad ones marked crashed or
// timed_out and warned of in `err`, and summary.csv counts them as failed.
void expect_every_run_marked(const fs::path& out, const std::string& err) {
  const CsvTable table = read_csv(out / "results.csv");
  const std::size_t status = table.column("status"), solver = table.column("solver"),
                    message = table.column("message");
  ASSERT_EQ(table.rows.size(), 2 * kActions.size());  // every solver of every run
  std::map<std::pair<long, std::string>, const std::vector<std::string>*> rows;
  for (const auto& fields : table.rows) rows[{std::stol(fields[0]), fields[solver]}] = &fields;
  ASSERT_EQ(rows.size(), table.rows.size());
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"none", {"converged", ""}},
      {"segfault", {"crashed", "in solver 'boom' (plugin crashing): SIGSEGV"}},
      {"abort", {"crashed", "in solver 'boom' (plugin crashing): SIGABRT"}},
      {"exit0", {"crashed", "in solver 'boom' (plugin crashing): exit status 0"}},
      {"throw_other", {"crashed", "in solver 'boom' (plugin crashing): a throw that is not a std::exception"}},
      {"hang", {"timed_out", "in solver 'boom' (plugin crashing): over the wall-time budget of 0.2 s"}}};
  for (long run = 0; run < static_cast<long>(kActions.size()); ++run) {
    const auto& [want_status, want_message] = expected.at(kActions[static_cast<std::size_t>(run)]);
    SCOPED_TRACE("run " + std::to_string(run) + ": " + kActions[static_cast<std::size_t>(run)]);
    EXPECT_EQ((*rows.at({run, "boom"}))[status], want_status);
    EXPECT_THAT((*rows.at({run, "boom"}))[message], HasSubstr(want_message));
    // The run's other solver died with the worker when the plugin crashed.
    EXPECT_EQ((*rows.at({run, "dls"}))[status], want_status == "converged" ? "converged" : want_status);
    if (want_status != "converged") {
      EXPECT_THAT(err, HasSubstr("warning: run " + std::to_string(run) + " " + want_status));
    }
  }
  // summary.csv counts crashed and timed-out runs as failed (one run per point here).
  const CsvTable summary = read_csv(out / "summary.csv");
  ASSERT_EQ(summary.rows.size(), 2 * kActions.size());
  for (const auto& fields : summary.rows) {
    const std::string& action = kActions[std::stoul(fields[summary.column("point")])];
    SCOPED_TRACE(action + " " + fields[summary.column("solver")]);
    EXPECT_EQ(fields[summary.column("failed")], action == "none" ? "0" : "1");
  }
}

TEST_F(CrashIsolation, TheCampaignCompletesWithCrashedAndTimedOutRunsMarked) {
  const CliResult result = campaign({"--jobs", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_every_run_marked(dir_.path() / "out", result.err);
}

// Under MPI each rank's worker processes come from a worker host forked before MPI_Init (docs/campaigns.md,
// "MPI"): the same crashes are the same rows, the ranks go on, and --resume trusts the crashed runs.
TEST_F(CrashIsolation, UnderMpiTheCampaignCompletesWithCrashedAndTimedOutRunsMarked) {
  if (!kBuiltWithMpi) GTEST_SKIP() << kWithoutMpi;
  const std::vector<std::string> args = {"campaign", "c.yaml", "--out", "mpi", "--no-figures", "--quiet"};
  const CliResult result = run_geoinv_under(mpirun(dir_, 2), args, dir_.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_every_run_marked(dir_.path() / "mpi", result.err);
  const std::string first = read_file(dir_.path() / "mpi" / "results.csv");
  std::vector<std::string> resume = args;
  resume.push_back("--resume");
  const CliResult again = run_geoinv_under(mpirun(dir_, 2), resume, dir_.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("8 done before, 0 now"));
  EXPECT_EQ(read_file(dir_.path() / "mpi" / "results.csv"), first);
}

TEST_F(CrashIsolation, ResumeTrustsCrashedRunsUnlessRetryCrashed) {
  ASSERT_EQ(campaign({"--jobs", "2"}).exit_code, 0);
  const std::string first = read_file(dir_.path() / "out" / "results.csv");
  const CliResult again = campaign({"--resume"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("campaign complete: all 8 runs were already in"));
  EXPECT_THAT(again.out, HasSubstr("8 done before, 0 now"));
  EXPECT_EQ(read_file(dir_.path() / "out" / "results.csv"), first);
  // The four crashed runs run again (and crash again); the timed-out one stays done.
  const CliResult retried = campaign({"--resume", "--retry-crashed", "--jobs", "2"});
  ASSERT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_THAT(retried.out, HasSubstr("4 done before, 4 now"));
  EXPECT_THAT(retried.out, Not(HasSubstr("campaign complete")));
  EXPECT_EQ(rows_of(dir_.path() / "out").size(), 2 * kActions.size());
}

TEST_F(CrashIsolation, RetryCrashedWithoutResumeIsAUsageError) {
  const CliResult result = campaign({"--retry-crashed"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--retry-crashed needs --resume"));
}

TEST(CrashingRun, GeoinvRunNamesTheCrashingPluginInOneLine) {
  TempDir dir;
  dir.write("e.yaml", crash_base());
  for (const auto& [action, signal] : std::map<std::string, std::string>{
           {"segfault", "crashed: SIGSEGV (Segmentation fault)"},
           {"abort", "crashed: SIGABRT (Aborted)"},
           {"exit0", "called exit() during its solve"}}) {
    SCOPED_TRACE(action);
    const CliResult result =
        run_geoinv({"run", "e.yaml", "--set", "solvers.0.plugin=crashing", "--set",
                    "solvers.0.options.action=" + action, "--out", action, "--no-figures"},
                   dir.path());
    EXPECT_EQ(result.exit_code, 5);  // a plugin error
    EXPECT_EQ(result.err, "geoinv: error: solver 'crashing' (plugin crashing) " + signal + "\n");
  }
}

// The (run, solver) keys of results.csv in file order.
std::vector<std::pair<std::string, std::string>> row_order(const fs::path& dir) {
  const CsvTable table = read_csv(dir / "results.csv");
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& fields : table.rows) keys.emplace_back(fields[0], fields[table.column("solver")]);
  return keys;
}

// The worker processes give the rows the threads give, and with one job in the same order.
TEST(WorkerProcesses, GiveTheRowsOfTheThreadExecutor) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(10));
  for (const std::string executor : {"processes", "threads"})
    for (const std::string jobs : {"1", "2"})
      ASSERT_EQ(run_geoinv({"campaign", "c.yaml", "--executor", executor, "--jobs", jobs, "--out",
                            executor + jobs, "--no-figures", "--quiet"},
                           dir.path())
                    .exit_code,
                0);
  EXPECT_EQ(row_order(dir.path() / "processes1"), row_order(dir.path() / "threads1"));
  EXPECT_EQ(rows_of(dir.path() / "processes1"), rows_of(dir.path() / "threads1"));
  EXPECT_EQ(rows_of(dir.path() / "processes2"), rows_of(dir.path() / "threads2"));
  EXPECT_EQ(rows_of(dir.path() / "processes2"), rows_of(dir.path() / "threads1"));
}

TEST(CtrlC, SaysWhatIsSafeAndTheResumeCommandAndResumingCompletesIt) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(2000));  // 4000 runs: a second or more
  const pid_t campaign =
      start_geoinv(dir.path(), {"campaign", "c.yaml", "--jobs", "2", "--out", "cut", "--quiet"}, {}, ".stdout");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::error_code ec;
  const auto written = [&] {
    const std::uintmax_t size = fs::file_size(dir.path() / "cut" / "results.csv", ec);
    return ec ? 0 : size;
  };
  while (written() < 20000 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(campaign, SIGINT);
  int status = 0;
  ::waitpid(campaign, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string said = read_file(dir.path() / ".stdout");
  EXPECT_THAT(said, HasSubstr("campaign interrupted: "));
  EXPECT_THAT(said, HasSubstr(" of 4000 runs are safely written in cut/results.csv"));
  EXPECT_THAT(said, HasSubstr("to complete it: geoinv campaign c.yaml --out cut --resume\n"));
  // Whole runs only: every run in results.csv has both rows.
  std::map<long, int> rows_per_run;
  for (const auto& [key, fields] : rows_of(dir.path() / "cut")) ++rows_per_run[key.first];
  for (const auto& [run, count] : rows_per_run) EXPECT_EQ(count, 2) << "run " << run;
  const CliResult resumed = run_geoinv({"campaign", "c.yaml", "--out", "cut", "--resume", "--no-figures"}, dir.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  ASSERT_EQ(run_geoinv({"campaign", "c.yaml", "--out", "whole", "--no-figures"}, dir.path()).exit_code, 0);
  EXPECT_EQ(rows_of(dir.path() / "cut"), rows_of(dir.path() / "whole"));
}

}  // namespace
}  // namespace geoinv_test
