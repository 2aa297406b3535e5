// SPDX-License-Identifier: BSD-3-Clause
// Tests of the ensemble sampler's core (ensemble.hpp, sampler.hpp) on densities with known moments, with
// no forward model: a correlated 2-D Gaussian for each move, the draws' layout, determinism and the budget.
#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "ensemble.hpp"
#include "geoinv/error.hpp"
#include "initial_ensemble.hpp"
#include "mcmc_settings.hpp"
#include "sampler.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;
namespace mcmc = geoinv::mcmc;

// N(μ, Σ) with sd 1 and 2 and correlation 0.8: the affine invariance of the moves is what makes such a
// skewed target as easy as an isotropic one.
struct Gaussian2d {
  Vector mean = (Vector(2) << 1.0, -2.0).finished();
  Matrix covariance = (Matrix(2, 2) << 1.0, 1.6, 1.6, 4.0).finished();
  Matrix precision = covariance.inverse();
  int evaluations = 0;

  mcmc::Evaluation operator()(const Vector& x) {
    ++evaluations;
    const Vector d = x - mean;
    const double q = d.dot(precision * d);
    return {-0.5 * q, q};
  }
};

mcmc::Settings settings_for(mcmc::Moves moves) {
  mcmc::Settings settings;
  settings.walkers = 32;
  settings.steps = 4000;
  settings.burn_in = 500;
  settings.moves = moves;
  settings.de_fraction = 0.5;
  return settings;
}

mcmc::SamplerRun run_gaussian(const mcmc::Settings& settings, std::uint64_t seed, Gaussian2d& target) {
  std::mt19937_64 rng(seed);
  const mcmc::InitialBall ball{Vector::Zero(2), Vector::Constant(2, 0.1), {}, {}};
  mcmc::Ensemble ensemble = mcmc::make_ensemble(ball, mcmc::Initial::absolute, settings.walkers, target, rng);
  return mcmc::sample(ensemble, target, settings, rng);
}

// Every draw of every chain as one row.
Matrix all_draws(const geoinv::PosteriorDraws& draws) {
  Matrix rows(draws.chains * draws.draws, draws.parameters);
  for (std::int64_t c = 0; c < draws.chains; ++c)
    for (std::int64_t d = 0; d < draws.draws; ++d)
      for (std::int64_t p = 0; p < draws.parameters; ++p) rows(c * draws.draws + d, p) = draws.value(c, d, p);
  return rows;
}

class GaussianTarget : public ::testing::TestWithParam<mcmc::Moves> {};

// 32 walkers × 3500 kept updates with τ of about 10 to 40 updates give some 3000 to 10000 independent draws:
// the mean's error is then about 0.02 sd, the variances' about 3 %. The tolerances are five times that.
TEST_P(GaussianTarget, RecoversTheMeanAndTheCovariance) {
  Gaussian2d target;
  const mcmc::SamplerRun run = run_gaussian(settings_for(GetParam()), 42, target);
  ASSERT_FALSE(run.interrupted);
  const Matrix rows = all_draws(run.draws);
  const Vector mean = rows.colwise().mean();
  const Matrix centred = rows.rowwise() - mean.transpose();
  const Matrix covariance = centred.transpose() * centred / static_cast<double>(rows.rows() - 1);
  EXPECT_NEAR(mean(0), 1.0, 0.1);
  EXPECT_NEAR(mean(1), -2.0, 0.2);
  EXPECT_NEAR(covariance(0, 0), 1.0, 0.15);
  EXPECT_NEAR(covariance(1, 1), 4.0, 0.6);
  EXPECT_NEAR(covariance(0, 1) / std::sqrt(covariance(0, 0) * covariance(1, 1)), 0.8, 0.05);
  double acceptance = 0.0;
  for (double a : run.draws.acceptance) acceptance += a / static_cast<double>(run.draws.acceptance.size());
  EXPECT_GT(acceptance, 0.2);
  EXPECT_LT(acceptance, 0.9);
  RecordProperty("acceptance", std::to_string(acceptance));
}

INSTANTIATE_TEST_SUITE_P(Moves, GaussianTarget,
                         ::testing::Values(mcmc::Moves::stretch, mcmc::Moves::de, mcmc::Moves::mixture));

TEST(Sampler, KeepsEveryThinthUpdateAfterTheBurnInChainByChain) {
  Gaussian2d target;
  mcmc::Settings settings = settings_for(mcmc::Moves::stretch);
  settings.walkers = 6;
  settings.steps = 25;
  settings.burn_in = 10;
  settings.thin = 4;  // updates 10, 14, 18, 22 (0-based)
  const mcmc::SamplerRun run = run_gaussian(settings, 3, target);
  EXPECT_EQ(run.draws.chains, 6);
  EXPECT_EQ(run.draws.draws, 4);
  EXPECT_EQ(run.draws.parameters, 2);
  EXPECT_EQ(run.draws.values.size(), 6u * 4u * 2u);
  EXPECT_EQ(run.draws.log_prob.size(), 6u * 4u);
  EXPECT_EQ(run.draws.acceptance.size(), 6u);
  EXPECT_EQ(run.trace.num_rows(), 26u);  // the initial ensemble and each update
  // The stored log p is the density at the stored position, chain by chain.
  for (std::int64_t c = 0; c < run.draws.chains; ++c)
    for (std::int64_t d = 0; d < run.draws.draws; ++d) {
      const Vector x = (Vector(2) << run.draws.value(c, d, 0), run.draws.value(c, d, 1)).finished();
      EXPECT_DOUBLE_EQ(run.draws.log_prob[run.draws.index(c, d)], target(x).log_prob);
    }
}

TEST(Sampler, OneSeedGivesIdenticalBitsAndAnotherSeedOtherDraws) {
  Gaussian2d a, b, c;
  const mcmc::Settings settings = settings_for(mcmc::Moves::mixture);
  const mcmc::SamplerRun first = run_gaussian(settings, 7, a), second = run_gaussian(settings, 7, b),
                         other = run_gaussian(settings, 8, c);
  EXPECT_EQ(first.draws.values, second.draws.values);
  EXPECT_EQ(first.draws.log_prob, second.draws.log_prob);
  EXPECT_NE(first.draws.values, other.draws.values);
}

// A density that runs out of budget after a number of evaluations, as Problem does.
struct BudgetedGaussian : Gaussian2d {
  int budget = 0;
  mcmc::Evaluation operator()(const Vector& x) {
    if (evaluations == budget) throw geoinv::BudgetExhausted("budget of " + std::to_string(budget) + " spent");
    return Gaussian2d::operator()(x);
  }
};

TEST(Sampler, TheBudgetEndsSamplingWithTheDrawsKeptSoFar) {
  BudgetedGaussian target;
  target.budget = 32 + 32 * 100 + 10;  // the initial ensemble, 100 updates and part of the 101st
  mcmc::Settings settings = settings_for(mcmc::Moves::stretch);
  settings.burn_in = 50;
  std::mt19937_64 rng(1);
  const mcmc::InitialBall ball{Vector::Zero(2), Vector::Constant(2, 0.1), {}, {}};
  mcmc::Ensemble ensemble = mcmc::make_ensemble(ball, mcmc::Initial::absolute, 32, target, rng);
  const mcmc::SamplerRun run = mcmc::sample(ensemble, target, settings, rng);
  EXPECT_TRUE(run.interrupted);
  EXPECT_NE(run.interruption.find("budget"), std::string::npos);
  EXPECT_EQ(run.updates, 100);
  EXPECT_EQ(run.draws.draws, 50);  // updates 50..99
  EXPECT_EQ(run.draws.values.size(), 32u * 50u * 2u);
}

TEST(StretchMove, ZStaysWithinOneOverAAndA) {
  std::mt19937_64 rng(5);
  double low = 10.0, high = 0.0;
  for (int i = 0; i < 100000; ++i) {
    const double z = mcmc::draw_stretch(2.0, rng);
    low = std::min(low, z);
    high = std::max(high, z);
  }
  EXPECT_GE(low, 0.5);
  EXPECT_LT(low, 0.51);
  EXPECT_LE(high, 2.0);
  EXPECT_GT(high, 1.98);
}

TEST(DeMove, GammaIsEmceesDefault) { EXPECT_DOUBLE_EQ(mcmc::de_gamma(4), 2.38 / std::sqrt(8.0)); }

}  // namespace
