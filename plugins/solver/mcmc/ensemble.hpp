// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The ensemble of walkers and one ensemble update, as emcee's default sampler: the walkers are split into
// two halves, and each half moves in turn with proposals built from the other half only (Goodman & Weare
// 2010, section 5; Foreman-Mackey et al. 2013, algorithm 3). Within a half no proposal depends on
// another walker of the same half, so evaluating them one after the other is the same algorithm as
// emcee's vectorised update.
//
// The density is any callable `Evaluation density(const Vector&)`: log p up to a constant, −inf outside
// its support (a proposal it refuses is rejected), and the sum of squared weighted residuals there for
// the trace. It may throw (the solver's budget): an update interrupted half way leaves every walker at a
// valid, evaluated position.
#include <cmath>
#include <limits>
#include <random>

#include "de_move.hpp"
#include "geoinv/forward_model.hpp"  // Vector, Matrix
#include "stretch_move.hpp"

namespace geoinv::mcmc {

struct Evaluation {
  double log_prob = -std::numeric_limits<double>::infinity();
  double sse = std::numeric_limits<double>::quiet_NaN();  // Σ r² there; NaN when not computed
  double log_prior = 0.0;  // the prior's share of log_prob: log likelihood = log_prob − log_prior
};

struct Ensemble {
  Matrix positions;     // one column per walker, internal units
  Vector log_prob;      // log p of each walker's position
  Vector sse;           // Σ r² at each walker's position
  Vector log_prior;     // the prior's share of each walker's log_prob
  Eigen::ArrayXi accepted;  // proposals accepted by each walker since the ensemble was made

  Eigen::Index num_walkers() const { return positions.cols(); }
};

enum class MoveKind { stretch, de };

// One update of the whole ensemble with `move`: the first half, then the second. Returns the number of
// proposals accepted.
template <typename Density, typename Rng>
int update_ensemble(Ensemble& ensemble, Density& density, MoveKind move, double stretch_scale, Rng& rng) {
  const Eigen::Index half = ensemble.num_walkers() / 2;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::uniform_int_distribution<Eigen::Index> pick(0, half - 1);
  Vector proposal(ensemble.positions.rows());
  int accepted = 0;
  for (Eigen::Index moving = 0; moving < 2; ++moving) {
    const Eigen::Index first = moving * half, other = (1 - moving) * half;
    for (Eigen::Index k = first; k < first + half; ++k) {
      double log_factor = 0.0;
      if (move == MoveKind::stretch) {
        log_factor = stretch_proposal(ensemble.positions.col(k), ensemble.positions.col(other + pick(rng)),
                                      stretch_scale, rng, proposal);
      } else {
        const Eigen::Index a = pick(rng);
        Eigen::Index b = pick(rng);
        while (b == a) b = pick(rng);  // two distinct partners; half >= 2 (the walker count is checked)
        de_proposal(ensemble.positions.col(k), ensemble.positions.col(other + a), ensemble.positions.col(other + b),
                    rng, proposal);
      }
      const double threshold = std::log(uniform(rng));
      const Evaluation trial = density(proposal);
      if (!(log_factor + trial.log_prob - ensemble.log_prob(k) > threshold)) continue;
      ensemble.positions.col(k) = proposal;
      ensemble.log_prob(k) = trial.log_prob;
      ensemble.sse(k) = trial.sse;
      ensemble.log_prior(k) = trial.log_prior;
      ++ensemble.accepted(k);
      ++accepted;
    }
  }
  return accepted;
}

}  // namespace geoinv::mcmc
