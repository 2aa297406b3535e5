// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `mcmc` plugin, loaded through the plugin registry as the host loads it, on the sphere and
// data the solvers' tests share (geoinv_lsq/testing.hpp).
#include <gtest/gtest.h>

#include <iostream>

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <cstdlib>
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

class McmcTest : public ::testing::Test {
 protected:
  void configure(geoinv::OptionValues values) { solver_->configure(values); }
  geoinv::OptionValues defaults() const { return geoinv::OptionValues::defaults(solver_->options()); }

  geoinv::PluginRegistry registry_;
  std::shared_ptr<geoinv::Solver> solver_ = registry_.create_solver("mcmc");
};

// Per parameter: the posterior sd over every draw.
Vector posterior_sd(const geoinv::PosteriorDraws& draws) {
  Vector sum = Vector::Zero(draws.parameters), squares = Vector::Zero(draws.parameters);
  const double n = static_cast<double>(draws.chains * draws.draws);
  for (std::int64_t c = 0; c < draws.chains; ++c)
    for (std::int64_t d = 0; d < draws.draws; ++d)
      for (std::int64_t p = 0; p < draws.parameters; ++p) {
        sum(p) += draws.value(c, d, p);
        squares(p) += draws.value(c, d, p) * draws.value(c, d, p);
      }
  return ((squares - sum.cwiseAbs2() / n) / (n - 1.0)).cwiseSqrt();
}

// The linearised standard error at the seed minimum, as the host computes it for dls: σ̂²·(JᵀJ)⁻¹ with
// σ̂² = sse/(n − p).
Vector linearised_standard_error() {
  auto problem = sphere_problem(seed_data());
  Vector r(problem.num_data());
  Matrix jacobian(problem.num_data(), 4);
  double sse = 0.0;
  EXPECT_TRUE(problem.residuals_and_jacobian(kSeedMinimum, r, jacobian, &sse));
  const double variance = sse / static_cast<double>(problem.num_data() - 4);
  const Matrix covariance = variance * (jacobian.transpose() * jacobian).ldlt().solve(Matrix::Identity(4, 4));
  return covariance.diagonal().cwiseSqrt();
}

// With σ fixed at the least-squares RMS the posterior is nearly Gaussian on the seed profile, so its sd is
// the linearised standard error: 32 walkers × 5000 updates (emcee's setting in the peer benchmark).
TEST_F(McmcTest, SeedSpherePosteriorSdMatchesTheLinearisedStandardError) {
  geoinv::OptionValues values = defaults();
  values.set("steps", std::int64_t{5000});
  values.set("burn_in", std::int64_t{1000});
  configure(values);
  auto problem = sphere_problem(seed_data());
  geoinv::SolveContext context;
  context.seed = 11;
  const geoinv::SolverOutcome outcome = solver_->solve(problem, kSeedStart, context);
  ASSERT_EQ(outcome.termination, geoinv::Termination::samples_drawn) << outcome.message;
  ASSERT_TRUE(outcome.posterior.has_value());
  EXPECT_EQ(outcome.posterior->sigma_source, "prefit_rms");
  EXPECT_NEAR(outcome.posterior->sigma, std::sqrt(kSeedMinimumSse / 101.0), 1e-6);  // 3.28145 mV
  const Vector sd = posterior_sd(*outcome.posterior), expected = linearised_standard_error();
  for (Eigen::Index j = 0; j < 4; ++j) {
    EXPECT_NEAR(sd(j) / expected(j), 1.0, 0.15) << "parameter " << j << ": sd " << sd(j) << ", linearised "
                                                << expected(j);
    EXPECT_NEAR(outcome.estimate(j), kSeedMinimum(j), 0.5 * expected(j)) << "parameter " << j;
    RecordProperty("sd_ratio_" + std::to_string(j), std::to_string(sd(j) / expected(j)));
  }
}

TEST_F(McmcTest, DataSigmaIsTheLikelihoodsSigma) {
  configure(defaults());
  const Vector observed = seed_data();
  geoinv::Problem problem(sphere_at(seed_stations()), seed_stations(), observed,
                          Vector::Constant(observed.size(), std::sqrt(10.0)), lower_bounds(MinusSphere()),
                          upper_bounds(MinusSphere()));
  const geoinv::SolverOutcome outcome = solver_->solve(problem, kSeedStart, {});
  ASSERT_TRUE(outcome.posterior.has_value());
  EXPECT_EQ(outcome.posterior->sigma_source, "data");
  EXPECT_TRUE(std::isnan(outcome.posterior->sigma));
}

TEST_F(McmcTest, TheBudgetEndsSamplingCleanlyWithTheDrawsSoFar) {
  geoinv::OptionValues values = defaults();
  values.set("burn_in", std::int64_t{10});
  configure(values);
  const Vector observed = seed_data();
  geoinv::Problem problem(sphere_at(seed_stations()), seed_stations(), observed, Vector(),
                          lower_bounds(MinusSphere()), upper_bounds(MinusSphere()), geoinv::Budget{3000, 0.0});
  const geoinv::SolverOutcome outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(outcome.termination, geoinv::Termination::budget_exhausted);
  EXPECT_NE(outcome.message.find("budget"), std::string::npos) << outcome.message;
  ASSERT_TRUE(outcome.posterior.has_value());
  EXPECT_GT(outcome.posterior->draws, 0);
  EXPECT_LT(outcome.posterior->draws, 1990);
  EXPECT_TRUE((outcome.estimate.array() == problem.best_model().array()).all());
}

TEST_F(McmcTest, RefusesAnOddEnsembleAndABurnInAsLongAsTheRun) {
  geoinv::OptionValues odd = defaults();
  odd.set("walkers", std::int64_t{33});
  EXPECT_THROW(configure(odd), geoinv::Error);
  geoinv::OptionValues long_burn_in = defaults();
  long_burn_in.set("burn_in", std::int64_t{2000});
  EXPECT_THROW(configure(long_burn_in), geoinv::Error);
}

TEST_F(McmcTest, RefusesTooFewWalkersForTheParameters) {
  geoinv::OptionValues values = defaults();
  values.set("walkers", std::int64_t{8});  // 2 × 4 parameters: not more
  configure(values);
  auto problem = sphere_problem(seed_data());
  EXPECT_THROW(solver_->solve(problem, kSeedStart, {}), geoinv::Error);
}

// The q-quantile of parameter p over every draw (numpy's linear interpolation).
double draw_quantile(const geoinv::PosteriorDraws& draws, std::int64_t p, double q) {
  std::vector<double> values;
  for (std::int64_t c = 0; c < draws.chains; ++c)
    for (std::int64_t d = 0; d < draws.draws; ++d) values.push_back(draws.value(c, d, p));
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(position);
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

// Coverage: over synthetic replicates (the seed sphere, new Gaussian noise of σ √10 mV each), the 90 %
// credible intervals (5 % to 95 % quantiles) hold the truth about 90 % of the time. σ is the pre-fit's RMS
// (√(sse/n), a little below the noise σ on average), so slightly less is expected. CTest runs 20 replicates
// (80 intervals; the bounds are wide, ±4 binomial sd); tools/mcmc_coverage.sh runs 200 with the issue's
// bounds, 85–95 % (GEOINV_MCMC_COVERAGE_REPLICATES=200).
TEST_F(McmcTest, NinetyPercentCredibleIntervalsCoverTheTruth) {
  const char* requested = std::getenv("GEOINV_MCMC_COVERAGE_REPLICATES");
  const int replicates = requested ? std::atoi(requested) : 20;
  const bool full = replicates >= 200;
  configure(defaults());
  const Vector clean = noise_free_data();
  std::mt19937_64 noise_rng(2024);
  std::normal_distribution<double> noise(0.0, std::sqrt(10.0));
  int covered = 0, intervals = 0;
  std::vector<int> covered_per_parameter(4, 0);
  for (int replicate = 0; replicate < replicates; ++replicate) {
    Vector observed = clean;
    for (Eigen::Index i = 0; i < observed.size(); ++i) observed(i) += noise(noise_rng);
    auto problem = sphere_problem(observed);
    geoinv::SolveContext context;
    context.seed = static_cast<std::uint64_t>(replicate) + 1;
    const geoinv::SolverOutcome outcome = solver_->solve(problem, kSeedStart, context);
    ASSERT_TRUE(outcome.posterior.has_value()) << outcome.message;
    for (std::int64_t p = 0; p < 4; ++p) {
      const bool inside = draw_quantile(*outcome.posterior, p, 0.05) <= kTruth(p) &&
                          kTruth(p) <= draw_quantile(*outcome.posterior, p, 0.95);
      covered += inside ? 1 : 0;
      covered_per_parameter[static_cast<std::size_t>(p)] += inside ? 1 : 0;
      ++intervals;
    }
  }
  const double coverage = static_cast<double>(covered) / intervals;
  std::string per_parameter;
  for (int c : covered_per_parameter) per_parameter += std::to_string(c) + "/" + std::to_string(replicates) + " ";
  RecordProperty("coverage", std::to_string(coverage));
  RecordProperty("covered_per_parameter", per_parameter);
  std::cout << "coverage of the 90 % intervals over " << replicates << " replicates: " << coverage
            << " (x0, theta, h, K: " << per_parameter << ")\n";
  EXPECT_GE(coverage, full ? 0.85 : 0.75);
  EXPECT_LE(coverage, full ? 0.95 : 0.99);
}

}  // namespace
