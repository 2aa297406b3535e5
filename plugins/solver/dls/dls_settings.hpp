// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The options of the `dls` solver as values: one home for every default. dls.cpp binds each option to a
// member (declare_options), which gives the option its default, and configure() fills the struct from
// them. README.md explains each option.
#include "geoinv/option_choices.hpp"
#include "geoinv_lsq/scaling.hpp"
#include "geoinv_lsq/termination_tests.hpp"

namespace geoinv::dls {

// How λ changes between trials: each is a strategy of the least-squares minimiser (damped_step.hpp).
enum class Damping { marquardt, nielsen, trust_region };
// The words of the option `damping`, in the order `geoinv describe` lists them.
inline const OptionChoices<Damping> kDampingWords{
    {"marquardt", Damping::marquardt},
    {"nielsen", Damping::nielsen},
    {"trust_region", Damping::trust_region},
};

struct Settings {
  lsq::Tolerances tolerances;  // max_iterations counts trials, accepted or not
  // Option `damping`. Nielsen's rule takes 12 iterations on the seed profile where Marquardt's factors
  // take 16 (README.md).
  Damping damping = Damping::nielsen;
  double initial_damping = 1e-3;   // λ₀, relative to D (dimensionless), > 0; marquardt, nielsen
  double damping_increase = 10.0;  // factor on λ after a rejected trial, > 1; marquardt
  double damping_decrease = 10.0;  // divisor of λ after an accepted trial, > 1; marquardt
  double min_damping = 1e-12;      // floor for λ, relative to D, >= 0; marquardt, nielsen
  lsq::Scaling scaling = lsq::Scaling::running_max;  // the rule for D (geoinv_lsq/scaling.hpp)
  double initial_radius_factor = 100.0;  // Δ₀ = factor · ‖D^½ m₀‖ (or factor), > 0; trust_region
};

}  // namespace geoinv::dls
