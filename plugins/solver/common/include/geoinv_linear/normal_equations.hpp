// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The regularised normal equations of a linear problem,
//
//     (BᵀB + λ·LᵀL) m = Bᵀ(W d) + λ·LᵀL m_ref,     B = W A,
//
// whose solution minimises Φ(m) = ‖W(d − A m)‖² + λ‖L(m − m_ref)‖² (regularization.hpp), assembled in
// band storage (banded B) or densely. L is the k-th order difference operator (k = 0, 1, 2), or absent
// when there is no regularisation (λ = 0).
#include <Eigen/Core>

#include <algorithm>

#include "geoinv/linear_operator.hpp"
#include "geoinv/regularization.hpp"
#include "geoinv_linear/banded_cholesky.hpp"

namespace geoinv::linear {

// λ·LᵀL's non-zero stencil row for order k: the (k+1)-point difference's autocorrelation, added by rows.
inline void add_difference_normal(SymmetricBand& n, int order, double lambda) {
  if (lambda == 0.0) return;
  const Eigen::Index size = n.size();
  static const double kStencils[3][3] = {{1.0, 0.0, 0.0}, {-1.0, 1.0, 0.0}, {1.0, -2.0, 1.0}};
  // LᵀL = Σ_rows r rᵀ, each row r the stencil at columns [row, row + order].
  for (Eigen::Index row = 0; row + order < size; ++row)
    for (int a = 0; a <= order; ++a)
      for (int b = 0; b <= a; ++b) n.at(row + a, row + b) += lambda * kStencils[order][a] * kStencils[order][b];
}

// BᵀB + λ·LᵀL for a banded B, in band storage of half width max(lower + upper, order).
inline SymmetricBand banded_normal_matrix(const BandedOperator& b, int order, double lambda) {
  const Band band = *b.band();
  SymmetricBand n;
  n.half_width = std::max<Eigen::Index>(band.lower + band.upper, lambda > 0.0 ? order : 0);
  n.lower = BandRows::Zero(b.cols(), n.half_width + 1);
  const BandedOperator::BandStorage& entries = b.entries();
  for (Eigen::Index i = 0; i < b.rows(); ++i) {
    const Eigen::Index begin = b.first_column(i), end = b.end_column(i), shift = i - band.lower;
    for (Eigen::Index c = begin; c < end; ++c) {
      const double value = entries(i, c - shift);
      if (value == 0.0) continue;
      for (Eigen::Index r = begin; r <= c; ++r) n.at(c, r) += value * entries(i, r - shift);
    }
  }
  add_difference_normal(n, order, lambda);
  return n;
}

// Drops the outermost diagonals of `n` while every entry on them is at most `relative` × the smallest
// diagonal entry: a convolution's normal matrix decays like its wavelet's autocorrelation (a 30 Hz Ricker
// at 2 ms: below 1e-16 of the diagonal beyond lag ~45 of the 100 its band holds). The perturbation of N is
// then below `relative`·n·min N(i,i) in norm, the order of the Cholesky factor's own rounding error, and
// every product and solve costs half as much.
inline constexpr double kNegligibleDiagonal = 1e-16;  // the `relative` the linear solvers use

inline void trim_negligible_diagonals(SymmetricBand& n, double relative) {
  const Eigen::Index p = n.half_width;
  if (n.size() == 0 || p == 0) return;
  const double threshold = relative * n.lower.col(p).cwiseAbs().minCoeff();
  Eigen::Index keep = p;
  // Column t of the storage holds lag p − t; lag ℓ is negligible when its column's entries all are.
  while (keep > 0 && n.lower.col(p - keep).cwiseAbs().maxCoeff() <= threshold) --keep;
  if (keep == p) return;
  n.lower = BandRows(n.lower.rightCols(keep + 1));
  n.half_width = keep;
}

// λ·LᵀL·m_ref, added to the right-hand side (nothing when m_ref is empty or λ = 0).
inline void add_reference_term(const Regularization& regularization, Eigen::Ref<Eigen::VectorXd> rhs) {
  if (!regularization.active() || regularization.reference.size() == 0) return;
  const Eigen::MatrixXd l = difference_operator(regularization.order, rhs.size());
  rhs.noalias() += regularization.lambda * (l.transpose() * (l * regularization.reference));
}

}  // namespace geoinv::linear
