// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Test helpers the learning solvers' tests share (mlp, rbf_network, grnn): the two shapes of training set
// (geoinv/learning_solver.hpp), made here as the host makes them.
//   * whole profiles: a straight line y = a + b·x on 21 stations, (a, b) uniform in [−1, 1] × [−0.5, 0.5];
//   * windows: traces of Russell's three-point wavelet (−½, 1, −½) on sparse reflectivity, one parameter
//     per sample, cut into windows by geoinv::trace_windows.
// Each comes with a forward model for a Problem of today's host: the trace declares its samples as
// scalars r0, r1, …, since Problem sizes itself by ParameterSpec count until parameter blocks reach it.
#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "geoinv/forward_model.hpp"
#include "geoinv/learning_solver.hpp"
#include "geoinv/problem.hpp"

namespace geoinv_learning_testing {

using geoinv::Vector;

// Uniform doubles from the top 53 bits of a 64-bit Mersenne twister: the same numbers everywhere.
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : engine_(seed) {}
  double uniform(double low, double high) {
    return low + (high - low) * static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  }
  double normal() {  // Box–Muller
    const double u = 1.0 - uniform(0.0, 1.0), v = uniform(0.0, 1.0);
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * 3.14159265358979323846 * v);
  }

 private:
  std::mt19937_64 engine_;
};

// ---- whole profiles: the line
inline Vector line_stations() { return Vector::LinSpaced(21, 0.0, 2.0); }

class LineModel final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override {
    geoinv::ParameterSpecs specs(2);
    specs[0].name = "a";
    specs[0].lower = -2.0;
    specs[0].upper = 2.0;
    specs[1].name = "b";
    specs[1].lower = -1.0;
    specs[1].upper = 1.0;
    return specs;
  }
  void configure(const geoinv::OptionValues&, const Vector&) override {}
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    data = (model(0) + model(1) * line_stations().array()).matrix();
  }
  std::string example_yaml() const override { return ""; }
};

inline geoinv::TrainingSet line_set(int samples, std::uint64_t seed) {
  geoinv::TrainingSet set;
  set.parameters = LineModel().parameters();
  set.stations = line_stations();
  set.inputs.resize(samples, 21);
  set.targets.resize(samples, 2);
  Draws draws(seed);
  for (int k = 0; k < samples; ++k) {
    const Vector model = (Vector(2) << draws.uniform(-1.0, 1.0), draws.uniform(-0.5, 0.5)).finished();
    Vector data(21);
    LineModel().predict(model, data);
    for (Eigen::Index i = 0; i < 21; ++i) data(i) += 0.01 * draws.normal();
    set.inputs.row(k) = data.transpose();
    set.targets.row(k) = model.transpose();
  }
  set.signature = "line x21";
  set.description = std::to_string(samples) + " noisy lines (test)";
  return set;
}

inline geoinv::Problem line_problem(const Vector& truth) {
  auto model = std::make_shared<LineModel>();
  Vector observed(21);
  model->predict(truth, observed);
  return geoinv::Problem(model, line_stations(), observed, Vector(), Vector::Constant(2, -2.0),
                         Vector::Constant(2, 2.0));
}

// ---- windows: the three-point trace
constexpr Eigen::Index kTraceSamples = 48;

inline Vector three_point_trace(const Vector& r) {
  const Eigen::Index n = r.size();
  Vector data(n);
  for (Eigen::Index i = 0; i < n; ++i)
    data(i) = r(i) - 0.5 * ((i > 0 ? r(i - 1) : 0.0) + (i + 1 < n ? r(i + 1) : 0.0));
  return data;
}

inline Vector sparse_trace(Draws& draws) {
  Vector r = Vector::Zero(kTraceSamples);
  for (int spike = 0; spike < 3; ++spike)
    r(static_cast<Eigen::Index>(draws.uniform(0.0, static_cast<double>(kTraceSamples)))) =
        draws.uniform(-0.3, 0.3);
  return r;
}

class ThreePointTrace final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override {
    geoinv::ParameterSpecs specs(static_cast<std::size_t>(kTraceSamples));
    for (std::size_t i = 0; i < specs.size(); ++i) {
      specs[i].name = "r" + std::to_string(i);
      specs[i].lower = -1.0;
      specs[i].upper = 1.0;
    }
    return specs;
  }
  void configure(const geoinv::OptionValues&, const Vector&) override {}
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    data = three_point_trace(model);
  }
  std::string example_yaml() const override { return ""; }
};

inline geoinv::TrainingSet windowed_set(int traces, Eigen::Index window, std::uint64_t seed) {
  geoinv::TrainingSet set;
  geoinv::ParameterSpec r;
  r.name = "r";
  r.size = static_cast<std::size_t>(kTraceSamples);
  set.parameters = {r};
  set.stations = Vector::LinSpaced(kTraceSamples, 0.0, kTraceSamples - 1.0);
  set.window = window;
  set.inputs.resize(traces * kTraceSamples, window);
  set.targets.resize(traces * kTraceSamples, 1);
  Draws draws(seed);
  for (int k = 0; k < traces; ++k) {
    const Vector truth = sparse_trace(draws);
    Vector data = three_point_trace(truth);
    for (Eigen::Index i = 0; i < kTraceSamples; ++i) data(i) += 0.005 * draws.normal();
    set.inputs.middleRows(k * kTraceSamples, kTraceSamples) = geoinv::trace_windows(data, window);
    set.targets.middleRows(k * kTraceSamples, kTraceSamples) = truth;
  }
  set.signature = "three-point trace x48";
  set.description = std::to_string(traces) + " sparse traces, window " + std::to_string(window) + " (test)";
  return set;
}

inline geoinv::Problem trace_problem(const Vector& observed) {
  return geoinv::Problem(std::make_shared<ThreePointTrace>(),
                         Vector::LinSpaced(kTraceSamples, 0.0, kTraceSamples - 1.0), observed, Vector(),
                         Vector::Constant(kTraceSamples, -1.0), Vector::Constant(kTraceSamples, 1.0));
}

}  // namespace geoinv_learning_testing
