#pragma once
#include <vector>

#include "experiment.hpp"
#include "run_result.hpp"

namespace geoinv {

// Runs every solver of `experiment` on the same data, from the same start, under the same budget, and
// measures each the same way. A solver that throws, runs out of budget or returns non-finite numbers
// is recorded as such; the other solvers still run.
std::vector<SolverRunResult> run_experiment(Experiment& experiment);

// Everything the host measures at an estimate: canonical form, prediction, misfit, optimality,
// linearised uncertainty and, for synthetic data, the relative errors. Shared by every solver.
void measure_estimate(const Experiment& experiment, SolverRunResult& result);

}  // namespace geoinv
