// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The options of the `gradient_descent` solver as values: one home for every default. README.md explains each.
#include <cstdint>

#include "geoinv/option_choices.hpp"

namespace geoinv::gradient_descent {

enum class StepRule { fixed, armijo };

inline const OptionChoices<StepRule> kStepRuleWords{
    {"armijo", StepRule::armijo},
    {"fixed", StepRule::fixed},
};

enum class Preconditioner { none, jacobi };

inline const OptionChoices<Preconditioner> kPreconditionerWords{
    {"jacobi", Preconditioner::jacobi},
    {"none", Preconditioner::none},
};

struct Settings {
  std::int64_t max_iterations = 100000;  // descent steps, >= 1
  StepRule step_rule = StepRule::armijo;
  double step_size = 1.0;          // fixed: α; armijo: the first trial α (later: 2 × the last accepted), > 0
  double armijo_c = 1e-4;          // sufficient decrease constant c, in (0, 1)
  double backtracking_factor = 0.5;  // α's factor after a failed Armijo test, in (0, 1)
  Preconditioner preconditioner = Preconditioner::jacobi;  // steps along −D⁻¹∇Φ, D = diag(∇²) at the start
  double gradient_tolerance = 1e-10;   // stop when max |D⁻¹∇Φ| scaled by the model size is below this, > 0
  double function_tolerance = 1e-14;   // stop when the relative decrease of Φ in a step is below this, > 0
};

}  // namespace geoinv::gradient_descent
