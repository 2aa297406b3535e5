// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/linear_operator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/banded_products.hpp"
#include "geoinv/error.hpp"

namespace geoinv {

LinearOperator::~LinearOperator() = default;

std::optional<Band> LinearOperator::band() const { return std::nullopt; }

Eigen::MatrixXd LinearOperator::dense() const {
  Eigen::MatrixXd matrix(rows(), cols());
  Eigen::VectorXd unit = Eigen::VectorXd::Zero(cols());
  for (Eigen::Index j = 0; j < cols(); ++j) {
    unit(j) = 1.0;
    apply(unit, matrix.col(j));
    unit(j) = 0.0;
  }
  return matrix;
}

DenseOperator::DenseOperator(Eigen::MatrixXd matrix) : matrix_(std::move(matrix)) {}

void DenseOperator::apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y) const {
  y.noalias() = matrix_ * x;
}

void DenseOperator::apply_transpose(const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Ref<Eigen::VectorXd> x) const {
  x.noalias() = matrix_.transpose() * y;
}

BandedOperator::BandedOperator(Eigen::Index rows, Eigen::Index cols, Band band, BandStorage entries)
    : rows_(rows), cols_(cols), band_(band), entries_(std::move(entries)) {
  if (band.lower < 0 || band.upper < 0 || entries_.rows() != rows || entries_.cols() != band.lower + band.upper + 1)
    throw Error(Error::Category::plugin,
                fmt::format("banded operator {}x{} with band ({}, {}) needs {}x{} entries, got {}x{}", rows, cols,
                            band.lower, band.upper, rows, band.lower + band.upper + 1, entries_.rows(),
                            entries_.cols()));
}

BandedOperator BandedOperator::toeplitz(const Eigen::Ref<const Eigen::VectorXd>& kernel, Eigen::Index centre,
                                        Eigen::Index n) {
  const Eigen::Index length = kernel.size();
  if (length == 0 || centre < 0 || centre >= length)
    throw Error(Error::Category::plugin,
                fmt::format("convolution kernel of {} samples with centre {}: the centre must index the kernel",
                            length, centre));
  // A(i, j) = kernel(i + centre - j): non-zero for j - i in [centre - (length - 1), centre].
  const Band band{length - 1 - centre, centre};
  BandStorage entries = BandStorage::Zero(n, length);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index k = 0; k < length; ++k) {
      const Eigen::Index j = i - band.lower + k;
      if (j >= 0 && j < n) entries(i, k) = kernel(i + centre - j);
    }
  BandedOperator op(n, n, band, std::move(entries));
  op.toeplitz_row_ = kernel.reverse().transpose();  // A(i, i − lower + k) = kernel(length − 1 − k)
  return op;
}

BandedOperator BandedOperator::from_operator(const LinearOperator& op) {
  const std::optional<Band> band = op.band();
  if (!band) throw Error(Error::Category::plugin, "BandedOperator::from_operator needs an operator with a band");
  const Eigen::Index width = band->lower + band->upper + 1;
  BandStorage entries = BandStorage::Zero(op.rows(), width);
  Eigen::VectorXd comb(op.cols()), column(op.rows());
  for (Eigen::Index first = 0; first < std::min(width, op.cols()); ++first) {
    comb.setZero();
    for (Eigen::Index j = first; j < op.cols(); j += width) comb(j) = 1.0;
    op.apply(comb, column);
    // Row i sees exactly one column of the comb within its band: the one with j ≡ first (mod width).
    for (Eigen::Index i = 0; i < op.rows(); ++i) {
      const Eigen::Index start = i - band->lower;
      const Eigen::Index offset = ((first - start) % width + width) % width;
      const Eigen::Index j = start + offset;
      if (j >= 0 && j < op.cols()) entries(i, offset) = column(i);
    }
  }
  return BandedOperator(op.rows(), op.cols(), *band, std::move(entries));
}

Eigen::Index BandedOperator::first_column(Eigen::Index row) const { return std::max<Eigen::Index>(0, row - band_.lower); }

Eigen::Index BandedOperator::end_column(Eigen::Index row) const {
  return std::min<Eigen::Index>(cols_, row + band_.upper + 1);
}

void BandedOperator::apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y) const {
  if (rows_ == 0) return;
  const banded_products::BandView view{rows_, cols_, band_, row_data(0), toeplitz_row_.size() ? 0 : entries_.cols()};
  banded_products::apply(view, x.data(), y.data());
}

void BandedOperator::apply_transpose(const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Ref<Eigen::VectorXd> x) const {
  if (rows_ == 0) {
    x.setZero();
    return;
  }
  const banded_products::BandView view{rows_, cols_, band_, row_data(0), toeplitz_row_.size() ? 0 : entries_.cols()};
  banded_products::apply_transpose(view, y.data(), x.data());
}

Eigen::MatrixXd BandedOperator::dense() const {
  Eigen::MatrixXd matrix = Eigen::MatrixXd::Zero(rows_, cols_);
  for (Eigen::Index i = 0; i < rows_; ++i)
    for (Eigen::Index j = first_column(i); j < end_column(i); ++j) matrix(i, j) = entries_(i, j - (i - band_.lower));
  return matrix;
}

RowScaledOperator::RowScaledOperator(const LinearOperator& op, Eigen::VectorXd weights)
    : op_(op), weights_(std::move(weights)) {
  if (weights_.size() != 0 && weights_.size() != op_.rows())
    throw Error(Error::Category::plugin,
                fmt::format("{} row weights for an operator of {} rows", weights_.size(), op_.rows()));
}

void RowScaledOperator::apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y) const {
  op_.apply(x, y);
  if (weights_.size() != 0) y.array() *= weights_.array();
}

void RowScaledOperator::apply_transpose(const Eigen::Ref<const Eigen::VectorXd>& y,
                                        Eigen::Ref<Eigen::VectorXd> x) const {
  if (weights_.size() == 0) return op_.apply_transpose(y, x);
  const Eigen::VectorXd weighted = y.cwiseProduct(weights_);
  op_.apply_transpose(weighted, x);
}

Eigen::MatrixXd RowScaledOperator::dense() const {
  Eigen::MatrixXd matrix = op_.dense();
  if (weights_.size() != 0) matrix = weights_.asDiagonal() * matrix;
  return matrix;
}

}  // namespace geoinv
