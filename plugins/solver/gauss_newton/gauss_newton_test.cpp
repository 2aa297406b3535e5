// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `gauss_newton` plugin, loaded through the plugin registry as the host loads it, on the
// sphere and data the solvers' tests share (geoinv_lsq/testing.hpp).
#include <gtest/gtest.h>

#include <Eigen/QR>
#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/options.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"
#include "geoinv/termination.hpp"
#include "geoinv_lsq/testing.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;

using namespace geoinv::lsq::testing;  // the shared sphere, data and seed numbers

class GaussNewtonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    solver_ = registry_.create_solver("gauss_newton");
    solver_->configure(geoinv::OptionValues::defaults(solver_->options()));
  }

  geoinv::PluginRegistry registry_;
  std::shared_ptr<geoinv::Solver> solver_;
};

TEST_F(GaussNewtonTest, RecoversANoiseFreeModelExactly) {
  auto problem = sphere_problem(noise_free_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  for (Eigen::Index j = 0; j < 4; ++j)
    EXPECT_NEAR(outcome.estimate(j), kTruth(j), 1e-6 * std::abs(kTruth(j))) << "parameter " << j;
}

TEST_F(GaussNewtonTest, ReachesTheSeedMinimumFromTheSeedStart) {
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_NEAR(outcome.estimate(0), 76.243426, 1e-4);
  EXPECT_NEAR(outcome.estimate(1), 5.415794, 1e-5);
  EXPECT_NEAR(outcome.estimate(2), 42.776603, 1e-4);
  EXPECT_NEAR(outcome.estimate(3), 99102.106, 0.5);
  EXPECT_NEAR(outcome.estimate(0), kSeedMinimum(0), 1e-5);
  EXPECT_NEAR(outcome.estimate(2), kSeedMinimum(2), 1e-5);
  EXPECT_NEAR(outcome.estimate(3), kSeedMinimum(3), 2e-2);
  EXPECT_NEAR(problem.best_cost(), kSeedMinimumSse, 1e-8);
  // One evaluation per trial (a trace row) with an analytic Jacobian.
  EXPECT_EQ(problem.counts().forward, static_cast<std::int64_t>(outcome.trace.num_rows()));
  RecordProperty("iterations", outcome.iterations);
}

TEST_F(GaussNewtonTest, PoorStart) {
  auto problem = sphere_problem(seed_data());
  auto outcome = solver_->solve(problem, kPoorStart, {});
  canonicalize(outcome.estimate);
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_NEAR(outcome.estimate(0), kSeedMinimum(0), 1e-5);
  EXPECT_NEAR(outcome.estimate(2), kSeedMinimum(2), 1e-5);
  EXPECT_NEAR(outcome.estimate(3), kSeedMinimum(3), 2e-2);
  RecordProperty("iterations", outcome.iterations);
}

TEST_F(GaussNewtonTest, FiniteDifferenceJacobianReachesTheSameMinimum) {
  auto problem = sphere_problem(seed_data(), /*with_jacobian=*/false);
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_NEAR(outcome.estimate(0), kSeedMinimum(0), 1e-4);
  EXPECT_NEAR(outcome.estimate(2), kSeedMinimum(2), 1e-4);
  EXPECT_NEAR(outcome.estimate(3), kSeedMinimum(3), 0.5);
}

TEST_F(GaussNewtonTest, LetsBudgetExhaustionPropagate) {
  auto problem = sphere_problem(seed_data(), true, geoinv::Budget{3, 0.0});
  EXPECT_THROW(solver_->solve(problem, kSeedStart, {}), geoinv::BudgetExhausted);
  EXPECT_TRUE(problem.has_best());
}

// One row per trial, numbered by the iteration whose line search made it: each iteration ends with its
// one accepted trial, after its rejected ones, and the last row is the last iteration.
TEST_F(GaussNewtonTest, TraceHasOneRowPerTrialAndAcceptedCostsNeverIncrease) {
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  const auto& trace = outcome.trace;
  EXPECT_EQ(trace.columns(), (std::vector<std::string>{"iteration", "sse", "damping", "step_norm", "accepted"}));
  ASSERT_GE(trace.num_rows(), static_cast<std::size_t>(outcome.iterations));
  EXPECT_EQ(trace.value(0, 0), 0.0);
  // Every iteration accepts one trial, except a last one stopped inside its line search.
  const bool stopped_in_line_search = outcome.termination == geoinv::Termination::parameter_tolerance ||
                                      outcome.termination == geoinv::Termination::numerical_failure;
  const int accepting_iterations = outcome.iterations - (stopped_in_line_search ? 1 : 0);
  EXPECT_GE(trace.value(trace.num_rows() - 1, 0), static_cast<double>(accepting_iterations));
  EXPECT_LE(trace.value(trace.num_rows() - 1, 0), static_cast<double>(outcome.iterations));
  double accepted_sse = trace.value(0, 1);
  std::size_t accepted_rows = 0;
  for (std::size_t row = 1; row < trace.num_rows(); ++row) {
    const bool previous_accepted = trace.value(row - 1, 4) == 1.0;
    // A new iteration after an accepted trial; the same one after a rejected trial.
    EXPECT_EQ(trace.value(row, 0), trace.value(row - 1, 0) + (previous_accepted ? 1.0 : 0.0)) << "row " << row;
    if (trace.value(row, 4) == 1.0) ++accepted_rows;
    EXPECT_EQ(trace.value(row, 2), 0.0);  // JᵀJ is definite: no regularisation
    if (trace.value(row, 4) == 1.0) {
      EXPECT_LE(trace.value(row, 1), accepted_sse) << "row " << row;
      accepted_sse = trace.value(row, 1);
    }
  }
  EXPECT_EQ(accepted_rows, static_cast<std::size_t>(accepting_iterations));
}

TEST_F(GaussNewtonTest, NonFiniteStartIsANumericalFailure) {
  auto sphere = sphere_at(seed_stations());
  geoinv::Problem problem(sphere, seed_stations(), seed_data(), Vector(), Vector::Constant(4, -kInfinity),
                          Vector::Constant(4, kInfinity));
  const auto outcome = solver_->solve(problem, (Vector(4) << 0.0, 1.0, 0.0, 94500.0).finished(), {});
  EXPECT_EQ(outcome.termination, geoinv::Termination::numerical_failure);
  EXPECT_EQ(outcome.iterations, 0);
}

TEST_F(GaussNewtonTest, KeepsTheStartAndEveryIterateInsideTheBounds) {
  auto sphere = sphere_at(seed_stations());
  Vector lower = lower_bounds(*sphere), upper = upper_bounds(*sphere);
  upper(2) = 41.0;  // the unconstrained minimum has h = 42.78
  geoinv::Problem problem(sphere, seed_stations(), seed_data(), Vector(), lower, upper);
  Vector start = kSeedStart;
  start(2) = 60.0;
  const auto outcome = solver_->solve(problem, start, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_TRUE(problem.in_bounds(outcome.estimate));
  EXPECT_DOUBLE_EQ(outcome.estimate(2), 41.0);
}

TEST_F(GaussNewtonTest, RepeatedSolvesGiveIdenticalResults) {
  auto problem = sphere_problem(seed_data());
  const auto first = solver_->solve(problem, kSeedStart, {});
  problem.reset();
  const auto second = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(first.estimate, second.estimate);
  EXPECT_EQ(first.message, second.message);
}

TEST_F(GaussNewtonTest, StopsAtMaxIterations) {
  auto options = geoinv::OptionValues::defaults(solver_->options());
  options.set("max_iterations", std::int64_t{2});
  solver_->configure(options);
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(outcome.termination, geoinv::Termination::max_iterations);
  EXPECT_EQ(outcome.iterations, 2);
  EXPECT_NE(outcome.message.find("max_iterations 2"), std::string::npos) << outcome.message;
}

// Linear least squares: one Gauss-Newton step is exact, whatever the number of parameters.
class GaussNewtonSizeTest : public GaussNewtonTest, public ::testing::WithParamInterface<int> {};

TEST_P(GaussNewtonSizeTest, SolvesLinearLeastSquaresExactly) {
  const int parameters = GetParam(), data = 3 * GetParam() + 11;
  std::mt19937 generator(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  Matrix design(data, parameters);
  for (int j = 0; j < parameters; ++j)
    for (int i = 0; i < data; ++i) design(i, j) = normal(generator) * (1.0 + j);
  Vector observed(data);
  for (int i = 0; i < data; ++i) observed(i) = normal(generator);
  const Vector exact = design.colPivHouseholderQr().solve(observed);
  geoinv::Problem problem(std::make_shared<LinearModel>(design), Vector::LinSpaced(data, 0.0, 1.0), observed,
                          Vector(), Vector::Constant(parameters, -kInfinity), Vector::Constant(parameters, kInfinity));
  const auto outcome = solver_->solve(problem, Vector::Zero(parameters), {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_LT((outcome.estimate - exact).norm(), 1e-8 * exact.norm());
}

INSTANTIATE_TEST_SUITE_P(FewToMany, GaussNewtonSizeTest, ::testing::Values(1, 3, 4, 7, 17, 40));

TEST_F(GaussNewtonTest, RegularisesOnlyWhenTheNormalMatrixIsSingular) {
  // The second parameter has no influence: JᵀJ is singular, the fallback regularisation kicks in and the
  // influential parameter is still found exactly.
  Matrix design = Matrix::Zero(20, 2);
  design.col(0) = Vector::LinSpaced(20, 1.0, 2.0);
  const Vector observed = 3.0 * design.col(0);
  geoinv::Problem problem(std::make_shared<LinearModel>(design), Vector::LinSpaced(20, 0.0, 1.0), observed, Vector(),
                          Vector::Constant(2, -kInfinity), Vector::Constant(2, kInfinity));
  const auto outcome = solver_->solve(problem, Vector::Zero(2), {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_NEAR(outcome.estimate(0), 3.0, 1e-8);
  EXPECT_EQ(outcome.estimate(1), 0.0);
  EXPECT_GT(outcome.trace.value(1, 2), 0.0);
}

TEST_F(GaussNewtonTest, DeclaresEveryOptionWithAValidDefaultAndADoc) {
  const auto specs = solver_->options();
  const std::vector<std::string> expected{"max_iterations",      "armijo_c",           "backtracking_factor",
                                          "max_backtracking_steps", "max_relative_step", "step_growth",
                                          "function_tolerance",  "parameter_tolerance", "gradient_tolerance"};
  ASSERT_EQ(specs.size(), expected.size());
  for (std::size_t k = 0; k < specs.size(); ++k) {
    EXPECT_EQ(specs[k].name, expected[k]);
    std::string why;
    EXPECT_TRUE(specs[k].accepts(specs[k].default_value, &why)) << specs[k].name << ": " << why;
    EXPECT_FALSE(specs[k].doc.empty()) << specs[k].name;
  }
  EXPECT_FALSE(specs[1].accepts(0.0, nullptr));
  EXPECT_FALSE(specs[1].accepts(1.0, nullptr));
  EXPECT_FALSE(specs[2].accepts(1.0, nullptr));
  auto options = geoinv::OptionValues::defaults(specs);
  options.set("backtracking_factor", 1.0);
  EXPECT_THROW(solver_->configure(options), geoinv::Error);
  options = geoinv::OptionValues::defaults(specs);
  options.set("step_growth", 0.5);  // would shrink the first trial every iteration
  EXPECT_THROW(solver_->configure(options), geoinv::Error);
}

TEST_F(GaussNewtonTest, ExampleIsACompleteExperimentAndTheReadmeShowsIt) {
  const std::string yaml = solver_->example_yaml();
  EXPECT_NE(yaml.find("version: 1"), std::string::npos);
  EXPECT_NE(yaml.find("plugin: gauss_newton"), std::string::npos);
  for (const auto& spec : solver_->options()) EXPECT_NE(yaml.find(spec.name + ":"), std::string::npos) << spec.name;
  std::ifstream readme(GEOINV_TEST_SOURCE_DIR "/plugins/solver/gauss_newton/README.md");
  ASSERT_TRUE(readme);
  const std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("```yaml\n" + yaml + "```"), std::string::npos);
}

}  // namespace
