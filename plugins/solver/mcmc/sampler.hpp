// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The sampling loop: `steps` ensemble updates (ensemble.hpp), each with the stretch or the DE move as
// `moves` says, one trace row per update, and the positions of every thin-th update after the burn-in kept
// as draws (posterior.hpp's layout, one chain per walker).
//
// A BudgetExhausted thrown by the density ends the loop cleanly: the draws kept so far are returned and
// `interrupted` says why. The update it interrupted is not recorded (its first walkers may have moved).
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ensemble.hpp"
#include "geoinv/error.hpp"
#include "geoinv/posterior.hpp"
#include "geoinv/trace.hpp"
#include "mcmc_settings.hpp"

namespace geoinv::mcmc {

struct SamplerRun {
  PosteriorDraws draws;      // everything but σ, which is the caller's
  Trace trace;               // iteration, sse (smallest of the ensemble), acceptance, log_prob_max
  std::int64_t updates = 0;  // ensemble updates completed
  bool interrupted = false;  // the budget ran out before `steps` updates
  std::string interruption;  // BudgetExhausted's message
};

inline bool keeps_update(const Settings& settings, std::int64_t update) {
  return update >= settings.burn_in && (update - settings.burn_in) % settings.thin == 0;
}

template <typename Rng>
MoveKind choose_move(const Settings& settings, Rng& rng) {
  if (settings.moves == Moves::stretch) return MoveKind::stretch;
  if (settings.moves == Moves::de) return MoveKind::de;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < settings.de_fraction ? MoveKind::de
                                                                                        : MoveKind::stretch;
}

// The kept positions (draw-major, as they are produced) in posterior.hpp's chain-major layout.
// `log_prior` is the prior's share of each kept log_prob, in the same order.
inline void arrange_draws(const Ensemble& ensemble, const std::vector<double>& positions,
                          const std::vector<double>& log_prob, const std::vector<double>& log_prior,
                          std::int64_t kept, PosteriorDraws& draws) {
  const std::int64_t walkers = ensemble.num_walkers(), parameters = ensemble.positions.rows();
  draws.chains = walkers;
  draws.draws = kept;
  draws.parameters = parameters;
  draws.values.resize(static_cast<std::size_t>(walkers * kept * parameters));
  draws.log_prob.resize(static_cast<std::size_t>(walkers * kept));
  draws.log_likelihood.resize(static_cast<std::size_t>(walkers * kept));
  for (std::int64_t d = 0; d < kept; ++d)
    for (std::int64_t k = 0; k < walkers; ++k) {
      const auto produced = static_cast<std::size_t>(d * walkers + k);
      draws.log_prob[draws.index(k, d)] = log_prob[produced];
      draws.log_likelihood[draws.index(k, d)] = log_prob[produced] - log_prior[produced];
      for (std::int64_t p = 0; p < parameters; ++p)
        draws.values[draws.index(k, d) * parameters + p] =
            positions[static_cast<std::size_t>((d * walkers + k) * parameters + p)];
    }
}

template <typename Density, typename Rng>
SamplerRun sample(Ensemble& ensemble, Density& density, const Settings& settings, Rng& rng) {
  SamplerRun run;
  run.trace = Trace({"iteration", "sse", "acceptance", "log_prob_max"});
  run.trace.reserve(static_cast<std::size_t>(settings.steps + 1));
  run.trace.add_row({0.0, ensemble.sse.minCoeff(), 0.0, ensemble.log_prob.maxCoeff()});
  const auto walkers = static_cast<double>(ensemble.num_walkers());
  std::vector<double> positions, log_prob, log_prior;
  std::int64_t kept = 0;
  for (std::int64_t update = 0; update < settings.steps; ++update) {
    int accepted = 0;
    try {
      accepted = update_ensemble(ensemble, density, choose_move(settings, rng), settings.stretch_scale, rng);
    } catch (const BudgetExhausted& exhausted) {
      run.interrupted = true;
      run.interruption = exhausted.what();
      break;
    }
    run.updates = update + 1;
    run.trace.add_row({static_cast<double>(update + 1), ensemble.sse.minCoeff(), accepted / walkers,
                       ensemble.log_prob.maxCoeff()});
    if (!keeps_update(settings, update)) continue;
    positions.insert(positions.end(), ensemble.positions.data(), ensemble.positions.data() + ensemble.positions.size());
    log_prob.insert(log_prob.end(), ensemble.log_prob.data(), ensemble.log_prob.data() + ensemble.log_prob.size());
    log_prior.insert(log_prior.end(), ensemble.log_prior.data(),
                     ensemble.log_prior.data() + ensemble.log_prior.size());
    ++kept;
  }
  arrange_draws(ensemble, positions, log_prob, log_prior, kept, run.draws);
  const double proposals = std::max<double>(1.0, static_cast<double>(run.updates));
  for (Eigen::Index k = 0; k < ensemble.num_walkers(); ++k)
    run.draws.acceptance.push_back(ensemble.accepted(k) / proposals);
  return run;
}

}  // namespace geoinv::mcmc
