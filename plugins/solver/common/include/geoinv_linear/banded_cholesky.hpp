// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The Cholesky factorisation N = L·Lᵀ of a symmetric positive definite band matrix, in O(n·p²) time and
// O(n·p) memory for half bandwidth p, and its solves in O(n·p): the lever behind linear_lsq's speed on
// a convolution (AᵀA + λLᵀL of a wavelet of K samples has p = K − 1, against n for a dense factor).
//
// Storage: row-major lower band, S(i, t) = N(i, i − p + t) for t = 0 .. p (so S(i, p) is the diagonal);
// entries with i − p + t < 0 are 0 and never read. The factor L uses the same layout, which makes every
// inner product of the factorisation and of both triangular solves a dot or axpy of contiguous segments.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>

namespace geoinv::linear {

using BandRows = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A symmetric band matrix in the storage above.
struct SymmetricBand {
  Eigen::Index half_width = 0;  // p
  BandRows lower;               // n x (p + 1)

  Eigen::Index size() const { return lower.rows(); }
  // N(i, j) for j in [i − p, i].
  double& at(Eigen::Index i, Eigen::Index j) { return lower(i, j - i + half_width); }
};

class BandedCholesky {
 public:
  // Factors `matrix` (its storage is reused for L). Returns false, leaving the factor unusable, when a
  // pivot is not positive: N is not positive definite to working precision.
  bool factor(SymmetricBand matrix) {
    factor_ = std::move(matrix);
    const Eigen::Index n = factor_.size(), p = factor_.half_width;
    BandRows& l = factor_.lower;
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::Index first = std::max<Eigen::Index>(0, i - p);
      for (Eigen::Index j = first; j <= i; ++j) {
        // L(i, j) = (N(i, j) − Σ_{k in [first, j)} L(i, k) L(j, k)) / L(j, j); both rows hold k contiguously.
        const Eigen::Index count = j - first;
        double sum = l(i, j - i + p);
        if (count > 0) sum -= l.row(i).segment(first - i + p, count).dot(l.row(j).segment(first - j + p, count));
        if (j < i) {
          l(i, j - i + p) = sum / l(j, p);
        } else {
          if (!(sum > 0.0)) return false;
          l(i, p) = std::sqrt(sum);
        }
      }
    }
    factored_ = true;
    return true;
  }

  bool factored() const { return factored_; }
  Eigen::Index size() const { return factor_.size(); }

  // b ← N⁻¹ b.
  void solve(Eigen::Ref<Eigen::VectorXd> b) const {
    const Eigen::Index n = factor_.size(), p = factor_.half_width;
    const BandRows& l = factor_.lower;
    for (Eigen::Index i = 0; i < n; ++i) {  // L y = b
      const Eigen::Index first = std::max<Eigen::Index>(0, i - p), count = i - first;
      double sum = b(i);
      if (count > 0) sum -= l.row(i).segment(first - i + p, count).dot(b.segment(first, count));
      b(i) = sum / l(i, p);
    }
    for (Eigen::Index i = n - 1; i >= 0; --i) {  // Lᵀ x = y, column by column: x(i), then y(k) −= L(i, k) x(i)
      b(i) /= l(i, p);
      const Eigen::Index first = std::max<Eigen::Index>(0, i - p), count = i - first;
      if (count > 0) b.segment(first, count) -= b(i) * l.row(i).segment(first - i + p, count).transpose();
    }
  }

 private:
  SymmetricBand factor_;
  bool factored_ = false;
};

}  // namespace geoinv::linear
