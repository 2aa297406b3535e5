// SPDX-License-Identifier: BSD-3-Clause
// Tests of the pieces the least-squares solvers share (plugins/solver/common/include/geoinv_lsq), against Eigen's
// general products and factorisations, for every size class the kernels distinguish.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "geoinv_lsq/damped_system.hpp"
#include "geoinv_lsq/fixed_size.hpp"
#include "geoinv_lsq/message.hpp"
#include "geoinv_lsq/normal_equations.hpp"
#include "geoinv_lsq/termination_tests.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;
namespace lsq = geoinv::lsq;

Matrix random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  std::mt19937 generator(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Matrix m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = normal(generator) * (1.0 + static_cast<double>(j));
  return m;
}

class LeastSquaresSizeTest : public ::testing::TestWithParam<int> {};

TEST_P(LeastSquaresSizeTest, NormalEquationsMatchEigen) {
  const int n = GetParam();
  const Matrix jacobian = random_matrix(3 * n + 11, n, 3);
  const Vector residuals = random_matrix(3 * n + 11, 1, 4).col(0);
  Matrix normal(n, n);
  Vector gradient(n);
  lsq::form_normal_equations(jacobian, residuals, normal, gradient);
  const Matrix expected = jacobian.transpose() * jacobian;
  for (int j = 0; j < n; ++j)
    for (int i = j; i < n; ++i) EXPECT_NEAR(normal(i, j), expected(i, j), 1e-12 * expected.norm());
  EXPECT_LT((gradient - jacobian.transpose() * residuals).norm(), 1e-12 * gradient.norm());
}

TEST_P(LeastSquaresSizeTest, DampedSystemMatchesEigenAndPredictsTheDecrease) {
  const int n = GetParam();
  const Matrix jacobian = random_matrix(3 * n + 11, n, 5);
  const Vector residuals = random_matrix(3 * n + 11, 1, 6).col(0);
  Matrix normal(n, n);
  Vector gradient(n), x(n), scaling = Vector::LinSpaced(n, 1.0, 2.0);
  lsq::form_normal_equations(jacobian, residuals, normal, gradient);
  lsq::DampedSystem<> system;
  system.resize(n);
  ASSERT_TRUE(system.solve(normal, scaling, 0.5, gradient, x));
  Matrix damped = jacobian.transpose() * jacobian;
  damped.diagonal() += 0.5 * scaling;
  EXPECT_LT((x - damped.llt().solve(gradient)).norm(), 1e-10 * x.norm());
  // ‖L⁻¹ b‖² = bᵀ A⁻¹ b.
  Vector w(n);
  system.solve_lower(gradient, w);
  EXPECT_NEAR(w.squaredNorm(), gradient.dot(x), 1e-10 * gradient.dot(x));
  // The linearised decrease of a step p is ‖r‖² − ‖r + Jp‖².
  const Vector p = -x;
  EXPECT_NEAR(lsq::predicted_decrease(normal, gradient, p),
              residuals.squaredNorm() - (residuals + jacobian * p).squaredNorm(), 1e-9 * residuals.squaredNorm());
}

INSTANTIATE_TEST_SUITE_P(FewToMany, LeastSquaresSizeTest, ::testing::Values(1, 2, 4, 6, 7, 16, 17, 30));

// The loops compiled for a fixed parameter count (lsq::Workspaces) against the dynamic ones.
template <int N>
void expect_fixed_size_matches_dynamic() {
  const Matrix dynamic_jacobian = random_matrix(101, N, 7);
  const Vector residuals = random_matrix(101, 1, 8).col(0);
  Matrix normal(N, N);
  Vector gradient(N), x(N), scaling = Vector::LinSpaced(N, 1.0, 2.0);
  lsq::form_normal_equations(dynamic_jacobian, residuals, normal, gradient);
  lsq::DampedSystem<> system;
  system.resize(N);
  ASSERT_TRUE(system.solve(normal, scaling, 0.25, gradient, x));

  const lsq::JacobianMatrix<N> jacobian = dynamic_jacobian;
  lsq::NormalMatrix<N> fixed_normal;
  lsq::ParameterVector<N> fixed_gradient, fixed_x, fixed_scaling = scaling;
  lsq::form_normal_equations(jacobian, residuals, fixed_normal, fixed_gradient);
  lsq::DampedSystem<N> fixed_system;
  fixed_system.resize(N);
  ASSERT_TRUE(fixed_system.solve(fixed_normal, fixed_scaling, 0.25, fixed_gradient, fixed_x));
  for (int j = 0; j < N; ++j)
    for (int i = j; i < N; ++i) EXPECT_EQ(fixed_normal(i, j), normal(i, j));
  EXPECT_EQ(fixed_gradient, gradient);
  EXPECT_LT((fixed_x - x).norm(), 1e-12 * x.norm());  // N = 4 solves in 2×2 blocks, the others by LDLᵀ
  // ‖L⁻¹ b‖² = bᵀ A⁻¹ b, as for the dynamic system.
  lsq::ParameterVector<N> fixed_w;
  fixed_system.solve_lower(fixed_gradient, fixed_w);
  EXPECT_NEAR(fixed_w.squaredNorm(), fixed_gradient.dot(fixed_x), 1e-12 * fixed_gradient.dot(fixed_x));
  // An indefinite matrix is refused: a negative second pivot, then one in the last block.
  lsq::NormalMatrix<N> indefinite = lsq::NormalMatrix<N>::Identity(N, N);
  indefinite(1, 0) = 2.0;
  EXPECT_FALSE(fixed_system.factorize(indefinite, fixed_scaling, 0.0));
  indefinite = lsq::NormalMatrix<N>::Identity(N, N);
  indefinite(N - 1, N - 1) = -1.0;
  EXPECT_FALSE(fixed_system.factorize(indefinite, fixed_scaling, 0.0));
  EXPECT_TRUE(fixed_system.factorize(indefinite, fixed_scaling, 1.5));  // damped back to definite
}

TEST(LeastSquares, FixedSizeLoopsMatchTheDynamicOnes) {
  expect_fixed_size_matches_dynamic<4>();
  expect_fixed_size_matches_dynamic<5>();
  expect_fixed_size_matches_dynamic<6>();
}

// The AVX2/FMA normal equations against the baseline ones (simd/simd.hpp): rounding only.
TEST(LeastSquares, Avx2AndBaselineNormalEquationsAgree) {
#if GEOINV_SIMD_AVX2
  if (!geoinv::simd::avx2_fma()) GTEST_SKIP() << "this CPU has no AVX2/FMA (or GEOINV_SIMD=portable)";
  const Matrix jacobian = random_matrix(103, 4, 9);  // a tail of rows after the packs of either width
  const Vector residuals = random_matrix(103, 1, 10).col(0);
  double products[10], gradient[4], avx2_products[10], avx2_gradient[4];
  lsq::fused_normal_equations_portable<4>(jacobian.data(), jacobian.rows(), residuals.data(), products, gradient);
  lsq::fused_normal_equations_avx2<4>(jacobian.data(), jacobian.rows(), residuals.data(), avx2_products,
                                      avx2_gradient);
  const double scale = jacobian.squaredNorm();
  for (int k = 0; k < 10; ++k) EXPECT_NEAR(avx2_products[k], products[k], 1e-13 * scale) << k;
  for (int a = 0; a < 4; ++a) EXPECT_NEAR(avx2_gradient[a], gradient[a], 1e-13 * scale) << a;
#else
  GTEST_SKIP() << "no AVX2 instantiation in this build";
#endif
}

TEST(LeastSquares, DampedSystemRefusesAnIndefiniteMatrix) {
  Matrix normal = Matrix::Zero(2, 2);
  normal(0, 0) = 1.0;
  Vector x(2), b = Vector::Ones(2);
  lsq::DampedSystem<> system;
  system.resize(2);
  EXPECT_FALSE(system.solve(normal, Vector::Ones(2), 0.0, b, x));
  EXPECT_TRUE(system.solve(normal, Vector::Ones(2), 1e-6, b, x));
}

// A system is copied and sized before anything is factorised (a workspace per start): no copy may read
// the large factorisation's state before compute(). Eigen's LLT leaves it uninitialised, which the
// sanitizer stage (GEOINV_SANITIZE=address,undefined) reports as a load of an invalid ComputationInfo.
TEST(LeastSquares, DampedSystemIsCopiedAndSizedBeforeItsFirstFactorisation) {
  lsq::DampedSystem<4> fixed;
  const lsq::DampedSystem<4> fixed_copy = fixed;
  lsq::DampedSystem<> large;
  large.resize(20);  // above the small-system limit: sized for Eigen's LLT
  lsq::DampedSystem<> large_copy = large;
  const Matrix normal = Matrix::Identity(20, 20);
  Vector x(20);
  ASSERT_TRUE(large_copy.solve(normal, Vector::Ones(20), 1.0, Vector::Ones(20), x));
  EXPECT_NEAR(x(0), 0.5, 1e-15);
  (void)fixed_copy;
}

// number() writes printf's %.3g itself in the usual range: the same text, ties included.
TEST(LeastSquares, NumbersAreWrittenAsPrintfWrites3g) {
  std::mt19937 generator(11);
  std::uniform_real_distribution<double> exponent(-24.0, 24.0);
  std::vector<double> values{0.0, -0.0, 1e-10, 1e-12, 1.125, 2.5, 999.5, 9995.0, 0.00099995, 1087.558728,
                             1e-300, 1e300, 1e20, 9.9999e19, 1e-20, std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(), std::nan("")};
  for (int k = 0; k < 20000; ++k) values.push_back((k % 2 ? -1.0 : 1.0) * std::pow(10.0, exponent(generator)));
  for (int digits = 100; digits < 1000; ++digits)  // three-digit values and the ties between them
    for (int power = -6; power <= 6; ++power) {
      values.push_back(digits * std::pow(10.0, power));
      values.push_back((digits + 0.5) * std::pow(10.0, power));
    }
  for (double value : values) {
    char expected[64];
    std::snprintf(expected, sizeof expected, "%.3g", value);
    ASSERT_EQ(lsq::number(value), expected) << std::hexfloat << value;
  }
}

TEST(LeastSquares, TerminationTestsFireAndSayWhy) {
  lsq::Tolerances t;
  std::string message;
  EXPECT_FALSE(lsq::gradient_test(1e-6, t, &message));
  EXPECT_TRUE(lsq::gradient_test(1e-13, t, &message));
  EXPECT_NE(message.find("gradient_tolerance 1e-12"), std::string::npos) << message;
  EXPECT_FALSE(lsq::parameter_test(1e-3, 100.0, t, &message));
  EXPECT_TRUE(lsq::parameter_test(1e-11, 1.0, t, &message));
  EXPECT_NE(message.find("parameter_tolerance"), std::string::npos) << message;
  EXPECT_FALSE(lsq::function_test(100.0, 90.0, t, &message));
  EXPECT_TRUE(lsq::function_test(100.0, 100.0 - 1e-9, t, &message));
  EXPECT_NE(message.find("function_tolerance 1e-10"), std::string::npos) << message;
  EXPECT_FALSE(lsq::gradient_test(std::nan(""), t, &message));  // NaN never converges
}

}  // namespace
