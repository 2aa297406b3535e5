// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// PosteriorDraws: the draws a sampling solver (mcmc) hands the host with its outcome
// (SolverOutcome::posterior), from which the host writes the chain files and the posterior summary.
//
// Layout: chains × draws × parameters, row-major (the parameter varies fastest), as ArviZ's
// InferenceData orders its `posterior` group. For an ensemble sampler a chain is one walker. Values are in
// internal units (radians for angles); the host converts them for display. Only the kept draws are here:
// burn-in and thinning are the sampler's. When a sampler stops early (the budget), every chain holds the
// same number of draws, the ones kept so far.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace geoinv {

struct PosteriorDraws {
  std::int64_t chains = 0;      // walkers of an ensemble sampler
  std::int64_t draws = 0;       // kept draws per chain
  std::int64_t parameters = 0;  // the model's parameter count
  std::vector<double> values;          // chains · draws · parameters, internal units
  std::vector<double> log_prob;        // chains · draws: log posterior, up to a constant
  std::vector<double> log_likelihood;  // chains · draws: −½ Σ r²/σ², r the weighted residuals
  std::vector<double> acceptance;      // chains: fraction of the chain's proposals accepted, burn-in included
  // σ of the Gaussian likelihood in data units (mV for SP), when the sampler fixed it; NaN when the data
  // carry their own σ. `sigma_source` says which: "data" or "prefit_rms" (the least-squares pre-fit's
  // residual RMS).
  double sigma = std::numeric_limits<double>::quiet_NaN();
  std::string sigma_source;

  double value(std::int64_t chain, std::int64_t draw, std::int64_t parameter) const {
    return values[static_cast<std::size_t>((chain * draws + draw) * parameters + parameter)];
  }
  std::size_t index(std::int64_t chain, std::int64_t draw) const {
    return static_cast<std::size_t>(chain * draws + draw);
  }
};

}  // namespace geoinv
