// SPDX-License-Identifier: BSD-3-Clause
// The host-owned regional background: c0 + c1·x added to any forward model, its Jacobian columns, and
// the data-driven start that removes the background before asking the model.
#include "configuration/background_model.hpp"

#include <gtest/gtest.h>

#include "geoinv/finite_difference.hpp"
#include "geoinv/plugin_registry.hpp"

namespace geoinv {
namespace {

std::shared_ptr<ForwardModel> configured_sphere(const Vector& stations) {
  static PluginRegistry registry;
  auto sphere = registry.create_forward_model("sphere");
  OptionValues options = OptionValues::defaults(sphere->options());
  options.set("convention", std::string("minus"));
  sphere->configure(options, stations);
  return sphere;
}

// Configures `model` (a background around a sphere) in the minus convention.
void configure_minus(BackgroundModel& model, const Vector& stations) {
  OptionValues options = OptionValues::defaults(model.options());
  options.set("convention", std::string("minus"));
  model.configure(options, stations);
}

TEST(BackgroundModel, AddsLinearTermWithExactJacobianColumns) {
  const Vector stations = Vector::LinSpaced(41, 0.0, 150.0);
  auto inner = configured_sphere(stations);
  BackgroundModel model(inner, Background::linear);
  configure_minus(model, stations);
  const ParameterSpecs specs = model.parameters();
  ASSERT_EQ(specs.size(), 6u);
  EXPECT_EQ(specs[4].name, "c0");
  EXPECT_EQ(specs[5].name, "c1");

  Vector p(6);
  p << 77.07, to_radians(309.37), 41.81, 94686, 5.0, -0.02;
  Vector inner_data(41), data(41);
  inner->predict(p.head(4), inner_data);
  model.predict(p, data);
  for (Eigen::Index i = 0; i < 41; ++i) EXPECT_NEAR(data(i), inner_data(i) + 5.0 - 0.02 * stations(i), 1e-9);

  Matrix analytic(41, 6), numeric(41, 6);
  Vector with_jacobian(41);
  model.predict_with_jacobian(p, with_jacobian, analytic);
  EXPECT_TRUE(with_jacobian.isApprox(data, 1e-13));
  central_difference_jacobian(model, p, numeric);
  for (Eigen::Index j = 0; j < 6; ++j)
    EXPECT_LT((analytic.col(j) - numeric.col(j)).norm(), 1e-6 * (1.0 + analytic.col(j).norm())) << j;
}

TEST(BackgroundModel, ConstantBackgroundAddsOneParameter) {
  const Vector stations = Vector::LinSpaced(11, 0.0, 100.0);
  BackgroundModel model(configured_sphere(stations), Background::constant);
  EXPECT_EQ(model.parameters().size(), 5u);
}

// c0 is in the data's unit (data.unit), c1 in that unit per metre; "data unit" when the data have none.
TEST(BackgroundModel, CoefficientsCarryTheDataUnit) {
  const Vector stations = Vector::LinSpaced(11, 0.0, 100.0);
  const auto units = [](const BackgroundModel& model) {
    const ParameterSpecs specs = model.parameters();
    return std::vector<std::string>{specs[specs.size() - 2].unit, specs.back().unit};
  };
  EXPECT_EQ(units(BackgroundModel(configured_sphere(stations), Background::linear, "mV")),
            (std::vector<std::string>{"mV", "mV/m"}));
  EXPECT_EQ(units(BackgroundModel(configured_sphere(stations), Background::linear)),
            (std::vector<std::string>{"data unit", "data unit/m"}));
}

TEST(BackgroundModel, DataDrivenStartRecoversTheBackgroundFromTheProfileEnds) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 1000.0);
  auto inner = configured_sphere(stations);
  BackgroundModel model(inner, Background::linear);
  configure_minus(model, stations);
  // A small, deep-ish body in the middle of a long profile: the ends are background alone.
  Vector truth(6);
  truth << 500, to_radians(300), 30, 20000, 12.0, 0.03;
  Vector data(101);
  model.predict(truth, data);
  Vector start(6);
  ASSERT_TRUE(model.estimate_start(data, start));
  EXPECT_NEAR(start(5), 0.03, 0.005);
  EXPECT_NEAR(start(4), 12.0, 3.0);
  EXPECT_NEAR(start(0), 500, 30);
}

TEST(BackgroundModel, CanonicalizesOnlyTheBodysParameters) {
  const Vector stations = Vector::LinSpaced(11, 0.0, 100.0);
  BackgroundModel model(configured_sphere(stations), Background::linear);
  Vector p(6);
  p << 50, to_radians(100), 20, -1000, -3.0, -0.5;
  model.canonicalize(p);
  EXPECT_GT(p(3), 0.0);          // K made positive by the (K, θ) symmetry
  EXPECT_DOUBLE_EQ(p(4), -3.0);  // background untouched
  EXPECT_DOUBLE_EQ(p(5), -0.5);
}

// c2 multiplies u² with u = (x − x_mid)/half_span: 1 at both ends of the profile, 0 at its middle,
// whatever the profile's origin and length; c0 and c1 keep their linear meaning.
TEST(BackgroundModel, QuadraticAddsAScaledCurvatureWithExactJacobianColumns) {
  const Vector stations = Vector::LinSpaced(41, 1000.0, 1400.0);
  auto inner = configured_sphere(stations);
  BackgroundModel model(inner, Background::quadratic, "mV");
  configure_minus(model, stations);
  const ParameterSpecs specs = model.parameters();
  ASSERT_EQ(specs.size(), 7u);
  EXPECT_EQ(specs[6].name, "c2");
  EXPECT_EQ(specs[6].unit, "mV");

  Vector p(7);
  p << 1200, to_radians(309.37), 41.81, 94686, 5.0, -0.02, 3.0;
  Vector inner_data(41), data(41);
  inner->predict(p.head(4), inner_data);
  model.predict(p, data);
  for (Eigen::Index i = 0; i < 41; ++i) {
    const double u = (stations(i) - 1200.0) / 200.0;
    EXPECT_NEAR(data(i), inner_data(i) + 5.0 - 0.02 * stations(i) + 3.0 * u * u, 1e-9) << i;
  }

  Matrix analytic(41, 7), numeric(41, 7);
  Vector with_jacobian(41);
  model.predict_with_jacobian(p, with_jacobian, analytic);
  EXPECT_TRUE(with_jacobian.isApprox(data, 1e-13));
  EXPECT_DOUBLE_EQ(analytic(0, 6), 1.0);
  EXPECT_DOUBLE_EQ(analytic(20, 6), 0.0);
  EXPECT_DOUBLE_EQ(analytic(40, 6), 1.0);
  central_difference_jacobian(model, p, numeric);
  for (Eigen::Index j = 0; j < 7; ++j)
    EXPECT_LT((analytic.col(j) - numeric.col(j)).norm(), 1e-6 * (1.0 + analytic.col(j).norm())) << j;
}

}  // namespace
}  // namespace geoinv
