// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `impedance` plugin, loaded as the host loads it: predict against the reflectivity computed
// from the impedances by Russell's formula and an explicit convolution matrix, the recursive inversion
// round trip, and the analytic Jacobian against central differences.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <memory>
#include <string>

#include "geoinv/finite_difference.hpp"
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

std::shared_ptr<geoinv::ForwardModel> configured(Eigen::Index n, double top) {
  auto model = registry().create_forward_model("impedance");
  geoinv::OptionValues values = geoinv::OptionValues::defaults(model->options());
  values.set("wavelet", std::string("three_point"));
  values.set("log_impedance_top", top);
  model->configure(values, Vector::LinSpaced(n, 0.0, 0.002 * static_cast<double>(n - 1)));
  return model;
}

// Impedances I_0 .. I_n -> r_i = (I_{i+1} − I_i) / (I_{i+1} + I_i) -> s = G r, G[i][j] = w[1 + i − j].
Vector trace_from_impedances(const Vector& impedance) {
  const Eigen::Index n = impedance.size() - 1;
  Vector r(n);
  for (Eigen::Index i = 0; i < n; ++i) r(i) = (impedance(i + 1) - impedance(i)) / (impedance(i + 1) + impedance(i));
  const double w[3] = {-0.5, 1.0, -0.5};
  Vector s = Vector::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      if (1 + i - j >= 0 && 1 + i - j < 3) s(i) += w[1 + i - j] * r(j);
  return s;
}

TEST(Impedance, PredictsRussellsReflectivityConvolvedWithTheWavelet) {
  const Eigen::Index n = 12;
  const double top = std::log(2.0);
  auto model = configured(n, top);
  EXPECT_EQ(model->parameters()[0].size, static_cast<std::size_t>(n));
  Vector impedance(n + 1);
  impedance << 2.0, 2.0, 2.5, 2.5, 3.0, 1.5, 1.5, 1.5, 4.0, 4.0, 3.5, 3.5, 2.0;
  const Vector z = impedance.tail(n).array().log();
  Vector data(n);
  model->predict(z, data);
  EXPECT_LE((data - trace_from_impedances(impedance)).cwiseAbs().maxCoeff(), 1e-14);
}

TEST(Impedance, RecursiveInversionOfTheReflectivityGivesTheImpedancesBack) {
  // z_{i+1} = z_i + 2·atanh(r_i), the recursion the README documents, is the inverse of r = tanh(dz/2).
  Vector z(5);
  z << 0.1, 0.5, 0.45, -0.2, 0.3;
  double previous = 0.0, rebuilt = 0.0;
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    const double r = std::tanh(0.5 * (z(i) - previous));
    rebuilt += 2.0 * std::atanh(r);
    EXPECT_NEAR(rebuilt, z(i), 1e-14);
    previous = z(i);
  }
}

TEST(Impedance, AnalyticJacobianMatchesCentralDifferences) {
  const Eigen::Index n = 20;
  auto model = configured(n, 0.3);
  Vector z(n);
  for (Eigen::Index i = 0; i < n; ++i) z(i) = 0.4 * std::sin(0.7 * static_cast<double>(i)) + 0.05 * static_cast<double>(i);
  Vector data(n);
  Matrix analytic(n, n), numeric(n, n);
  model->predict_with_jacobian(z, data, analytic);
  geoinv::central_difference_jacobian(*model, z, numeric);
  EXPECT_LE((analytic - numeric).cwiseAbs().maxCoeff(), 1e-8 * analytic.cwiseAbs().maxCoeff());
}

}  // namespace
