// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The damped system (JᵀJ + λ·D) x = b and its small Cholesky solve.
//
// Symmetric positive definite for λ > 0 and D > 0 (or JᵀJ definite). Every strategy solves it: the
// damping policies of dls for their λ, gauss_newton with λ = 0 (and a small λ only when JᵀJ is singular),
// the trust region for several λ in one step. The factorisation is chosen by size:
//   N = 4                the SP bodies: 2×2 blocks with closed-form inverses and a Schur complement
//   up to 16 parameters  the square-root-free Cholesky factorisation L·diag(d)·Lᵀ
//   more                 Eigen's LLT (LargeCholesky)
// Eigen's dynamic-size LLT spends more on bookkeeping than on the arithmetic of a 4×4, and a plain LLᵀ
// chains a square root and a division per column; the block form chains the fewest dependent divisions
// (docs/benchmarks.md, "Least-squares solvers"). All read the lower triangle of JᵀJ only.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cmath>

#include "geoinv/forward_model.hpp"  // Matrix
#include "geoinv_lsq/fixed_size.hpp"

namespace geoinv::lsq {

// Eigen's LLT of a large system, its info() defined from construction. Eigen leaves an LLT's info()
// uninitialised until compute(), so copying or moving one before that (resize() assigns a sized
// placeholder; a copied DampedSystem copies it) reads an uninitialised enum: undefined behaviour, which
// UBSan reports. Until compute() this one says InvalidInput.
class LargeCholesky : public Eigen::LLT<Matrix, Eigen::Lower> {
 public:
  LargeCholesky() { m_info = Eigen::InvalidInput; }
  explicit LargeCholesky(Index n) : Eigen::LLT<Matrix, Eigen::Lower>(n) { m_info = Eigen::InvalidInput; }
};

template <int N = Eigen::Dynamic>
class DampedSystem {
 public:
  using VectorType = ParameterVector<N>;
  using MatrixType = NormalMatrix<N>;

  void resize(Index n) {
    if constexpr (N == Eigen::Dynamic) {
      if (n > kSmallSystemLimit && large_.rows() != n) large_ = LargeCholesky(n);
    }
    damped_.resize(n, n);
    pivot_.resize(n);
    inverse_pivots_.resize(n);
  }

  // Factorises JᵀJ + λ·D; false when it is not numerically positive definite.
  bool factorize(const MatrixType& normal, const VectorType& scaling, double damping) {
    const Index n = size(normal.rows());
    size_ = n;
    if constexpr (N == Eigen::Dynamic) {
      if (n > kSmallSystemLimit) {
        damped_.template triangularView<Eigen::Lower>() = normal;
        damped_.diagonal() += damping * scaling;
        large_.compute(damped_);
        return large_.info() == Eigen::Success;
      }
    }
    if constexpr (N == 4) {
      return factorize_blocks(normal, scaling, damping);
    }
    // Small systems: the square-root-free Cholesky factorisation A = L·diag(d)·Lᵀ, L unit lower triangular,
    // so that each column waits on one division only.
    MatrixType& factor = damped_;  // strictly lower triangle: L; d is kept as its reciprocals
    for (Index j = 0; j < n; ++j) {
      double pivot = normal(j, j) + damping * scaling(j);
      for (Index k = 0; k < j; ++k) pivot -= factor(j, k) * factor(j, k) * pivot_(k);
      if (!(pivot > 0.0)) return false;  // also refuses NaN
      pivot_(j) = pivot;
      inverse_pivots_(j) = 1.0 / pivot;
      for (Index i = j + 1; i < n; ++i) {
        double value = normal(i, j);
        for (Index k = 0; k < j; ++k) value -= factor(i, k) * factor(j, k) * pivot_(k);
        factor(i, j) = value * inverse_pivots_(j);
      }
    }
    return true;
  }

  // x = L⁻¹ b for the Cholesky factor L (L Lᵀ = JᵀJ + λ·D): ‖L⁻¹ b‖² = bᵀ(JᵀJ + λ·D)⁻¹ b, for the
  // trust-region iteration.
  void solve_lower(const VectorType& b, VectorType& x) const {
    if constexpr (N == Eigen::Dynamic) {
      if (size_ > kSmallSystemLimit) {
        x = large_.matrixL().solve(b);
        return;
      }
    }
    if constexpr (N == 4) {
      return blocks_.solve_lower(b, x);
    }
    unit_lower_solve(b, x);
    for (Index i = 0; i < size(size_); ++i) x(i) *= std::sqrt(inverse_pivots_(i));  // the Cholesky factor is L·d^½
  }

  // x = (JᵀJ + λ·D)⁻¹ b with the last factorisation.
  void solve(const VectorType& b, VectorType& x) const {
    if constexpr (N == Eigen::Dynamic) {
      if (size_ > kSmallSystemLimit) {
        x = large_.solve(b);
        return;
      }
    }
    if constexpr (N == 4) {
      return blocks_.solve(b, x);
    }
    unit_lower_solve(b, x);
    const Index n = size(size_);
    for (Index i = n - 1; i >= 0; --i) {  // diag(d)·Lᵀ x = y
      double value = x(i) * inverse_pivots_(i);
      for (Index k = i + 1; k < n; ++k) value -= damped_(k, i) * x(k);
      x(i) = value;
    }
  }

  bool solve(const MatrixType& normal, const VectorType& scaling, double damping, const VectorType& b,
             VectorType& x) {
    if (!factorize(normal, scaling, damping)) return false;
    solve(b, x);
    return true;
  }

 private:
  // Four parameters (the SP bodies), in 2×2 blocks: A = [P Qᵀ; Q R] = [I 0; G I]·[P 0; 0 S]·[I Gᵀ; 0 I] with
  // G = Q·P⁻¹ and the Schur complement S = R − G·Qᵀ, each 2×2 inverted in closed form: the chain of
  // dependent operations holds two divisions where the LDLᵀ loop holds four. A is positive definite
  // exactly when P and S are, which is the test (their leading minors, as LDLᵀ's pivots).
  struct Blocks {
    double p00, p10, det_p;       // P's leading entries and determinant
    double ip00, ip10, ip11;      // P⁻¹
    double g00, g01, g10, g11;    // G
    double s00, s10, det_s;       // S's leading entries and determinant
    double is00, is10, is11;      // S⁻¹

    template <typename Vector4>
    void solve(const Vector4& b, Vector4& x) const {
      const double z2 = b(2) - (g00 * b(0) + g01 * b(1)), z3 = b(3) - (g10 * b(0) + g11 * b(1));
      const double w0 = ip00 * b(0) + ip10 * b(1), w1 = ip10 * b(0) + ip11 * b(1);
      x(2) = is00 * z2 + is10 * z3;
      x(3) = is10 * z2 + is11 * z3;
      x(0) = w0 - (g00 * x(2) + g10 * x(3));
      x(1) = w1 - (g01 * x(2) + g11 * x(3));
    }

    // With the Cholesky factor L = [L₁ 0; G·L₁ L₂] (L₁ L₁ᵀ = P, L₂ L₂ᵀ = S): L⁻¹b = [L₁⁻¹b₁; L₂⁻¹(b₂ − G b₁)].
    template <typename Vector4>
    void solve_lower(const Vector4& b, Vector4& x) const {
      const double root_p = std::sqrt(p00), root_s = std::sqrt(s00);
      const double z2 = b(2) - (g00 * b(0) + g01 * b(1)), z3 = b(3) - (g10 * b(0) + g11 * b(1));
      x(0) = b(0) / root_p;
      x(1) = (b(1) - p10 / root_p * x(0)) / std::sqrt(det_p / p00);
      x(2) = z2 / root_s;
      x(3) = (z3 - s10 / root_s * x(2)) / std::sqrt(det_s / s00);
    }
  };

  bool factorize_blocks(const MatrixType& normal, const VectorType& scaling, double damping) {
    Blocks& k = blocks_;
    k.p00 = normal(0, 0) + damping * scaling(0);
    k.p10 = normal(1, 0);
    const double p11 = normal(1, 1) + damping * scaling(1);
    k.det_p = k.p00 * p11 - k.p10 * k.p10;
    if (!(k.p00 > 0.0 && k.det_p > 0.0)) return false;  // also refuses NaN
    const double inverse_det_p = 1.0 / k.det_p;
    k.ip00 = p11 * inverse_det_p;
    k.ip10 = -k.p10 * inverse_det_p;
    k.ip11 = k.p00 * inverse_det_p;
    const double q00 = normal(2, 0), q01 = normal(2, 1), q10 = normal(3, 0), q11 = normal(3, 1);
    k.g00 = q00 * k.ip00 + q01 * k.ip10;
    k.g01 = q00 * k.ip10 + q01 * k.ip11;
    k.g10 = q10 * k.ip00 + q11 * k.ip10;
    k.g11 = q10 * k.ip10 + q11 * k.ip11;
    k.s00 = normal(2, 2) + damping * scaling(2) - (k.g00 * q00 + k.g01 * q01);
    k.s10 = normal(3, 2) - (k.g10 * q00 + k.g11 * q01);
    const double s11 = normal(3, 3) + damping * scaling(3) - (k.g10 * q10 + k.g11 * q11);
    k.det_s = k.s00 * s11 - k.s10 * k.s10;
    if (!(k.s00 > 0.0 && k.det_s > 0.0)) return false;
    const double inverse_det_s = 1.0 / k.det_s;
    k.is00 = s11 * inverse_det_s;
    k.is10 = -k.s10 * inverse_det_s;
    k.is11 = k.s00 * inverse_det_s;
    return true;
  }

  // The size as a compile-time constant when N is fixed, so that the loops unroll.
  static constexpr Index size(Index dynamic_size) { return N == Eigen::Dynamic ? dynamic_size : N; }

  // L y = b with the unit lower triangle of the small factorisation.
  void unit_lower_solve(const VectorType& b, VectorType& y) const {
    for (Index i = 0; i < size(size_); ++i) {
      double value = b(i);
      for (Index k = 0; k < i; ++k) value -= damped_(i, k) * y(k);
      y(i) = value;
    }
  }

  static constexpr Index kSmallSystemLimit = 16;
  Index size_ = 0;
  MatrixType damped_;  // the damped matrix (large systems) or L of its L·diag(d)·Lᵀ factorisation (small ones)
  VectorType pivot_, inverse_pivots_;  // d and 1/d
  LargeCholesky large_;  // only for more than kSmallSystemLimit parameters
  Blocks blocks_;                           // only for N = 4
};

}  // namespace geoinv::lsq
