// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The Cholesky factorisation N = L·Lᵀ of a symmetric positive definite band matrix, in O(n·p²) time and
// O(n·p) memory for half bandwidth p, and its solves in O(n·p): the lever behind linear_lsq's speed on
// a convolution (AᵀA + λLᵀL of a wavelet of K samples has p = K − 1, against n for a dense factor).
//
// Storage: row-major lower band, S(i, t) = N(i, i − p + t) for t = 0 .. p (so S(i, p) is the diagonal);
// entries with i − p + t < 0 are 0 and never read. The factor L uses the same layout, and a copy of its
// columns is kept beside it, which makes every inner product of the factorisation and of both triangular
// solves a dot of contiguous segments.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>

#include "simd/segment_kernels.hpp"
#include "simd/simd.hpp"

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
    keep_columns_and_reciprocals();
    factored_ = true;
    return true;
  }

  bool factored() const { return factored_; }
  Eigen::Index size() const { return factor_.size(); }

  // b ← N⁻¹ b: L y = b row by row, then Lᵀ x = y from the last row up, each unknown from one dot product
  // of a contiguous segment of the factor (a row of L, then a column) with the unknowns already found.
  // The dot leaves out the kLag most recent unknowns, which follow one by one: it then need not wait for
  // them, and the processor overlaps it with the steps before. Vectorised (simd/segment_kernels.hpp) and
  // run as AVX2/FMA code where the CPU has it; the diagonal is applied as its reciprocal.
  void solve(Eigen::Ref<Eigen::VectorXd> b) const {
#if GEOINV_SIMD_AVX2
    if (simd::avx2_fma()) return solve_avx2(b.data());
#endif
    solve_portable(b.data());
  }

 private:
  static constexpr Eigen::Index kLag = 4;

  // columns_(i, t) = L(i + 1 + t, i), t < p (rows past the end 0), for the backward solve's dots; and 1 / L(i, i).
  void keep_columns_and_reciprocals() {
    const Eigen::Index n = factor_.size(), p = factor_.half_width;
    columns_ = BandRows::Zero(n, std::max<Eigen::Index>(p, 1));
    reciprocals_.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      reciprocals_(i) = 1.0 / factor_.lower(i, p);
      for (Eigen::Index t = 1; t <= p && i + t < n; ++t) columns_(i, t - 1) = factor_.lower(i + t, p - t);
    }
  }

  // The kLag = 4 unknowns found last stay in registers (y1 the newest): read back from memory as a
  // vector right after being stored one by one, they would stall the load.
  template <typename Pack>
  GEOINV_ALWAYS_INLINE void solve_body(double* b) const {
    const Eigen::Index n = factor_.size(), p = factor_.half_width;
    double y1 = 0.0, y2 = 0.0, y3 = 0.0, y4 = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {  // y(i) = (b(i) − Σ_k L(i, k) y(k)) / L(i, i), k in [i − p, i)
      const Eigen::Index first = std::max<Eigen::Index>(0, i - p), count = i - first;
      const double* row = factor_.lower.data() + i * (p + 1) + (first - i + p);  // L(i, first ..)
      double sum = b[i];
      if (count >= kLag) {
        sum -= simd::dot<Pack>(row, b + first, count - kLag);
        const double* near = row + count - kLag;
        sum = (((sum - near[0] * y4) - near[1] * y3) - near[2] * y2) - near[3] * y1;
      } else {
        for (Eigen::Index k = 0; k < count; ++k) sum -= row[k] * b[first + k];
      }
      y4 = y3, y3 = y2, y2 = y1;
      y1 = b[i] = sum * reciprocals_(i);
    }
    y1 = y2 = y3 = y4 = 0.0;
    for (Eigen::Index i = n - 1; i >= 0; --i) {  // x(i) = (y(i) − Σ_t L(i + t, i) x(i + t)) / L(i, i), t in [1, p]
      const Eigen::Index count = std::min<Eigen::Index>(p, n - 1 - i);
      const double* column = columns_.data() + i * columns_.cols();  // L(i + 1 .., i)
      double sum = b[i];
      if (count >= kLag) {
        sum -= simd::dot<Pack>(column + kLag, b + i + 1 + kLag, count - kLag);
        sum = (((sum - column[3] * y4) - column[2] * y3) - column[1] * y2) - column[0] * y1;
      } else {
        for (Eigen::Index t = count; t >= 1; --t) sum -= column[t - 1] * b[i + t];
      }
      y4 = y3, y3 = y2, y2 = y1;
      y1 = b[i] = sum * reciprocals_(i);
    }
  }
  void solve_portable(double* b) const { solve_body<simd::Double2>(b); }
#if GEOINV_SIMD_AVX2
  GEOINV_TARGET_AVX2_FMA void solve_avx2(double* b) const { solve_body<simd::Double4>(b); }
#endif

  SymmetricBand factor_;
  BandRows columns_;
  Eigen::VectorXd reciprocals_;
  bool factored_ = false;
};

}  // namespace geoinv::linear
