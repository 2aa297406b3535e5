// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The one minimiser loop of the least-squares solvers, after Ceres' TrustRegionMinimizer: the loop owns
// the start, the linearisations, the bounds, the trial evaluations, the trace, the termination tests and
// the outcome; a strategy owns how a step is chosen and whether a trial is good enough. dls (with each of
// its damping policies) and gauss_newton (with its line search) are strategies of this loop.
//
// One solve:
//   start       the start model projected into the bounds, its residuals and Jacobian; trace row 0
//   linearise   JᵀJ, Jᵀr and D at the current model (normal_equations.hpp, scaling.hpp); stop when the
//               projected gradient is small (gradient_test), else hold the parameters that the last step
//               pushed against a bound (bounds.hpp)
//   iterations  up to max_iterations, each:
//     step      the strategy solves (JᵀJ + λ·D) x = Jᵀr into work.step, from the last linearisation
//     trials    the strategy proposes a trial model; the loop projects it into the bounds (the projected
//               step p is what the trace, parameter_test and the strategy see), stops when p is small
//               (parameter_test), evaluates the trial, lets the strategy judge it and writes its trace
//               row. The verdict: accepted; rejected (the next iteration computes a new step from the
//               same linearisation); retry (another trial in this iteration: a line search's next α);
//               exhausted (the solve ends with numerical_failure)
//     accept    the trial becomes the current point; stop on function_test; linearise again
//
// The strategy contract. The loop is a template over the strategy, so that each strategy gets a loop
// compiled for it (no virtual calls) and costs nothing in another's; a strategy is a small type with
//
//   static constexpr bool kCountsIterationsBegun
//       what outcome.iterations counts: true, the iterations begun (gauss_newton: line searches); false,
//       the iterations whose trial was evaluated (dls: trials)
//   double damping() const
//       the trace's `damping` column of the next trial (λ; gauss_newton's regularisation), and of row 0
//   void start(const Workspace<N>&)
//       once, after the start model is linearised (not when it already meets gradient_test)
//   bool compute_step(Workspace<N>&)
//       x with (JᵀJ + λ·D) x = Jᵀr into work.step, from work.normal, work.gradient and work.scaling
//       (the step is −x); false when the system cannot be solved. Then, or when x is not finite, the
//       solve ends with numerical_failure and failure_message()
//   void propose_trial(Workspace<N>&)
//       work.trial_model from work.model and the step; the loop projects it into the bounds
//   Verdict judge(const Workspace<N>&, double sse, double trial_sse)
//       the verdict on a trial, given the current sse and the trial's (+inf when its prediction is not
//       finite), work.step holding the projected step p; updates the strategy's state (λ, Δ, α)
//   std::string failure_message() const
//       why compute_step failed or why the trials were exhausted
//   const char* state_name() const; double state() const
//       the quantity the strategy adapts, and its value, for the max_iterations message
//
// A strategy may use work.scratch and work.scratch_lower as it likes; everything else in the workspace is
// the loop's. A new least-squares method is a new strategy, not a new loop.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"
#include "geoinv/termination.hpp"
#include "geoinv/trace.hpp"
#include "geoinv_lsq/bounds.hpp"
#include "geoinv_lsq/normal_equations.hpp"
#include "geoinv_lsq/scaling.hpp"
#include "geoinv_lsq/termination_tests.hpp"
#include "geoinv_lsq/workspace.hpp"

namespace geoinv::lsq {

// A strategy's verdict on one evaluated trial (see the contract above).
enum class Verdict { accepted, rejected, retry, exhausted };

// What the loop needs besides the strategy.
struct MinimizerOptions {
  Tolerances tolerances;                   // termination_tests.hpp
  Scaling scaling = Scaling::running_max;  // the rule for D (scaling.hpp)
  const char* plugin = "";                 // the solver's name, for errors
};

// Trace rows reserved up front: a typical solve's, and few enough that the buffer comes from glibc's
// per-thread cache of small blocks (reserving max_iterations + 1 rows made the trace cost as much as an
// evaluation: docs/benchmarks.md, "Least-squares solvers"); longer solves grow it.
constexpr std::int64_t kReservedTraceRows = 24;

// The trace every least-squares solver writes: one row for the start, one per trial.
inline Trace make_trace(const Tolerances& t) {
  // Copied from one list: cheaper than building the five names from literals each time.
  static const std::vector<std::string> kColumns{"iteration", "sse", "damping", "step_norm", "accepted"};
  Trace trace(kColumns);
  trace.reserve(static_cast<std::size_t>(std::min(t.max_iterations + 1, kReservedTraceRows)));
  return trace;
}

// Checks the start's size, projects it into the bounds and evaluates residuals and Jacobian there, with
// *sse = Σ r². Returns false (and fills `outcome` with numerical_failure) when they are not finite.
template <int N>
bool start_at(Problem& problem, const Vector& start, const char* plugin, Workspace<N>& work,
              SolverOutcome& outcome, double* sse) {
  const Index num_parameters = problem.num_parameters();
  if (start.size() != num_parameters)
    throw Error(Error::Category::config, std::string(plugin) + ": the start model has " +
                                             std::to_string(start.size()) + " values for " +
                                             std::to_string(num_parameters) + " parameters");
  work.resize(num_parameters, problem.num_residuals());
  work.model = start;
  problem.project(work.model);
  work.clipped.setZero();
  if (problem.residuals_and_jacobian(work.model, work.residuals, work.jacobian, sse)) return true;
  outcome.estimate = work.model;
  outcome.termination = Termination::numerical_failure;
  outcome.message = "the residuals or the Jacobian are not finite at the start model";
  return false;
}

// JᵀJ, Jᵀr and D at the current model. True when the gradient test holds (*message says why);
// otherwise the parameters that the last step pushed against a bound are held there for the next step.
template <int N>
bool linearise(const Problem& problem, const MinimizerOptions& options, Workspace<N>& work, std::string* message) {
  form_normal_equations(work.jacobian, work.residuals, work.normal, work.gradient);
  update_scaling(options.scaling, work.normal, work.largest_diagonal, work.scaling);
  if (gradient_test(projected_gradient_norm(problem, work.model, work.gradient), options.tolerances, message))
    return true;
  hold_active_bounds(problem, work.model, work.clipped, work.normal, work.gradient);
  return false;
}

// The trial's sse, +inf when its prediction is not finite. With an analytic Jacobian the trial's Jacobian
// is evaluated too (`with_jacobian`): that costs one evaluation and saves a second one for each accepted
// trial, where with finite differences it would cost 2n evaluations per rejected trial.
template <int N>
double evaluate_trial(Problem& problem, bool with_jacobian, Workspace<N>& work) {
  double cost = 0.0;
  const bool finite =
      with_jacobian ? problem.residuals_and_jacobian(work.trial_model, work.trial_residuals, work.trial_jacobian, &cost)
                    : problem.residuals(work.trial_model, work.trial_residuals, &cost);
  return finite ? cost : std::numeric_limits<double>::infinity();
}

// Minimises Σ r² from `start` with `strategy` (a fresh one per solve), in `work`. Inlining is left to the
// compiler: forcing the helpers and the strategy's methods into the loop made it slower, not faster
// (docs/benchmarks.md, "Least-squares solvers").
template <typename Strategy, int N>
SolverOutcome minimise(Problem& problem, const Vector& start, const MinimizerOptions& options, Strategy strategy,
                       Workspace<N>& work) {
  const Tolerances& tolerances = options.tolerances;
  SolverOutcome outcome;
  outcome.trace = make_trace(tolerances);
  double sse = 0.0;
  if (!start_at(problem, start, options.plugin, work, outcome, &sse)) return outcome;
  const bool jacobian_with_trials = problem.model().has_jacobian();
  auto finish = [&](Termination termination, std::string message) {
    outcome.estimate = work.model;
    outcome.termination = termination;
    outcome.message = std::move(message);
    return std::move(outcome);
  };

  outcome.trace.add_row({0.0, sse, strategy.damping(), 0.0, 1.0});
  std::string message;
  work.largest_diagonal.setZero();
  if (linearise(problem, options, work, &message)) return finish(Termination::gradient_tolerance, message);
  strategy.start(work);

  for (std::int64_t iteration = 1; iteration <= tolerances.max_iterations; ++iteration) {
    if constexpr (Strategy::kCountsIterationsBegun) outcome.iterations = static_cast<int>(iteration);
    if (!strategy.compute_step(work) || !work.step.allFinite())
      return finish(Termination::numerical_failure, strategy.failure_message());
    const double damping = strategy.damping();
    Verdict verdict = Verdict::retry;
    double trial_sse = 0.0;
    while (verdict == Verdict::retry) {
      strategy.propose_trial(work);
      project_trial(problem, work.trial_model, work.trial_clipped);
      work.step = work.trial_model - work.model;  // the projected step p
      const double step_norm = work.step.norm();
      if (parameter_test(step_norm, work.model.norm(), tolerances, &message))
        return finish(Termination::parameter_tolerance, message);
      trial_sse = evaluate_trial(problem, jacobian_with_trials, work);
      verdict = strategy.judge(work, sse, trial_sse);
      // Trials of one iteration share its number: the trace's axis is result.json's iterations.
      outcome.trace.add_row({static_cast<double>(iteration), trial_sse, damping, step_norm,
                             verdict == Verdict::accepted ? 1.0 : 0.0});
      if constexpr (!Strategy::kCountsIterationsBegun) outcome.iterations = static_cast<int>(iteration);
    }
    if (verdict == Verdict::exhausted) return finish(Termination::numerical_failure, strategy.failure_message());
    if (verdict == Verdict::rejected) continue;

    work.accept_trial(jacobian_with_trials);
    if (!jacobian_with_trials && !problem.residuals_and_jacobian(work.model, work.residuals, work.jacobian))
      return finish(Termination::numerical_failure,
                    "the Jacobian is not finite at the model accepted in iteration " + std::to_string(iteration));
    const double previous_sse = sse;
    sse = trial_sse;
    if (function_test(previous_sse, sse, tolerances, &message)) return finish(Termination::function_tolerance, message);
    if (linearise(problem, options, work, &message)) return finish(Termination::gradient_tolerance, message);
  }
  return finish(Termination::max_iterations,
                max_iterations_message(tolerances, sse, strategy.state_name(), strategy.state()));
}

}  // namespace geoinv::lsq
