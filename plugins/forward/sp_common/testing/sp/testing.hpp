// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Helpers for the SP plugins' tests: plugins loaded the way the host loads them (one PluginRegistry per
// test program), configured with options, and inverted with the `dls` solver plugin through a
// geoinv::Problem, as `geoinv run` does. CMake target `geoinv_sp_testing` (tests only).
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"

namespace geoinv::sp::testing {

// One registry for the whole test program: loading is done once, up front, as the host does.
inline PluginRegistry& registry() {
  static PluginRegistry instance;
  return instance;
}

// The forward plugin `name`, configured at `stations` with its defaults overridden by `options`.
inline std::shared_ptr<ForwardModel> configured(const std::string& name, const Vector& stations,
                                                const std::map<std::string, std::string>& options = {}) {
  auto model = registry().create_forward_model(name);
  auto values = OptionValues::defaults(model->options());
  for (const auto& [key, value] : options) values.set(key, value);
  model->configure(values, stations);
  return model;
}

// A model vector from display values (angles in degrees), in the plugin's parameter order.
inline Vector model_of(const ForwardModel& model, std::initializer_list<double> shown) {
  const ParameterSpecs specs = model.parameters();
  Vector values(static_cast<Eigen::Index>(specs.size()));
  Eigen::Index i = 0;
  for (double value : shown) {
    values(i) = from_display(specs[static_cast<std::size_t>(i)], value);
    ++i;
  }
  return values;
}

inline Vector predict(const ForwardModel& model, const Vector& parameters, Eigen::Index num_stations) {
  Vector data(num_stations);
  model.predict(parameters, data);
  return data;
}

struct Inversion {
  SolverOutcome outcome;
  Vector estimate;   // canonical, as the host reports it
  double sse = 0.0;  // Σ r² (weighted by σ when given) at the estimate
};

// Inverts `observed` with the `dls` plugin at its default options from `start`, within the plugin's
// bounds, as the host does (canonical estimate). `sigma` empty: unweighted.
inline Inversion invert_with_dls(const std::shared_ptr<const ForwardModel>& model, const Vector& stations,
                                 const Vector& observed, const Vector& start,
                                 const Vector& sigma = Vector()) {
  const ParameterSpecs specs = model->parameters();
  Vector lower(static_cast<Eigen::Index>(specs.size())), upper(lower.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    lower(static_cast<Eigen::Index>(i)) = specs[i].lower;
    upper(static_cast<Eigen::Index>(i)) = specs[i].upper;
  }
  Problem problem(model, stations, observed, sigma, lower, upper);
  auto solver = registry().create_solver("dls");
  solver->configure(OptionValues::defaults(solver->options()));
  Inversion result;
  result.outcome = solver->solve(problem, start, SolveContext{});
  result.estimate = result.outcome.estimate;
  model->canonicalize(result.estimate);
  Vector residuals(stations.size());
  result.sse = problem.residuals(result.estimate, residuals) ? residuals.squaredNorm()
                                                             : std::numeric_limits<double>::infinity();
  return result;
}

// |a − b| on the circle, radians.
inline double angle_distance(double a, double b) { return std::abs(std::remainder(a - b, 2.0 * kPi)); }

// Largest difference between two models of the same plugin, each parameter relative to
// max(|truth|, its declared scale); angles on the circle.
inline double model_distance(const ForwardModel& model, const Vector& estimate, const Vector& truth) {
  const ParameterSpecs specs = model.parameters();
  double worst = 0.0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto j = static_cast<Eigen::Index>(i);
    const double difference =
        specs[i].is_angle ? angle_distance(estimate(j), truth(j)) : std::abs(estimate(j) - truth(j));
    worst = std::max(worst, difference / std::max(std::abs(truth(j)), specs[i].scale));
  }
  return worst;
}

}  // namespace geoinv::sp::testing
