// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// fit_curves.csv of a run folder (docs/outputs.md): the forward model evaluated on a dense grid across the
// profile, so that the fit figure draws smooth curves, not polylines through the stations.
//
// The run records these curves, rather than the plot loading the forward plugin, so that `geoinv plot`
// draws a folder from its files alone (docs/architecture.md, reporting room): a folder copied to a laptop
// without the plugin, or made by another build, still draws the same figure.
//
// Columns, in this order:
//   x                           position along the profile [m]: kFitCurvePoints evenly spaced points
//                               from the first to the last station, both included;
//   true                        synthetic data only: the forward model at the true model, without noise;
//   predicted_<label>           per solver, in the experiment's order: the model at its estimate; empty
//                               (NaN) for a solver that failed or whose estimate gives non-finite data;
//   band_low_<label>, band_high_<label>
//                               for the best solver only (the lowest SSE among those that did not fail),
//                               when its linearised covariance C exists (result.json std_error is not
//                               null): its 95 % prediction band, predicted ± 1.96·sqrt(gᵀ C g + s²), g the
//                               gradient of the prediction at x by the parameters, s² = σ̂²·mean(σ²) the
//                               variance of one new datum (σ = 1 when unknown; σ̂² as in the covariance).
//                               1.96 is the normal quantile: the band is linearised, like C itself.
#include <string>
#include <vector>

#include "configuration/experiment.hpp"
#include "running/run_result.hpp"

namespace geoinv {

// Points of the dense grid: enough for a smooth curve on a page at 300 dpi across any profile.
constexpr int kFitCurvePoints = 500;

// fit_curves.csv's content. Configures `experiment.forward` with the dense grid while it evaluates and
// configures it with the experiment's stations again before it returns (also when it throws), so it must
// not run while another thread uses that model. Returns "" when the forward model refuses the grid or
// throws on it, or when its parameters are sized by its stations (a trace's one value per sample:
// dense_grid.hpp): the run is complete without the curves, and the fit figure joins the stations instead.
std::string fit_curves_csv(const Experiment& experiment, const std::vector<SolverRunResult>& results);

}  // namespace geoinv
