// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Bounds, handled one way for every least-squares solver.
//
// Each trial model is projected into the box [lower, upper] (Problem::project, through project_trial),
// and the step the solver reports and tests is the projected one. After an accepted step, parameters it
// pushed against a bound may be held there for the next step (hold_active_bounds), and convergence is
// judged on the projected gradient (projected_gradient_norm), which ignores the components of the
// gradient that only push a parameter further out of the box.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "geoinv/problem.hpp"

namespace geoinv::lsq {

using Eigen::Index;

// trial ← P(trial), with clipped(i) = 1 where the projection put parameter i on a bound (at or beyond
// it: a parameter held at its bound lands on it exactly and stays flagged), 0 elsewhere.
template <typename VectorType>
void project_trial(const Problem& problem, VectorType& trial, VectorType& clipped) {
  const Vector& lower = problem.lower_bounds();
  const Vector& upper = problem.upper_bounds();
  for (Index i = 0; i < trial.size(); ++i) clipped(i) = trial(i) <= lower(i) || trial(i) >= upper(i) ? 1.0 : 0.0;
  problem.project(trial);
}

// Max-norm of the projected gradient, x − P(x − g): the plain gradient inside the bounds, and only the
// components that could still move the model at an active bound (Ceres' convention).
template <typename VectorType>
double projected_gradient_norm(const Problem& problem, const VectorType& model, const VectorType& gradient) {
  const Vector& lower = problem.lower_bounds();
  const Vector& upper = problem.upper_bounds();
  double norm = 0.0;
  for (Index i = 0; i < model.size(); ++i) {
    const double moved = std::clamp(model(i) - gradient(i), lower(i), upper(i));
    norm = std::max(norm, std::abs(model(i) - moved));
  }
  return norm;
}

// The bound handling every iterative solver shares, besides projecting each trial into the box
// (Problem::project): a parameter that the last accepted step pushed against a bound (it was clipped
// there) and whose descent direction −g still points out of the box is held at the bound for the next
// step — its row and column of JᵀJ replaced by the identity's, its gradient zeroed — so the step solves
// the normal equations of the free parameters exactly (Bertsekas 1982, projected Newton) instead of being
// clipped again, which makes damped steps creep along the bound. A parameter that merely starts at a
// bound is not held: its first step is clipped, so the others still move as if it could.
template <typename NormalType, typename VectorType>
void hold_active_bounds(const Problem& problem, const VectorType& model, const VectorType& clipped,
                        NormalType& normal, VectorType& gradient) {
  const Vector& lower = problem.lower_bounds();
  const Vector& upper = problem.upper_bounds();
  for (Index i = 0; i < model.size(); ++i) {
    if (clipped(i) == 0.0) continue;
    if (!((model(i) <= lower(i) && gradient(i) > 0.0) || (model(i) >= upper(i) && gradient(i) < 0.0))) continue;
    for (Index j = 0; j < i; ++j) normal(i, j) = 0.0;
    for (Index k = i + 1; k < model.size(); ++k) normal(k, i) = 0.0;
    normal(i, i) = 1.0;
    gradient(i) = 0.0;
  }
}

}  // namespace geoinv::lsq
