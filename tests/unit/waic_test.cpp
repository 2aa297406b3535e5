// SPDX-License-Identifier: BSD-3-Clause
// WAIC (running/waic.hpp) against a small example computed by hand, and the posterior predictive band's
// Gaussian-mixture quantile and thinning (running/posterior_band.hpp).
#include "running/waic.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "running/posterior_band.hpp"

namespace geoinv {
namespace {

// 3 draws × 2 data, log likelihoods chosen so that every step is a short hand computation:
//   datum 1: log p = log 0.2, log 0.4, log 0.6  → lppd₁ = log 0.4;  V = sample variance of the logs
//   datum 2: log p = −1, −1, −1                  → lppd₂ = −1;       V = 0
TEST(Waic, MatchesAHandComputedExample) {
  PointwiseLogLikelihood pointwise(3, 2);
  pointwise << std::log(0.2), -1.0, std::log(0.4), -1.0, std::log(0.6), -1.0;
  const double a = std::log(0.2), b = std::log(0.4), c = std::log(0.6);
  const double mean = (a + b + c) / 3.0;
  const double v1 = ((a - mean) * (a - mean) + (b - mean) * (b - mean) + (c - mean) * (c - mean)) / 2.0;
  const double elpd1 = std::log(0.4) - v1, elpd2 = -1.0;
  // By hand: v1 = 0.308634, elpd1 = −1.224925, elpd_waic = −2.224925, se = √(2·(elpd1 − elpd2)²/2) =
  // 0.224925.
  EXPECT_NEAR(v1, 0.308634, 1e-6);
  const auto waic = waic_of(pointwise);
  ASSERT_TRUE(waic.has_value());
  EXPECT_NEAR(waic->p_waic, v1, 1e-12);
  EXPECT_NEAR(waic->elpd_waic, elpd1 + elpd2, 1e-12);
  EXPECT_NEAR(waic->elpd_waic, -2.224925, 1e-6);
  EXPECT_NEAR(waic->se, 0.224925, 1e-6);
  EXPECT_NEAR(waic->waic, -2.0 * (elpd1 + elpd2), 1e-12);
  EXPECT_NEAR(waic->se, std::abs(elpd1 - elpd2), 1e-12);  // √(n·V) with n = 2, V = (Δ)²/2
  EXPECT_EQ(waic->data_points, 2);
  EXPECT_EQ(waic->draws, 3);
}

TEST(Waic, LogSumExpKeepsVerySmallLikelihoods) {
  PointwiseLogLikelihood pointwise = PointwiseLogLikelihood::Constant(4, 3, -2000.0);
  const auto waic = waic_of(pointwise);
  ASSERT_TRUE(waic.has_value());
  EXPECT_NEAR(waic->elpd_waic, -6000.0, 1e-9);
  EXPECT_EQ(waic->p_waic, 0.0);
}

TEST(Waic, NeedsTwoDrawsAndTwoData) {
  EXPECT_FALSE(waic_of(PointwiseLogLikelihood::Zero(1, 5)).has_value());
  EXPECT_FALSE(waic_of(PointwiseLogLikelihood::Zero(5, 1)).has_value());
}

TEST(Waic, ANonFiniteEntryGivesNaN) {
  PointwiseLogLikelihood pointwise = PointwiseLogLikelihood::Zero(3, 2);
  pointwise(1, 1) = -INFINITY;
  const auto waic = waic_of(pointwise);
  ASSERT_TRUE(waic.has_value());
  EXPECT_TRUE(std::isnan(waic->waic));
}

TEST(PosteriorBand, MixtureQuantileOfOneGaussianIsItsQuantile) {
  EXPECT_NEAR(normal_mixture_quantile({3.0}, 2.0, 0.975), 3.0 + 2.0 * 1.959963984540054, 1e-5);
  EXPECT_NEAR(normal_mixture_quantile({3.0}, 2.0, 0.025), 3.0 - 2.0 * 1.959963984540054, 1e-5);
}

TEST(PosteriorBand, MixtureQuantileOfTwoFarApartGaussians) {
  // Means ±100, sd 1: the 2.5 % quantile is the lower component's 5 % quantile.
  EXPECT_NEAR(normal_mixture_quantile({-100.0, 100.0}, 1.0, 0.025), -100.0 - 1.6448536269514722, 1e-5);
}

TEST(PosteriorBand, ThinsEvenlyToAtMostTheMaximum) {
  EXPECT_EQ(thinned_draws(10, 4), (std::vector<std::size_t>{0, 3, 6, 9}));
  EXPECT_EQ(thinned_draws(3, 1000), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(thinned_draws(48000, 1000).size(), 1000u);
}

}  // namespace
}  // namespace geoinv
