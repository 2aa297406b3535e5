// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Linear forward models: a forward plugin whose data are A·m for a fixed matrix A hands the host A as a
// LinearOperator (ForwardModel::linear_operator()), and the linear solvers (linear_lsq, fista,
// gradient_descent) use it instead of finite differences or repeated Jacobians. Added in plugin API 4.0.
//
// Contract of an implementation:
//   - rows() is the number of data, cols() the number of parameters (the flat model vector);
//   - apply(x, y) sets y = A x, apply_transpose(y, x) sets x = Aᵀ y. Both are const and thread-safe, and
//     their outputs are sized by the caller (rows() and cols());
//   - band() describes the sparsity when A is banded: A(i, j) = 0 unless -lower <= j - i <= upper. A
//     convolution by a wavelet of K samples with "same" alignment is banded with lower + upper = K - 1.
//     A solver then forms AᵀA in band storage and factors it in O(n·b²) instead of O(n³) (linear_lsq);
//   - dense() returns A as a matrix. The default builds it column by column from apply() (cols() calls);
//     an implementation that holds its matrix returns it directly.
//   - the forward model's predict(m) must equal A·m (the forward conformance suite checks it).
#include <Eigen/Core>

#include <optional>

#include "geoinv/export.hpp"

namespace geoinv {

// The band of a banded matrix: A(i, j) may be non-zero only for -lower <= j - i <= upper.
struct GEOINV_API Band {
  Eigen::Index lower = 0;  // sub-diagonals
  Eigen::Index upper = 0;  // super-diagonals
};

class GEOINV_API LinearOperator {
 public:
  virtual ~LinearOperator();

  virtual Eigen::Index rows() const = 0;
  virtual Eigen::Index cols() const = 0;
  // y = A x; `y` has rows() entries.
  virtual void apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y) const = 0;
  // x = Aᵀ y; `x` has cols() entries.
  virtual void apply_transpose(const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Ref<Eigen::VectorXd> x) const = 0;
  // The band, when A is banded; nullopt (the default) for a general matrix.
  virtual std::optional<Band> band() const;
  // A as a dense rows() x cols() matrix.
  virtual Eigen::MatrixXd dense() const;
};

// A held as a dense matrix.
class GEOINV_API DenseOperator final : public LinearOperator {
 public:
  explicit DenseOperator(Eigen::MatrixXd matrix);

  Eigen::Index rows() const override { return matrix_.rows(); }
  Eigen::Index cols() const override { return matrix_.cols(); }
  void apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y) const override;
  void apply_transpose(const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Ref<Eigen::VectorXd> x) const override;
  Eigen::MatrixXd dense() const override { return matrix_; }
  const Eigen::MatrixXd& matrix() const { return matrix_; }

 private:
  Eigen::MatrixXd matrix_;
};

// A banded matrix in row band storage: entries(i, k) = A(i, i - band.lower + k), k = 0 .. lower + upper;
// entries outside the matrix are stored as 0 and never read. apply() and apply_transpose() cost
// rows · (lower + upper + 1) multiply-adds. A Toeplitz operator (toeplitz()) has the same entries on every
// row: its products read that one row (the reversed kernel), which stays in the L1 cache, instead of a
// stored row per output sample.
class GEOINV_API BandedOperator final : public LinearOperator {
 public:
  using BandStorage = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  // `entries` is rows x (band.lower + band.upper + 1); entries outside the matrix must be 0.
  BandedOperator(Eigen::Index rows, Eigen::Index cols, Band band, BandStorage entries);
  // The n x n Toeplitz matrix of a convolution by `kernel` with output sample i aligned to input sample
  // i + (centre - k) for kernel sample k: y(i) = Σ_k kernel(k) x(i + centre - k), x = 0 outside [0, n).
  // "same" alignment of a symmetric wavelet of odd length K is centre = (K - 1) / 2.
  static BandedOperator toeplitz(const Eigen::Ref<const Eigen::VectorXd>& kernel, Eigen::Index centre, Eigen::Index n);
  // The band entries of any banded operator, found with lower + upper + 1 applications of A to comb
  // vectors (columns further apart than the band width touch disjoint rows).
  static BandedOperator from_operator(const LinearOperator& op);

  Eigen::Index rows() const override { return rows_; }
  Eigen::Index cols() const override { return cols_; }
  void apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y) const override;
  void apply_transpose(const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Ref<Eigen::VectorXd> x) const override;
  std::optional<Band> band() const override { return band_; }
  Eigen::MatrixXd dense() const override;

  const BandStorage& entries() const { return entries_; }
  // The first and one-past-last column of row i's stored entries that lie inside the matrix.
  Eigen::Index first_column(Eigen::Index row) const;
  Eigen::Index end_column(Eigen::Index row) const;

 private:
  // The entries of row i, for the products: the shared Toeplitz row when there is one.
  const double* row_data(Eigen::Index i) const { return toeplitz_row_.size() ? toeplitz_row_.data() : &entries_(i, 0); }

  Eigen::Index rows_, cols_;
  Band band_;
  BandStorage entries_;
  Eigen::RowVectorXd toeplitz_row_;  // toeplitz(): the reversed kernel, every row's entries; else empty
};

// W·A for a diagonal W (the data weights 1/σ): banded when A is; `weights` empty means W = I.
class GEOINV_API RowScaledOperator final : public LinearOperator {
 public:
  RowScaledOperator(const LinearOperator& op, Eigen::VectorXd weights);

  Eigen::Index rows() const override { return op_.rows(); }
  Eigen::Index cols() const override { return op_.cols(); }
  void apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y) const override;
  void apply_transpose(const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Ref<Eigen::VectorXd> x) const override;
  std::optional<Band> band() const override { return op_.band(); }
  Eigen::MatrixXd dense() const override;

 private:
  const LinearOperator& op_;  // outlives this view
  Eigen::VectorXd weights_;
};

}  // namespace geoinv
