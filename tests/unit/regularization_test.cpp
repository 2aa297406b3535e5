// SPDX-License-Identifier: BSD-3-Clause
// Host-owned regularisation (regularization.hpp): R(m) of each kind, the Tikhonov gradient against finite
// differences, the soft threshold, Condat's exact 1-D TV prox against its optimality conditions, and the
// Problem's best model tracked by Φ = Σr² + λR.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <memory>

#include "geoinv/error.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/regularization.hpp"

namespace {

using geoinv::Regularization;
using geoinv::RegularizationKind;
using Eigen::VectorXd;

Regularization make(RegularizationKind kind, int order, double lambda) {
  Regularization r;
  r.kind = kind;
  r.order = order;
  r.lambda = lambda;
  return r;
}

TEST(Regularization, ValuesOfEachKind) {
  const VectorXd m = (VectorXd(4) << 1.0, -2.0, 2.0, 0.0).finished();
  EXPECT_DOUBLE_EQ(make(RegularizationKind::tikhonov, 0, 1).value(m), 9.0);
  EXPECT_DOUBLE_EQ(make(RegularizationKind::tikhonov, 1, 1).value(m), 9.0 + 16.0 + 4.0);
  EXPECT_DOUBLE_EQ(make(RegularizationKind::tikhonov, 2, 1).value(m), 49.0 + 36.0);
  EXPECT_DOUBLE_EQ(make(RegularizationKind::l1, 0, 1).value(m), 5.0);
  EXPECT_DOUBLE_EQ(make(RegularizationKind::tv, 0, 1).value(m), 3.0 + 4.0 + 2.0);
  Regularization referenced = make(RegularizationKind::l1, 0, 0.5);
  referenced.reference = m;
  EXPECT_DOUBLE_EQ(referenced.value(m), 0.0);
  EXPECT_DOUBLE_EQ(make(RegularizationKind::l1, 0, 0.5).penalty(m), 2.5);
  EXPECT_DOUBLE_EQ(Regularization{}.penalty(m), 0.0);
}

TEST(Regularization, TikhonovGradientMatchesFiniteDifferences) {
  const VectorXd m = VectorXd::LinSpaced(7, -1.0, 2.0).array().cos();
  for (int order : {0, 1, 2}) {
    Regularization r = make(RegularizationKind::tikhonov, order, 0.3);
    r.reference = VectorXd::Constant(7, 0.1);
    VectorXd gradient = VectorXd::Zero(7);
    r.add_gradient(m, gradient);
    for (Eigen::Index i = 0; i < 7; ++i) {
      VectorXd plus = m, minus = m;
      plus(i) += 1e-6;
      minus(i) -= 1e-6;
      EXPECT_NEAR(gradient(i), (r.penalty(plus) - r.penalty(minus)) / 2e-6, 1e-7) << "order " << order;
    }
  }
  VectorXd g = VectorXd::Zero(7);
  EXPECT_THROW(make(RegularizationKind::l1, 0, 1).add_gradient(m, g), geoinv::Error);
  EXPECT_THROW(geoinv::difference_operator(3, 5), geoinv::Error);
}

TEST(Regularization, SoftThreshold) {
  VectorXd x = (VectorXd(4) << 3.0, -0.5, -2.0, 1.0).finished();
  geoinv::soft_threshold(x, 1.0);
  EXPECT_EQ(x, (VectorXd(4) << 2.0, 0.0, -1.0, 0.0).finished());
}

// z = prox(x) for w·TV iff z = x − Dᵀp with p the dual, |p| <= w and p(i) = w·sign(z(i+1) − z(i)) where
// they differ: p is recovered by cumulative sums of x − z.
void expect_tv_optimal(const VectorXd& x, const VectorXd& z, double w) {
  const Eigen::Index n = x.size();
  EXPECT_NEAR((x - z).sum(), 0.0, 1e-10);
  double p = 0.0;
  for (Eigen::Index i = 0; i + 1 < n; ++i) {
    p += x(i) - z(i);  // p(i) with (Dᵀp)(i) = p(i−1) − p(i)
    EXPECT_LE(std::abs(p), w + 1e-10) << "dual out of range at " << i;
    const double jump = z(i + 1) - z(i);
    if (std::abs(jump) > 1e-10) EXPECT_NEAR(p, -w * (jump > 0 ? 1.0 : -1.0), 1e-9) << "at " << i;
  }
}

TEST(Regularization, CondatTvProxIsExact) {
  VectorXd x(40);
  for (Eigen::Index i = 0; i < 40; ++i) x(i) = (i < 13 ? 1.0 : i < 27 ? -0.5 : 2.0) + 0.3 * std::sin(1.7 * i * i);
  for (double w : {0.01, 0.2, 1.0, 50.0}) {
    VectorXd z = x;
    geoinv::total_variation_denoise(z, w);
    expect_tv_optimal(x, z, w);
  }
  VectorXd one = VectorXd::Constant(1, 3.0);
  geoinv::total_variation_denoise(one, 1.0);
  EXPECT_EQ(one(0), 3.0);
  VectorXd large = x;
  geoinv::total_variation_denoise(large, 1e6);
  EXPECT_LT((large.array() - x.mean()).abs().maxCoeff(), 1e-10);
}

// y = a·x without a Jacobian; enough for the Problem's bookkeeping.
class Proportional final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override { return {geoinv::ParameterSpec{"a"}}; }
  void configure(const geoinv::OptionValues&, const geoinv::Vector& stations) override { stations_ = stations; }
  void predict(const Eigen::Ref<const geoinv::Vector>& m, Eigen::Ref<geoinv::Vector> d) const override {
    d = m(0) * stations_;
  }
  std::string example_yaml() const override { return ""; }

 private:
  geoinv::Vector stations_;
};

TEST(Regularization, ProblemTracksTheBestModelByTheFullObjective) {
  auto model = std::make_shared<Proportional>();
  const VectorXd stations = VectorXd::LinSpaced(3, 1.0, 3.0);
  model->configure({}, stations);
  geoinv::Problem problem(model, stations, stations, VectorXd(), VectorXd::Constant(1, -10),
                          VectorXd::Constant(1, 10));
  problem.set_regularization(make(RegularizationKind::tikhonov, 0, 100.0));
  VectorXd r(3);
  double cost = 0.0;
  ASSERT_TRUE(problem.residuals(VectorXd::Constant(1, 1.0), r, &cost));  // misfit 0, Φ = 100
  EXPECT_DOUBLE_EQ(cost, 0.0);
  ASSERT_TRUE(problem.residuals(VectorXd::Constant(1, 0.0), r, &cost));  // misfit 14, Φ = 14
  EXPECT_DOUBLE_EQ(problem.best_cost(), 14.0);
  EXPECT_EQ(problem.best_model()(0), 0.0);
  EXPECT_DOUBLE_EQ(problem.objective(VectorXd::Constant(1, 1.0), 0.0), 100.0);
  EXPECT_EQ(problem.linear_operator(), nullptr);
  Regularization negative = make(RegularizationKind::l1, 0, -1.0);
  EXPECT_THROW(problem.set_regularization(negative), geoinv::Error);
}

TEST(Regularization, LeastSquaresSolversSeeTheRegularisationAsResidualRows) {
  auto model = std::make_shared<Proportional>();
  const VectorXd stations = VectorXd::LinSpaced(3, 1.0, 3.0);
  model->configure({}, stations);
  geoinv::Problem problem(model, stations, stations, VectorXd(), VectorXd::Constant(1, -10),
                          VectorXd::Constant(1, 10));
  EXPECT_EQ(problem.num_residuals(), 3);
  problem.set_regularization(make(RegularizationKind::tikhonov, 0, 4.0));
  ASSERT_EQ(problem.num_residuals(), 4);
  VectorXd r(4);
  geoinv::Matrix jacobian(4, 1);
  double cost = 0.0;
  ASSERT_TRUE(problem.residuals_and_jacobian(VectorXd::Constant(1, 2.0), r, jacobian, &cost));
  EXPECT_DOUBLE_EQ(r(3), 4.0);  // √λ·a
  EXPECT_DOUBLE_EQ(jacobian(3, 0), 2.0);
  EXPECT_DOUBLE_EQ(cost, 14.0 + 16.0);  // data misfit (a − 1)²·14 + λa²
  EXPECT_DOUBLE_EQ(problem.best_cost(), cost);
  VectorXd data_only(3);
  ASSERT_TRUE(problem.residuals(VectorXd::Constant(1, 2.0), data_only, &cost));
  EXPECT_DOUBLE_EQ(cost, 14.0);
  problem.set_regularization(make(RegularizationKind::l1, 0, 4.0));
  ASSERT_TRUE(problem.residuals(VectorXd::Constant(1, -0.25), r, &cost));
  EXPECT_NEAR(r(3) * r(3), 4.0 * 0.25, 1e-9);  // λ·√(u² + ε²) ≈ λ|u|
  VectorXd wrong(5);
  EXPECT_THROW(problem.residuals(VectorXd::Constant(1, 0.0), wrong), geoinv::Error);
}

}  // namespace
