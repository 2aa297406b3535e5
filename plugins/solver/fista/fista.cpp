// SPDX-License-Identifier: BSD-3-Clause
// The `fista` solver plugin: FISTA, accelerated proximal gradient (Beck & Teboulle 2009), for
// Φ = f + λR with f the smooth data misfit (plus Tikhonov) and R = l1 or tv through its prox, with
// adaptive restart and, for l1 on a linear model, an exact support solve. See README.md.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fista_settings.hpp"
#include "geoinv/error.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_linear/linear_model.hpp"
#include "geoinv_linear/smooth_term.hpp"
#include "geoinv_plugin_example.hpp"
#include "l1_polish.hpp"

namespace {

using geoinv::Vector;
using geoinv::fista::Settings;


namespace fista = geoinv::fista;

// A support that keeps changing is still tried every this many polish intervals.
constexpr std::int64_t kFallbackFactor = 8;

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options.add("max_iterations", &Settings::max_iterations, "proximal-gradient iterations before giving up")
      .at_least(1);
  options
      .add("parameter_tolerance", &Settings::parameter_tolerance,
           "stop when the step norm falls below this times the model norm")
      .greater_than(0.0);
  options.add("restart", &Settings::restart,
              "reset the momentum when it points uphill (adaptive restart, O'Donoghue & Candes 2015)");
  options
      .add("polish_interval", &Settings::polish_interval,
           "l1 on a linear model: try the exact support solve once the support and signs have held for this "
           "many iterations (every 8x this many while they keep changing); 0 never")
      .at_least(0);
  return options;
}

// The support and signs of u = x − m_ref as one value per coordinate (−1, 0, +1), to tell when they hold.
void support_signs(const Vector& x, const Vector& reference, std::vector<signed char>& signs) {
  signs.resize(static_cast<std::size_t>(x.size()));
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double u = x(i) - (reference.size() == 0 ? 0.0 : reference(i));
    signs[static_cast<std::size_t>(i)] = static_cast<signed char>((u > 0.0) - (u < 0.0));
  }
}

// One run of the loop: its state and what it writes to the outcome.
struct Iterate {
  Vector x, gradient_x;
  double f_x = 0.0;
};

class Fista final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }
  void configure(const geoinv::OptionValues& options) override { settings_ = bindings_.fill(options); }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start, const geoinv::SolveContext&) override {
    geoinv::SolverOutcome outcome;
    outcome.trace = geoinv::Trace({"iteration", "sse", "objective", "step", "restart"});
    const geoinv::linear::LinearProblem lp = geoinv::linear::linear_problem(problem, "fista");
    geoinv::linear::record_start(problem, start, outcome.trace);
    geoinv::linear::GramTerm term(problem, *lp.counted);
    std::string how;
    Vector solution = iterate(problem, start, term, outcome, how);
    geoinv::linear::finish(problem, solution, fmt::format("FISTA, {} iterations ({})", outcome.iterations, how),
                           outcome);
    return outcome;
  }

  bool needs_linear_model() const override { return true; }
  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  Vector iterate(geoinv::Problem& problem, const Vector& start, geoinv::linear::GramTerm& term,
                 geoinv::SolverOutcome& outcome, std::string& how) const;
  // p = prox_{R/L}(y − ∇f(y)/L), projected onto the bounds.
  Vector proximal_step(const geoinv::Problem& problem, const Vector& y, const Vector& gradient_y, double lipschitz) const {
    Vector p = y - gradient_y / lipschitz;
    const geoinv::Regularization& reg = problem.regularization();
    if (!reg.smooth()) reg.prox(p, 1.0 / lipschitz);
    problem.project(p);
    return p;
  }

  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
};

Vector Fista::iterate(geoinv::Problem& problem, const Vector& start, geoinv::linear::GramTerm& term,
                      geoinv::SolverOutcome& outcome, std::string& how) const {
  const geoinv::Regularization& reg = problem.regularization();
  const bool polish = reg.active() && reg.kind == geoinv::RegularizationKind::l1 && settings_.polish_interval > 0;
  const double lipschitz = term.lipschitz();
  Iterate current;
  current.x = start;
  problem.project(current.x);
  current.gradient_x.resize(start.size());
  if (!term.evaluate(current.x, current.f_x, &current.gradient_x))
    throw geoinv::Error(geoinv::Error::Category::numerical, "fista: the objective is not finite at the start");
  Vector y = current.x, gradient_y = current.gradient_x;
  double t = 1.0;
  std::vector<signed char> signs, previous_signs, tried_signs;
  std::int64_t stable = 0;
  outcome.termination = geoinv::Termination::max_iterations;
  how = "iteration limit reached";
  for (std::int64_t k = 1; k <= settings_.max_iterations; ++k) {
    Iterate next;
    next.gradient_x.resize(start.size());
    next.x = proximal_step(problem, y, gradient_y, lipschitz);
    if (!term.evaluate(next.x, next.f_x, &next.gradient_x)) {
      outcome.termination = geoinv::Termination::numerical_failure;
      how = "the objective is not finite";
      return current.x;
    }
    // The gradient is affine, so ∇f at the extrapolated point is the same extrapolation of the gradients.
    const Vector step = next.x - current.x;
    const bool uphill = settings_.restart && (y - next.x).dot(step) > 0.0;
    const double t_next = uphill ? 1.0 : 0.5 * (1.0 + std::sqrt(1.0 + 4.0 * t * t));
    const double beta = uphill ? 0.0 : (t - 1.0) / t_next;
    y = next.x + beta * step;
    gradient_y = next.gradient_x + beta * (next.gradient_x - current.gradient_x);
    t = t_next;
    const double change = step.norm(), size = next.x.norm();
    current = std::move(next);
    outcome.iterations = static_cast<int>(k);
    outcome.trace.add_row({static_cast<double>(k), term.misfit(current.x, current.f_x),
                           current.f_x + (reg.smooth() ? 0.0 : reg.penalty(current.x)), 1.0 / lipschitz,
                           uphill ? 1.0 : 0.0});
    if (polish) {
      support_signs(current.x, reg.reference, signs);
      stable = signs == previous_signs ? stable + 1 : 0;
      std::swap(signs, previous_signs);
    }
    // A support solve depends only on the support and signs, so one that failed is not repeated on them.
    const bool settled = stable >= settings_.polish_interval || k % (kFallbackFactor * settings_.polish_interval) == 0;
    if (polish && settled && previous_signs != tried_signs) {
      tried_signs = previous_signs;
      if (std::optional<Vector> exact = fista::l1_support_solve(term.gram(), problem, current.x)) {
        outcome.termination = geoinv::Termination::gradient_tolerance;
        how = "support solve: the optimality conditions hold exactly";
        return *exact;
      }
    }
    if (change <= settings_.parameter_tolerance * size) {
      outcome.termination = geoinv::Termination::parameter_tolerance;
      how = fmt::format("step {:.3g} below parameter_tolerance times the model norm", change);
      break;
    }
  }
  return current.x;
}

}  // namespace

GEOINV_SOLVER_PLUGIN(Fista, "fista", "1.0.0",
                     "FISTA accelerated proximal gradient for l1 (sparsity) and tv (blockiness) regularisation")
