// SPDX-License-Identifier: BSD-3-Clause
// geoinv campaign / collect with the real binary: threads give the rows of one job, kill -9 and --resume
// lose and duplicate nothing, shards collect to the unsharded campaign, plugin faults become failed rows.
#include "campaigns/campaign.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "e2e/campaign_support.hpp"
#include "e2e/cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

// A campaign whose forward model (the `throwing` fixture) fails in every run, `replicates` runs.
void write_throwing_campaign(const TempDir& dir, int replicates) {
  dir.write("line.csv", "x,value\n0,1\n1,2\n2,3\n3,4\n");
  dir.write("base.yaml",
            std::string("version: 1\nplugin_paths: [") + GEOINV_FIXTURE_THROWING_DIR +
                "]\nforward: {plugin: throwing}\ndata: {file: line.csv}\nstart: {model: {k: 0}}\n"
                "solvers:\n  - plugin: dls\n");
  dir.write("c.yaml", "version: 1\nbase: base.yaml\nkeep_details: failures\nsweep: {replicates: " +
                          std::to_string(replicates) + "}\n");
}

TEST(Campaign, ThreadsGiveTheRowsOfOneJob) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(20));
  const CliResult one = run_geoinv({"campaign", "c.yaml", "--jobs", "1", "--out", "one"}, dir.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const CliResult four = run_geoinv({"campaign", "c.yaml", "--jobs", "4", "--out", "four"}, dir.path());
  ASSERT_EQ(four.exit_code, 0) << four.err;
  EXPECT_THAT(four.out, HasSubstr("campaign: 40 runs"));
  const auto a = rows_of(dir.path() / "one"), b = rows_of(dir.path() / "four");
  EXPECT_EQ(a.size(), 80u);
  EXPECT_EQ(a, b);
  // Replicates reuse one resolved experiment per sweep point; resolving every run afresh gives the same rows.
  ::setenv("GEOINV_CAMPAIGN_NO_REUSE", "1", 1);
  const CliResult fresh = run_geoinv({"campaign", "c.yaml", "--jobs", "2", "--out", "fresh"}, dir.path());
  ::unsetenv("GEOINV_CAMPAIGN_NO_REUSE");
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_EQ(rows_of(dir.path() / "fresh"), a);
  EXPECT_EQ(read_file(dir.path() / "one" / "manifest.csv"), read_file(dir.path() / "four" / "manifest.csv"));
  EXPECT_EQ(count_lines(dir.path() / "one" / "manifest.csv"), 41u);
  // summary: one row per solver x noise level, with the success definition.
  const std::string summary = read_file(dir.path() / "one" / "summary.csv");
  EXPECT_THAT(summary,
              HasSubstr("point,data.synthetic.noise_sigma,solver,runs,succeeded,failed,success_rate"));
  EXPECT_THAT(summary, HasSubstr("status != failed and |relative_error_h| <= 0.2"));
  EXPECT_EQ(count_lines(dir.path() / "one" / "summary.csv"), 5u);
  EXPECT_EQ(summary_of(dir.path() / "one"), summary_of(dir.path() / "four"));
  // A second start without --resume is refused; with --resume there is nothing left to do.
  EXPECT_EQ(run_geoinv({"campaign", "c.yaml", "--out", "one"}, dir.path()).exit_code, 7);
  const CliResult again = run_geoinv({"campaign", "c.yaml", "--out", "one", "--resume"}, dir.path());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("40 done before, 0 now"));
  EXPECT_EQ(rows_of(dir.path() / "one"), a);
}

TEST(Campaign, KillAndResumeLoseAndDuplicateNothing) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(1500));
  const fs::path results = dir.path() / "killed" / "results.csv";
  kill_campaign_midway(dir.path(), "killed");
  const std::size_t before = count_lines(results);
  EXPECT_GT(before, 1u);
  std::cout << "killed after " << before - 1 << " of 6000 rows\n";
  // As a crash mid-write could leave it: half a run (one solver's row of two) and a torn line.
  {
    const std::string text = read_file(results);
    const std::size_t last = text.rfind('\n', text.size() - 2);
    std::string row = text.substr(last + 1);
    row = "2999" + row.substr(row.find(','));
    std::ofstream(results, std::ios::app) << row << "2998,0,1,12";
  }
  const CliResult resumed =
      run_geoinv({"campaign", "c.yaml", "--out", "killed", "--resume", "--jobs", "2"}, dir.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const CliResult whole = run_geoinv({"campaign", "c.yaml", "--out", "whole", "--jobs", "2"}, dir.path());
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto killed = rows_of(dir.path() / "killed");
  EXPECT_EQ(killed.size(), 2u * 3000u);  // every run id once per solver
  EXPECT_EQ(killed, rows_of(dir.path() / "whole"));
  EXPECT_EQ(summary_of(dir.path() / "killed"), summary_of(dir.path() / "whole"));
}

TEST(Campaign, ShardsCollectToTheUnshardedCampaign) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(10));
  ASSERT_EQ(run_geoinv({"campaign", "c.yaml", "--jobs", "2", "--out", "all"}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_geoinv({"campaign", "c.yaml", "--jobs", "1", "--shard", "0/2", "--out", "s0"}, dir.path())
                .exit_code,
            0);
  const CliResult s1 =
      run_geoinv({"campaign", "c.yaml", "--jobs", "1", "--shard", "1/2", "--out", "s1"}, dir.path());
  ASSERT_EQ(s1.exit_code, 0) << s1.err;
  EXPECT_EQ(count_lines(dir.path() / "s1" / "manifest.csv"), 11u);
  // One shard alone: collect says what is missing.
  const CliResult partial = run_geoinv({"collect", "s0", "--out", "partial"}, dir.path());
  EXPECT_EQ(partial.exit_code, 0) << partial.err;
  EXPECT_THAT(partial.out, HasSubstr("10 runs have no rows yet"));
  const CliResult collected = run_geoinv({"collect", "s1", "s0", "--out", "merged"}, dir.path());
  ASSERT_EQ(collected.exit_code, 0) << collected.err;
  EXPECT_EQ(rows_of(dir.path() / "merged"), rows_of(dir.path() / "all"));
  EXPECT_EQ(read_file(dir.path() / "merged" / "manifest.csv"),
            read_file(dir.path() / "all" / "manifest.csv"));
  EXPECT_EQ(summary_of(dir.path() / "merged"), summary_of(dir.path() / "all"));
  // Sorted by run id.
  const auto rows = rows_of(dir.path() / "merged");
  std::istringstream stream(read_file(dir.path() / "merged" / "results.csv"));
  std::string line;
  std::getline(stream, line);
  long previous = -1;
  while (std::getline(stream, line)) {
    const long id = std::stol(line);
    EXPECT_GE(id, previous);
    previous = id;
  }
  // A folder of another campaign is refused.
  dir.write("other.yaml", campaign_text(7));
  ASSERT_EQ(run_geoinv({"campaign", "other.yaml", "--out", "other", "--quiet"}, dir.path()).exit_code, 0);
  const CliResult conflict = run_geoinv({"collect", "s0", "other", "--out", "bad"}, dir.path());
  EXPECT_NE(conflict.exit_code, 0);
  EXPECT_THAT(conflict.err, HasSubstr("conflicting manifests"));
}

TEST(Campaign, ATinyMemoryBudgetGivesTheSameSummaryAndCollect) {
  // With a 1 KB budget, summary.csv and collect go through temporary files (sorted runs merged two at a
  // time, quartiles by radix selection): the same bytes as in memory, and nothing left behind.
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(20));
  ::setenv("GEOINV_CAMPAIGN_MEMORY_BYTES", "1024", 1);
  const CliResult tiny = run_geoinv({"campaign", "c.yaml", "--jobs", "2", "--out", "tiny"}, dir.path());
  const CliResult tiny_collect = run_geoinv({"collect", "tiny", "--out", "tiny_sorted"}, dir.path());
  ::unsetenv("GEOINV_CAMPAIGN_MEMORY_BYTES");
  ASSERT_EQ(tiny.exit_code, 0) << tiny.err;
  ASSERT_EQ(tiny_collect.exit_code, 0) << tiny_collect.err;
  EXPECT_THAT(tiny.out, ::testing::ContainsRegex("runs/s, peak memory [0-9]+\\.[0-9] MB"));
  EXPECT_THAT(tiny_collect.out,
              ::testing::ContainsRegex("into tiny_sorted in [0-9.]+ s, peak memory [0-9.]+ MB"));
  const CliResult sorted = run_geoinv({"collect", "tiny", "--out", "sorted"}, dir.path());
  ASSERT_EQ(sorted.exit_code, 0) << sorted.err;
  // The same rows, so the same summary to the bit (wall times included), whatever order they arrived in.
  EXPECT_EQ(read_file(dir.path() / "tiny" / "summary.csv"), read_file(dir.path() / "sorted" / "summary.csv"));
  for (const char* file : {"results.csv", "manifest.csv", "summary.csv"})
    EXPECT_EQ(read_file(dir.path() / "tiny_sorted" / file), read_file(dir.path() / "sorted" / file)) << file;
  EXPECT_EQ(rows_of(dir.path() / "sorted"), rows_of(dir.path() / "tiny"));
  for (const char* folder : {"tiny", "tiny_sorted", "sorted"})
    for (const auto& entry : fs::directory_iterator(dir.path() / folder))
      EXPECT_EQ(entry.path().filename().string().rfind(".geoinv-", 0), std::string::npos) << entry.path();
}

TEST(Campaign, PluginFaultsAreFailedRowsAndTheCampaignContinues) {
  TempDir dir;
  write_throwing_campaign(dir, 3);
  const CliResult result = run_geoinv({"campaign", "c.yaml", "--out", "faults", "--jobs", "2"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("3 with a failed solver"));
  const auto rows = rows_of(dir.path() / "faults");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& [key, fields] : rows) {
    EXPECT_THAT(fields, ::testing::Contains("failed"));
    EXPECT_THAT(fields.back(), HasSubstr("deliberate failure in predict"));
  }
  EXPECT_TRUE(fs::exists(dir.path() / "faults" / "runs" / "2" / "result.json"));
  EXPECT_THAT(read_file(dir.path() / "faults" / "summary.csv"), HasSubstr(",dls,3,0,3,0,"));
}

TEST(Campaign, BadCampaignsFailBeforeAnythingRuns) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml",
            "version: 1\nbase: base.yaml\nsweep:\n  grid:\n    solvers.0.options.max_iterations: [10, x]\n");
  const CliResult bad = run_geoinv({"campaign", "c.yaml", "--out", "bad"}, dir.path());
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr("c.yaml:5:44: solvers.0.options.max_iterations: 'x' is not an integer"));
  EXPECT_FALSE(fs::exists(dir.path() / "bad"));
  const CliResult shard = run_geoinv({"campaign", "c.yaml", "--shard", "2/2"}, dir.path());
  EXPECT_EQ(shard.exit_code, 2);
}

TEST(CampaignMpi, RanksGiveTheRowsOfThreads) {
  if (!kBuiltWithMpi) GTEST_SKIP() << kWithoutMpi;
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(20) + "keep_details: first:3\n");
  const CliResult threads = run_geoinv({"campaign", "c.yaml", "--jobs", "2", "--out", "threads"}, dir.path());
  ASSERT_EQ(threads.exit_code, 0) << threads.err;
  const CliResult two = run_geoinv_under(mpirun(dir, 2), {"campaign", "c.yaml", "--out", "mpi2"}, dir.path());
  ASSERT_EQ(two.exit_code, 0) << two.err;
  // Rank 0 alone reports.
  EXPECT_THAT(two.out, HasSubstr("campaign: 40 runs (0 done before, 40 now"));
  EXPECT_EQ(two.out.find("campaign:"), two.out.rfind("campaign:")) << two.out;
  // Three ranks of two threads each, on two cores: more workers than runs in the last chunks.
  const CliResult three =
      run_geoinv_under(mpirun(dir, 3, true), {"campaign", "c.yaml", "--jobs", "2", "--out", "mpi3"}, dir.path());
  ASSERT_EQ(three.exit_code, 0) << three.err;
  const auto expected = rows_of(dir.path() / "threads");
  EXPECT_EQ(expected.size(), 80u);
  for (const std::string out : {"mpi2", "mpi3"}) {
    EXPECT_EQ(rows_of(dir.path() / out), expected) << out;
    EXPECT_EQ(summary_of(dir.path() / out), summary_of(dir.path() / "threads")) << out;
    EXPECT_EQ(read_file(dir.path() / out / "manifest.csv"), read_file(dir.path() / "threads" / "manifest.csv"));
    // Detail folders of the kept runs, whichever rank solved them.
    for (const char* run : {"0", "1", "2"})
      EXPECT_TRUE(fs::exists(dir.path() / out / "runs" / run / "result.json")) << out << " run " << run;
    EXPECT_FALSE(fs::exists(dir.path() / out / "runs" / "3"));
  }
}

TEST(CampaignMpi, CompletesAKilledCampaign) {
  if (!kBuiltWithMpi) GTEST_SKIP() << kWithoutMpi;
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(1500));
  kill_campaign_midway(dir.path(), "killed");
  const CliResult resumed =
      run_geoinv_under(mpirun(dir, 2), {"campaign", "c.yaml", "--out", "killed", "--resume"}, dir.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, ::testing::ContainsRegex("campaign: 3000 runs \\([1-9][0-9]* done before"));
  const CliResult whole = run_geoinv({"campaign", "c.yaml", "--out", "whole", "--jobs", "2"}, dir.path());
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto killed = rows_of(dir.path() / "killed");
  EXPECT_EQ(killed.size(), 2u * 3000u);
  EXPECT_EQ(killed, rows_of(dir.path() / "whole"));
  EXPECT_EQ(summary_of(dir.path() / "killed"), summary_of(dir.path() / "whole"));
}

TEST(CampaignMpi, FaultsAreRowsAndErrorsStopEveryRank) {
  if (!kBuiltWithMpi) GTEST_SKIP() << kWithoutMpi;
  TempDir dir;
  write_throwing_campaign(dir, 5);
  const CliResult result = run_geoinv_under(mpirun(dir, 2), {"campaign", "c.yaml", "--out", "faults"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("5 with a failed solver"));
  EXPECT_EQ(rows_of(dir.path() / "faults").size(), 5u);
  for (int run = 0; run < 5; ++run)
    EXPECT_TRUE(fs::exists(dir.path() / "faults" / "runs" / std::to_string(run) / "result.json")) << run;
  // Set-up errors on rank 0 (the folder holds a campaign) release the other ranks: one message, its code.
  const CliResult again = run_geoinv_under(mpirun(dir, 2), {"campaign", "c.yaml", "--out", "faults"}, dir.path());
  EXPECT_EQ(again.exit_code, 7) << again.err;
  EXPECT_THAT(again.err, HasSubstr("add --resume"));
  EXPECT_EQ(again.err.find("geoinv: error"), again.err.rfind("geoinv: error")) << again.err;
}

// Built without MPI, a campaign under a launcher that started several ranks (its environment says so)
// refuses to run rather than run the whole sweep once per rank.
TEST(CampaignMpi, WithoutMpiALauncherWithSeveralRanksIsRefused) {
  if (kBuiltWithMpi) GTEST_SKIP() << "this geoinv has MPI: mpirun runs the campaign (tests above)";
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(2));
  const CliResult result = run_geoinv_under({"env", "OMPI_COMM_WORLD_SIZE=2"},
                                            {"campaign", "c.yaml", "--out", "ranks"}, dir.path());
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("this geoinv was built without MPI"));
  EXPECT_THAT(result.err, HasSubstr("2 ranks"));
  EXPECT_FALSE(fs::exists(dir.path() / "ranks"));
}

// A noise-swept campaign with a network whose prior gives no noise of its own: its training profiles carry
// each run's noise, so each noise level trains its own network, whichever level a process meets first.
std::string noise_swept_mlp_campaign() {
  return "version: 1\nname: mlp_noise\nseed: 5\nbase: base.yaml\n"
         "sweep:\n  grid:\n    data.synthetic.noise_sigma: [1, 10]\n  replicates: 4\n"
         "solvers:\n  - plugin: mlp\n    options: {hidden_layer_sizes: [8], max_iter: 20}\n"
         "    prior:\n      sampling: uniform\n      samples: 200\n      seed: 3\n"
         "      ranges: {x0: [50, 100], theta: [260, 340], h: [7, 75], K: [70000, 110000]}\n"
         "  - {plugin: dls, label: mlp_dls, start_from: mlp}\n";
}

TEST(Campaign, NoiseSweptNetworksGiveTheSameRowsHoweverTheCampaignIsSplit) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", noise_swept_mlp_campaign());
  const CliResult one = run_geoinv({"campaign", "c.yaml", "--jobs", "1", "--out", "one"}, dir.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto expected = rows_of(dir.path() / "one");
  ASSERT_EQ(expected.size(), 16u);
  const CliResult two = run_geoinv({"campaign", "c.yaml", "--jobs", "2", "--out", "two"}, dir.path());
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(rows_of(dir.path() / "two"), expected);
  // Shards: each process meets the noise levels in another order.
  std::vector<std::string> shards;
  for (int shard = 0; shard < 4; ++shard) {
    const std::string out = "s" + std::to_string(shard);
    const CliResult part = run_geoinv(
        {"campaign", "c.yaml", "--shard", std::to_string(shard) + "/4", "--out", out}, dir.path());
    ASSERT_EQ(part.exit_code, 0) << part.err;
    shards.push_back(out);
  }
  std::vector<std::string> collect{"collect"};
  collect.insert(collect.end(), shards.rbegin(), shards.rend());
  collect.insert(collect.end(), {"--out", "merged"});
  const CliResult merged = run_geoinv(collect, dir.path());
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(rows_of(dir.path() / "merged"), expected);
  // Resume after the first noise level's runs: the resumed process starts at the second level.
  ASSERT_EQ(run_geoinv({"campaign", "c.yaml", "--jobs", "1", "--out", "resumed"}, dir.path()).exit_code, 0);
  {
    const fs::path results = dir.path() / "resumed" / "results.csv";
    std::istringstream stream(read_file(results));
    std::string line, kept;
    for (int lines = 0; lines < 1 + 8 && std::getline(stream, line); ++lines) kept += line + "\n";
    std::ofstream(results, std::ios::trunc) << kept;
  }
  const CliResult resumed =
      run_geoinv({"campaign", "c.yaml", "--jobs", "1", "--out", "resumed", "--resume"}, dir.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("4 done before, 4 now"));
  EXPECT_EQ(rows_of(dir.path() / "resumed"), expected);
  if (!kBuiltWithMpi) GTEST_SKIP() << kWithoutMpi << " (every split above was checked)";
  const CliResult mpi = run_geoinv_under(mpirun(dir, 2), {"campaign", "c.yaml", "--out", "mpi"}, dir.path());
  ASSERT_EQ(mpi.exit_code, 0) << mpi.err;
  EXPECT_EQ(rows_of(dir.path() / "mpi"), expected);
}

// The seed study's comparison (configs/campaigns/seed_study.yaml) as shipped: four solvers, four noise
// levels, 100 replicates; the network is trained once per noise level, not per run.
TEST(Campaign, SeedStudyComparesFourSolvers) {
  TempDir dir;
  const CliResult result = run_geoinv({"campaign", (source_dir() / "configs/campaigns/seed_study.yaml").string(),
                                       "--jobs", "2", "--out", "seed_study", "--quiet"},
                                      dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("campaign: 400 runs (0 done before, 400 now, 0 with a failed solver)"));
  EXPECT_EQ(rows_of(dir.path() / "seed_study").size(), 1600u);
  const CsvTable summary = read_csv(dir.path() / "seed_study" / "summary.csv");
  std::map<std::pair<std::string, std::string>, double> success;  // (noise, solver) -> rate
  for (const auto& fields : summary.rows)
    success[{fields[summary.column("data.synthetic.noise_sigma")], fields[summary.column("solver")]}] =
        std::stod(fields[summary.column("success_rate")]);
  ASSERT_EQ(success.size(), 16u);
  // At 1 mV every solver but Gauss-Newton from the seed start recovers the depth in nearly every run;
  // up to 5 mV polishing the network's estimate with dls is never worse than the network alone, and from
  // the network's start dls is never worse than from the seed start.
  EXPECT_GE((success[{"1", "dls"}]), 0.95);
  EXPECT_GE((success[{"1", "mlp"}]), 0.9);
  EXPECT_GE((success[{"1", "mlp_dls"}]), 0.95);
  for (const std::string noise : {"1", "3.1622776601683795", "5"})
    EXPECT_GE((success[{noise, "mlp_dls"}]), (success[{noise, "mlp"}])) << noise;
  for (const std::string noise : {"1", "3.1622776601683795", "5", "10"})
    EXPECT_GE((success[{noise, "mlp_dls"}]), (success[{noise, "dls"}])) << noise;
  // At 10 mV the network trained on that noise beats the least-squares minimum, which is where dls goes
  // from either start: its estimate carries the prior it was trained on.
  EXPECT_GT((success[{"10", "mlp"}]), (success[{"10", "mlp_dls"}]));
  EXPECT_GT((success[{"10", "mlp"}]), (success[{"10", "dls"}]));
}

}  // namespace
}  // namespace geoinv_test
