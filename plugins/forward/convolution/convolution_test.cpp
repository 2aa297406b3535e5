// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `convolution` plugin, loaded the way the host loads it (PluginRegistry): its block
// declaration sized by configure(), predict and the Jacobian against an explicit convolution matrix built
// here from the wavelet formulas (as numpy/scipy would: G[i][j] = w[c + i − j]), and its refusals.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <memory>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/plugin_registry.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;

geoinv::PluginRegistry& registry() {
  static geoinv::PluginRegistry instance;
  return instance;
}

std::shared_ptr<geoinv::ForwardModel> configured(const Vector& stations,
                                                 const std::vector<std::pair<std::string, geoinv::OptionValue>>& set) {
  auto model = registry().create_forward_model("convolution");
  geoinv::OptionValues values = geoinv::OptionValues::defaults(model->options());
  for (const auto& [name, value] : set) values.set(name, value);
  model->configure(values, stations);
  return model;
}

// The explicit n × n matrix of w ∗ r aligned "same": G[i][j] = w[c + i − j].
Matrix explicit_matrix(const Vector& w, Eigen::Index n) {
  const Eigen::Index c = w.size() / 2;
  Matrix g = Matrix::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      if (c + i - j >= 0 && c + i - j < w.size()) g(i, j) = w(c + i - j);
  return g;
}

Vector ricker_formula(double f, double dt) {
  const int half = static_cast<int>(std::lround(3.0 / (f * dt)));
  Vector w(2 * half + 1);
  for (int k = -half; k <= half; ++k) {
    const double t = k * dt, a = M_PI * M_PI * f * f * t * t;
    w(k + half) = (1.0 - 2.0 * a) * std::exp(-a);
  }
  return w;
}

Vector spikes(Eigen::Index n) {
  Vector r = Vector::Zero(n);
  r(n / 4) = 0.2;
  r(n / 4 + 3) = -0.2;
  r(n - 5) = 0.1;
  return r;
}

TEST(Convolution, DeclaresOneBlockSizedByTheStations) {
  auto fresh = registry().create_forward_model("convolution");
  ASSERT_EQ(fresh->parameters().size(), 1u);
  EXPECT_EQ(fresh->parameters()[0].name, "r");
  EXPECT_EQ(fresh->parameters()[0].size, 0u);  // sized at configure()
  auto model = configured(Vector::LinSpaced(256, 0.0, 0.51), {});
  EXPECT_EQ(model->parameters()[0].size, 256u);
  EXPECT_EQ(model->data_quantity().name, "amplitude");
}

TEST(Convolution, RickerPredictionAndJacobianEqualTheExplicitMatrix) {
  const Eigen::Index n = 256;
  auto model = configured(Vector::LinSpaced(n, 0.0, 0.002 * (n - 1)), {});  // dt 2 ms, 30 Hz default
  const Matrix g = explicit_matrix(ricker_formula(30.0, 0.002), n);
  const Vector r = spikes(n);
  Vector data(n), data_too(n);
  Matrix jacobian(n, n);
  model->predict(r, data);
  model->predict_with_jacobian(r, data_too, jacobian);
  EXPECT_LE((data - g * r).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_EQ(data, data_too);
  EXPECT_LE((jacobian - g).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(Convolution, ThreePointWaveletIsRussellsByDefault) {
  const Eigen::Index n = 9;
  auto model = configured(Vector::LinSpaced(n, 0.0, 8.0), {{"wavelet", std::string("three_point")}});
  Vector w(3);
  w << -0.5, 1.0, -0.5;
  Vector r = Vector::Zero(n), data(n);
  r(4) = 0.2;
  r(5) = -0.2;
  model->predict(r, data);
  EXPECT_LE((data - explicit_matrix(w, n) * r).cwiseAbs().maxCoeff(), 1e-15);
  Vector expected(n);
  expected << 0, 0, 0, -0.1, 0.3, -0.3, 0.1, 0, 0;  // Russell's dipole: larger amplitude, side values
  EXPECT_LE((data - expected).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(Convolution, RefusesUnevenStationsAndTwoWavelets) {
  Vector uneven(4);
  uneven << 0.0, 0.002, 0.004, 0.007;
  EXPECT_THROW(configured(uneven, {}), geoinv::Error);
  EXPECT_THROW(configured(Vector::LinSpaced(1, 0.0, 0.0), {}), geoinv::Error);
  EXPECT_THROW(configured(Vector::LinSpaced(8, 0.0, 0.014),
                          {{"wavelet", std::string("three_point")}, {"wavelet_file", std::string("w.txt")}}),
               geoinv::Error);
}

}  // namespace
