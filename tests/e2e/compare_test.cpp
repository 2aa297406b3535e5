// SPDX-License-Identifier: BSD-3-Clause
// `geoinv compare` through the real binary: runs are tied to their data by content, so synthetic data
// made with another noise σ or seed are refused (or ranked with --force and one warning on stderr), the
// same CSV named two ways is the same data, each row names its run folder, and --format csv|json parse
// back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char* const kSynthetic = R"(version: 1
name: compared
forward: {plugin: sphere, options: {convention: minus}, stations: {from: 0, to: 150, count: 101}}
data:
  synthetic:
    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}
    noise_sigma: 1
    seed: 1
start: {model: {x0: 60, theta: 300, h: 40, K: 94500}}
solvers:
  - plugin: dls
)";

std::size_t count_of(const std::string& text, const std::string& word) {
  std::size_t count = 0;
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++count;
  return count;
}

// Runs the synthetic experiment into `out` with `overrides` (--set).
void run_synthetic(const TempDir& dir, const std::string& out, const std::vector<std::string>& overrides = {}) {
  const fs::path file = dir.write("synthetic.yaml", kSynthetic);
  std::vector<std::string> args{"run", file.string(), "--out", out, "--no-figures"};
  for (const auto& o : overrides) args.insert(args.end(), {"--set", o});
  const CliResult run = run_geoinv(args, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
}

TEST(Compare, RefusesSyntheticRunsWithAnotherNoiseSigmaOrSeed) {
  TempDir dir;
  run_synthetic(dir, "base");
  run_synthetic(dir, "sigma", {"data.synthetic.noise_sigma=2"});
  run_synthetic(dir, "seed", {"data.synthetic.seed=2"});
  const CliResult sigma = run_geoinv({"compare", "base", "sigma"}, dir.path());
  EXPECT_EQ(sigma.exit_code, 4);
  EXPECT_THAT(sigma.err, HasSubstr("not on the same data"));
  EXPECT_THAT(sigma.err, HasSubstr("sigma: synthetic (noise σ 2, noise seed 1)"));
  EXPECT_THAT(sigma.err, HasSubstr("--force"));
  EXPECT_EQ(sigma.out, "");
  const CliResult seed = run_geoinv({"compare", "base", "seed"}, dir.path());
  EXPECT_EQ(seed.exit_code, 4);
  EXPECT_THAT(seed.err, HasSubstr("seed: synthetic (noise σ 1, noise seed 2)"));
  const auto recorded = read_json(dir.path() / "seed/result.json")["data"];
  EXPECT_EQ(recorded["generated"]["noise_seed"], 2);
  EXPECT_EQ(recorded["generated"]["noise_sigma"], 1.0);
  EXPECT_EQ(recorded["generated"]["true_model"]["h"], 41.81);
  EXPECT_EQ(recorded["fingerprint"].get<std::string>().size(), 16u);
}

TEST(Compare, ForceRanksDifferentDataWithOneWarningOnStderr) {
  TempDir dir;
  run_synthetic(dir, "base");
  run_synthetic(dir, "sigma", {"data.synthetic.noise_sigma=2"});
  const CliResult forced = run_geoinv({"compare", "base", "sigma", "--force"}, dir.path());
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(count_of(forced.err, "warning"), 1u) << forced.err;
  EXPECT_THAT(forced.err, HasSubstr("not on the same data"));
  EXPECT_THAT(forced.out, Not(HasSubstr("warning")));
  EXPECT_THAT(forced.out, HasSubstr("lowest BIC first"));
}

TEST(Compare, TheSameCsvNamedByRelativeAndAbsolutePathsIsTheSameData) {
  TempDir dir;
  fs::copy_file(seed_data_file(), dir.path() / "profile.csv");
  const fs::path file = dir.write("e.yaml",
                                  "version: 1\nname: csv\nforward: {plugin: sphere, options: {convention: minus}}\n"
                                  "data: {file: profile.csv}\nstart: {strategy: data_driven}\nsolvers:\n"
                                  "  - plugin: dls\n");
  ASSERT_EQ(run_geoinv({"run", file.string(), "--out", "relative", "--no-figures"}, dir.path()).exit_code, 0);
  const CliResult absolute =
      run_geoinv({"run", file.string(), "--out", "absolute", "--no-figures", "--set",
                  "data.file=" + (dir.path() / "profile.csv").string()},
                 dir.path());
  ASSERT_EQ(absolute.exit_code, 0) << absolute.err;
  const CliResult compare = run_geoinv({"compare", "relative", "absolute/result.json"}, dir.path());
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_EQ(compare.err, "");
  EXPECT_THAT(compare.out, Not(HasSubstr("warning")));
  // Each row names its run folder, the last column.
  EXPECT_THAT(compare.out.substr(0, compare.out.find('\n')), ::testing::EndsWith("  run"));
  EXPECT_THAT(compare.out, HasSubstr("  relative\n"));
  EXPECT_THAT(compare.out, HasSubstr("  absolute\n"));
}

TEST(Compare, CsvAndJsonFormatsParseBack) {
  TempDir dir;
  run_synthetic(dir, "a");
  run_synthetic(dir, "b", {"solvers.0.plugin=gauss_newton"});
  const CliResult csv = run_geoinv({"compare", "a", "b", "--format", "csv"}, dir.path());
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::istringstream lines(csv.out);
  std::string line;
  std::getline(lines, line);
  const std::vector<std::string> header = geoinv::split_csv_line(line);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  ASSERT_LT(column("run"), header.size()) << line;
  ASSERT_LT(column("bic"), header.size()) << line;
  std::vector<std::string> runs;
  double previous_bic = -1e300;
  while (std::getline(lines, line)) {
    const std::vector<std::string> fields = geoinv::split_csv_line(line);
    ASSERT_EQ(fields.size(), header.size()) << line;
    runs.push_back(fields[column("run")]);
    EXPECT_GE(std::stod(fields[column("bic")]), previous_bic);
    previous_bic = std::stod(fields[column("bic")]);
  }
  std::sort(runs.begin(), runs.end());
  EXPECT_EQ(runs, (std::vector<std::string>{"a", "b"}));

  const CliResult json = run_geoinv({"compare", "a", "b", "--format", "json"}, dir.path());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto parsed = nlohmann::json::parse(json.out);
  EXPECT_TRUE(parsed["same_data"].get<bool>());
  ASSERT_EQ(parsed["rows"].size(), 2u);
  EXPECT_EQ(parsed["rows"][0]["dbic"], 0.0);
  EXPECT_EQ(parsed["rows"][0]["k"], 4);
  EXPECT_TRUE(parsed["rows"][1]["run"] == "a" || parsed["rows"][1]["run"] == "b");

  const CliResult bad = run_geoinv({"compare", "a", "--format", "xml"}, dir.path());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--format must be table, csv or json, got 'xml'"));
}

}  // namespace
}  // namespace geoinv_test
