// SPDX-License-Identifier: BSD-3-Clause
// The real geoinv binary on the real experiment files: the seed study's inversion, the main example,
// and what the run folder holds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

TEST(SeedReproduction, DlsReachesTheSeedStudysLeastSquaresMinimum) {
  TempDir dir;
  const CliResult run = run_geoinv({"run", (source_dir() / "configs/seed_sphere_dls.yaml").string(), "--set",
                                    "data.file=" + seed_data_file().string(), "--out", "seed"},
                                   dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "seed/result.json");
  ASSERT_EQ(result["results"].size(), 1u);
  const auto& dls = result["results"][0];
  EXPECT_EQ(dls["solver"], "dls");
  EXPECT_EQ(dls["status"], "converged");
  const auto& estimate = dls["estimate"];
  EXPECT_NEAR(estimate["x0"].get<double>(), 76.2434, 1e-3);
  EXPECT_NEAR(estimate["h"].get<double>(), 42.7766, 1e-3);
  EXPECT_NEAR(estimate["K"].get<double>(), 99102.1, 0.5);
  EXPECT_NEAR(estimate["theta"].get<double>(), 310.302, 1e-3);
  EXPECT_NEAR(dls["rms"].get<double>(), 3.2814, 1e-3);
  EXPECT_NEAR(dls["sse"].get<double>(), 1087.559, 1e-2);
  // The study's linearised 1σ (docs/seed-reproduction.md).
  const auto& std_error = dls["std_error"];
  EXPECT_NEAR(std_error["x0"].get<double>(), 1.24, 0.01);
  EXPECT_NEAR(std_error["theta"].get<double>(), 2.35, 0.01);
  EXPECT_NEAR(std_error["h"].get<double>(), 1.17, 0.01);
  EXPECT_NEAR(std_error["K"].get<double>(), 5.6e3, 0.05e3);
  // Optimality is reported apart from misfit, and is small at a minimum.
  EXPECT_LT(dls["optimality"].get<double>(), 1e-3 * dls["sse"].get<double>());
  EXPECT_TRUE(dls["chi2"].is_null()) << "the seed file has no sigma column";
  EXPECT_GT(dls["forward_evaluations"].get<int>(), 0);
  EXPECT_GT(dls["iterations"].get<int>(), 0);
  EXPECT_EQ(dls["correlation"].size(), 4u);
  EXPECT_DOUBLE_EQ(dls["correlation"][0][0].get<double>(), 1.0);
  EXPECT_THAT(run.out, HasSubstr("dls"));
  EXPECT_THAT(run.out, HasSubstr("converged"));
}

TEST(SeedReproduction, RunFolderHoldsResolvedConfigFitAndTrace) {
  TempDir dir;
  const CliResult run = run_geoinv({"run", (source_dir() / "configs/seed_sphere_dls.yaml").string(), "--set",
                                    "data.file=" + seed_data_file().string(), "--out", "seed"},
                                   dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path out = dir.path() / "seed";

  const std::string fit = read_file(out / "fit.csv");
  EXPECT_EQ(fit.substr(0, fit.find('\n')), "x,observed,predicted_dls,residual_dls");
  EXPECT_EQ(std::count(fit.begin(), fit.end(), '\n'), 102);

  const std::string trace = read_file(out / "trace_dls.csv");
  EXPECT_EQ(trace.substr(0, trace.find('\n')), "iteration,sse,damping,step_norm,accepted");
  EXPECT_GT(std::count(trace.begin(), trace.end(), '\n'), 3);

  // The resolved config writes every default and is itself a valid experiment.
  const std::string resolved = read_file(out / "config.resolved.yaml");
  EXPECT_THAT(resolved, HasSubstr("max_iterations"));
  EXPECT_THAT(resolved, HasSubstr("convention: \"minus\""));
  EXPECT_THAT(resolved, HasSubstr("max_forward_evaluations"));
  const CliResult validate = run_geoinv({"validate", (out / "config.resolved.yaml").string()}, dir.path());
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  const CliResult rerun = run_geoinv({"run", (out / "config.resolved.yaml").string(), "--out", "again"}, dir.path());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(read_json(out / "result.json")["results"][0]["estimate"],
            read_json(dir.path() / "again/result.json")["results"][0]["estimate"]);
}

TEST(MainExample, SyntheticSphereIsReproducibleAndRecordsItsSeeds) {
  TempDir dir;
  const fs::path example = source_dir() / "examples/synthetic_sphere/synthetic_sphere.yaml";
  const CliResult first = run_geoinv({"run", example.string(), "--out", "first"}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const CliResult second = run_geoinv({"run", example.string(), "--out", "second"}, dir.path());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto a = read_json(dir.path() / "first/result.json");
  const auto b = read_json(dir.path() / "second/result.json");
  EXPECT_EQ(a["seeds"]["noise"], 42);
  EXPECT_EQ(a["seeds"]["experiment"], 20141101);
  EXPECT_EQ(a["true_model"]["x0"].get<double>(), 77.07);
  // Bit-identical data and estimates from the same config.
  EXPECT_EQ(read_file(dir.path() / "first/fit.csv"), read_file(dir.path() / "second/fit.csv"));
  EXPECT_EQ(a["results"][0]["estimate"], b["results"][0]["estimate"]);
  // The fit is close to the truth at this noise level: within a few standard errors.
  const auto& r = a["results"][0];
  EXPECT_EQ(r["status"], "converged");
  for (const char* name : {"x0", "theta", "h", "K"}) {
    const double error = r["estimate"][name].get<double>() - a["true_model"][name].get<double>();
    EXPECT_LT(std::abs(error), 4.0 * r["std_error"][name].get<double>()) << name;
    EXPECT_LT(std::abs(r["relative_error"][name].get<double>()), 0.1) << name;
  }
  // sigma is known for synthetic data: chi2 is reported and close to the number of data.
  EXPECT_NEAR(r["chi2"].get<double>(), 101.0, 3.0 * std::sqrt(2.0 * 101.0));
  // A different noise seed gives different data.
  const CliResult other = run_geoinv(
      {"run", example.string(), "--out", "other", "--set", "data.synthetic.seed=43"}, dir.path());
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(read_file(dir.path() / "first/fit.csv"), read_file(dir.path() / "other/fit.csv"));
}

// Without data.synthetic.seed the noise seed derives from the experiment's (default 1): it must read
// back from config.resolved.yaml (below 2^63) and be exact as a JSON or CSV double (below 2^53).
TEST(MainExample, DerivedNoiseSeedReadsBackFromTheResolvedConfig) {
  TempDir dir;
  const fs::path example = source_dir() / "examples/synthetic_sphere/synthetic_sphere.yaml";
  const CliResult first = run_geoinv(
      {"run", example.string(), "--out", "first", "--no-figures", "--set", "seed=~", "--set", "data.synthetic.seed=~"},
      dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto seed = read_json(dir.path() / "first/result.json")["seeds"]["noise"].get<std::uint64_t>();
  EXPECT_LT(seed, std::uint64_t{1} << 53);
  const CliResult again = run_geoinv(
      {"run", (dir.path() / "first/config.resolved.yaml").string(), "--out", "again", "--no-figures"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_json(dir.path() / "again/result.json")["seeds"]["noise"].get<std::uint64_t>(), seed);
}

TEST(MainExample, RefusesToReplaceAnEarlierRunUnlessAsked) {
  TempDir dir;
  const fs::path example = source_dir() / "examples/synthetic_sphere/synthetic_sphere.yaml";
  ASSERT_EQ(run_geoinv({"run", example.string(), "--out", "run"}, dir.path()).exit_code, 0);
  const CliResult again = run_geoinv({"run", example.string(), "--out", "run"}, dir.path());
  EXPECT_EQ(again.exit_code, 7);
  EXPECT_THAT(again.err, HasSubstr("already holds files"));
  EXPECT_THAT(again.err, HasSubstr("--overwrite"));
  EXPECT_EQ(run_geoinv({"run", example.string(), "--out", "run", "--overwrite"}, dir.path()).exit_code, 0);
}

}  // namespace
}  // namespace geoinv_test
