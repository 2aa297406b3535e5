// SPDX-License-Identifier: BSD-3-Clause
// The linear-operator API (linear_operator.hpp): dense and banded operators agree with their matrices,
// the Toeplitz factory is a "same" convolution, and a band is recovered from apply() alone. The banded
// products are vectorised kernels with block, pack and scalar tails (core/banded_products.cpp): they are
// checked against the dense matrix at sizes that reach each tail, on the AVX2/FMA path and, in the
// portable run of this suite (GEOINV_SIMD=portable), on the baseline one.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <string>
#include <utility>

#include "geoinv/linear_operator.hpp"

namespace {

using geoinv::BandedOperator;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// y(i) = Σ_k w(k) x(i + centre − k), written out as plainly as possible.
VectorXd convolve_same(const VectorXd& w, Eigen::Index centre, const VectorXd& x) {
  VectorXd y = VectorXd::Zero(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i)
    for (Eigen::Index k = 0; k < w.size(); ++k) {
      const Eigen::Index j = i + centre - k;
      if (j >= 0 && j < x.size()) y(i) += w(k) * x(j);
    }
  return y;
}

TEST(LinearOperator, ToeplitzIsTheSameConvolution) {
  const VectorXd w = (VectorXd(5) << -0.5, 1.0, 2.0, 0.25, -1.0).finished();
  for (Eigen::Index centre : {0, 2, 4}) {
    const BandedOperator op = BandedOperator::toeplitz(w, centre, 12);
    const VectorXd x = VectorXd::LinSpaced(12, -1.0, 2.0).array().sin();
    VectorXd y(12);
    op.apply(x, y);
    EXPECT_LT((y - convolve_same(w, centre, x)).norm(), 1e-14) << "centre " << centre;
    EXPECT_LT((op.dense() * x - y).norm(), 1e-14);
    ASSERT_TRUE(op.band().has_value());
    EXPECT_EQ(op.band()->lower + op.band()->upper + 1, w.size());
  }
}

TEST(LinearOperator, TransposeIsTheAdjoint) {
  const VectorXd w = (VectorXd(3) << -0.5, 1.0, -0.5).finished();
  const BandedOperator op = BandedOperator::toeplitz(w, 1, 9);
  const VectorXd x = VectorXd::LinSpaced(9, 0.0, 1.0), y = VectorXd::LinSpaced(9, 2.0, -1.0);
  VectorXd ax(9), aty(9);
  op.apply(x, ax);
  op.apply_transpose(y, aty);
  EXPECT_NEAR(ax.dot(y), x.dot(aty), 1e-14);
  EXPECT_LT((op.dense().transpose() * y - aty).norm(), 1e-14);
}

// A·x and Aᵀ·y against the dense matrix's, to rounding.
void expect_products_match_dense(const geoinv::LinearOperator& op, const std::string& what) {
  const MatrixXd a = op.dense();
  const VectorXd x = VectorXd::LinSpaced(op.cols(), -2.0, 3.0).array().cos();
  const VectorXd y = VectorXd::LinSpaced(op.rows(), 1.0, -1.5).array().sin();
  VectorXd ax(op.rows()), aty(op.cols());
  op.apply(x, ax);
  op.apply_transpose(y, aty);
  EXPECT_LE((ax - a * x).norm(), 1e-13 * (1.0 + (a * x).norm())) << what;
  EXPECT_LE((aty - a.transpose() * y).norm(), 1e-13 * (1.0 + (a.transpose() * y).norm())) << what;
}

TEST(LinearOperator, BandedProductsMatchTheDenseMatrixAtEverySize) {
  for (Eigen::Index length : {1, 2, 7, 40, 101})
    for (Eigen::Index n : {1, 5, 33, 100, 256})
      for (Eigen::Index centre : {Eigen::Index{0}, (length - 1) / 2, length - 1}) {
        const VectorXd w = VectorXd::LinSpaced(length, 0.3, 4.0).array().sin();
        const BandedOperator op = BandedOperator::toeplitz(w, centre, n);
        const std::string what = "kernel " + std::to_string(length) + ", n " + std::to_string(n);
        expect_products_match_dense(op, "toeplitz " + what + ", centre " + std::to_string(centre));
        // The same band stored row by row (not Toeplitz: every row its own entries).
        const geoinv::RowScaledOperator scaled(op, VectorXd::LinSpaced(n, 0.5, 1.5));
        expect_products_match_dense(BandedOperator::from_operator(scaled), "row-stored " + what);
      }
  // Rectangular, with rows cut off by the matrix's edges on both sides.
  for (const auto& [rows, cols] : {std::pair<Eigen::Index, Eigen::Index>{40, 70}, {70, 40}, {3, 50}}) {
    const geoinv::Band band{6, 11};
    BandedOperator::BandStorage entries = BandedOperator::BandStorage::Zero(rows, band.lower + band.upper + 1);
    for (Eigen::Index i = 0; i < rows; ++i)
      for (Eigen::Index k = 0; k < entries.cols(); ++k) {
        const Eigen::Index j = i - band.lower + k;
        if (j >= 0 && j < cols) entries(i, k) = std::sin(0.7 * static_cast<double>(i) + 1.3 * static_cast<double>(k));
      }
    expect_products_match_dense(BandedOperator(rows, cols, band, entries),
                                "rectangular " + std::to_string(rows) + "x" + std::to_string(cols));
  }
}

TEST(LinearOperator, BandIsRecoveredFromApplyAlone) {
  const VectorXd w = (VectorXd(4) << 1.0, -2.0, 0.5, 3.0).finished();
  const BandedOperator op = BandedOperator::toeplitz(w, 1, 10);
  const VectorXd weights = VectorXd::LinSpaced(10, 1.0, 2.0);
  const geoinv::RowScaledOperator scaled(op, weights);
  const BandedOperator recovered = BandedOperator::from_operator(scaled);
  EXPECT_LT((recovered.dense() - weights.asDiagonal() * op.dense()).norm(), 1e-14);
}

TEST(LinearOperator, DenseOperatorAndTheDefaultDense) {
  MatrixXd a(3, 2);
  a << 1, 2, 3, 4, 5, 6;
  const geoinv::DenseOperator op(a);
  VectorXd y(3), x(2);
  op.apply(VectorXd::Ones(2), y);
  EXPECT_EQ(y, (VectorXd(3) << 3, 7, 11).finished());
  op.apply_transpose(VectorXd::Ones(3), x);
  EXPECT_EQ(x, (VectorXd(2) << 9, 12).finished());
  EXPECT_FALSE(op.band().has_value());
  const geoinv::RowScaledOperator unweighted(op, VectorXd());
  EXPECT_EQ(unweighted.dense(), a);  // LinearOperator::dense() through apply()
}

}  // namespace
