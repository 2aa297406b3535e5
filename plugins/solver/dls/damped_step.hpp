// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The strategy `dls` gives the least-squares minimiser (geoinv_lsq/minimizer.hpp): damped Gauss-Newton
// steps, x = (JᵀJ + λ·D)⁻¹ Jᵀr and the step −x, one trial per iteration, accepted when it lowers sse.
// How λ moves is a damping policy, a small type with
//
//   double damping() const                      λ of the next step (the trace's `damping` column)
//   void start(const Workspace<N>&)             once, after the start model is linearised
//   bool step(Workspace<N>&)                    x into work.step; false when the system cannot be factorised
//   void update(const StepOutcome&)             after each trial
//
// marquardt_damping.hpp, nielsen_damping.hpp and trust_region_damping.hpp are the three; DampedStep
// turns one into a strategy. A rejected trial ends its iteration: the next one solves again with the new
// λ from the same linearisation.
#include <cmath>
#include <string>

#include "geoinv_lsq/message.hpp"
#include "geoinv_lsq/minimizer.hpp"
#include "geoinv_lsq/normal_equations.hpp"

namespace geoinv::dls {

// What a damping policy learns from one trial step.
struct StepOutcome {
  bool accepted = false;
  double sse_before = 0.0;
  double sse_after = 0.0;           // +inf when the trial's prediction was not finite
  double predicted_decrease = 0.0;  // ‖r‖² − ‖r + Jp‖² for the projected step p
  double scaled_step_norm = 0.0;    // ‖D^½ p‖
};

// The base of the policies whose step is the damped system solved at their current λ (marquardt,
// nielsen): they differ only in how update() moves λ.
class SolveAtDamping {
 public:
  double damping() const { return damping_; }
  template <typename Work>
  void start(const Work&) {}
  template <typename Work>
  bool step(Work& work) {
    return work.system.solve(work.normal, work.scaling, damping_, work.gradient, work.step);
  }

 protected:
  explicit SolveAtDamping(double initial_damping) : damping_(initial_damping) {}
  double damping_;
};

template <typename Policy>
class DampedStep {
 public:
  static constexpr bool kCountsIterationsBegun = false;  // max_iterations counts trials

  explicit DampedStep(Policy policy) : policy_(policy) {}

  double damping() const { return policy_.damping(); }

  template <typename Work>
  void start(const Work& work) {
    policy_.start(work);
  }

  template <typename Work>
  bool compute_step(Work& work) {
    return policy_.step(work);
  }

  template <typename Work>
  void propose_trial(Work& work) const {
    work.trial_model = work.model - work.step;
  }

  template <typename Work>
  lsq::Verdict judge(const Work& work, double sse, double trial_sse) {
    const bool accepted = trial_sse < sse;
    policy_.update({accepted, sse, trial_sse, lsq::predicted_decrease(work.normal, work.gradient, work.step),
                    std::sqrt(work.step.cwiseAbs2().dot(work.scaling))});
    return accepted ? lsq::Verdict::accepted : lsq::Verdict::rejected;
  }

  std::string failure_message() const {
    return "the damped normal equations could not be solved (damping " + lsq::number(policy_.damping()) + ")";
  }

  const char* state_name() const { return "damping"; }
  double state() const { return policy_.damping(); }

 private:
  Policy policy_;
};

}  // namespace geoinv::dls
