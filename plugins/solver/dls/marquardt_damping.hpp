// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The `marquardt` damping policy of dls (damped_step.hpp describes what a policy is).
#include <algorithm>

#include "damped_step.hpp"
#include "dls_settings.hpp"

namespace geoinv::dls {

// Marquardt (1963): a constant factor down after a success, up after a failure. λ multiplies D, so it is
// dimensionless and means the same for every choice of parameter units.
class MarquardtDamping : public SolveAtDamping {
 public:
  explicit MarquardtDamping(const Settings& s)
      : SolveAtDamping(std::max(s.initial_damping, s.min_damping)),
        increase_(s.damping_increase),
        decrease_(s.damping_decrease),
        minimum_(s.min_damping) {}

  void update(const StepOutcome& step) {
    // The floor keeps the damped system definite when JᵀJ is nearly singular (correlated parameters),
    // and keeps λ from drifting so low that many failures are needed before it bites again.
    damping_ = step.accepted ? std::max(damping_ / decrease_, minimum_) : damping_ * increase_;
  }

 private:
  double increase_, decrease_, minimum_;
};

}  // namespace geoinv::dls
