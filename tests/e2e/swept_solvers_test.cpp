// SPDX-License-Identifier: BSD-3-Clause
// A campaign whose runs have different solvers (a zip over `solvers` beside a grid axis), with the real
// binary: campaign.json lists every solver and which runs have which, --resume of a complete campaign runs
// and rejects nothing, kill -9 and --resume give the rows of an uninterrupted campaign, shards collect to
// the unsharded campaign, MPI ranks give the rows of threads, and summary.csv covers every solver.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "e2e/campaign_support.hpp"
#include "e2e/cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Points (noise: `noise`, a list or range) × (solvers), the solver axis fastest: even points run dls alone,
// odd points dls_short then dls (an order of its own, not the campaign's first-appearance order).
std::string swept_solvers_campaign(int replicates, const std::string& noise = "[1, 10]") {
  return "version: 1\nname: swept\nseed: 17\nbase: base.yaml\n"
         "success: {parameter: h, relative_error: 0.2}\n"
         "sweep:\n"
         "  grid:\n    data.synthetic.noise_sigma: " +
         noise +
         "\n"
         "  zip:\n    solvers:\n"
         "      - [{plugin: dls, label: dls}]\n"
         "      - [{plugin: dls, label: dls_short, options: {max_iterations: 3}}, {plugin: dls, label: "
         "dls}]\n"
         "  replicates: " +
         std::to_string(replicates) + "\n";
}

// The solvers each run of `dir`'s results.csv has rows of, checked against the campaign's plan.
void expect_each_run_has_its_own_solvers(const fs::path& dir, int replicates, std::size_t runs) {
  std::map<long, std::set<std::string>> solvers;
  for (const auto& [key, row] : rows_of(dir)) solvers[key.first].insert(key.second);
  ASSERT_EQ(solvers.size(), runs);
  for (const auto& [run, labels] : solvers) {
    const std::set<std::string> expected = (run / replicates) % 2 == 1
                                               ? std::set<std::string>{"dls", "dls_short"}
                                               : std::set<std::string>{"dls"};
    EXPECT_EQ(labels, expected) << "run " << run;
  }
}

TEST(SweptSolvers, ResumeOfACompleteCampaignRunsAndRejectsNothing) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", swept_solvers_campaign(3));
  const CliResult first =
      run_geoinv({"campaign", "c.yaml", "--jobs", "2", "--out", "one", "--no-figures"}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  expect_each_run_has_its_own_solvers(dir.path() / "one", 3, 12);
  const auto info = nlohmann::json::parse(read_file(dir.path() / "one" / "campaign.json"));
  EXPECT_EQ(info.at("solvers"), (nlohmann::json{"dls", "dls_short"}));
  EXPECT_EQ(info.at("solver_sets").at("sets"), (nlohmann::json{{"dls"}, {"dls_short", "dls"}}));
  const std::string results = read_file(dir.path() / "one" / "results.csv");

  const CliResult again = run_geoinv(
      {"campaign", "c.yaml", "--jobs", "2", "--out", "one", "--resume", "--no-figures"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("(12 done before, 0 now"));
  EXPECT_FALSE(fs::exists(dir.path() / "one" / "results.rejected.csv"));
  EXPECT_EQ(read_file(dir.path() / "one" / "results.csv"), results);

  // summary.csv: a row per (point, solver) the point has, each solver's over the runs that have it.
  CsvTable summary = read_csv(dir.path() / "one" / "summary.csv");
  const std::size_t solver = summary.column("solver"), runs = summary.column("runs");
  std::multiset<std::string> groups;
  for (const auto& row : summary.rows) {
    groups.insert(row[solver]);
    EXPECT_EQ(row[runs], "3");
  }
  EXPECT_EQ(groups, (std::multiset<std::string>{"dls", "dls", "dls", "dls", "dls_short", "dls_short"}));
}

TEST(SweptSolvers, KillAndResumeGiveTheRowsOfAnUninterruptedCampaign) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  // Replicates 1 and many noise levels: the runs alternate between the two solver lists, so the rows
  // written before the kill hold both.
  dir.write("c.yaml", swept_solvers_campaign(1, "{from: 1, to: 10, count: 1200}"));
  kill_campaign_midway(dir.path(), "killed", 40000);
  EXPECT_GT(count_lines(dir.path() / "killed" / "results.csv"), 1u);
  const CliResult resumed =
      run_geoinv({"campaign", "c.yaml", "--out", "killed", "--resume", "--jobs", "2"}, dir.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_FALSE(fs::exists(dir.path() / "killed" / "results.rejected.csv"));
  const CliResult whole = run_geoinv({"campaign", "c.yaml", "--out", "whole", "--jobs", "2"}, dir.path());
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  expect_each_run_has_its_own_solvers(dir.path() / "killed", 1, 2400);
  EXPECT_EQ(rows_of(dir.path() / "killed"), rows_of(dir.path() / "whole"));
  EXPECT_EQ(summary_of(dir.path() / "killed"), summary_of(dir.path() / "whole"));
}

TEST(SweptSolvers, ShardsCollectToTheUnshardedCampaign) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", swept_solvers_campaign(3));
  ASSERT_EQ(run_geoinv({"campaign", "c.yaml", "--jobs", "2", "--out", "all"}, dir.path()).exit_code, 0);
  for (const char* shard : {"0/2", "1/2"}) {
    const CliResult part = run_geoinv(
        {"campaign", "c.yaml", "--jobs", "1", "--shard", shard, "--out", std::string("s") + shard[0]},
        dir.path());
    ASSERT_EQ(part.exit_code, 0) << part.err;
  }
  const CliResult collected = run_geoinv({"collect", "s1", "s0", "--out", "merged"}, dir.path());
  ASSERT_EQ(collected.exit_code, 0) << collected.err;
  EXPECT_THAT(collected.out, Not(HasSubstr("no rows yet")));
  EXPECT_EQ(rows_of(dir.path() / "merged"), rows_of(dir.path() / "all"));
  EXPECT_EQ(summary_of(dir.path() / "merged"), summary_of(dir.path() / "all"));
  // Each run's rows in its own solver order, as the campaign wrote them.
  const std::string merged = read_file(dir.path() / "merged" / "results.csv");
  const std::size_t run3 = merged.find("\n3,1,1,0,");  // run 3: shard 1, point 1, replicate 0
  ASSERT_NE(run3, std::string::npos);
  EXPECT_NE(merged.find("dls_short", run3), std::string::npos);
  EXPECT_LT(merged.find("dls_short", run3), merged.find(",dls,", run3));
}

TEST(SweptSolvers, MpiRanksGiveEachRunItsOwnSolvers) {
  if (!kBuiltWithMpi) GTEST_SKIP() << kWithoutMpi;
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", swept_solvers_campaign(3));
  const CliResult threads = run_geoinv({"campaign", "c.yaml", "--jobs", "2", "--out", "threads"}, dir.path());
  ASSERT_EQ(threads.exit_code, 0) << threads.err;
  const CliResult ranks =
      run_geoinv_under(mpirun(dir, 2), {"campaign", "c.yaml", "--out", "mpi"}, dir.path());
  ASSERT_EQ(ranks.exit_code, 0) << ranks.err;
  expect_each_run_has_its_own_solvers(dir.path() / "mpi", 3, 12);
  EXPECT_EQ(rows_of(dir.path() / "mpi"), rows_of(dir.path() / "threads"));
  const CliResult again =
      run_geoinv_under(mpirun(dir, 2), {"campaign", "c.yaml", "--out", "mpi", "--resume"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(fs::exists(dir.path() / "mpi" / "results.rejected.csv"));
}

}  // namespace
}  // namespace geoinv_test
