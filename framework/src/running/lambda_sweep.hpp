// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The host's λ sweep (configuration/lambda_choice_spec.hpp): the same rule for every solver. For each λ
// of the log-spaced grid, in ascending order, the solver runs (its own starts at the first λ, then warm
// started from the previous λ's estimate: deterministic, and much cheaper for iterative solvers), each
// solve on a fresh budget; the host measures ‖W(d − f(m_λ))‖² and R(m_λ) at the estimate, and the rule
// (running/lambda_rules.hpp) picks λ. run_experiment then solves once more at the chosen λ, from the
// solver's own starts: that solve is the run's result, identical to a run given that λ.
#include <functional>
#include <optional>

#include "configuration/experiment.hpp"
#include "running/lambda_curve.hpp"

namespace geoinv {

// One solve at `lambda` (the Problem's regularisation already set to it), from `warm_start` when given,
// else from the solver's starts; the estimate, or nullopt when the solve failed.
using SolveAtLambda =
    std::function<std::optional<Vector>(double lambda, const std::optional<Vector>& warm_start)>;

// Sweeps `experiment.lambda_choice` with `solve` on `problem` (whose regularisation it sets for each λ and
// leaves at the chosen one) and returns the curve and the choice.
LambdaChoice choose_lambda(const Experiment& experiment, Problem& problem, const SolveAtLambda& solve);

// "lambda = 3.24e3 chosen by gcv (41 points from 1e-4 to 1e4)": the console's and report's line.
std::string describe_lambda_choice(const LambdaChoice& choice);

}  // namespace geoinv
