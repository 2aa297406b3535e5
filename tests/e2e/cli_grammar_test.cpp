// SPDX-License-Identifier: BSD-3-Clause
// One CLI grammar (docs/cli.md): per-command help, the flags commands share, paths given on the command
// line, located --set errors, validate on campaign files, --quiet, and the generated completion and man page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "e2e/campaign_support.hpp"
#include "e2e/cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Each command's own flags, as docs/cli.md lists them; --plugin-path and --help belong to every command.
const std::map<std::string, std::vector<std::string>>& own_flags() {
  static const std::map<std::string, std::vector<std::string>> flags{
      {"run", {"--out", "--overwrite", "--no-figures", "--quiet", "--set"}},
      {"validate", {"--set"}},
      {"train", {"--out", "--overwrite", "--set"}},
      {"plugins", {"--verbose"}},
      {"describe", {"--kind"}},
      {"compare", {}},
      {"campaign",
       {"--jobs", "--out", "--shard", "--resume", "--overwrite", "--quiet", "--no-figures", "--set"}},
      {"collect", {"--out", "--no-figures"}},
      {"plot", {"--out", "--overwrite"}},
      {"help", {"--man"}},
      {"version", {}},
      {"completion", {}},
  };
  return flags;
}

std::set<std::string> every_flag() {
  std::set<std::string> all{"--plugin-path", "--help"};
  for (const auto& [command, flags] : own_flags()) all.insert(flags.begin(), flags.end());
  return all;
}

TEST(CliGrammar, EachCommandsHelpNamesItsOwnOptionsAndNotOthers) {
  TempDir dir;
  for (const auto& [command, flags] : own_flags()) {
    for (const char* form : {"--help", "help"}) {
      const CliResult r = form == std::string("help") ? run_geoinv({"help", command}, dir.path())
                                                      : run_geoinv({command, "--help"}, dir.path());
      ASSERT_EQ(r.exit_code, 0) << command << ": " << r.err;
      EXPECT_THAT(r.out, HasSubstr("geoinv " + command)) << command;
      EXPECT_THAT(r.out, HasSubstr("Examples:")) << command;
      EXPECT_THAT(r.out, Not(HasSubstr("Exit codes"))) << command << ": the global help, not the command's";
      std::set<std::string> others = every_flag();
      for (const auto& flag : flags) {
        EXPECT_THAT(r.out, HasSubstr("  " + flag + " ")) << command << " --help does not document " << flag;
        others.erase(flag);
      }
      others.erase("--plugin-path");
      others.erase("--help");
      for (const auto& flag : others)
        EXPECT_THAT(r.out, Not(HasSubstr(flag + " ")))
            << command << " --help names " << flag << ", not its own";
    }
  }
}

TEST(CliGrammar, HelpExplainsResumeKindAndQuiet) {
  TempDir dir;
  using ::testing::ContainsRegex;
  EXPECT_THAT(run_geoinv({"campaign", "--help"}, dir.path()).out,
              ContainsRegex("--resume +complete the interrupted"));
  EXPECT_THAT(run_geoinv({"describe", "--help"}, dir.path()).out,
              ContainsRegex("--kind forward[|]solver +which"));
  EXPECT_THAT(run_geoinv({"run", "--help"}, dir.path()).out,
              ContainsRegex("--quiet +print nothing but errors"));
}

class CampaignFlags : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("base.yaml", kBase);
    dir_.write("c.yaml", campaign_text(1));
  }
  CliResult campaign(std::vector<std::string> extra) {
    std::vector<std::string> args{"campaign", "c.yaml", "--jobs", "1", "--no-figures", "--out", "out"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_geoinv(args, dir_.path());
  }
  TempDir dir_;
};

TEST_F(CampaignFlags, SetEditsTheBaseExperimentOfEveryRun) {
  const CliResult r = campaign({"--quiet", "--set", "solvers.1.label=renamed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const CsvTable table = read_csv(dir_.path() / "out/results.csv");
  ASSERT_EQ(table.rows.size(), 4u);  // 2 sweep points x 1 replicate x 2 solvers
  std::set<std::string> solvers;
  for (const auto& row : table.rows) solvers.insert(row[table.column("solver")]);
  EXPECT_EQ(solvers, (std::set<std::string>{"dls", "renamed"}));
}

TEST_F(CampaignFlags, SetWithTheCampaignPrefixEditsTheCampaignFile) {
  const CliResult r = campaign({"--quiet", "--set", "campaign.sweep.replicates=3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_csv(dir_.path() / "out/results.csv").rows.size(),
            12u);  // 2 points x 3 replicates x 2 solvers
}

TEST_F(CampaignFlags, ABadSetIsNamedByItsKey) {
  const CliResult r = campaign({"--set", "no.such.key=1"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("--set no.such.key"));
  EXPECT_THAT(r.err, HasSubstr("unknown key 'no'"));
  const CliResult in_campaign = campaign({"--set", "campaign.sweep.nope=1"});
  EXPECT_EQ(in_campaign.exit_code, 3);
  EXPECT_THAT(in_campaign.err, HasSubstr("error: --set campaign.sweep.nope: sweep.nope: unknown key 'nope'"));
}

TEST_F(CampaignFlags, OverwriteReplacesAFinishedCampaign) {
  ASSERT_EQ(campaign({"--quiet"}).exit_code, 0);
  EXPECT_EQ(campaign({"--quiet"}).exit_code, 7);  // refused without --overwrite
  const CliResult r = campaign({"--quiet", "--overwrite", "--set", "campaign.sweep.replicates=2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_csv(dir_.path() / "out/results.csv").rows.size(), 8u);
  EXPECT_EQ(campaign({"--resume", "--overwrite"}).exit_code, 2);
}

TEST_F(CampaignFlags, QuietPrintsNoTimingLines) {
  const CliResult r = campaign({"--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("time:")));
  EXPECT_THAT(r.out, Not(HasSubstr(" s,")));
  EXPECT_THAT(r.err, Not(HasSubstr("campaign:")));
  EXPECT_THAT(r.out,
              HasSubstr("campaign: 2 runs (0 done before, 2 now, 0 with a failed solver)\nresults: out\n"));
}

TEST_F(CampaignFlags, ValidateReadsACampaignFileAsADryRun) {
  const CliResult r = run_geoinv({"validate", "c.yaml", "--set", "campaign.sweep.replicates=5"}, dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("valid campaign 'small'"));
  EXPECT_THAT(r.out, HasSubstr("runs: 10 (2 sweep points x 5 replicates)"));
  EXPECT_THAT(r.out, HasSubstr("sweep: data.synthetic.noise_sigma (2 values)"));
  EXPECT_THAT(r.out, HasSubstr("solvers: dls, dls_short"));
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(CampaignFlags, TheRunFileReaderSaysACampaignFileIsOne) {
  const CliResult r = run_geoinv({"run", "c.yaml"}, dir_.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("this is a campaign file"));
  EXPECT_THAT(r.err, Not(HasSubstr("unknown key 'base'")));
}

// An experiment in a subfolder whose data file the user gives from the working folder.
class CommandLinePaths : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string data = read_file(seed_data_file());
    dir_.write("profile.csv", data);
    dir_.write("experiments/exp.yaml",
               "version: 1\nname: exp\nforward:\n  plugin: sphere\n  stations: data\n"
               "data:\n  file: missing.csv\nstart:\n  model: {x0: 20, theta: 300, h: 40, K: 94500}\n"
               "solvers:\n  - plugin: dls\n");
  }
  TempDir dir_;
};

TEST_F(CommandLinePaths, SetDataFileIsRelativeToTheWorkingFolder) {
  const CliResult r =
      run_geoinv({"validate", "experiments/exp.yaml", "--set", "data.file=profile.csv"}, dir_.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("valid (101 data"));
}

TEST_F(CommandLinePaths, AnUnknownTopLevelSetKeyIsBlamedOnTheOverride) {
  const CliResult r = run_geoinv(
      {"validate", "experiments/exp.yaml", "--set", "data.file=profile.csv", "--set", "no.such.key=1"},
      dir_.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("error: --set no.such.key: no: unknown key 'no'"));
  EXPECT_THAT(r.err, Not(HasSubstr("exp.yaml:")));
}

TEST_F(CommandLinePaths, AnUnwritableOutputFolderIsNamedAsGiven) {
  const CliResult r = run_geoinv({"run", "experiments/exp.yaml", "--set", "data.file=profile.csv",
                                  "--no-figures", "--out", "/proc/geoinv-e2e-out"},
                                 dir_.path());
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_THAT(r.err, HasSubstr("geoinv: error: /proc/geoinv-e2e-out: "));
  EXPECT_THAT(r.err, Not(HasSubstr(".partial")));
}

TEST_F(CommandLinePaths, RunQuietPrintsNothing) {
  const CliResult r = run_geoinv({"run", "experiments/exp.yaml", "--set", "data.file=profile.csv",
                                  "--no-figures", "--quiet", "--out", "o"},
                                 dir_.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CommandLinePaths, PlotOutDrawsACopyAndLeavesTheFolder) {
  if (std::system("gnuplot --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "gnuplot is not installed";
  ASSERT_EQ(run_geoinv({"run", "experiments/exp.yaml", "--set", "data.file=profile.csv", "--no-figures",
                        "--quiet", "--out", "o"},
                       dir_.path())
                .exit_code,
            0);
  const CliResult r = run_geoinv({"plot", "o", "--out", "drawn"}, dir_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("drawn/report.html"));
  EXPECT_TRUE(fs::exists(dir_.path() / "drawn/report.html"));
  EXPECT_TRUE(fs::exists(dir_.path() / "drawn/result.json"));
  EXPECT_FALSE(fs::exists(dir_.path() / "o/report.html"));
  EXPECT_EQ(run_geoinv({"plot", "o", "--out", "drawn"}, dir_.path()).exit_code,
            7);  // holds files: --overwrite
}

TEST(CliGrammar, BashCompletionListsEveryCommandAndFlagAndParses) {
  TempDir dir;
  const CliResult r = run_geoinv({"completion", "bash"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& [command, flags] : own_flags()) {
    EXPECT_THAT(r.out, HasSubstr("    " + command + ")\n")) << command;
    for (const auto& flag : flags) EXPECT_THAT(r.out, HasSubstr(flag)) << flag;
  }
  EXPECT_THAT(r.out, HasSubstr("complete -o bashdefault -o default -F _geoinv geoinv"));
  const fs::path script = dir.write("geoinv.bash", r.out);
  EXPECT_EQ(std::system(("bash -n " + shell_quote(script.string())).c_str()), 0);
}

TEST(CliGrammar, ManPageIsGroffWithEveryCommand) {
  TempDir dir;
  const CliResult r = run_geoinv({"help", "--man"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind(".TH GEOINV 1", 0), 0u);
  for (const auto& [command, flags] : own_flags()) EXPECT_THAT(r.out, HasSubstr(".SS " + command + "\n"));
  EXPECT_THAT(r.out, HasSubstr(".SH EXIT STATUS"));
}

}  // namespace
}  // namespace geoinv_test
