// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <Eigen/Core>

#include <cstdint>
#include <optional>
#include <string>

#include "geoinv/export.hpp"
#include "geoinv/options.hpp"
#include "geoinv/posterior.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solve_observer.hpp"
#include "geoinv/termination.hpp"
#include "geoinv/trace.hpp"

namespace geoinv {

// What the host tells a solver besides the problem.
struct GEOINV_API SolveContext {
  std::uint64_t seed = 0;  // for any random draw the solver makes; derived from the experiment's seed
  int threads = 1;         // threads the solver may use (one inversion per thread is the norm)
  // Where progress and messages go (solve_observer.hpp); null when nobody listens. Report through
  // progress() and message(), which check it, rather than printing.
  SolveObserver* observer = nullptr;

  void progress(const SolveProgress& progress) const;
  void message(Severity severity, std::string_view text) const;
};

// What a solver reports. The host adds everything measured from outside (evaluation counts, wall
// time, misfit, optimality, uncertainty), identically for every solver.
struct GEOINV_API SolverOutcome {
  Vector estimate;  // internal units; the host canonicalises it
  Termination termination = Termination::max_iterations;
  std::string message;  // one human sentence: which test fired, with the numbers
  int iterations = 0;
  Trace trace;
  // A sampler's draws (posterior.hpp), from which the host writes the chain files and the posterior
  // summary (API 3.0); empty for every other solver.
  std::optional<PosteriorDraws> posterior;
};

// A solver: finds a parameter vector that explains the data of a Problem.
//
// options() declares every option (name, type, default, range, doc); configure() receives them
// validated, every default filled in, once before any solve(). solve() may be called many times (one
// per start, per data realisation); it must not keep state between calls that changes its results.
// The same seed gives the same estimate, bit for bit.
// Evaluations go through `problem`, which counts them and enforces the budget: let BudgetExhausted
// propagate. Keep the start and every trial step inside the bounds (Problem::project). Progress and
// messages go to context.observer (context.progress(), context.message()), never to stdout or stderr.
// A solver that learns from training data derives from LearningSolver (learning_solver.hpp).
class GEOINV_API Solver {
 public:
  virtual ~Solver();

  virtual OptionSpecs options() const { return {}; }
  virtual void configure(const OptionValues& options) = 0;
  virtual SolverOutcome solve(Problem& problem, const Vector& start, const SolveContext& context) = 0;

  // True for a solver that works only on a linear forward model (ForwardModel::linear_operator() not
  // null), e.g. linear_lsq. Its solve() throws Error (category config) naming the model when given a
  // nonlinear one; the host and the conformance suite read this to say so before solving. Default:
  // false. Added in plugin API 4.0.
  virtual bool needs_linear_model() const;

  // A complete experiment (YAML) that uses this solver: printed by `geoinv describe`, kept in the
  // plugin's README, and run by the tests.
  virtual std::string example_yaml() const = 0;
};

}  // namespace geoinv
