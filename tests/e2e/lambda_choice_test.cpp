// SPDX-License-Identifier: BSD-3-Clause
// λ chosen by the host (regularization.lambda: {choose: ...}, running/lambda_sweep.hpp) through the real
// geoinv on the shipped configs/papers/kim_nakata2018_lambda.yaml: each rule writes lambda_choice.csv,
// records the chosen λ in result.json and on the console, draws its figure; a chained solver takes its
// predecessor's λ; a campaign's results.csv gains the λ column; a rule the data or model cannot support
// is refused at its key; a given λ changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

fs::path lambda_config() { return source_dir() / "configs" / "papers" / "kim_nakata2018_lambda.yaml"; }

class LambdaChoiceRule : public ::testing::TestWithParam<std::string> {};

TEST_P(LambdaChoiceRule, WritesTheCurveRecordsTheChoiceAndDrawsItsFigure) {
  const std::string rule = GetParam();
  TempDir dir;
  const CliResult run = run_geoinv(
      {"run", lambda_config().string(), "--out", "out", "--set", "regularization.lambda.choose=" + rule},
      dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_THAT(run.out, HasSubstr("chosen by " + rule));

  const CsvTable curve = read_csv(dir.path() / "out" / "lambda_choice.csv");
  ASSERT_EQ(curve.header, (std::vector<std::string>{"solver", "lambda", "misfit", "regularization", "gcv",
                                                    "curvature", "refinement", "chosen"}));
  int grid = 0, chosen_rows = 0;
  double chosen = NAN, previous = 0;
  for (const auto& row : curve.rows) {
    EXPECT_EQ(row[0], "tikhonov");
    const double lambda = std::stod(row[1]);
    EXPECT_GT(lambda, previous);  // ascending
    previous = lambda;
    grid += row[6] == "0";
    if (row[7] == "1") {
      ++chosen_rows;
      chosen = lambda;
    }
    if (rule == "gcv") EXPECT_NE(row[4], "nan");
  }
  EXPECT_EQ(grid, 41);
  EXPECT_EQ(chosen_rows, 1);

  const nlohmann::json result = read_json(dir.path() / "out" / "result.json");
  const nlohmann::json& regularization = result["results"][0]["regularization"];
  EXPECT_EQ(regularization["choice"]["rule"], rule);
  EXPECT_DOUBLE_EQ(regularization["choice"]["lambda"].get<double>(), chosen);
  EXPECT_DOUBLE_EQ(regularization["lambda"].get<double>(), chosen);
  EXPECT_GT(chosen, 1.0);  // inside the grid [1, 1e6]: the rules find a choice, not an end
  EXPECT_LT(chosen, 1e6);
  if (rule == "discrepancy") {
    EXPECT_DOUBLE_EQ(regularization["choice"]["target"].get<double>(), 256.0);
    EXPECT_NEAR(regularization["misfit"].get<double>(), 256.0, 0.256 + 1e-9);
  }
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "figures" / "lambda_tikhonov.gp"));
  EXPECT_THAT(read_file(dir.path() / "out" / "report.html"), HasSubstr("chosen by " + rule));
  if (std::system("gnuplot --version >/dev/null 2>&1") == 0)
    EXPECT_TRUE(fs::exists(dir.path() / "out" / "figures" / "lambda_tikhonov.png"));
}

INSTANTIATE_TEST_SUITE_P(Rules, LambdaChoiceRule, ::testing::Values("discrepancy", "gcv", "lcurve"));

TEST(LambdaChoice, AGivenLambdaWritesNoCurve) {
  TempDir dir;
  const CliResult run = run_geoinv({"run", lambda_config().string(), "--out", "out", "--no-figures", "--set",
                                    "regularization.lambda=3241.9"},
                                   dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "lambda_choice.csv"));
  const nlohmann::json result = read_json(dir.path() / "out" / "result.json");
  EXPECT_FALSE(result["results"][0]["regularization"].contains("choice"));
  EXPECT_EQ(run.out.find("chosen by"), std::string::npos);
}

TEST(LambdaChoice, AChainedSolverTakesItsPredecessorsLambda) {
  TempDir dir;
  const CliResult run = run_geoinv({"run", lambda_config().string(), "--out", "out", "--no-figures", "--set",
                                    "solvers=[{plugin: linear_lsq, label: tikhonov}, {plugin: "
                                    "gradient_descent, label: descent, start_from: "
                                    "tikhonov}]"},
                                   dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const nlohmann::json result = read_json(dir.path() / "out" / "result.json");
  const nlohmann::json& first = result["results"][0]["regularization"];
  const nlohmann::json& second = result["results"][1]["regularization"];
  EXPECT_EQ(second["choice"]["inherited_from"], "tikhonov");
  EXPECT_EQ(second["lambda"], first["lambda"]);
  for (const auto& row : read_csv(dir.path() / "out" / "lambda_choice.csv").rows)
    EXPECT_EQ(row[0], "tikhonov");
}

TEST(LambdaChoice, ACampaignRecordsTheChosenLambdaPerRow) {
  TempDir dir;
  dir.write("lambda_campaign.yaml",
            "version: 1\nname: lambda_campaign\nbase: " + lambda_config().string() +
                "\nsweep:\n  grid:\n    regularization.lambda.choose: [gcv, lcurve]\n");
  const CliResult run =
      run_geoinv({"campaign", "lambda_campaign.yaml", "--out", "out", "--no-figures"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const CsvTable results = read_csv(dir.path() / "out" / "results.csv");
  const std::size_t lambda = results.column("lambda");
  ASSERT_EQ(results.rows.size(), 2u);
  for (const auto& row : results.rows) EXPECT_GT(std::stod(row[lambda]), 1.0);
  EXPECT_NE(results.rows[0][lambda], results.rows[1][lambda]);  // gcv and lcurve pick differently here
}

TEST(LambdaChoice, RulesTheDataOrModelCannotSupportAreRefusedAtTheirKey) {
  TempDir dir;
  std::string text = read_file(lambda_config());
  text.replace(text.find("noise_sigma: 0.0039272"), 22, "noise_sigma: 0");
  text.replace(text.find("choose: gcv"), 11, "choose: discrepancy");
  dir.write("no_sigma.yaml", text);
  const CliResult no_sigma = run_geoinv({"validate", "no_sigma.yaml"}, dir.path());
  EXPECT_EQ(no_sigma.exit_code, 3) << no_sigma.err;
  EXPECT_THAT(no_sigma.err, HasSubstr("no_sigma.yaml:"));
  EXPECT_THAT(no_sigma.err, HasSubstr("regularization.lambda.choose"));
  EXPECT_THAT(no_sigma.err, HasSubstr("discrepancy needs the data's sigma"));

  const CliResult nonlinear =
      run_geoinv({"validate", (source_dir() / "configs" / "seed_sphere_dls.yaml").string(), "--set",
                  "regularization={type: tikhonov, lambda: {choose: gcv}}"},
                 dir.path());
  EXPECT_EQ(nonlinear.exit_code, 3) << nonlinear.err;
  EXPECT_THAT(nonlinear.err, HasSubstr("gcv needs a linear forward model"));
}

}  // namespace
}  // namespace geoinv_test
