// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The response curve of a learning solver trained on window-1 pairs (TrainingSet::window == 1, a prior
// with `window: 1`): the map r̂(s) from one data sample s to the block value it predicts, written to the run
// folder as response_curve_<label>.csv (docs/outputs.md) and drawn by the report over the crossplot of the
// data against the true block (Russell 2019's figures: computed amplitude against desired reflectivity).
//
// A window-1 model sees one sample at a time, so its estimate at sample i is r̂(observed_i) whatever the
// other samples hold. The curve is therefore the solver's own solve() on problems that are the
// experiment's, with the observed trace replaced by stretches of the amplitude grid and the bounds
// opened: no plugin interface beyond solve() is needed, and every learning solver (mlp, rbf_network, grnn)
// gets one alike.
//
// Columns of the file: amplitude (data units): kResponseCurvePoints evenly spaced values from the
// observed data's minimum to their maximum, each end widened by a tenth of that span; prediction
// (the block's unit): the solver's r̂ there.
#include "configuration/experiment.hpp"
#include "geoinv/solver.hpp"
#include "geoinv/trace.hpp"

namespace geoinv {

// Points of the amplitude grid: a smooth curve for a logistic or Gaussian network on a page.
constexpr Eigen::Index kResponseCurvePoints = 201;

// The response curve of `solver` (a trained learning solver) on `experiment`'s problem, as a Trace with
// the columns amplitude and prediction. Empty (no columns) when the solver is not a window-1 learner
// (spec.prior absent or its window other than 1: a model_file's window is not known here) or when its
// solve fails or returns non-finite values: the run is complete without the curve.
Trace response_curve(const Experiment& experiment, const SolverSpec& spec);

}  // namespace geoinv
