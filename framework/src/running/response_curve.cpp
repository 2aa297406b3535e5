// SPDX-License-Identifier: BSD-3-Clause
#include "running/response_curve.hpp"

#include <algorithm>
#include <exception>
#include <limits>

#include "geoinv/learning_solver.hpp"
#include "geoinv/problem.hpp"

namespace geoinv {

namespace {

Vector amplitude_grid(const Vector& observed) {
  const double low = observed.minCoeff(), high = observed.maxCoeff();
  const double margin = high > low ? 0.1 * (high - low) : 1.0;
  return Vector::LinSpaced(kResponseCurvePoints, low - margin, high + margin);
}

}  // namespace

Trace response_curve(const Experiment& e, const SolverSpec& spec) {
  if (!spec.prior || spec.prior->window != 1 || as_learning_solver(*spec.instance) == nullptr) return {};
  const Eigen::Index n = e.observed.size();
  if (n == 0 || static_cast<Eigen::Index>(e.parameters.size()) != n) return {};
  const Vector grid = amplitude_grid(e.observed);
  const double infinity = std::numeric_limits<double>::infinity();
  const Vector lower = Vector::Constant(n, -infinity), upper = Vector::Constant(n, infinity);
  Vector prediction(grid.size());
  try {
    for (Eigen::Index first = 0; first < grid.size(); first += n) {
      const Eigen::Index count = std::min(n, grid.size() - first);
      Vector trace = Vector::Constant(n, grid(grid.size() - 1));  // the last stretch padded, then dropped
      trace.head(count) = grid.segment(first, count);
      Problem problem(e.forward, e.stations, trace, Vector(), lower, upper);
      const SolverOutcome outcome = spec.instance->solve(problem, Vector::Zero(n), SolveContext());
      if (outcome.estimate.size() != n) return {};
      prediction.segment(first, count) = outcome.estimate.head(count);
    }
  } catch (const std::exception&) {
    return {};
  }
  if (!prediction.allFinite()) return {};
  Trace curve({"amplitude", "prediction"});
  for (Eigen::Index i = 0; i < grid.size(); ++i) curve.add_row({grid(i), prediction(i)});
  return curve;
}

}  // namespace geoinv
