// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The record of a λ choice (configuration/lambda_choice_spec.hpp): the curve the host swept and the point
// its rule picked. Written as lambda_choice.csv and result.json's regularization.choice (docs/outputs.md).
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "configuration/lambda_choice_spec.hpp"

namespace geoinv {

// One solve of the sweep. misfit and regularization are NaN when the solve failed (rules skip it).
struct LambdaPoint {
  double lambda = 0.0;                                       // λ units
  double misfit = std::numeric_limits<double>::quiet_NaN();  // ‖W(d − f(m_λ))‖², dimensionless
  double regularization = std::numeric_limits<double>::quiet_NaN();  // R(m_λ), without λ
  double gcv = std::numeric_limits<double>::quiet_NaN();        // gcv only: N·misfit / (N − tr H_λ)²
  double curvature = std::numeric_limits<double>::quiet_NaN();  // lcurve only: of (log misfit, log R)
  bool refinement = false;  // discrepancy: a solve between grid points, not on the grid
};

struct LambdaChoice {
  LambdaRule rule = LambdaRule::gcv;
  std::vector<LambdaPoint> curve;                            // ascending λ
  std::size_t chosen = 0;                                    // index into curve
  double target = std::numeric_limits<double>::quiet_NaN();  // discrepancy: τ·N
  std::string note;  // why the choice sits at an end of the grid, when it does
  // A chained solver (start_from) takes the λ its predecessor chose and sweeps nothing: the label of that
  // predecessor, the curve then empty and `lambda` its λ.
  std::string inherited_from;
  double lambda = 0.0;  // the chosen λ

  bool inherited() const { return !inherited_from.empty(); }
};

// `points` values log-spaced from `smallest` to `largest` inclusive (the ends exact).
std::vector<double> log_spaced_grid(double smallest, double largest, int points);

}  // namespace geoinv
