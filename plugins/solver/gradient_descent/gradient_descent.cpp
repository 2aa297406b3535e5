// SPDX-License-Identifier: BSD-3-Clause
// The `gradient_descent` solver plugin: steepest descent on Φ = ‖W(d − f(m))‖² + λR(m) (R smooth: none or
// tikhonov), with a fixed step or a backtracking Armijo line search, Jacobi-preconditioned, projected onto
// the bounds; on a linear model it iterates on the Gram form without evaluating the model. See README.md.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_linear/linear_model.hpp"
#include "geoinv_linear/smooth_term.hpp"
#include "geoinv_plugin_example.hpp"
#include "gradient_descent_settings.hpp"

namespace {

using geoinv::Vector;
using geoinv::gradient_descent::Preconditioner;
using geoinv::gradient_descent::Settings;
using geoinv::gradient_descent::StepRule;
namespace gd = geoinv::gradient_descent;
namespace linear = geoinv::linear;

constexpr int kMaxBacktracking = 60;  // Armijo reductions of α in one step before the search fails

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options.add("max_iterations", &Settings::max_iterations, "descent steps before giving up").at_least(1);
  options.choice("step_rule", &Settings::step_rule, gd::kStepRuleWords,
                 "armijo: backtracking line search with the sufficient-decrease test; fixed: always step_size");
  options
      .add("step_size", &Settings::step_size,
           "fixed: the step α along -D^-1 grad; armijo: the first trial α (then twice the last accepted)")
      .greater_than(0.0);
  options
      .add("armijo_c", &Settings::armijo_c,
           "sufficient decrease: accept α when Φ(m + αδ) <= Φ(m) + c·α·∇Φᵀδ; in (0, 1)")
      .greater_than(0.0)
      .less_than(1.0);
  options
      .add("backtracking_factor", &Settings::backtracking_factor,
           "α is multiplied by this after a trial that fails the Armijo test; in (0, 1)")
      .greater_than(0.0)
      .less_than(1.0);
  options.choice("preconditioner", &Settings::preconditioner, gd::kPreconditionerWords,
                 "jacobi: step along -D^-1 grad with D the diagonal of the Gauss-Newton Hessian at the start; "
                 "none: plain steepest descent (Russell's gradient descent)");
  options
      .add("gradient_tolerance", &Settings::gradient_tolerance,
           "stop when the largest projected preconditioned gradient component is below this times max(1, |m|)")
      .greater_than(0.0);
  options
      .add("function_tolerance", &Settings::function_tolerance,
           "stop when an accepted step decreases the objective by less than this, relative")
      .greater_than(0.0);
  return options;
}

class GradientDescent final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }
  void configure(const geoinv::OptionValues& options) override { settings_ = bindings_.fill(options); }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start, const geoinv::SolveContext&) override {
    linear::require_smooth_regularization(problem, "gradient_descent", "fista");
    geoinv::SolverOutcome outcome;
    outcome.trace = geoinv::Trace({"iteration", "sse", "objective", "step", "gradient_norm"});
    linear::record_start(problem, start, outcome.trace);
    std::unique_ptr<linear::SmoothTerm> term;
    Vector diagonal;
    if (std::shared_ptr<const geoinv::LinearOperator> op = problem.linear_operator()) {
      auto gram = std::make_unique<linear::GramTerm>(problem, *op);
      diagonal = 2.0 * gram->gram().g.lower.col(gram->gram().g.half_width);
      term = std::move(gram);
    } else {
      diagonal = gauss_newton_diagonal(problem, start);
      term = std::make_unique<linear::ProblemTerm>(problem);
    }
    if (settings_.preconditioner == Preconditioner::none) diagonal.setOnes();
    std::string how;
    const Vector solution = descend(problem, start, *term, diagonal, outcome, how);
    linear::finish(problem, solution, fmt::format("gradient descent, {} iterations ({})", outcome.iterations, how),
                   outcome);
    return outcome;
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  // 2·diag(JᵀJ) (+ the Tikhonov diagonal) at the start, floored so that no parameter's step is unbounded.
  static Vector gauss_newton_diagonal(geoinv::Problem& problem, const Vector& start) {
    Vector m = start, r(problem.num_data());
    problem.project(m);
    geoinv::Matrix jacobian(problem.num_data(), problem.num_parameters());
    Vector diagonal = Vector::Ones(problem.num_parameters());
    if (!problem.residuals_and_jacobian(m, r, jacobian)) return diagonal;
    diagonal = 2.0 * jacobian.colwise().squaredNorm().transpose();
    const geoinv::Regularization& reg = problem.regularization();
    if (reg.active()) {
      const geoinv::Matrix l = geoinv::difference_operator(reg.order, m.size());
      diagonal += 2.0 * reg.lambda * l.colwise().squaredNorm().transpose();
    }
    const double floor = 1e-12 * std::max(diagonal.maxCoeff(), 1e-300);
    return diagonal.cwiseMax(floor);
  }

  Vector descend(geoinv::Problem& problem, const Vector& start, linear::SmoothTerm& term, const Vector& diagonal,
                 geoinv::SolverOutcome& outcome, std::string& how) const;

  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
};

Vector GradientDescent::descend(geoinv::Problem& problem, const Vector& start, linear::SmoothTerm& term,
                                const Vector& diagonal, geoinv::SolverOutcome& outcome, std::string& how) const {
  Vector x = start, gradient(start.size()), trial_gradient(start.size());
  problem.project(x);
  double f = 0.0;
  if (!term.evaluate(x, f, &gradient))
    throw geoinv::Error(geoinv::Error::Category::numerical, "gradient_descent: the objective is not finite at the start");
  double alpha = settings_.step_size;
  outcome.termination = geoinv::Termination::max_iterations;
  how = "iteration limit reached";
  for (std::int64_t k = 1; k <= settings_.max_iterations; ++k) {
    const Vector direction = -gradient.cwiseQuotient(diagonal);
    Vector projected = x + direction;
    problem.project(projected);
    const double scale = std::max(1.0, x.cwiseAbs().maxCoeff());
    if ((projected - x).cwiseAbs().maxCoeff() <= settings_.gradient_tolerance * scale) {
      outcome.termination = geoinv::Termination::gradient_tolerance;
      how = "projected gradient below gradient_tolerance";
      break;
    }
    Vector trial;
    double f_trial = 0.0;
    bool accepted = false;
    for (int attempt = 0; attempt < kMaxBacktracking && !accepted; ++attempt) {
      trial = x + alpha * direction;
      problem.project(trial);
      const bool finite = term.evaluate(trial, f_trial, &trial_gradient);
      accepted = finite && (settings_.step_rule == StepRule::fixed ||
                            f_trial <= f + settings_.armijo_c * gradient.dot(trial - x));
      if (!accepted && settings_.step_rule == StepRule::fixed) break;
      if (!accepted) alpha *= settings_.backtracking_factor;
    }
    if (!accepted) {
      outcome.termination = geoinv::Termination::numerical_failure;
      how = settings_.step_rule == StepRule::fixed ? "the objective is not finite after a fixed step"
                                                    : "the line search found no decrease";
      break;
    }
    const double decrease = f - f_trial;
    x.swap(trial);
    gradient.swap(trial_gradient);
    f = f_trial;
    outcome.iterations = static_cast<int>(k);
    outcome.trace.add_row({static_cast<double>(k), term.misfit(x, f), f, alpha, gradient.norm()});
    if (settings_.step_rule == StepRule::armijo) alpha *= 2.0;
    if (decrease >= 0.0 && decrease <= settings_.function_tolerance * std::abs(f)) {
      outcome.termination = geoinv::Termination::function_tolerance;
      how = fmt::format("relative decrease {:.3g} below function_tolerance", decrease / std::max(std::abs(f), 1e-300));
      break;
    }
  }
  return x;
}

}  // namespace

GEOINV_SOLVER_PLUGIN(GradientDescent, "gradient_descent", "1.0.0",
                     "steepest descent with a fixed step or an Armijo line search, Jacobi-preconditioned")
