// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// How λ is chosen when the experiment does not give it (docs/experiment-schema.md, "Choosing λ"):
//
//   regularization:
//     type: tikhonov
//     lambda:
//       choose: gcv           # discrepancy | gcv | lcurve (required)
//       range: [1e-4, 1e4]    # the grid's ends, λ > 0, in λ's units (Σ((d − f)/σ)² per unit of R);
//                             # default [1e-4, 1e4]
//       points: 41            # grid points, log-spaced over range, at least 3; default 41
//       target: 1.0           # discrepancy only: τ, the weighted misfit aimed at is τ·N (N data); default 1
//
// The host sweeps the grid with each solver (running/lambda_sweep.hpp), records the curve and picks λ by
// the rule (running/lambda_rules.hpp); the run's result is the solve at the chosen λ.
//   discrepancy  Morozov: the λ whose weighted misfit ‖W(d − f(m_λ))‖² equals τ·N, refined between the
//                grid points that bracket it. Needs the data's σ (refused without).
//   gcv          generalised cross-validation: the grid's minimum of N·‖W(d − A m_λ)‖² / (N − tr H_λ)²,
//                H_λ = W A (AᵀW²A + λLᵀL)⁻¹ AᵀW. Needs a linear model and Tikhonov R (refused otherwise).
//   lcurve       Hansen's L-curve corner: the grid point of largest curvature of (log misfit, log R).
#include <string>

namespace geoinv {

enum class LambdaRule { discrepancy, gcv, lcurve };

inline std::string to_string(LambdaRule rule) {
  switch (rule) {
    case LambdaRule::discrepancy:
      return "discrepancy";
    case LambdaRule::gcv:
      return "gcv";
    case LambdaRule::lcurve:
      return "lcurve";
  }
  return "?";
}

struct LambdaChoiceSpec {
  LambdaRule rule = LambdaRule::gcv;
  double smallest = 1e-4;  // range[0], λ units
  double largest = 1e4;    // range[1], λ units
  int points = 41;         // log-spaced grid points over [smallest, largest]
  double target = 1.0;     // τ (discrepancy): weighted misfit aimed at = τ·N, dimensionless
};

}  // namespace geoinv
