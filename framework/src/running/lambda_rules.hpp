// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The three rules that pick λ from a swept curve (configuration/lambda_choice_spec.hpp), one file each:
// lambda_discrepancy.cpp, lambda_gcv.cpp, lambda_lcurve.cpp. They see numbers only, never a solver or an
// experiment, so each is tested on a problem with a known answer (tests/unit/lambda_rules_test.cpp).
// Points with a NaN misfit (a failed solve) are skipped by every rule.
#include <Eigen/Core>
#include <functional>

#include "running/lambda_curve.hpp"

namespace geoinv {

// Discrepancy principle (Morozov): the λ whose misfit equals `target` (τ·N). The misfit grows with λ; the
// grid points that bracket the target are refined by bisection in log λ, each step a solve by
// `solve_at(λ)` added to `curve` as a refinement, until |misfit − target| <= 1e-3·target (or 60 steps).
// Without a bracket the grid's end nearest the target is chosen and `note` says why. Returns the index of
// the chosen point in `curve`, which stays sorted by λ.
std::size_t choose_by_discrepancy(std::vector<LambdaPoint>& curve, double target,
                                  const std::function<LambdaPoint(double)>& solve_at, std::string& note);

// The trace of the influence matrix H_λ = B (BᵀB + λ M)⁻¹ Bᵀ, B = W·A the weighted operator (N x n) and
// M = LᵀL the Tikhonov Gram matrix (n x n): tr H = tr((K + λM)⁻¹ K), K = BᵀB, by a Cholesky (LDLᵀ when
// K + λM is only semi-definite) of the n x n system; dense, O(n³) per λ.
double influence_trace(const Eigen::MatrixXd& gram_of_operator, const Eigen::MatrixXd& gram_of_penalty,
                       double lambda);

// Generalised cross-validation (Golub, Heath & Wahba 1979): fills each point's gcv,
// V(λ) = N·misfit / (N − tr H_λ)², from `weighted_operator` B (N x n) and `penalty_operator` L; returns the
// index of the smallest V. With L = I (Tikhonov order 0) the traces come from one eigen-decomposition of
// BᵀB, Σ μ/(μ + λ), instead of a factorisation per λ.
std::size_t choose_by_gcv(std::vector<LambdaPoint>& curve, const Eigen::MatrixXd& weighted_operator,
                          const Eigen::MatrixXd& penalty_operator);

// The L-curve corner (Hansen 1992): fills each interior point's curvature, the signed Menger curvature of
// three neighbouring points p = (log10 misfit, log10 R), κ = 2·((p₂ − p₁) × (p₃ − p₁)) / (|p₂ − p₁|·|p₃ −
// p₂|·|p₃ − p₁|), the inverse radius of the circle through them, positive where the curve turns as an L does
// (down the vertical branch, then along the horizontal one, λ increasing); returns the index of the largest.
// Points with R <= 0 or a misfit <= 0 have no logarithm and are skipped.
std::size_t choose_lcurve_corner(std::vector<LambdaPoint>& curve);

}  // namespace geoinv
