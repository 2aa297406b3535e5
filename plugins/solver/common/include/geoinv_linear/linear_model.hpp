// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the linear solvers (linear_lsq, and fista and gradient_descent on a linear model) share around
// their method: recognising a linear problem and refusing any other with a clear error, the start and
// final evaluations through the Problem (counted, tracked as the best model, written to the trace), the
// data term W²d, and the QR solution of the stacked system.
#include <fmt/format.h>

#include <Eigen/QR>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"

namespace geoinv::linear {

struct LinearProblem {
  std::shared_ptr<const LinearOperator> model_operator;  // the forward model's own operator (a cache key)
  std::shared_ptr<const LinearOperator> counted;         // the same behind the Problem's budget
};

// The problem's operator, or an Error (category config) that names the solver and the model.
inline LinearProblem linear_problem(Problem& problem, const std::string& solver) {
  LinearProblem lp{problem.model().linear_operator(), problem.linear_operator()};
  if (!lp.model_operator || !lp.counted)
    throw Error(Error::Category::config,
                fmt::format("{} needs a linear forward model (one whose plugin provides linear_operator(), such as "
                            "convolution); this experiment's forward model is not linear: use gauss_newton, dls "
                            "or gradient_descent",
                            solver));
  return lp;
}

// Refuses l1 and tv, which the solver cannot minimise, naming the solver that can.
inline void require_smooth_regularization(const Problem& problem, const std::string& solver,
                                          const std::string& alternative) {
  if (problem.regularization().smooth()) return;
  throw Error(Error::Category::config,
              fmt::format("{} minimises only tikhonov (or no) regularization, not {}: use {}", solver,
                          to_string(problem.regularization().kind), alternative));
}

// W² d (d when σ is unknown): the data term of the normal equations' right-hand side, Aᵀ W² d.
inline Vector weighted_squared_data(const Problem& problem) {
  if (problem.data_weights().size() == 0) return problem.observed();
  return problem.observed().cwiseProduct(problem.data_weights().cwiseAbs2());
}

// A trace row whose first columns are iteration, sse and objective; a solver's further columns are NaN.
inline void add_evaluation_row(Trace& trace, double iteration, double sse, double objective) {
  std::vector<double> row(trace.columns().size(), std::numeric_limits<double>::quiet_NaN());
  row[0] = iteration;
  row[1] = sse;
  row[2] = objective;
  trace.add_row(row);
}

// Evaluates the start (so that a budget stop reports it) and writes trace row 0.
inline void record_start(Problem& problem, const Vector& start, Trace& trace) {
  Vector r(problem.num_data());
  double cost = 0.0;
  if (problem.residuals(start, r, &cost)) add_evaluation_row(trace, 0.0, cost, problem.objective(start, cost));
}

// Projects `solution` onto the bounds, evaluates it, and fills the outcome's estimate, trace row and
// message ("how" it was found, then Φ, the misfit and λR).
inline void finish(Problem& problem, Vector solution, const std::string& how, SolverOutcome& outcome) {
  const bool inside = problem.in_bounds(solution);
  problem.project(solution);
  Vector r(problem.num_data());
  double cost = 0.0;
  if (!problem.residuals(solution, r, &cost)) {
    outcome.estimate = problem.has_best() ? problem.best_model() : solution;
    outcome.termination = Termination::numerical_failure;
    outcome.message = how + ": the prediction at the solution is not finite";
    return;
  }
  const double objective = problem.objective(solution, cost);
  add_evaluation_row(outcome.trace, outcome.iterations, cost, objective);
  outcome.estimate = solution;
  outcome.message = fmt::format("{}: objective {:.6g} = misfit {:.6g} + lambda*R {:.6g}{}", how, objective, cost,
                                objective - cost, inside ? "" : " (the solution was projected onto the bounds)");
}

// The minimiser by Householder QR with column pivoting of the stacked [W A; √λ L] m = [W d; √λ L m_ref]:
// no squaring of the condition number, for problems too ill-conditioned for the normal equations.
inline Vector qr_solution(const Problem& problem, const LinearOperator& op) {
  const RowScaledOperator weighted(op, problem.data_weights());
  const Regularization& reg = problem.regularization();
  Matrix stacked = weighted.dense();
  Vector rhs = problem.data_weights().size() == 0 ? problem.observed()
                                                   : Vector(problem.observed().cwiseProduct(problem.data_weights()));
  if (reg.active()) {
    const Matrix l = std::sqrt(reg.lambda) * difference_operator(reg.order, op.cols());
    const Vector target = reg.reference.size() == 0 ? Vector::Zero(l.rows()) : Vector(l * reg.reference);
    Matrix tall(stacked.rows() + l.rows(), stacked.cols());
    tall << stacked, l;
    Vector tall_rhs(rhs.size() + target.size());
    tall_rhs << rhs, target;
    stacked.swap(tall);
    rhs.swap(tall_rhs);
  }
  return stacked.colPivHouseholderQr().solve(rhs);
}

}  // namespace geoinv::linear
