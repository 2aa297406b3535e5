// SPDX-License-Identifier: BSD-3-Clause
// The `mcmc` plugin with a Gaussian prior (SolveContext::prior) against the conjugate posterior: a
// straight line d(x) = a + b·x observed with known σ and a Gaussian prior on a and b has the Gaussian
// posterior of covariance (XᵀX/σ² + P⁻¹)⁻¹ and mean C·(Xᵀy/σ² + P⁻¹μ₀). The prior is strong enough that
// dropping it moves the posterior by many Monte-Carlo errors.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <random>

#include "geoinv/options.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;

class Line final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override {
    return {{"a", "mV", -100.0, 100.0, false, 1.0, "intercept"},
            {"b", "mV/m", -100.0, 100.0, false, 1.0, "slope"}};
  }
  void configure(const geoinv::OptionValues&, const Vector& stations) override { stations_ = stations; }
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    data = (model(0) + model(1) * stations_.array()).matrix();
  }
  std::string example_yaml() const override { return {}; }

 private:
  Vector stations_;
};

constexpr double kSigma = 0.5;
constexpr int kData = 8;

struct Conjugate {
  Vector mean;
  Matrix covariance;
};

Conjugate conjugate_posterior(const Vector& x, const Vector& y, const Vector& prior_mean,
                              const Vector& prior_sd) {
  Matrix design(x.size(), 2);
  design.col(0).setOnes();
  design.col(1) = x;
  const Matrix prior_precision = prior_sd.cwiseAbs2().cwiseInverse().asDiagonal();
  const Matrix precision = design.transpose() * design / (kSigma * kSigma) + prior_precision;
  const Matrix covariance = precision.ldlt().solve(Matrix::Identity(2, 2));
  const Vector mean =
      covariance * (design.transpose() * y / (kSigma * kSigma) + prior_precision * prior_mean);
  return {mean, covariance};
}

TEST(McmcPrior, GaussianPriorOnALineGivesTheConjugatePosterior) {
  const Vector x = Vector::LinSpaced(kData, 0.0, 1.0);
  Vector y(kData);
  std::mt19937_64 noise(5);
  std::normal_distribution<double> normal(0.0, kSigma);
  for (int i = 0; i < kData; ++i) y(i) = 2.0 + 3.0 * x(i) + normal(noise);
  const Vector prior_mean = (Vector(2) << 1.0, 1.0).finished();
  const Vector prior_sd = (Vector(2) << 0.3, 0.8).finished();
  const Conjugate expected = conjugate_posterior(x, y, prior_mean, prior_sd);

  auto line = std::make_shared<Line>();
  line->configure({}, x);
  geoinv::Problem problem(line, x, y, Vector::Constant(kData, kSigma), Vector::Constant(2, -100.0),
                          Vector::Constant(2, 100.0));
  geoinv::PluginRegistry registry;
  const std::shared_ptr<geoinv::Solver> solver = registry.create_solver("mcmc");
  ASSERT_TRUE(solver->samples_posterior());
  geoinv::OptionValues values = geoinv::OptionValues::defaults(solver->options());
  values.set("steps", std::int64_t{6000});
  values.set("burn_in", std::int64_t{1000});
  values.set("walkers", std::int64_t{16});
  solver->configure(values);
  geoinv::SolveContext context;
  context.seed = 3;
  for (int j = 0; j < 2; ++j)
    context.prior.push_back({geoinv::ParameterPrior::Kind::normal, prior_mean(j), prior_sd(j)});
  const geoinv::SolverOutcome outcome = solver->solve(problem, Vector::Zero(2), context);
  ASSERT_TRUE(outcome.posterior.has_value()) << outcome.message;
  const geoinv::PosteriorDraws& draws = *outcome.posterior;

  const double count = static_cast<double>(draws.chains * draws.draws);
  Vector mean = Vector::Zero(2), square = Vector::Zero(2);
  for (std::int64_t c = 0; c < draws.chains; ++c)
    for (std::int64_t d = 0; d < draws.draws; ++d)
      for (int p = 0; p < 2; ++p) {
        mean(p) += draws.value(c, d, p) / count;
        square(p) += draws.value(c, d, p) * draws.value(c, d, p) / count;
      }
  const Vector sd = (square - mean.cwiseAbs2()).cwiseSqrt();
  const Vector expected_sd = expected.covariance.diagonal().cwiseSqrt();
  // Monte-Carlo error of the mean: sd/√ESS; the ensemble's integrated autocorrelation time on a 2-D
  // Gaussian is ~30 updates, so ESS ≳ 16·5000/30 ≈ 2700 and 4 sd/√ESS ≈ 0.08 sd.
  for (int p = 0; p < 2; ++p) {
    std::cout << "parameter " << p << ": posterior mean " << mean(p) << " (conjugate " << expected.mean(p)
              << "), sd " << sd(p) << " (conjugate " << expected_sd(p) << ")\n";
    EXPECT_NEAR(mean(p), expected.mean(p), 0.08 * expected_sd(p));
    EXPECT_NEAR(sd(p), expected_sd(p), 0.06 * expected_sd(p));
  }
  // log_prob carries the prior, log_likelihood does not.
  const Vector first = (Vector(2) << draws.value(0, 0, 0), draws.value(0, 0, 1)).finished();
  const double log_prior = -0.5 * ((first - prior_mean).array() / prior_sd.array()).square().sum();
  EXPECT_NEAR(draws.log_prob[0] - draws.log_likelihood[0], log_prior, 1e-9);
}

}  // namespace
