// SPDX-License-Identifier: BSD-3-Clause
#include "running/lambda_sweep.hpp"

#include <fmt/format.h>

#include "running/lambda_rules.hpp"

namespace geoinv {

namespace {

// The operator of the data term, B = W·A (W = diag(1/σ), I without σ), dense: what GCV's trace needs.
Eigen::MatrixXd weighted_operator(const Experiment& experiment, const Problem& problem) {
  Eigen::MatrixXd operator_matrix = experiment.forward->linear_operator()->dense();
  if (problem.has_sigma()) operator_matrix = problem.data_weights().asDiagonal() * operator_matrix;
  return operator_matrix;
}

}  // namespace

LambdaChoice choose_lambda(const Experiment& experiment, Problem& problem, const SolveAtLambda& solve) {
  const LambdaChoiceSpec& spec = *experiment.lambda_choice;
  Regularization regularization = experiment.regularization;
  std::optional<Vector> previous;
  const auto solve_at = [&](double lambda) {
    regularization.lambda = lambda;
    problem.set_regularization(regularization);
    LambdaPoint point;
    point.lambda = lambda;
    if (const std::optional<Vector> estimate = solve(lambda, previous)) {
      point.misfit = problem.measured_cost(*estimate);
      point.regularization = regularization.value(*estimate);
      previous = estimate;
    }
    return point;
  };

  LambdaChoice choice;
  choice.rule = spec.rule;
  for (double lambda : log_spaced_grid(spec.smallest, spec.largest, spec.points))
    choice.curve.push_back(solve_at(lambda));
  switch (spec.rule) {
    case LambdaRule::discrepancy:
      choice.target = spec.target * static_cast<double>(experiment.observed.size());
      choice.chosen = choose_by_discrepancy(choice.curve, choice.target, solve_at, choice.note);
      break;
    case LambdaRule::gcv:
      choice.chosen = choose_by_gcv(choice.curve, weighted_operator(experiment, problem),
                                    difference_operator(regularization.order, problem.num_parameters()));
      break;
    case LambdaRule::lcurve:
      choice.chosen = choose_lcurve_corner(choice.curve);
      break;
  }
  if (choice.note.empty() && choice.rule != LambdaRule::discrepancy &&
      (choice.chosen == 0 || choice.chosen + 1 == choice.curve.size()))
    choice.note =
        "the chosen lambda is at an end of the grid: widen range to see whether the rule picks beyond it";
  choice.lambda = choice.curve[choice.chosen].lambda;
  regularization.lambda = choice.lambda;
  problem.set_regularization(regularization);
  return choice;
}

std::string describe_lambda_choice(const LambdaChoice& choice) {
  if (choice.inherited())
    return fmt::format("lambda = {:.6g}, chosen by {} for '{}' (start_from)", choice.lambda,
                       to_string(choice.rule), choice.inherited_from);
  std::size_t grid = 0;
  for (const LambdaPoint& point : choice.curve) grid += point.refinement ? 0 : 1;
  std::string line =
      fmt::format("lambda = {:.6g} chosen by {} ({} points from {:.6g} to {:.6g}", choice.lambda,
                  to_string(choice.rule), grid, choice.curve.front().lambda, choice.curve.back().lambda);
  if (choice.rule == LambdaRule::discrepancy)
    line += fmt::format("; misfit {:.6g} for the target {:.6g}", choice.curve[choice.chosen].misfit,
                        choice.target);
  line += ")";
  if (!choice.note.empty()) line += "; " + choice.note;
  return line;
}

}  // namespace geoinv
