// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The posterior summary of a sampler's draws (geoinv/posterior.hpp), per parameter, with the conventions
// of ArviZ's `summary` and emcee's `get_autocorr_time`, so that the numbers can be checked against them:
//
//   mean, sd        over every draw of every chain (sd with ddof 1)
//   hdi_low/high    the 94 % highest-density interval: the narrowest interval holding ⌊0.94·N⌋ + 1 sorted
//                   draws (ArviZ's `hdi` for a unimodal posterior)
//   median          of every draw (the mean of the middle two for an even count)
//   r_hat           rank-normalised split-R̂ (Vehtari et al. 2021): the larger of the bulk R̂ (of the
//                   rank-normalised, split chains) and the tail R̂ (of the same, folded about the median)
//   ess_bulk        the effective sample size of the rank-normalised split chains, with Geyer's initial
//                   monotone sequence (ArviZ's `ess(method="bulk")`)
//   ess_tail        the smaller ESS of the indicators x ≤ q₀.₀₅ and x ≤ q₀.₉₅ on split chains
//   tau             the integrated autocorrelation time in updates: the autocorrelation function averaged
//                   over the chains (walkers), summed with Sokal's automatic window c = 5 (emcee's
//                   `integrated_time`, quiet)
//
// Chains are split in halves for R̂ and ESS; a chain of fewer than 4 draws has no diagnostics (NaN).
// Values are in display units (degrees for angles). Warnings (Vehtari et al.'s and emcee's rules):
// R̂ > 1.01, bulk or tail ESS < 400, and fewer than 50·τ updates per chain.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "geoinv/parameter.hpp"
#include "geoinv/posterior.hpp"

namespace geoinv {

struct ParameterSummary {
  std::string name;
  double mean = 0, sd = 0, hdi_low = 0, hdi_high = 0, median = 0;
  double r_hat = 0, ess_bulk = 0, ess_tail = 0, tau = 0;
};

struct PosteriorSummary {
  std::vector<ParameterSummary> parameters;
  double acceptance = 0;              // mean over the chains of their acceptance fractions
  std::int64_t chains = 0, draws = 0;  // draws per chain
  double sigma = 0;                   // the likelihood's σ as PosteriorDraws holds it (NaN: the data's)
  std::string sigma_source;
  std::vector<std::string> warnings;  // one sentence each
};

constexpr double kHdiProbability = 0.94;
constexpr double kMaxRHat = 1.01;
constexpr double kMinEss = 400.0;
constexpr double kMinAutocorrelationTimes = 50.0;

// One parameter's draws: one row per chain, one column per draw.
using ChainMatrix = Eigen::MatrixXd;

double split_r_hat(const ChainMatrix& draws);
double ess_bulk(const ChainMatrix& draws);
double ess_tail(const ChainMatrix& draws);
double integrated_autocorrelation_time(const ChainMatrix& draws, double window_c = 5.0);
// The narrowest interval holding a fraction `probability` of the draws: {low, high}.
std::pair<double, double> highest_density_interval(std::vector<double> values, double probability);

// The summary of `draws` for the parameters `specs` (same order), with its warnings.
PosteriorSummary summarise_posterior(const PosteriorDraws& draws, const ParameterSpecs& specs);

}  // namespace geoinv
