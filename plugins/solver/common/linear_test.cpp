// SPDX-License-Identifier: BSD-3-Clause
// The linear solvers' shared algebra (geoinv_linear/): the banded normal matrix equals the dense one, the
// banded Cholesky solves it as Eigen's LLT does, and CGLS reaches the same minimiser matrix-free, for
// every Tikhonov order, with data weights and a reference model.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cmath>

#include "geoinv/linear_operator.hpp"
#include "geoinv/regularization.hpp"
#include "geoinv_linear/banded_cholesky.hpp"
#include "geoinv_linear/cgls.hpp"
#include "geoinv_linear/normal_equations.hpp"

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace linear = geoinv::linear;

// A Ricker-like kernel of 9 samples, asymmetric on purpose.
VectorXd kernel() { return (VectorXd(9) << 0.01, -0.1, -0.4, 0.3, 1.0, 0.2, -0.45, -0.05, 0.02).finished(); }

MatrixXd dense_of(linear::SymmetricBand band) {
  const Eigen::Index n = band.size(), p = band.half_width;
  MatrixXd m = MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = std::max<Eigen::Index>(0, i - p); j <= i; ++j) m(i, j) = m(j, i) = band.at(i, j);
  return m;
}

TEST(LinearAlgebra, BandedNormalMatrixEqualsTheDenseOne) {
  const geoinv::BandedOperator a = geoinv::BandedOperator::toeplitz(kernel(), 3, 40);
  for (int order : {0, 1, 2}) {
    const MatrixXd l = geoinv::difference_operator(order, 40);
    const MatrixXd expected = a.dense().transpose() * a.dense() + 0.3 * l.transpose() * l;
    EXPECT_LT((dense_of(linear::banded_normal_matrix(a, order, 0.3)) - expected).norm(), 1e-12) << order;
  }
}

TEST(LinearAlgebra, BandedCholeskySolvesAsLlt) {
  const geoinv::BandedOperator a = geoinv::BandedOperator::toeplitz(kernel(), 4, 64);
  const linear::SymmetricBand normal = linear::banded_normal_matrix(a, 1, 0.05);
  const MatrixXd dense = dense_of(normal);
  linear::BandedCholesky cholesky;
  ASSERT_TRUE(cholesky.factor(normal));
  VectorXd b = VectorXd::LinSpaced(64, -1.0, 1.0).array().sin();
  const VectorXd expected = dense.llt().solve(b);
  cholesky.solve(b);
  EXPECT_LT((b - expected).norm(), 1e-10 * expected.norm());
  linear::SymmetricBand indefinite = normal;
  indefinite.at(10, 10) = -1.0;
  EXPECT_FALSE(linear::BandedCholesky().factor(indefinite));
}

// The solves read the factor in vectorised dots that leave the last four unknowns to a scalar tail
// (banded_cholesky.hpp): half widths below, at and above that lag, and traces shorter than the band.
TEST(LinearAlgebra, BandedCholeskySolvesAsLltAtEveryHalfWidth) {
  for (Eigen::Index length : {1, 2, 4, 5, 6, 9, 40, 101})
    for (Eigen::Index n : {1, 3, 64, 256}) {
      const VectorXd w = VectorXd::LinSpaced(length, 0.2, 3.0).array().cos();
      const geoinv::BandedOperator a = geoinv::BandedOperator::toeplitz(w, (length - 1) / 2, n);
      const linear::SymmetricBand normal = linear::banded_normal_matrix(a, 0, 0.05);
      linear::BandedCholesky cholesky;
      ASSERT_TRUE(cholesky.factor(normal));
      VectorXd b = VectorXd::LinSpaced(n, -1.0, 1.0).array().sin();
      const VectorXd expected = dense_of(normal).llt().solve(b);
      cholesky.solve(b);
      EXPECT_LE((b - expected).norm(), 1e-10 * (1.0 + expected.norm())) << "kernel " << length << ", n " << n;
    }
}

TEST(LinearAlgebra, CglsReachesTheNormalEquationsSolution) {
  const geoinv::BandedOperator a = geoinv::BandedOperator::toeplitz(kernel(), 4, 50);
  const VectorXd weights = VectorXd::LinSpaced(50, 0.5, 2.0);
  const geoinv::RowScaledOperator b(a, weights);
  const VectorXd data = VectorXd::LinSpaced(50, 0.0, 3.0).array().cos();
  const VectorXd reference = VectorXd::Constant(50, 0.1);
  for (int order : {0, 1, 2}) {
    const MatrixXd l = geoinv::difference_operator(order, 50), bd = b.dense();
    const MatrixXd normal = bd.transpose() * bd + 0.2 * l.transpose() * l;
    const VectorXd expected =
        normal.llt().solve(bd.transpose() * weights.cwiseProduct(data) + 0.2 * l.transpose() * l * reference);
    VectorXd m = VectorXd::Zero(50);
    const linear::CglsResult result =
        linear::cgls(b, weights.cwiseProduct(data), order, 0.2, reference, m, 500, 1e-12);
    EXPECT_TRUE(result.converged) << order;
    EXPECT_LT((m - expected).norm(), 1e-8 * expected.norm()) << order;
  }
}

}  // namespace
