// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <vector>

#include "configuration/experiment.hpp"
#include "running/run_result.hpp"

namespace geoinv {

// What run_experiment measures beyond the fit.
struct Measurements {
  // The linearised uncertainty at each estimate (an eigen-decomposition of the scaled JᵀJ). A campaign
  // turns it off for runs whose details it does not keep: results.csv does not carry it, and it is a
  // large share of a sphere run. measure_uncertainty adds it afterwards, with the same numbers.
  bool uncertainty = true;
};

// Runs every solver of `experiment` on the same data, from the same start, under the same budget, and
// measures each the same way. A solver that throws, runs out of budget or returns non-finite numbers
// is recorded as such; the other solvers still run.
std::vector<SolverRunResult> run_experiment(Experiment& experiment, Measurements measurements = {});

// Everything the host measures at an estimate: canonical form, prediction, misfit, optimality,
// linearised uncertainty (when asked) and, for synthetic data, the relative errors. Shared by every
// solver.
// The misfit comes from `problem` (Problem::measure), the one owner of the weighted residuals; `problem`
// holds `experiment`'s data.
void measure_estimate(const Experiment& experiment, const Problem& problem, SolverRunResult& result,
                      Measurements measurements = {});

// The linearised uncertainty at result.estimate, for a result measured without it (Measurements):
// the same numbers measure_estimate gives. Results whose estimate gave non-finite data get none.
void measure_uncertainty(const Experiment& experiment, SolverRunResult& result);

}  // namespace geoinv
