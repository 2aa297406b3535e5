// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// ParameterPrior: the prior density of one parameter that the host hands a sampling solver
// (SolveContext::prior), read from the experiment's `solvers[].prior` (plugins/solver/mcmc/README.md,
// "Likelihood, σ and prior").
//
// The default, and every parameter the experiment does not name, is uniform within the bounds. A
// `normal` parameter has the Gaussian density N(mean, sd²) truncated to its bounds: inside them its log
// density is −½((x − mean)/sd)² up to a constant, outside them −∞ (the sampler refuses a model outside the
// bounds before any prior is asked). Constants are dropped: a sampler needs the density up to one.
// Values are in internal units (radians for angles): the host converts the experiment's display units.
#include <vector>

#include "geoinv/forward_model.hpp"  // Vector

namespace geoinv {

struct ParameterPrior {
  enum class Kind { uniform, normal };
  Kind kind = Kind::uniform;
  double mean = 0.0;  // normal: internal units
  double sd = 0.0;    // normal: > 0, internal units

  // log density up to a constant, inside the bounds.
  double log_density(double value) const {
    if (kind == Kind::uniform) return 0.0;
    const double z = (value - mean) / sd;
    return -0.5 * z * z;
  }
};

// One per parameter, in the model's order; empty when every parameter is uniform within its bounds.
using ParameterPriors = std::vector<ParameterPrior>;

// Σ of each parameter's log density at `model` (inside the bounds); 0 for an empty `priors`.
inline double log_prior_density(const ParameterPriors& priors, const Vector& model) {
  double sum = 0.0;
  for (std::size_t j = 0; j < priors.size(); ++j)
    sum += priors[j].log_density(model(static_cast<Eigen::Index>(j)));
  return sum;
}

// True when some parameter's prior is not the default uniform one.
inline bool has_informative_prior(const ParameterPriors& priors) {
  for (const ParameterPrior& p : priors)
    if (p.kind != ParameterPrior::Kind::uniform) return true;
  return false;
}

}  // namespace geoinv
