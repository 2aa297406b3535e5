// The `gauss_newton` solver plugin: Gauss-Newton steps with a backtracking Armijo line search along the
// projected path. See README.md for the algorithm, its options and references.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "geoinv/plugin.hpp"
#include "geoinv_lsq/least_squares.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

using geoinv::OptionSpec;
using geoinv::Termination;
using geoinv::Vector;
namespace lsq = geoinv::lsq;

struct Settings {
  lsq::Tolerances tolerances;
  double armijo_c = 1e-4;
  double backtracking_factor = 0.5;
  std::int64_t max_backtracking_steps = 30;
  // The first trial's α is capped so that no parameter moves by more than this times max(|m_j|, s_j)
  // (s_j the parameter's typical scale; for an angle, s_j alone). 0: α starts at 1, plain Gauss-Newton.
  double max_relative_step = 1.0;
  // The first trial's α is also at most this times the α accepted in the previous iteration (when that
  // line search reduced α at most kMemoryReductions times), so that after a line search had to shorten the
  // step the next one does not start by repeating the overshoot; it doubles back to 1 in a few iterations.
  // 0: no such limit. README.md, "Step memory".
  double step_growth = 2.0;
};

// When JᵀJ is singular (a parameter without influence, exactly collinear columns) the Gauss-Newton
// system has no unique solution: the fallback adds λ·diag(JᵀJ), λ from 1e-10 up by ×100 until the
// Cholesky factorisation succeeds. It is never used when JᵀJ is definite.
constexpr double kFirstRegularisation = 1e-10;
constexpr double kLastRegularisation = 1e10;

// The step memory applies after a line search that reduced α at most this many times. One that needed
// more found a direction it could barely use, and its tiny α says nothing about the next direction: carried
// over, it made the next iterations crawl (a sphere whose depth is bounded below its minimum, README.md).
constexpr std::int64_t kMemoryReductions = 2;

class GaussNewton final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override {
    const Settings defaults;
    geoinv::OptionSpecs specs{
        lsq::max_iterations_option(defaults.tolerances,
                                   "Gauss-Newton iterations (each one linearisation and one line search)"),
        OptionSpec::real("armijo_c", defaults.armijo_c,
                         "sufficient decrease: accept α when sse(m + αδ) <= sse(m) + c·α·∇sseᵀδ; in (0, 1)",
                         lsq::kAboveZero, std::nextafter(1.0, 0.0)),
        OptionSpec::real("backtracking_factor", defaults.backtracking_factor,
                         "α is multiplied by this after a trial that fails the Armijo test; in (0, 1)",
                         lsq::kAboveZero, std::nextafter(1.0, 0.0)),
        OptionSpec::integer("max_backtracking_steps", defaults.max_backtracking_steps,
                            "reductions of α in one line search before it is declared failed", 0),
        OptionSpec::real("max_relative_step", defaults.max_relative_step,
                         "the line search starts at α = min(1, α_max), α_max letting no parameter move by "
                         "more than this times max(|m_j|, typical scale_j) (angles: the scale); 0 disables",
                         0.0),
        OptionSpec::real("step_growth", defaults.step_growth,
                         "the line search starts at α at most this times the α accepted in the previous "
                         "iteration (besides min(1, α_max)); 0 disables, else must be >= 1",
                         0.0),
    };
    for (auto& spec : lsq::tolerance_options(defaults.tolerances)) specs.push_back(std::move(spec));
    return specs;
  }

  void configure(const geoinv::OptionValues& options) override {
    Settings s;
    s.tolerances = lsq::read_tolerances(options, "gauss_newton");
    s.armijo_c = options.get_real("armijo_c");
    s.backtracking_factor = options.get_real("backtracking_factor");
    s.max_backtracking_steps = options.get_int("max_backtracking_steps");
    s.max_relative_step = options.get_real("max_relative_step");
    s.step_growth = options.get_real("step_growth");
    lsq::require(s.max_relative_step >= 0.0, "gauss_newton", "max_relative_step must be >= 0");
    // Below 1 the first trial would shrink from iteration to iteration whatever the line search found.
    lsq::require(s.step_growth == 0.0 || s.step_growth >= 1.0, "gauss_newton", "step_growth must be 0 or >= 1");
    lsq::require(s.armijo_c > 0.0 && s.armijo_c < 1.0, "gauss_newton", "armijo_c must lie in (0, 1)");
    lsq::require(s.backtracking_factor > 0.0 && s.backtracking_factor < 1.0, "gauss_newton",
                 "backtracking_factor must lie in (0, 1)");
    lsq::require(s.max_backtracking_steps >= 0, "gauss_newton", "max_backtracking_steps must be >= 0");
    settings_ = s;
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start, const geoinv::SolveContext&) override {
    return work_.visit(problem.num_parameters(),
                       [&](auto& work) { return minimise(problem, start, settings_, work); });
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  template <int N>
  static geoinv::SolverOutcome minimise(geoinv::Problem& problem, const Vector& start, const Settings& settings,
                                        lsq::Workspace<N>& work) {
    const lsq::Tolerances& tolerances = settings.tolerances;
    geoinv::SolverOutcome outcome;
    outcome.trace = lsq::make_trace(tolerances);
    double sse = 0.0;
    if (!lsq::start_at(problem, start, "gauss_newton", work, outcome, &sse)) return outcome;
    // As in dls: with an analytic Jacobian each trial evaluates it too, so an accepted trial needs no
    // second evaluation; with finite differences trials evaluate residuals only.
    const bool jacobian_with_trials = problem.model().has_jacobian();
    auto finish = [&](Termination termination, std::string message) {
      outcome.estimate = work.model;
      outcome.termination = termination;
      outcome.message = std::move(message);
      return std::move(outcome);
    };

    outcome.trace.add_row({0.0, sse, 0.0, 0.0, 1.0});
    std::string message;
    auto linearise = [&] {
      lsq::form_normal_equations(work.jacobian, work.residuals, work.normal, work.gradient);
      lsq::update_scaling(lsq::Scaling::current, work.normal, work.largest_diagonal, work.scaling);
      if (lsq::gradient_test(lsq::projected_gradient_norm(problem, work.model, work.gradient), tolerances,
                             &message))
        return true;
      lsq::hold_active_bounds(problem, work.model, work.clipped, work.normal, work.gradient);
      return false;
    };
    if (linearise()) return finish(Termination::gradient_tolerance, message);

    // Between line searches, the α the last one accepted and how many times it reduced α to get there:
    // the step memory (Settings::step_growth) starts from them.
    double alpha = 1.0;
    std::int64_t previous_reductions = 0;
    for (std::int64_t iteration = 1; iteration <= tolerances.max_iterations; ++iteration) {
      outcome.iterations = static_cast<int>(iteration);
      // JᵀJ x = Jᵀr; the Gauss-Newton direction is δ = −x. Regularised only when JᵀJ is singular.
      double regularisation = 0.0;
      bool solved = work.system.solve(work.normal, work.scaling, 0.0, work.gradient, work.step);
      if (!solved) {
        for (regularisation = kFirstRegularisation; !solved && regularisation <= kLastRegularisation;)
          if (!(solved = work.system.solve(work.normal, work.scaling, regularisation, work.gradient, work.step)))
            regularisation *= 100.0;
      }
      if (!solved || !work.step.allFinite())
        return finish(Termination::numerical_failure, "the Gauss-Newton system could not be solved, even with "
                                                      "regularisation " + lsq::number(kLastRegularisation));
      work.scratch = -work.step;  // δ

      // Backtracking along the projected path m(α) = P(m + αδ), Armijo's test on the projected step.
      const double previous_alpha = alpha;
      alpha = first_step_length(problem, work.model, work.scratch, settings.max_relative_step);
      if (settings.step_growth > 0.0 && iteration > 1 && previous_reductions <= kMemoryReductions)
        alpha = std::min(alpha, settings.step_growth * previous_alpha);
      bool accepted = false;
      double trial_sse = sse;
      for (std::int64_t backtrack = 0; backtrack <= settings.max_backtracking_steps; ++backtrack) {
        work.trial_model = work.model + alpha * work.scratch;
        work.project_trial(problem);
        work.step = work.trial_model - work.model;
        const double step_norm = work.step.norm();
        if (lsq::parameter_test(step_norm, work.model.norm(), tolerances, &message))
          return finish(Termination::parameter_tolerance, message);
        double cost = 0.0;
        const bool finite =
            jacobian_with_trials
                ? problem.residuals_and_jacobian(work.trial_model, work.trial_residuals, work.trial_jacobian, &cost)
                : problem.residuals(work.trial_model, work.trial_residuals, &cost);
        trial_sse = finite ? cost : std::numeric_limits<double>::infinity();
        // ∇sse = 2Jᵀr; for the projected step p the sufficient decrease is c·2gᵀp (c·α·∇sseᵀδ unprojected).
        const double slope = 2.0 * work.gradient.dot(work.step);
        accepted = trial_sse < sse && trial_sse <= sse + settings.armijo_c * slope;
        // Trials of one line search share its iteration: the trace's axis is result.json's iterations.
        outcome.trace.add_row(
            {static_cast<double>(iteration), trial_sse, regularisation, step_norm, accepted ? 1.0 : 0.0});
        if (accepted) {
          previous_reductions = backtrack;
          break;
        }
        alpha *= settings.backtracking_factor;
      }
      if (!accepted)
        return finish(Termination::numerical_failure,
                      "the line search found no sufficient decrease in " +
                          std::to_string(settings.max_backtracking_steps + 1) + " trials (last α " +
                          lsq::number(alpha / settings.backtracking_factor) + ")");

      work.accept_trial(jacobian_with_trials);
      if (!jacobian_with_trials && !problem.residuals_and_jacobian(work.model, work.residuals, work.jacobian))
        return finish(Termination::numerical_failure,
                      "the Jacobian is not finite at the model accepted in iteration " + std::to_string(iteration));
      const double previous_sse = sse;
      sse = trial_sse;
      if (lsq::function_test(previous_sse, sse, tolerances, &message))
        return finish(Termination::function_tolerance, message);
      if (linearise()) return finish(Termination::gradient_tolerance, message);
    }
    return finish(Termination::max_iterations, lsq::max_iterations_message(tolerances, sse, "last step length", alpha));
  }

  // min(1, the largest α for which every |α·δ_j| <= limit · max(|m_j|, s_j)).
  template <typename VectorType>
  static double first_step_length(const geoinv::Problem& problem, const VectorType& model, const VectorType& direction,
                                  double limit) {
    if (limit <= 0.0) return 1.0;
    const geoinv::ParameterSpecs& specs = problem.parameters();
    double alpha = 1.0;
    for (Eigen::Index j = 0; j < model.size(); ++j) {
      const auto& spec = specs[static_cast<std::size_t>(j)];
      const double size = spec.is_angle ? spec.scale : std::max(std::abs(model(j)), spec.scale);
      // Each parameter's own limit, then the smallest: independent divisions rather than a chain of them.
      alpha = std::min(alpha, limit * size / std::abs(direction(j)));  // +inf when the parameter stays put
    }
    return alpha;
  }

  Settings settings_;
  lsq::Workspaces work_;  // scratch only: every solve overwrites it before reading it
};

}  // namespace

GEOINV_SOLVER_PLUGIN(GaussNewton, "gauss_newton", "1.0.0",
                     "Gauss-Newton with a backtracking Armijo line search, projected onto the bounds")
