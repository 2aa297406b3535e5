// SPDX-License-Identifier: BSD-3-Clause
// Host-owned behaviour, through the real binary: start strategies, the evaluation budget, a plugin that
// throws, the regional background, and model comparison.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

std::string seed_experiment(const std::string& start, const std::string& extra = "") {
  return "version: 1\nname: host_features\nforward: {plugin: sphere, options: {convention: minus}}\n"
         "data: {file: " + seed_data_file().string() + "}\n" + start +
         "solvers:\n  - {plugin: dls, label: first}\n  - {plugin: dls, label: second, options: {initial_damping: 1}}\n" +
         extra;
}

TEST(StartStrategies, MultistartGivesEverySolverTheSameRecordedStartsAndKeepsTheBest) {
  TempDir dir;
  const fs::path file = dir.write(
      "e.yaml", seed_experiment("bounds: {x0: [0, 150], h: [1, 100], K: [1000, 1000000]}\n"
                                "start: {strategy: multistart, count: 6, seed: 11}\n"));
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out/result.json");
  EXPECT_EQ(result["start"]["strategy"], "multistart");
  EXPECT_EQ(result["start"]["count"], 6);
  EXPECT_EQ(result["seeds"]["starts"], 11);
  const auto& first = result["results"][0];
  const auto& second = result["results"][1];
  ASSERT_EQ(first["starts"].size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(first["starts"][i]["start"], second["starts"][i]["start"]) << i;
  // The winner has the lowest cost of all starts.
  double lowest = 1e300;
  for (const auto& s : first["starts"]) lowest = std::min(lowest, s["cost"].get<double>());
  EXPECT_EQ(first["starts"][first["best_start"].get<int>()]["cost"].get<double>(), lowest);
  EXPECT_NEAR(first["estimate"]["h"].get<double>(), 42.7766, 1e-3);
  // Starts are Latin hypercube: one per sixth of each range.
  std::vector<int> strata;
  for (const auto& s : first["starts"]) strata.push_back(static_cast<int>(s["start"]["x0"].get<double>() / 25.0));
  std::sort(strata.begin(), strata.end());
  EXPECT_EQ(strata, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  // The total evaluations cover every start.
  long sum = 0;
  for (const auto& s : first["starts"]) sum += s["forward_evaluations"].get<long>();
  EXPECT_EQ(first["forward_evaluations"].get<long>(), sum);
}

TEST(StartStrategies, DataDrivenStartReachesTheSeedMinimum) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", seed_experiment("start: {strategy: data_driven}\n"));
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out/result.json");
  EXPECT_EQ(result["start"]["strategy"], "data_driven");
  EXPECT_NEAR(result["results"][0]["estimate"]["x0"].get<double>(), 76.2434, 1e-3);
  EXPECT_NEAR(result["results"][0]["estimate"]["h"].get<double>(), 42.7766, 1e-3);
}

TEST(StartStrategies, MultistartNeedsFiniteRanges) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", seed_experiment("start: {strategy: multistart, count: 4}\n"));
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr("multistart draws starts within finite ranges, but x0 is bounded by [-.inf, .inf]"));
}

TEST(Budget, ExhaustedBudgetReportsTheBestModelSoFar) {
  TempDir dir;
  const fs::path file = dir.write(
      "e.yaml", seed_experiment("start: {model: {x0: 20, theta: 300, h: 40, K: 94500}}\n",
                                "budget: {max_forward_evaluations: 4}\n"));
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out/result.json");
  for (const auto& r : result["results"]) {
    EXPECT_EQ(r["termination"], "budget_exhausted");
    EXPECT_EQ(r["status"], "not_converged");
    EXPECT_LE(r["forward_evaluations"].get<int>(), 4);
    EXPECT_THAT(r["message"].get<std::string>(), HasSubstr("forward-evaluation budget of 4 exhausted"));
    // The best model evaluated fits better than the start (RMS of the start is far above 20 mV).
    EXPECT_LT(r["rms"].get<double>(), 40.0);
  }
}

TEST(Faults, APluginThatThrowsFailsItsRunAndTheRunStillWritesResults) {
  TempDir dir;
  dir.write("profile.csv", "x,v\n0,1\n1,2\n2,3\n3,2\n4,1\n");
  const fs::path file = dir.write("e.yaml", std::string("version: 1\nplugin_paths: [") + GEOINV_FIXTURE_THROWING_DIR +
                                                "]\nforward: {plugin: throwing}\ndata: {file: profile.csv}\n"
                                                "start: {model: {k: 1}}\nsolvers: [{plugin: dls}]\n");
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto r = read_json(dir.path() / "out/result.json")["results"][0];
  EXPECT_EQ(r["status"], "failed");
  EXPECT_EQ(r["termination"], "plugin_failure");
  EXPECT_THAT(r["message"].get<std::string>(), HasSubstr("deliberate failure in predict"));
}

TEST(Background, LinearBackgroundIsInvertedJointlyAndComparedByBic) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", seed_experiment("start: {strategy: data_driven}\n"));
  ASSERT_EQ(run_geoinv({"run", file.string(), "--out", "plain"}, dir.path()).exit_code, 0);
  const CliResult with_background =
      run_geoinv({"run", file.string(), "--out", "regional", "--set", "forward.background=linear"}, dir.path());
  ASSERT_EQ(with_background.exit_code, 0) << with_background.err;
  const auto result = read_json(dir.path() / "regional/result.json");
  EXPECT_EQ(result["forward"]["background"], "linear");
  EXPECT_EQ(result["results"][0]["num_parameters"], 6);
  EXPECT_TRUE(result["results"][0]["estimate"].contains("c1"));
  // The seed data have no background: BIC prefers the 4-parameter sphere.
  const CliResult compare = run_geoinv({"compare", "regional", "plain"}, dir.path());
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  const auto plain_row = compare.out.find("sphere ");
  const auto regional_row = compare.out.find("sphere+linear");
  ASSERT_NE(plain_row, std::string::npos);
  ASSERT_NE(regional_row, std::string::npos);
  EXPECT_LT(plain_row, regional_row) << compare.out;
}

// A sphere on a curved regional trend: the quadratic background (c2 scaled to the profile's ends) is
// recovered jointly with the body from the data-driven start.
TEST(Background, QuadraticBackgroundIsRecoveredOnSyntheticData) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", R"(version: 1
name: quadratic_background
forward:
  plugin: sphere
  options: {convention: minus}
  background: quadratic
  stations: {from: 0, to: 300, count: 151}
data:
  unit: mV
  synthetic:
    true_model: {x0: 150, theta: 309.37, h: 30, K: 60000, c0: 10, c1: 0.05, c2: 8}
    noise_sigma: 0.5
    seed: 3
start: {strategy: data_driven}
solvers:
  - plugin: dls
)");
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out/result.json");
  EXPECT_EQ(result["forward"]["background"], "quadratic");
  const auto& row = result["results"][0];
  EXPECT_EQ(row["status"], "converged") << row["message"];
  EXPECT_EQ(row["num_parameters"], 7);
  EXPECT_NEAR(row["estimate"]["c2"].get<double>(), 8.0, 0.5);
  EXPECT_NEAR(row["estimate"]["c1"].get<double>(), 0.05, 0.01);
  EXPECT_NEAR(row["estimate"]["c0"].get<double>(), 10.0, 1.5);
  EXPECT_NEAR(row["estimate"]["x0"].get<double>(), 150.0, 1.0);
  EXPECT_NEAR(row["estimate"]["h"].get<double>(), 30.0, 1.5);
}

TEST(Overrides, TildeRemovesAKey) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", seed_experiment("start: {model: {x0: 20, theta: 300, h: 40, K: 94500}}\n"));
  const CliResult run = run_geoinv(
      {"validate", file.string(), "--set", "start.strategy=data_driven", "--set", "~start.model"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

// A path through a key that is not there is a usage error naming that key (it was an uncaught
// YAML::InvalidNode, found by the campaign_loader fuzzer through a sweep key "~ata.synthetic.n").
TEST(Overrides, TildeThroughAMissingKeyNamesIt) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", seed_experiment("start: {model: {x0: 20, theta: 300, h: 40, K: 94500}}\n"));
  const CliResult run = run_geoinv({"validate", file.string(), "--set", "~stort.model"}, dir.path());
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("--set ~stort.model: there is no key 'stort' to descend into"), std::string::npos) << run.err;
}

// data.synthetic.snr: σ = RMS(noise-free data) / snr, then exactly a noise_sigma of that value.
TEST(SyntheticNoise, AnSnrIsTheSigmaOfRmsOverSnr) {
  TempDir dir;
  auto experiment = [](const std::string& noise) {
    return "version: 1\nname: snr\nforward: {plugin: sphere, options: {convention: minus}, stations: {from: "
           "0, "
           "to: 150, count: 101}}\ndata:\n  synthetic: {true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: "
           "94686}, " +
           noise +
           ", seed: 1}\nstart: {model: {x0: 20, theta: 300, h: 40, K: 94500}}\nsolvers:\n  - plugin: dls\n";
  };
  const CliResult snr =
      run_geoinv({"run", dir.write("snr.yaml", experiment("snr: 10")).string(), "--out", "snr"}, dir.path());
  ASSERT_EQ(snr.exit_code, 0) << snr.err;
  const auto by_snr = read_json(dir.path() / "snr/result.json");
  const double sigma = by_snr["data"]["noise_sigma"].get<double>();
  EXPECT_GT(sigma, 0.1);
  char written[64];
  std::snprintf(written, sizeof written, "noise_sigma: %.17g", sigma);
  const CliResult plain = run_geoinv(
      {"run", dir.write("sigma.yaml", experiment(written)).string(), "--out", "sigma"}, dir.path());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto by_sigma = read_json(dir.path() / "sigma/result.json");
  for (const char* name : {"x0", "theta", "h", "K"})
    EXPECT_DOUBLE_EQ(by_snr["results"][0]["estimate"][name].get<double>(),
                     by_sigma["results"][0]["estimate"][name].get<double>())
        << name;
  // The resolved configuration keeps the user's words.
  std::ifstream resolved(dir.path() / "snr/config.resolved.yaml");
  const std::string text((std::istreambuf_iterator<char>(resolved)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("snr: 10"));
}

}  // namespace
}  // namespace geoinv_test
