// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/finite_difference.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace geoinv {
namespace {

const double kSqrtEps = std::sqrt(std::numeric_limits<double>::epsilon());

TEST(CentralDifferenceStepTest, IsNeverZero) {
  EXPECT_EQ(central_difference_step(0.0), kSqrtEps);
  EXPECT_EQ(central_difference_step(-0.0), kSqrtEps);
  EXPECT_EQ(central_difference_step(0.0, 1e-3), kSqrtEps);
  EXPECT_GT(central_difference_step(1e-300), 0.0);
}

TEST(CentralDifferenceStepTest, IsRelativeForLargeValues) {
  EXPECT_DOUBLE_EQ(central_difference_step(1000.0), 1e-3);
  EXPECT_DOUBLE_EQ(central_difference_step(-1000.0), 1e-3);
  EXPECT_DOUBLE_EQ(central_difference_step(5.0, 1e-4), 5e-4);
  EXPECT_DOUBLE_EQ(central_difference_step(-5.0, 1e-4), 5e-4);
}

TEST(CentralDifferenceStepTest, IsMaxOfAbsoluteFloorAndRelativeStep) {
  for (double x : {0.0, 1e-9, 1e-3, 0.0149, 0.0150, 1.0, -1.0, 3.7, -42.0, 1e6}) {
    for (double relative : {1e-8, 1e-6, 1e-4}) {
      EXPECT_DOUBLE_EQ(central_difference_step(x, relative), std::max(kSqrtEps, relative * std::abs(x)))
          << "x = " << x << ", relative step = " << relative;
    }
  }
}

// d/dm of data = m0^2 * x + sin(m1): columns 2*m0*x and cos(m1).
class QuadraticModel final : public ForwardModel {
 public:
  ParameterSpecs parameters() const override { return {ParameterSpec{}, ParameterSpec{}}; }
  void configure(const OptionValues&, const Vector& stations) override { stations_ = stations; }
  void predict(const Eigen::Ref<const Vector>& m, Eigen::Ref<Vector> data) const override {
    data = (m(0) * m(0)) * stations_.array() + std::sin(m(1));
  }
  std::string example_yaml() const override { return ""; }

 private:
  Vector stations_;
};

TEST(CentralDifferenceJacobianTest, MatchesTheAnalyticJacobian) {
  QuadraticModel model;
  Vector stations = Vector::LinSpaced(7, -3.0, 3.0);
  model.configure({}, stations);
  for (const auto& point :
       {Eigen::Vector2d(1.5, 0.3), Eigen::Vector2d(0.0, 0.0), Eigen::Vector2d(-20.0, 2.0)}) {
    const Vector m = point;
    Matrix jacobian(stations.size(), 2);
    central_difference_jacobian(model, m, jacobian);
    Matrix exact(stations.size(), 2);
    exact.col(0) = 2.0 * m(0) * stations;
    exact.col(1).setConstant(std::cos(m(1)));
    EXPECT_LT((jacobian - exact).cwiseAbs().maxCoeff(), 1e-6 * (1.0 + exact.cwiseAbs().maxCoeff()))
        << "at m = " << m.transpose() << "\nfinite differences:\n"
        << jacobian << "\nexact:\n"
        << exact;
  }
}

}  // namespace
}  // namespace geoinv
