// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The options of the `gauss_newton` solver as values: one home for every default. gauss_newton.cpp binds
// each option to a member (declare_options), which gives the option its default, and configure() fills
// the struct from them. README.md explains each option.
#include <cstdint>

#include "geoinv_lsq/termination_tests.hpp"

namespace geoinv::gauss_newton {

struct Settings {
  lsq::Tolerances tolerances;  // max_iterations counts line searches
  double armijo_c = 1e-4;             // sufficient-decrease constant c, in (0, 1), dimensionless
  double backtracking_factor = 0.5;   // α's factor after a trial fails the Armijo test, in (0, 1)
  std::int64_t max_backtracking_steps = 30;  // reductions of α before a line search fails, >= 0
  // The first trial's α is capped so that no parameter moves by more than this times max(|m_j|, s_j)
  // (s_j the parameter's typical scale; for an angle, s_j alone); dimensionless, >= 0. 0: α starts at 1,
  // plain Gauss-Newton.
  double max_relative_step = 1.0;
  // The first trial's α is also at most this times the α accepted in the previous iteration (when that
  // line search reduced α at most kMemoryReductions times), so that after a line search had to shorten the
  // step the next one does not start by repeating the overshoot; it doubles back to 1 in a few iterations.
  // Dimensionless, 0 or >= 1; 0: no such limit. README.md, "Step memory".
  double step_growth = 2.0;
};

}  // namespace geoinv::gauss_newton
