// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The options of the `mcmc` solver as values: one home for every default. mcmc.cpp binds each option to a
// member (declare_options) and configure() fills the struct from them. README.md explains each option.
#include <cstdint>

namespace geoinv::mcmc {

// Which proposal an ensemble update uses (README.md, "Moves").
enum class Moves {
  stretch,  // Goodman & Weare's stretch move, emcee's default
  de,       // ter Braak's differential-evolution move, as emcee's DEMove
  mixture,  // each update is a DE update with probability de_fraction, a stretch update otherwise
};

// Where the walkers start (README.md, "Initial ensemble").
enum class Initial {
  linearised,  // a Gaussian ball of initial_scale × the linearised standard error around the pre-fit
  relative,    // a Gaussian ball of initial_scale × max(|m_j|, typical scale_j) around the pre-fit
  absolute,    // a Gaussian ball of initial_scale (internal units: m, rad, ...) around the pre-fit
  prior,       // uniform draws within the bounds (the prior)
};

struct Settings {
  std::int64_t walkers = 32;   // ensemble size: even, and more than twice the parameter count
  std::int64_t steps = 2000;   // ensemble updates, burn-in included
  std::int64_t burn_in = 500;  // first updates whose positions are not kept as draws, < steps
  std::int64_t thin = 1;       // keep every thin-th update after the burn-in, >= 1
  Moves moves = Moves::stretch;
  double stretch_scale = 2.0;  // a of the stretch move: z has density ∝ 1/√z on [1/a, a]; > 1, dimensionless
  double de_fraction = 0.2;    // probability of a DE update when moves is mixture, in [0, 1]
  Initial initial = Initial::linearised;
  double initial_scale = 1.0;  // size of the initial ball; its unit follows `initial`, > 0
  // Iterations of the Levenberg-Marquardt pre-fit from the start (its estimate centres the initial ball
  // and, when the data carry no σ, fixes σ as its residual RMS); >= 1.
  std::int64_t prefit_iterations = 200;
};

}  // namespace geoinv::mcmc
