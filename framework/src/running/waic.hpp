// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The widely applicable information criterion (Watanabe 2010) of a sampler's run, as Vehtari, Gelman &
// Gabry (2017, "Practical Bayesian model evaluation using leave-one-out cross-validation and WAIC",
// Statistics and Computing 27, eqs. 3-5 and 22-23) define it, from the pointwise log likelihood
// log p(yᵢ | θˢ) of each datum i = 1..n at each posterior draw s = 1..S:
//
//   lppdᵢ        = log( (1/S) Σₛ p(yᵢ | θˢ) )                 (log-sum-exp, so no underflow)
//   p_waic,ᵢ     = V_s log p(yᵢ | θˢ)                          sample variance over the draws (ddof 1)
//   elpd_waic,ᵢ  = lppdᵢ − p_waic,ᵢ
//   elpd_waic    = Σᵢ elpd_waic,ᵢ,   p_waic = Σᵢ p_waic,ᵢ,   waic = −2·elpd_waic (deviance scale, as BIC)
//   se           = √(n · V_i elpd_waic,ᵢ)                      the standard error of elpd_waic (ddof 1)
//
// ArviZ's `waic` takes both variances with ddof 0; with thousands of draws p_waic agrees to ~1/S, and its
// se is √((n−1)/n) of this one.
//
// The pointwise log likelihood of a Gaussian likelihood (the mcmc solver's, plugins/solver/mcmc/README.md) is
// the full normal log density, constants included, so that runs whose σ differ (each fixes its own from its
// pre-fit) are compared on one scale:
//
//   log p(yᵢ | θ) = −½ (rᵢ/σ)² − log(σ·σᵢ) − ½ log 2π,   rᵢ = (predictedᵢ − yᵢ)/σᵢ
//
// σᵢ the data's σ (1 when the data carry none) and σ the sampler's (PosteriorDraws::sigma; 1 when NaN).
#include <Eigen/Core>
#include <cstdint>
#include <optional>

#include "geoinv/posterior.hpp"
#include "geoinv/problem.hpp"

namespace geoinv {

struct Waic {
  double elpd_waic = 0, p_waic = 0, waic = 0, se = 0;
  std::int64_t data_points = 0, draws = 0;  // n and S
};

// One row per draw (chain-major, PosteriorDraws::index order), one column per datum.
using PointwiseLogLikelihood = Eigen::MatrixXd;

// The WAIC of `pointwise` (above); NaN members when an entry is not finite; nullopt for fewer than 2 draws
// or 2 data.
std::optional<Waic> waic_of(const PointwiseLogLikelihood& pointwise);

// log p(yᵢ | θˢ) at every draw of `draws` (above): the forward model evaluated through
// Problem::measure (not counted, not budgeted). A draw whose prediction is not finite gets −∞.
PointwiseLogLikelihood pointwise_log_likelihood(const Problem& problem, const PosteriorDraws& draws);

}  // namespace geoinv
