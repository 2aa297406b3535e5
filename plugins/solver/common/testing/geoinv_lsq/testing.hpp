// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Test helpers the iterative solvers' tests share (dls_test, gauss_newton_test): a sphere forward model
// defined here (so the tests do not depend on the `sphere` plugin), a linear model of any size, the seed
// profile and the seed study's start and least-squares minimum (docs/seed-reproduction.md).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/problem.hpp"

namespace geoinv::lsq::testing {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// SP of a polarized sphere in the minus form (docs/models/shape-factor.md): V = K (u cosθ − h sinθ) / (u² + h²)^1.5.
// `with_jacobian` false hides the analytic Jacobian, so the host's finite differences are used instead.
class MinusSphere final : public geoinv::ForwardModel {
 public:
  explicit MinusSphere(bool with_jacobian = true) : with_jacobian_(with_jacobian) {}

  geoinv::ParameterSpecs parameters() const override {
    return {{"x0", "m", -kInfinity, kInfinity, false, 10.0, "centre"},
            {"theta", "rad", -kInfinity, kInfinity, true, 1.0, "polarization angle"},
            {"h", "m", 1e-3, kInfinity, false, 10.0, "depth"},
            {"K", "mV*m^2", -kInfinity, kInfinity, false, 1e4, "dipole moment"}};
  }

  void configure(const geoinv::OptionValues&, const Vector& stations) override { stations_ = stations; }

  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    const double c = std::cos(model(1)), s = std::sin(model(1)), h = model(2), k = model(3);
    for (Eigen::Index i = 0; i < stations_.size(); ++i) {
      const double u = stations_(i) - model(0), d = u * u + h * h;
      data(i) = k * (u * c - h * s) / (d * std::sqrt(d));
    }
  }

  bool has_jacobian() const override { return with_jacobian_; }

  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    const double c = std::cos(model(1)), s = std::sin(model(1)), h = model(2), k = model(3);
    for (Eigen::Index i = 0; i < stations_.size(); ++i) {
      const double u = stations_(i) - model(0), d = u * u + h * h, inverse = 1.0 / (d * std::sqrt(d));
      const double numerator = u * c - h * s;
      data(i) = k * numerator * inverse;
      jacobian(i, 0) = k * (-c + 3.0 * u * numerator / d) * inverse;
      jacobian(i, 1) = -k * (u * s + h * c) * inverse;
      jacobian(i, 2) = k * (-s - 3.0 * h * numerator / d) * inverse;
      jacobian(i, 3) = numerator * inverse;
    }
  }

  std::string example_yaml() const override { return ""; }

 private:
  bool with_jacobian_;
  Vector stations_;
};

// y = G m with a fixed, well-conditioned G of many columns: exercises the general-product path that
// large models (hundreds of parameters) take, against the exact linear least-squares solution.
class LinearModel final : public geoinv::ForwardModel {
 public:
  explicit LinearModel(Matrix design) : design_(std::move(design)) {}

  geoinv::ParameterSpecs parameters() const override {
    geoinv::ParameterSpecs specs(static_cast<std::size_t>(design_.cols()));
    for (std::size_t j = 0; j < specs.size(); ++j) specs[j].name = "m" + std::to_string(j);
    return specs;
  }
  void configure(const geoinv::OptionValues&, const Vector&) override {}
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    data.noalias() = design_ * model;
  }
  bool has_jacobian() const override { return true; }
  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    data.noalias() = design_ * model;
    jacobian = design_;
  }
  std::string example_yaml() const override { return ""; }

 private:
  Matrix design_;
};

// The seed study's numbers (docs/models/shape-factor.md, S2, and docs/seed-reproduction.md).
inline const Vector kTruth = (Vector(4) << 77.07, 309.37 * M_PI / 180.0, 41.81, 94686.0).finished();
inline const Vector kSeedStart = (Vector(4) << 20.0, 300.0 * M_PI / 180.0, 40.0, 94500.0).finished();

inline Vector seed_stations() { return Vector::LinSpaced(101, 0.0, 150.0); }

inline Vector lower_bounds(const geoinv::ForwardModel& model) {
  const auto specs = model.parameters();
  Vector bounds(static_cast<Eigen::Index>(specs.size()));
  for (std::size_t j = 0; j < specs.size(); ++j) bounds(static_cast<Eigen::Index>(j)) = specs[j].lower;
  return bounds;
}

inline Vector upper_bounds(const geoinv::ForwardModel& model) {
  const auto specs = model.parameters();
  Vector bounds(static_cast<Eigen::Index>(specs.size()));
  for (std::size_t j = 0; j < specs.size(); ++j) bounds(static_cast<Eigen::Index>(j)) = specs[j].upper;
  return bounds;
}

inline std::shared_ptr<MinusSphere> sphere_at(const Vector& stations, bool with_jacobian = true) {
  auto sphere = std::make_shared<MinusSphere>(with_jacobian);
  sphere->configure({}, stations);
  return sphere;
}

inline geoinv::Problem sphere_problem(const Vector& observed, bool with_jacobian = true,
                               geoinv::Budget budget = {}) {
  auto sphere = sphere_at(seed_stations(), with_jacobian);
  return geoinv::Problem(sphere, seed_stations(), observed, Vector(), lower_bounds(*sphere),
                         upper_bounds(*sphere), budget);
}

inline Vector noise_free_data() {
  Vector data(101);
  sphere_at(seed_stations())->predict(kTruth, data);
  return data;
}

// The seed profile: x_m,sp_mV with a header line.
inline Vector seed_data() {
  std::ifstream file(GEOINV_TEST_DATA_DIR "/seed/sp_syn_data.csv");
  EXPECT_TRUE(file) << "cannot open " << GEOINV_TEST_DATA_DIR "/seed/sp_syn_data.csv";
  std::string line;
  std::getline(file, line);
  std::vector<double> stations, values;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    double x = 0.0, v = 0.0;
    char comma = 0;
    if (fields >> x >> comma >> v) {
      stations.push_back(x);
      values.push_back(v);
    }
  }
  EXPECT_EQ(values.size(), 101u);
  for (std::size_t i = 0; i < stations.size(); ++i)
    EXPECT_NEAR(stations[i], 1.5 * static_cast<double>(i), 1e-12);
  return Eigen::Map<Vector>(values.data(), static_cast<Eigen::Index>(values.size()));
}

// The seed study printed SciPy's MINPACK result, which stops short of the minimum (its default xtol);
// the least-squares minimum itself, polished by Gauss-Newton steps to a gradient of 2e-11, is
inline const Vector kSeedMinimum =
    (Vector(4) << 76.243475270, 5.415791971, 42.776563946, 99101.889902762).finished();
constexpr double kSeedMinimumSse = 1087.558728434;
// The poor start of docs/seed-reproduction.md, from which MINPACK's LM stops far from the minimum.
inline const Vector kPoorStart = (Vector(4) << 10.0, 100.0 * M_PI / 180.0, 10.0, 94500.0).finished();

// (θ + π, −K) gives the same curve as (θ, K): the representative with K > 0 and θ in [0, 2π).
inline void canonicalize(Vector& model) {
  if (model(3) < 0.0) {
    model(3) = -model(3);
    model(1) += M_PI;
  }
  model(1) -= 2.0 * M_PI * std::floor(model(1) / (2.0 * M_PI));
}

}  // namespace geoinv::lsq::testing
