// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The `nielsen` damping policy of dls, its default (damped_step.hpp describes what a policy is).
#include <algorithm>

#include "damped_step.hpp"
#include "dls_settings.hpp"

namespace geoinv::dls {

// Nielsen (1999), Madsen, Nielsen & Tingleff (2004, eq. 3.16): with the gain ratio ρ = actual / predicted
// decrease, an accepted step multiplies λ by max(1/3, 1 − (2ρ − 1)³) and resets ν = 2; a rejected one
// multiplies λ by ν and doubles ν. λ shrinks fast where the linearisation is good, and repeated failures
// raise it geometrically faster, so it never oscillates between the two factors as Marquardt's does.
class NielsenDamping : public SolveAtDamping {
 public:
  explicit NielsenDamping(const Settings& s)
      : SolveAtDamping(std::max(s.initial_damping, s.min_damping)), minimum_(s.min_damping) {}

  void update(const StepOutcome& step) {
    if (step.accepted) {
      const double rho = step.predicted_decrease > 0.0
                             ? (step.sse_before - step.sse_after) / step.predicted_decrease
                             : 1.0;
      const double t = 2.0 * rho - 1.0;
      damping_ = std::max(damping_ * std::max(1.0 / 3.0, 1.0 - t * t * t), minimum_);
      nu_ = 2.0;
    } else {
      damping_ *= nu_;
      nu_ *= 2.0;
    }
  }

 private:
  double minimum_;
  double nu_ = 2.0;
};

}  // namespace geoinv::dls
