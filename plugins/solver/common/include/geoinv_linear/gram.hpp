// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The quadratic form of a linear problem, Q(m) = ‖W(d − A m)‖² + λ‖L(m − m_ref)‖² (Tikhonov part only),
// written as Q(m) = mᵀ G m − 2 cᵀ m + q with G = BᵀB + λLᵀL, B = W A, c = Bᵀ W d + λ LᵀL m_ref and
// q = ‖W d‖² + λ‖L m_ref‖². Formed once (band storage when A has a band), it gives Q and ∇Q = 2(G m − c)
// for one symmetric band product and no operator application: the inner loop of fista and of
// gradient_descent on a linear model.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>

#include "geoinv/linear_operator.hpp"
#include "geoinv/problem.hpp"
#include "geoinv_linear/banded_cholesky.hpp"
#include "geoinv_linear/linear_model.hpp"
#include "geoinv_linear/normal_equations.hpp"
#include "simd/segment_kernels.hpp"
#include "simd/simd.hpp"

namespace geoinv::linear {

// y = N x for a symmetric band matrix in lower band storage: row i's part below the diagonal gives y(i)
// by a dot product and, by symmetry, the part above it to y(first .. i) by an axpy. Vectorised
// (simd/segment_kernels.hpp) and run as AVX2/FMA code where the CPU has it.
template <typename Pack>
GEOINV_ALWAYS_INLINE void symmetric_band_product_body(const SymmetricBand& n, const double* x, double* y) {
  const Eigen::Index size = n.size(), p = n.half_width;
  std::fill(y, y + size, 0.0);
  for (Eigen::Index i = 0; i < size; ++i) {
    const Eigen::Index first = std::max<Eigen::Index>(0, i - p), count = i - first;
    const double* row = n.lower.data() + i * (p + 1);
    y[i] += row[p] * x[i];
    if (count == 0) continue;
    y[i] += simd::dot<Pack>(row + first - i + p, x + first, count);  // below the diagonal
    simd::axpy<Pack>(x[i], row + first - i + p, y + first, count);   // above, by symmetry
  }
}

inline void symmetric_band_product_portable(const SymmetricBand& n, const double* x, double* y) {
  symmetric_band_product_body<simd::Double2>(n, x, y);
}

#if GEOINV_SIMD_AVX2
GEOINV_TARGET_AVX2_FMA inline void symmetric_band_product_avx2(const SymmetricBand& n, const double* x, double* y) {
  symmetric_band_product_body<simd::Double4>(n, x, y);
}
#endif

inline void symmetric_band_product(const SymmetricBand& n, const Eigen::Ref<const Eigen::VectorXd>& x,
                                   Eigen::Ref<Eigen::VectorXd> y) {
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) return symmetric_band_product_avx2(n, x.data(), y.data());
#endif
  symmetric_band_product_portable(n, x.data(), y.data());
}

// A dense symmetric matrix in band storage of half width n − 1.
inline SymmetricBand symmetric_band_of(const Eigen::MatrixXd& dense) {
  SymmetricBand band;
  band.half_width = std::max<Eigen::Index>(0, dense.rows() - 1);
  band.lower = BandRows::Zero(dense.rows(), band.half_width + 1);
  for (Eigen::Index i = 0; i < dense.rows(); ++i)
    for (Eigen::Index j = 0; j <= i; ++j) band.at(i, j) = dense(i, j);
  return band;
}

struct Gram {
  SymmetricBand g;
  Eigen::VectorXd c;
  double q = 0.0;

  // Q(m); `gradient` (when not null) = ∇Q(m) = 2(G m − c).
  double evaluate(const Eigen::Ref<const Eigen::VectorXd>& m, Eigen::VectorXd* gradient, Eigen::VectorXd& gm) const {
    symmetric_band_product(g, m, gm);
    if (gradient != nullptr) *gradient = 2.0 * (gm - c);
    return m.dot(gm) - 2.0 * c.dot(m) + q;
  }
  double entry(Eigen::Index i, Eigen::Index j) const {
    if (i < j) std::swap(i, j);
    return i - j > g.half_width ? 0.0 : g.lower(i, j - i + g.half_width);
  }
  // The largest eigenvalue of G by power iteration (an estimate from below; callers add a margin).
  double largest_eigenvalue(int iterations) const {
    Eigen::VectorXd v = Eigen::VectorXd::Ones(c.size()).normalized(), w(c.size());
    double estimate = 0.0;
    for (int k = 0; k < iterations; ++k) {
      symmetric_band_product(g, v, w);
      estimate = v.dot(w);
      const double norm = w.norm();
      if (!(norm > 0.0)) return 0.0;
      v = w / norm;
    }
    return estimate;
  }
};

// The Gram form of `problem` with its operator (smooth regularisation folded in when `with_tikhonov`).
inline Gram gram_of(const Problem& problem, const LinearOperator& counted, bool with_tikhonov) {
  const Regularization& reg = problem.regularization();
  const bool tikhonov = with_tikhonov && reg.active() && reg.kind == RegularizationKind::tikhonov;
  const double lambda = tikhonov ? reg.lambda : 0.0;
  const RowScaledOperator weighted(counted, problem.data_weights());
  Gram gram;
  if (weighted.band()) {
    gram.g = banded_normal_matrix(BandedOperator::from_operator(weighted), reg.order, lambda);
    trim_negligible_diagonals(gram.g, kNegligibleDiagonal);
  } else {
    const Eigen::MatrixXd b = weighted.dense();
    Eigen::MatrixXd normal = b.transpose() * b;
    if (lambda > 0.0) {
      const Eigen::MatrixXd l = difference_operator(reg.order, b.cols());
      normal.noalias() += lambda * (l.transpose() * l);
    }
    gram.g = symmetric_band_of(normal);
  }
  gram.c.resize(counted.cols());
  counted.apply_transpose(weighted_squared_data(problem), gram.c);
  const Eigen::VectorXd wd = problem.data_weights().size() == 0
                                 ? problem.observed()
                                 : Eigen::VectorXd(problem.observed().cwiseProduct(problem.data_weights()));
  gram.q = wd.squaredNorm();
  if (tikhonov && reg.reference.size() != 0) {
    add_reference_term(reg, gram.c);
    gram.q += reg.lambda * (difference_operator(reg.order, reg.reference.size()) * reg.reference).squaredNorm();
  }
  return gram;
}

}  // namespace geoinv::linear
