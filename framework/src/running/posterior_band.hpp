// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// fit_posterior_band.csv of a sampler's run folder (docs/outputs.md): the 95 % posterior predictive band
// of each sampling solver on fit_curves.csv's dense grid, drawn on the fit figure in the solver's colour.
//
// The band is predictive of new data, not a credible band of the curve: at each grid point x it is the
// central 95 % interval (2.5 % and 97.5 % quantiles) of the posterior predictive distribution of one new
// datum, p(ỹ | x, data) ≈ (1/S) Σₛ N(ỹ; f(x; θˢ), s²), over S draws θˢ thinned evenly from the chains (at
// most kPosteriorBandDraws), with s² = σ²·mean(σᵢ²) the variance of one new datum (σ the likelihood's σ,
// PosteriorDraws::sigma, 1 when the data carry σᵢ; σᵢ = 1 when they do not), as the linearised band of
// fit_curves.csv takes it. The quantiles of this Gaussian mixture are computed exactly (by bisection on
// its distribution function), so the band has no noise of its own beyond the draws'. It therefore holds
// both the parameters' uncertainty and the data's noise, and ~95 % of new data should fall in it.
//
// Columns: x (fit_curves.csv's grid, m), then per sampler in the experiment's order
// ppd_low_<label>, ppd_high_<label> (data units). The file is written only when a solver sampled.
#include <string>
#include <vector>

#include "configuration/experiment.hpp"
#include "running/run_result.hpp"

namespace geoinv {

constexpr int kPosteriorBandDraws = 1000;
constexpr double kPosteriorBandProbability = 0.95;

// The draws' indices (PosteriorDraws::index order) the band is computed from: every ⌈N/max⌉-th of the N.
std::vector<std::size_t> thinned_draws(std::size_t total, std::size_t max);

// The q-quantile of (1/S) Σₛ N(fₛ, s²), s > 0.
double normal_mixture_quantile(const std::vector<double>& means, double s, double q);

// fit_posterior_band.csv's content; "" when no solver sampled, or the forward model refuses the grid or
// throws on it. Configures `experiment.forward` as fit_curves_csv does (dense_grid.hpp).
std::string posterior_band_csv(const Experiment& experiment, const std::vector<SolverRunResult>& results);

}  // namespace geoinv
