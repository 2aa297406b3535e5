// SPDX-License-Identifier: BSD-3-Clause
// The console summary and report.html of `geoinv run` state the objective the solvers minimised
// (running/objective_statement.hpp; issue 13: "dls, gauss_newton and the new solvers minimise the same
// objective. The report states it"): the weighted misfit alone without a regularisation (every SP run),
// plus λ times the regulariser with one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

constexpr const char* kSphere =
    "version: 1\n"
    "name: sphere\n"
    "forward: {plugin: sphere, options: {convention: minus}, stations: {from: 0, to: 150, count: 41}}\n"
    "data:\n"
    "  synthetic: {true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}, noise_sigma: 2, seed: 1}\n"
    "start: {model: {x0: 70, theta: 300, h: 40, K: 94500}}\n"
    "solvers:\n"
    "  - plugin: dls\n";

fs::path wedge_trace() { return source_dir() / "configs" / "papers" / "kim_nakata2018_wedge_trace.yaml"; }

TEST(ObjectiveStatement, AnSpRunStatesTheWeightedMisfit) {
  TempDir dir;
  const auto file = dir.write("sphere.yaml", kSphere);
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_THAT(run.out, HasSubstr("objective: ‖W_d(d − f(m))‖²\n"));
  const std::string report = read_file(dir.path() / "out" / "report.html");
  EXPECT_THAT(report, HasSubstr("<dt>objective</dt><dd>‖W_d(d − f(m))‖², W_d = diag(1/σ)</dd>"));
}

TEST(ObjectiveStatement, ARegularisedRunStatesLambdaAndTheRegulariser) {
  TempDir dir;
  const CliResult run = run_geoinv({"run", wedge_trace().string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_THAT(run.out, HasSubstr("objective: ‖W_d(d − f(m))‖² + 0.05·‖m‖²\n"));
  const std::string report = read_file(dir.path() / "out" / "report.html");
  EXPECT_THAT(report, HasSubstr("<dt>objective</dt><dd>‖W_d(d − f(m))‖² + 0.05·‖m‖², W_d = I (σ unknown)</dd>"));
}

TEST(ObjectiveStatement, EachRegulariserHasItsTerm) {
  const struct {
    std::vector<std::string> overrides;
    const char* expected;
  } cases[] = {
      {{"regularization.order=1", "regularization.lambda=3241.9"}, "+ 3241.9·‖D₁m‖²"},
      {{"regularization.order=2"}, "+ 0.05·‖D₂m‖²"},
      {{"regularization={type: l1, lambda: 946.85}"}, "+ 946.85·‖m‖₁"},
      {{"regularization={type: tv, lambda: 2}"}, "+ 2·‖D₁m‖₁"},
      {{"regularization={type: none}"}, "objective: ‖W_d(d − f(m))‖²\n"},
  };
  for (const auto& c : cases) {
    TempDir dir;
    std::vector<std::string> arguments{"run", wedge_trace().string(), "--out", "out", "--no-figures"};
    for (const auto& set : c.overrides) arguments.insert(arguments.end(), {"--set", set});
    const CliResult run = run_geoinv(arguments, dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
    EXPECT_THAT(run.out, HasSubstr(c.expected)) << c.overrides.front();
  }
}

}  // namespace
}  // namespace geoinv_test
