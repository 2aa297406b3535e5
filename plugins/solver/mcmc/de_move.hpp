// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The differential-evolution move of ter Braak (2006), as emcee's DEMove: a walker x moves to
// x + γ·(y₁ − y₂), y₁ ≠ y₂ two walkers of the other half of the ensemble, γ = γ₀·(1 + 10⁻⁵·N(0, 1)) with
// γ₀ = 2.38/√(2d). The move is symmetric: its log factor in the acceptance ratio is 0.
#include <cmath>
#include <random>

#include "geoinv/forward_model.hpp"  // Vector

namespace geoinv::mcmc {

constexpr double kDeJitter = 1e-5;  // relative sd of γ's jitter, emcee's DEMove default

inline double de_gamma(Eigen::Index num_parameters) {
  return 2.38 / std::sqrt(2.0 * static_cast<double>(num_parameters));
}

template <typename Rng>
double de_proposal(const Eigen::Ref<const Vector>& walker, const Eigen::Ref<const Vector>& first,
                   const Eigen::Ref<const Vector>& second, Rng& rng, Vector& proposal) {
  std::normal_distribution<double> normal(0.0, 1.0);
  const double gamma = de_gamma(walker.size()) * (1.0 + kDeJitter * normal(rng));
  proposal = walker + gamma * (first - second);
  return 0.0;
}

}  // namespace geoinv::mcmc
