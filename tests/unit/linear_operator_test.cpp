// SPDX-License-Identifier: BSD-3-Clause
// The linear-operator API (linear_operator.hpp): dense and banded operators agree with their matrices,
// the Toeplitz factory is a "same" convolution, and a band is recovered from apply() alone.
#include <gtest/gtest.h>

#include <Eigen/Core>

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
