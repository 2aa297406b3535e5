// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `dls` plugin, loaded through the plugin registry as the host loads it. The forward model is
// a sphere defined here, so these tests do not depend on the `sphere` plugin.
#include <gtest/gtest.h>

#include <Eigen/QR>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/forward_model.hpp"
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

class DlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    solver_ = registry_.create_solver("dls");
    solver_->configure(geoinv::OptionValues::defaults(solver_->options()));
  }

  geoinv::PluginRegistry registry_;
  std::shared_ptr<geoinv::Solver> solver_;
};

TEST_F(DlsTest, RecoversANoiseFreeModelFromTheSeedStart) {
  auto problem = sphere_problem(noise_free_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  ASSERT_EQ(outcome.estimate.size(), 4);
  for (Eigen::Index j = 0; j < 4; ++j)
    EXPECT_NEAR(outcome.estimate(j), kTruth(j), 1e-6 * std::abs(kTruth(j))) << "parameter " << j;
}


class DlsScalingTest : public DlsTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(DlsScalingTest, ReachesTheSeedStudysLeastSquaresMinimum) {
  auto options = geoinv::OptionValues::defaults(solver_->options());
  options.set("scaling", std::string(GetParam()));
  solver_->configure(options);
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  // The study's numbers (docs/seed-reproduction.md) within what its own stopping point allows...
  EXPECT_NEAR(outcome.estimate(0), 76.243426, 1e-4);
  EXPECT_NEAR(outcome.estimate(1), 5.415794, 1e-5);
  EXPECT_NEAR(outcome.estimate(2), 42.776603, 1e-4);
  EXPECT_NEAR(outcome.estimate(3), 99102.106, 0.5);
  // ...and the minimum itself to about 1e-7 relative.
  EXPECT_NEAR(outcome.estimate(0), kSeedMinimum(0), 1e-5);
  EXPECT_NEAR(outcome.estimate(1), kSeedMinimum(1), 1e-6);
  EXPECT_NEAR(outcome.estimate(2), kSeedMinimum(2), 1e-5);
  EXPECT_NEAR(outcome.estimate(3), kSeedMinimum(3), 2e-2);
  Vector residuals(101);
  problem.predict_uncounted(outcome.estimate, residuals);
  residuals -= problem.observed();
  EXPECT_NEAR(residuals.squaredNorm(), 1087.559, 1e-2);
  EXPECT_NEAR(residuals.squaredNorm(), kSeedMinimumSse, 1e-8);
  // With an analytic Jacobian each trial costs one evaluation, plus one for the start.
  EXPECT_EQ(problem.counts().forward, outcome.iterations + 1);
}

INSTANTIATE_TEST_SUITE_P(BothScalings, DlsScalingTest, ::testing::Values("running_max", "current"));

TEST_F(DlsTest, FiniteDifferenceJacobianReachesTheSameMinimum) {
  auto problem = sphere_problem(seed_data(), /*with_jacobian=*/false);
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_NEAR(outcome.estimate(0), kSeedMinimum(0), 1e-4);
  EXPECT_NEAR(outcome.estimate(2), kSeedMinimum(2), 1e-4);
  EXPECT_NEAR(outcome.estimate(3), kSeedMinimum(3), 0.5);
  // Rejected trials cost one evaluation, not a Jacobian's 2n + 1.
  EXPECT_LT(problem.counts().jacobian, outcome.iterations + 1);
}

TEST_F(DlsTest, LetsBudgetExhaustionPropagate) {
  auto problem = sphere_problem(seed_data(), true, geoinv::Budget{3, 0.0});
  EXPECT_THROW(solver_->solve(problem, kSeedStart, {}), geoinv::BudgetExhausted);
  EXPECT_TRUE(problem.has_best());
}

// Every damping policy reaches the seed minimum from the seed start and from the poor start, with
// one evaluation per trial.
class DlsDampingTest : public DlsTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(DlsDampingTest, ReachesTheSeedMinimumFromTheSeedAndThePoorStart) {
  auto options = geoinv::OptionValues::defaults(solver_->options());
  options.set("damping", std::string(GetParam()));
  solver_->configure(options);
  for (const Vector& start : {kSeedStart, kPoorStart}) {
    auto problem = sphere_problem(seed_data());
    auto outcome = solver_->solve(problem, start, {});
    EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
    canonicalize(outcome.estimate);
    EXPECT_NEAR(outcome.estimate(0), kSeedMinimum(0), 1e-5);
    EXPECT_NEAR(std::remainder(outcome.estimate(1) - kSeedMinimum(1), 2.0 * M_PI), 0.0, 1e-6);
    EXPECT_NEAR(outcome.estimate(2), kSeedMinimum(2), 1e-5);
    EXPECT_NEAR(outcome.estimate(3), kSeedMinimum(3), 2e-2);
    EXPECT_NEAR(problem.best_cost(), kSeedMinimumSse, 1e-8);
    EXPECT_EQ(problem.counts().forward, outcome.iterations + 1);
    RecordProperty(std::string(GetParam()) + (start == kSeedStart ? "_seed" : "_poor") + "_iterations",
                   outcome.iterations);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryPolicy, DlsDampingTest, ::testing::Values("marquardt", "nielsen", "trust_region"));

TEST_F(DlsTest, NielsenIsTheDefaultAndFollowsTheGainRatioRule) {
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  const auto& trace = outcome.trace;
  // A rejection multiplies λ by ν = 2, 4, 8, ...; an acceptance by a factor in [1/3, 2].
  double nu = 2.0;
  for (std::size_t row = 1; row + 1 < trace.num_rows(); ++row) {
    const double ratio = trace.value(row + 1, 2) / trace.value(row, 2);
    if (trace.value(row, 4) == 0.0) {
      EXPECT_NEAR(ratio, nu, 1e-12) << "row " << row;
      nu *= 2.0;
    } else {
      if (trace.value(row + 1, 2) > 1e-12) {  // above the min_damping floor
        EXPECT_GE(ratio, 1.0 / 3.0 - 1e-12) << "row " << row;
        EXPECT_LE(ratio, 2.0 + 1e-12) << "row " << row;
      }
      nu = 2.0;
    }
  }
  EXPECT_LE(outcome.iterations, 14);
}

TEST_F(DlsTest, TraceHasOneRowPerTrialAndAcceptedCostsNeverIncrease) {
  auto options = geoinv::OptionValues::defaults(solver_->options());
  options.set("damping", std::string("marquardt"));
  solver_->configure(options);
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  const auto& trace = outcome.trace;
  EXPECT_EQ(trace.columns(),
            (std::vector<std::string>{"iteration", "sse", "damping", "step_norm", "accepted"}));
  ASSERT_EQ(trace.num_rows(), static_cast<std::size_t>(outcome.iterations) + 1);

  Vector residuals(101);
  problem.predict_uncounted(kSeedStart, residuals);
  residuals -= problem.observed();
  EXPECT_DOUBLE_EQ(trace.value(0, 1), residuals.squaredNorm());  // row 0 is the start
  EXPECT_EQ(trace.value(0, 0), 0.0);
  EXPECT_EQ(trace.value(0, 4), 1.0);

  double accepted_sse = trace.value(0, 1);
  int rejected = 0;
  for (std::size_t row = 1; row < trace.num_rows(); ++row) {
    EXPECT_EQ(trace.value(row, 0), static_cast<double>(row));
    EXPECT_GT(trace.value(row, 2), 0.0);
    EXPECT_GT(trace.value(row, 3), 0.0);
    const double accepted = trace.value(row, 4);
    ASSERT_TRUE(accepted == 0.0 || accepted == 1.0);
    if (accepted == 1.0) {
      EXPECT_LE(trace.value(row, 1), accepted_sse) << "row " << row;
      accepted_sse = trace.value(row, 1);
    } else {
      EXPECT_GE(trace.value(row, 1), accepted_sse) << "row " << row;
      ++rejected;
    }
  }
  // Marquardt's rule multiplies λ by 10 after a rejection and divides it after an acceptance.
  for (std::size_t row = 1; row + 1 < trace.num_rows(); ++row) {
    const double ratio = trace.value(row + 1, 2) / trace.value(row, 2);
    if (trace.value(row, 4) == 0.0) {
      EXPECT_NEAR(ratio, 10.0, 1e-12);
    } else if (trace.value(row + 1, 2) > 1e-12) {  // above the min_damping floor
      EXPECT_NEAR(ratio, 0.1, 1e-12);
    }
  }
  RecordProperty("iterations", outcome.iterations);
  RecordProperty("rejected", rejected);
}

TEST_F(DlsTest, NonFiniteStartIsANumericalFailure) {
  // Without bounds, h = 0 and x0 = 0 put the body on station 0, where the prediction is 0/0.
  auto sphere = sphere_at(seed_stations());
  geoinv::Problem problem(sphere, seed_stations(), seed_data(), Vector(), Vector::Constant(4, -kInfinity),
                          Vector::Constant(4, kInfinity));
  const Vector start = (Vector(4) << 0.0, 1.0, 0.0, 94500.0).finished();
  const auto outcome = solver_->solve(problem, start, {});
  EXPECT_EQ(outcome.termination, geoinv::Termination::numerical_failure);
  EXPECT_FALSE(outcome.message.empty());
  EXPECT_EQ(outcome.iterations, 0);
}

TEST_F(DlsTest, KeepsTheStartAndEveryIterateInsideTheBounds) {
  auto sphere = sphere_at(seed_stations());
  Vector lower = lower_bounds(*sphere), upper = upper_bounds(*sphere);
  upper(2) = 41.0;  // the unconstrained minimum has h = 42.78
  geoinv::Problem problem(sphere, seed_stations(), seed_data(), Vector(), lower, upper);
  Vector start = kSeedStart;
  start(2) = 60.0;  // outside: projected to 41
  const auto outcome = solver_->solve(problem, start, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_TRUE(problem.in_bounds(outcome.estimate));
  EXPECT_DOUBLE_EQ(outcome.estimate(2), 41.0);
  EXPECT_TRUE(problem.in_bounds(problem.best_model()));
}

TEST_F(DlsTest, RepeatedSolvesGiveIdenticalResults) {
  auto problem = sphere_problem(seed_data());
  const auto first = solver_->solve(problem, kSeedStart, {});
  problem.reset();
  const auto second = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(first.estimate, second.estimate);
  EXPECT_EQ(first.iterations, second.iterations);
  EXPECT_EQ(first.message, second.message);
}

TEST_F(DlsTest, StopsAtMaxIterations) {
  auto options = geoinv::OptionValues::defaults(solver_->options());
  options.set("max_iterations", std::int64_t{2});
  solver_->configure(options);
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(outcome.termination, geoinv::Termination::max_iterations);
  EXPECT_EQ(outcome.iterations, 2);
  EXPECT_NE(outcome.message.find("max_iterations 2"), std::string::npos) << outcome.message;
}

TEST_F(DlsTest, MessageNamesTheTestAndItsNumbers) {
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  const std::string name = geoinv::to_string(outcome.termination);
  EXPECT_NE(outcome.message.find(name), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("1e-"), std::string::npos) << outcome.message;
}

// Linear least squares of every size class: the normal equations and the damped system take different
// code paths for few parameters (a fused pass, a hand-written Cholesky) and many (Eigen's rank update
// and LLT); each must give the exact least-squares solution.
class DlsSizeTest : public DlsTest, public ::testing::WithParamInterface<int> {};

TEST_P(DlsSizeTest, SolvesLinearLeastSquaresExactly) {
  const int parameters = GetParam(), data = 3 * GetParam() + 11;
  std::mt19937 generator(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  Matrix design(data, parameters);
  for (int j = 0; j < parameters; ++j)
    for (int i = 0; i < data; ++i) design(i, j) = normal(generator) * (1.0 + j);  // columns of unequal scale
  Vector observed(data);
  for (int i = 0; i < data; ++i) observed(i) = normal(generator);
  const Vector exact = design.colPivHouseholderQr().solve(observed);

  auto linear = std::make_shared<LinearModel>(design);
  geoinv::Problem problem(linear, Vector::LinSpaced(data, 0.0, 1.0), observed, Vector(),
                          Vector::Constant(parameters, -kInfinity), Vector::Constant(parameters, kInfinity));
  const auto outcome = solver_->solve(problem, Vector::Zero(parameters), {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_LT((outcome.estimate - exact).norm(), 1e-8 * exact.norm());
}

INSTANTIATE_TEST_SUITE_P(FewToMany, DlsSizeTest, ::testing::Values(1, 2, 3, 5, 6, 7, 12, 16, 17, 40));

TEST_F(DlsTest, DeclaresEveryOptionWithAValidDefaultAndADoc) {
  const auto specs = solver_->options();
  const std::vector<std::string> expected{
      "max_iterations", "damping", "initial_damping", "damping_increase", "damping_decrease", "min_damping",
      "initial_radius_factor", "scaling", "function_tolerance", "parameter_tolerance", "gradient_tolerance"};
  ASSERT_EQ(specs.size(), expected.size());
  for (std::size_t k = 0; k < specs.size(); ++k) {
    EXPECT_EQ(specs[k].name, expected[k]);
    std::string why;
    EXPECT_TRUE(specs[k].accepts(specs[k].default_value, &why)) << specs[k].name << ": " << why;
    EXPECT_FALSE(specs[k].doc.empty()) << specs[k].name;
    if (specs[k].type != geoinv::OptionType::choice) {
      // A lower bound, inclusive (>=) or exclusive (>).
      EXPECT_TRUE(specs[k].minimum.has_value() || specs[k].greater_than.has_value()) << specs[k].name;
    }
  }
  // The exclusive bounds (> 0, > 1) are refused by the generic validation already.
  auto spec = [&](const std::string& name) {
    for (const auto& s : specs)
      if (s.name == name) return s;
    throw std::runtime_error("no option " + name);
  };
  EXPECT_EQ(spec("initial_damping").greater_than, 0.0);
  EXPECT_EQ(spec("damping_increase").greater_than, 1.0);
  EXPECT_EQ(spec("damping_decrease").greater_than, 1.0);
  EXPECT_EQ(spec("initial_radius_factor").greater_than, 0.0);
  EXPECT_FALSE(spec("initial_damping").accepts(0.0, nullptr));
  EXPECT_FALSE(spec("damping_increase").accepts(1.0, nullptr));
  EXPECT_FALSE(spec("damping_decrease").accepts(1.0, nullptr));
  EXPECT_TRUE(spec("damping_decrease").accepts(2.0, nullptr));
  EXPECT_FALSE(spec("max_iterations").accepts(std::int64_t{0}, nullptr));
  EXPECT_FALSE(spec("scaling").accepts(std::string("marquardt"), nullptr));
  EXPECT_TRUE(spec("damping").accepts(std::string("trust_region"), nullptr));
  EXPECT_FALSE(spec("damping").accepts(std::string("dogleg"), nullptr));

  auto options = geoinv::OptionValues::defaults(specs);
  options.set("damping_increase", 1.0);
  EXPECT_THROW(solver_->configure(options), geoinv::Error);
}

TEST_F(DlsTest, ExampleIsACompleteExperimentUsingDls) {
  const std::string yaml = solver_->example_yaml();
  EXPECT_NE(yaml.find("version: 1"), std::string::npos);
  EXPECT_NE(yaml.find("plugin: dls"), std::string::npos);
  for (const auto& spec : solver_->options())
    EXPECT_NE(yaml.find(spec.name + ":"), std::string::npos) << spec.name;
  // The README shows the example verbatim.
  std::ifstream readme(GEOINV_TEST_SOURCE_DIR "/plugins/solver/dls/README.md");
  ASSERT_TRUE(readme);
  const std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("```yaml\n" + yaml + "```"), std::string::npos);
}

}  // namespace
