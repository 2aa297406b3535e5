// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The initial ensemble: each walker drawn by the `initial` rule (mcmc_settings.hpp) around a centre, and
// redrawn until the log posterior there is finite (inside the bounds, a valid model, a finite prediction),
// so that no walker starts where the posterior vanishes.
#include <cmath>
#include <random>
#include <string>

#include "ensemble.hpp"
#include "geoinv/error.hpp"
#include "geoinv/parameter.hpp"
#include "mcmc_settings.hpp"

namespace geoinv::mcmc {

constexpr int kMaxInitialDraws = 1000;  // per walker, before the solver gives up

// Where and how widely the walkers start.
struct InitialBall {
  Vector centre;  // internal units
  Vector spread;  // sd of each parameter's Gaussian offset, internal units (unused for the prior rule)
  Vector lower, upper;  // the prior's box
};

template <typename Rng>
Vector draw_initial(const InitialBall& ball, Initial rule, Rng& rng) {
  Vector position(ball.centre.size());
  if (rule == Initial::prior) {
    for (Eigen::Index j = 0; j < position.size(); ++j)
      position(j) = std::uniform_real_distribution<double>(ball.lower(j), ball.upper(j))(rng);
    return position;
  }
  std::normal_distribution<double> normal(0.0, 1.0);
  for (Eigen::Index j = 0; j < position.size(); ++j) position(j) = ball.centre(j) + ball.spread(j) * normal(rng);
  return position;
}

template <typename Density, typename Rng>
Ensemble make_ensemble(const InitialBall& ball, Initial rule, Eigen::Index walkers, Density& density, Rng& rng) {
  Ensemble ensemble;
  ensemble.positions.resize(ball.centre.size(), walkers);
  ensemble.log_prob.resize(walkers);
  ensemble.sse.resize(walkers);
  ensemble.log_prior.resize(walkers);
  ensemble.accepted = Eigen::ArrayXi::Zero(walkers);
  for (Eigen::Index k = 0; k < walkers; ++k) {
    for (int attempt = 0;; ++attempt) {
      if (attempt == kMaxInitialDraws)
        throw Error(Error::Category::numerical,
                    "mcmc: no initial position with a finite posterior after " + std::to_string(kMaxInitialDraws) +
                        " draws for walker " + std::to_string(k) + "; widen or narrow initial_scale");
      const Vector position = draw_initial(ball, rule, rng);
      const Evaluation evaluation = density(position);
      if (!std::isfinite(evaluation.log_prob)) continue;
      ensemble.positions.col(k) = position;
      ensemble.log_prob(k) = evaluation.log_prob;
      ensemble.sse(k) = evaluation.sse;
      ensemble.log_prior(k) = evaluation.log_prior;
      break;
    }
  }
  return ensemble;
}

}  // namespace geoinv::mcmc
