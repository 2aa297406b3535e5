// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The box a population solver searches, and the unit cube it searches it through.
//
// Population solvers (de, sade, cmaes) draw models at random inside a
// finite box, but a forward model's parameters may be unbounded (the sphere's x0 and K, every angle). The
// one rule they share:
//
//   - a finite bound of the problem is kept;
//   - an infinite side lies `radius` · max(|start_j|, scale_j) from the start (scale_j the parameter's
//     typical magnitude, ParameterSpec::scale), clipped to the other, finite bound;
//   - an angle with an infinite bound spans half a turn on each side of the start.
//
// The box never leaves the problem's bounds, so every model a population solver evaluates is inside
// them. The algorithms see the box as the unit cube: u in [0, 1]^n stands for lower + u·(upper − lower).
// CMA-ES's step size is then a fraction of the box in every direction alike, which a box whose sides
// differ by six orders of magnitude (metres and mV·m²) would otherwise break.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "geoinv/parameter.hpp"
#include "geoinv/problem.hpp"

namespace geoinv::population {

struct SearchBox {
  Vector lower, upper;

  // Whether the point `u` (num_parameters() values) lies in the unit cube; false for NaN.
  bool contains_unit(const double* u) const {
    for (Eigen::Index j = 0; j < lower.size(); ++j)
      if (!(u[j] >= 0.0 && u[j] <= 1.0)) return false;
    return true;
  }

  // The model that the point `u` of the unit cube stands for, clamped into the box against rounding, into
  // `model` (num_parameters values), so that scoring a point allocates nothing.
  void to_model(const double* u, Eigen::Ref<Vector> model) const {
    for (Eigen::Index j = 0; j < lower.size(); ++j)
      model(j) = std::clamp(lower(j) + u[j] * (upper(j) - lower(j)), lower(j), upper(j));
  }
  Vector to_model(const double* u) const {
    Vector model(lower.size());
    to_model(u, model);
    return model;
  }

  // The point of the unit cube that stands for `model`, which the caller has kept inside the box.
  Vector to_unit(const Vector& model) const {
    Vector u(lower.size());
    for (Eigen::Index j = 0; j < lower.size(); ++j)
      u(j) = upper(j) > lower(j) ? (model(j) - lower(j)) / (upper(j) - lower(j)) : 0.0;
    return u;
  }
};

// The search box of `problem` around `start` (in the bounds already, as the host projects it); `radius` > 0.
inline SearchBox search_box(const Problem& problem, const Vector& start, double radius) {
  SearchBox box{problem.lower_bounds(), problem.upper_bounds()};
  for (Eigen::Index j = 0; j < box.lower.size(); ++j) {
    const ParameterSpec& spec = problem.parameters()[static_cast<std::size_t>(j)];
    const double reach = spec.is_angle ? kPi : radius * std::max(std::abs(start(j)), spec.scale);
    if (!std::isfinite(box.lower(j))) box.lower(j) = start(j) - reach;
    if (!std::isfinite(box.upper(j))) box.upper(j) = start(j) + reach;
    box.lower(j) = std::max(box.lower(j), problem.lower_bounds()(j));
    box.upper(j) = std::min(box.upper(j), problem.upper_bounds()(j));
  }
  return box;
}

}  // namespace geoinv::population
