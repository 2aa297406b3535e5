// SPDX-License-Identifier: BSD-3-Clause
// The rules that choose λ (running/lambda_rules.hpp), each on a problem with a known answer: GCV on a
// diagonal operator, where the influence trace and V(λ) are analytic; the discrepancy λ solving
// misfit(λ) = τN for an analytic misfit curve; the L-curve corner of an L whose corner is known, and the
// Menger curvature of points on a circle (1/radius).
#include "running/lambda_rules.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "running/lambda_curve.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

TEST(LambdaGrid, IsLogSpacedWithExactEnds) {
  const std::vector<double> grid = log_spaced_grid(1e-4, 1e4, 41);
  ASSERT_EQ(grid.size(), 41u);
  EXPECT_EQ(grid.front(), 1e-4);
  EXPECT_EQ(grid.back(), 1e4);
  EXPECT_NEAR(grid[20], 1.0, 1e-12);
  for (std::size_t i = 1; i < grid.size(); ++i)
    EXPECT_NEAR(grid[i] / grid[i - 1], std::pow(10.0, 0.2), 1e-12);
}

// A = diag(s), W = I, L = I: m_λ = s·d/(s² + λ), residual λ·d/(s² + λ), tr H = Σ s²/(s² + λ). The data
// are A·1 plus alternating noise ±0.2, so V(λ) has an interior minimum (λ ≈ 0.08 on the test's grid).
struct DiagonalProblem {
  Eigen::VectorXd s = Eigen::VectorXd::LinSpaced(12, 0.05, 3.0);
  Eigen::VectorXd d =
      s + 0.2 * Eigen::VectorXd::NullaryExpr(12, [](Eigen::Index i) { return i % 2 ? -1.0 : 1.0; });

  double misfit(double lambda) const {
    return (lambda * d.array() / (s.array().square() + lambda)).square().sum();
  }
  double trace(double lambda) const { return (s.array().square() / (s.array().square() + lambda)).sum(); }
  double gcv(double lambda) const {
    const double n = static_cast<double>(s.size()), freedom = n - trace(lambda);
    return n * misfit(lambda) / (freedom * freedom);
  }
};

TEST(LambdaGcv, InfluenceTraceMatchesTheDiagonalFormula) {
  const DiagonalProblem problem;
  const Eigen::MatrixXd a = problem.s.asDiagonal();
  const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(12, 12);
  for (double lambda : {1e-3, 0.1, 1.0, 10.0})
    EXPECT_NEAR(influence_trace(a.transpose() * a, identity, lambda), problem.trace(lambda), 1e-10);
}

TEST(LambdaGcv, ChoosesTheMinimumOfTheAnalyticGcvFunction) {
  const DiagonalProblem problem;
  std::vector<LambdaPoint> curve;
  for (double lambda : log_spaced_grid(1e-3, 1e3, 61)) {
    LambdaPoint point;
    point.lambda = lambda;
    point.misfit = problem.misfit(lambda);
    point.regularization = 1.0;
    curve.push_back(point);
  }
  const std::size_t chosen =
      choose_by_gcv(curve, Eigen::MatrixXd(problem.s.asDiagonal()), Eigen::MatrixXd::Identity(12, 12));
  std::size_t expected = 0;
  for (std::size_t i = 0; i < curve.size(); ++i) {
    EXPECT_NEAR(curve[i].gcv, problem.gcv(curve[i].lambda), 1e-9 * problem.gcv(curve[i].lambda));
    if (problem.gcv(curve[i].lambda) < problem.gcv(curve[expected].lambda)) expected = i;
  }
  EXPECT_EQ(chosen, expected);
  EXPECT_GT(chosen, 0u);  // an interior minimum: the test would not tell an end from a choice
  EXPECT_LT(chosen + 1, curve.size());
}

TEST(LambdaGcv, WithADifferenceOperatorUsesTheGeneralTrace) {
  const DiagonalProblem problem;
  const Eigen::MatrixXd a = problem.s.asDiagonal();
  Eigen::MatrixXd difference = Eigen::MatrixXd::Zero(11, 12);  // first differences
  for (Eigen::Index i = 0; i < 11; ++i) {
    difference(i, i) = -1.0;
    difference(i, i + 1) = 1.0;
  }
  std::vector<LambdaPoint> curve(2);
  curve[0].lambda = 0.5;
  curve[1].lambda = 5.0;
  for (auto& point : curve) point.misfit = 1.0;
  choose_by_gcv(curve, a, difference);
  for (const auto& point : curve) {
    const double freedom =
        12.0 - influence_trace(a.transpose() * a, difference.transpose() * difference, point.lambda);
    EXPECT_NEAR(point.gcv, 12.0 / (freedom * freedom), 1e-12);
    EXPECT_NE(point.gcv, 12.0 / std::pow(12.0 - problem.trace(point.lambda), 2));  // not L = I's trace
  }
}

TEST(LambdaGcv, SkipsFailedSolves) {
  const DiagonalProblem problem;
  std::vector<LambdaPoint> curve(3);
  curve[0].lambda = 0.1;
  curve[1].lambda = 1.0;  // misfit NaN: failed
  curve[2].lambda = 10.0;
  curve[0].misfit = problem.misfit(0.1);
  curve[2].misfit = problem.misfit(10.0);
  choose_by_gcv(curve, Eigen::MatrixXd(problem.s.asDiagonal()), Eigen::MatrixXd::Identity(12, 12));
  EXPECT_TRUE(std::isnan(curve[1].gcv));
}

// misfit(λ) = 2N·λ/(λ + c): increasing, equal to N (τ = 1) at λ = c.
std::vector<LambdaPoint> discrepancy_curve(double c, double n, double smallest, double largest) {
  std::vector<LambdaPoint> curve;
  for (double lambda : log_spaced_grid(smallest, largest, 9)) {
    LambdaPoint point;
    point.lambda = lambda;
    point.misfit = 2.0 * n * lambda / (lambda + c);
    curve.push_back(point);
  }
  return curve;
}

TEST(LambdaDiscrepancy, SolvesMisfitEqualsTargetToTolerance) {
  const double c = 37.0, n = 256.0;
  std::vector<LambdaPoint> curve = discrepancy_curve(c, n, 1e-2, 1e6);
  int solves = 0;
  const auto solve_at = [&](double lambda) {
    ++solves;
    LambdaPoint point;
    point.lambda = lambda;
    point.misfit = 2.0 * n * lambda / (lambda + c);
    return point;
  };
  std::string note;
  const std::size_t chosen = choose_by_discrepancy(curve, n, solve_at, note);
  EXPECT_TRUE(note.empty()) << note;
  EXPECT_NEAR(curve[chosen].misfit, n, 1e-3 * n);
  EXPECT_NEAR(curve[chosen].lambda, c, 0.01 * c);
  EXPECT_TRUE(curve[chosen].refinement);
  EXPECT_GT(solves, 0);
  EXPECT_EQ(curve.size(), 9u + static_cast<std::size_t>(solves));
  for (std::size_t i = 1; i < curve.size(); ++i) EXPECT_LT(curve[i - 1].lambda, curve[i].lambda);
}

TEST(LambdaDiscrepancy, WithoutABracketTakesTheNearestEndAndSaysWhy) {
  const auto never = [](double) -> LambdaPoint {
    ADD_FAILURE() << "no refinement without a bracket";
    return {};
  };
  std::string note;
  std::vector<LambdaPoint> above = discrepancy_curve(1e-6, 256.0, 1.0, 10.0);  // misfit ≈ 2N everywhere
  EXPECT_EQ(choose_by_discrepancy(above, 256.0, never, note), 0u);
  EXPECT_THAT(note, HasSubstr("smallest lambda"));
  note.clear();
  std::vector<LambdaPoint> below = discrepancy_curve(1e9, 256.0, 1.0, 10.0);  // misfit ≪ N everywhere
  EXPECT_EQ(choose_by_discrepancy(below, 256.0, never, note), 8u);
  EXPECT_THAT(note, HasSubstr("largest lambda"));
}

// A point of the L-curve at (log10 misfit, log10 R) = (x, y).
LambdaPoint at(double x, double y) {
  LambdaPoint point;
  point.misfit = std::pow(10.0, x);
  point.regularization = std::pow(10.0, y);
  return point;
}

TEST(LambdaLcurve, FindsTheCornerOfAnL) {
  // Down the vertical branch x = 0 from y = 4, then along y = 0 to x = 4: the corner is (0, 0), index 4.
  std::vector<LambdaPoint> curve;
  for (int k = 4; k > 0; --k) curve.push_back(at(0.0, k));
  for (int k = 0; k <= 4; ++k) curve.push_back(at(k, 0.0));
  for (std::size_t i = 0; i < curve.size(); ++i) curve[i].lambda = std::pow(10.0, static_cast<double>(i));
  EXPECT_EQ(choose_lcurve_corner(curve), 4u);
  EXPECT_NEAR(curve[4].curvature, std::sqrt(2.0), 1e-12);  // the circle through (0,1), (0,0), (1,0)
  EXPECT_NEAR(curve[2].curvature, 0.0, 1e-12);             // straight
  EXPECT_TRUE(std::isnan(curve.front().curvature));        // an end has no neighbours
}

TEST(LambdaLcurve, MengerCurvatureOfACircleIsOneOverItsRadius) {
  // A quarter circle of radius 2 about (3, 3), traversed as an L-curve turns (counter-clockwise).
  std::vector<LambdaPoint> curve;
  for (int k = 0; k <= 8; ++k) {
    const double angle = M_PI + M_PI / 2.0 * k / 8.0;  // from (1, 3) down and round to (3, 1)
    curve.push_back(at(3.0 + 2.0 * std::cos(angle), 3.0 + 2.0 * std::sin(angle)));
  }
  choose_lcurve_corner(curve);
  for (std::size_t i = 1; i + 1 < curve.size(); ++i) EXPECT_NEAR(curve[i].curvature, 0.5, 1e-9);
}

}  // namespace
}  // namespace geoinv
