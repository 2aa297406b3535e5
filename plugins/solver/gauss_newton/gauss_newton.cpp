// SPDX-License-Identifier: BSD-3-Clause
// The `gauss_newton` solver plugin: Gauss-Newton steps with a backtracking Armijo line search along the
// projected path, a strategy of the least-squares minimiser (geoinv_lsq/minimizer.hpp). See README.md for
// the algorithm, its options and references.
#include <string>

#include "gauss_newton_settings.hpp"
#include "geoinv/error.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_lsq/minimizer.hpp"
#include "geoinv_lsq/scaling.hpp"
#include "geoinv_lsq/termination_tests.hpp"
#include "geoinv_plugin_example.hpp"
#include "line_search.hpp"

namespace {

using geoinv::Vector;
using geoinv::gauss_newton::Settings;
namespace lsq = geoinv::lsq;

// The options of gauss_newton bound to Settings, in the order `geoinv describe` lists them (README.md,
// "Options").
geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  lsq::declare_max_iterations(options, &Settings::tolerances,
                              "Gauss-Newton iterations (each one linearisation and one line search)");
  options
      .add("armijo_c", &Settings::armijo_c,
           "sufficient decrease: accept α when sse(m + αδ) <= sse(m) + c·α·∇sseᵀδ; in (0, 1)")
      .greater_than(0.0)
      .less_than(1.0);
  options
      .add("backtracking_factor", &Settings::backtracking_factor,
           "α is multiplied by this after a trial that fails the Armijo test; in (0, 1)")
      .greater_than(0.0)
      .less_than(1.0);
  options
      .add("max_backtracking_steps", &Settings::max_backtracking_steps,
           "reductions of α in one line search before it is declared failed")
      .at_least(0);
  options
      .add("max_relative_step", &Settings::max_relative_step,
           "the line search starts at α = min(1, α_max), α_max letting no parameter move by "
           "more than this times max(|m_j|, typical scale_j) (angles: the scale); 0 disables")
      .at_least(0.0);
  // The range is 0 or [1, inf), which one interval cannot say: the spec refuses what is below 0 and
  // configure() what lies strictly between 0 and 1 (check_step_growth).
  options
      .add("step_growth", &Settings::step_growth,
           "the line search starts at α at most this times the α accepted in the previous "
           "iteration (besides min(1, α_max)); 0 disables, else must be >= 1")
      .at_least(0.0);
  lsq::declare_tolerances(options, &Settings::tolerances);
  return options;
}

// Below 1 the first trial would shrink from iteration to iteration whatever the line search found.
void check_step_growth(double step_growth) {
  if (step_growth == 0.0 || step_growth >= 1.0) return;
  throw geoinv::Error(geoinv::Error::Category::config,
                      "option 'step_growth': invalid value '" +
                          geoinv::to_string(geoinv::OptionValue(step_growth)) +
                          "': expected 0 (disabled) or a finite number >= 1");
}

class GaussNewton final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& options) override {
    Settings settings = bindings_.fill(options);
    check_step_growth(settings.step_growth);
    settings_ = settings;
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start, const geoinv::SolveContext&) override {
    // D is diag(JᵀJ) at the current model: it only scales the singular-system fallback (line_search.hpp).
    const lsq::MinimizerOptions options{settings_.tolerances, lsq::Scaling::current, "gauss_newton"};
    return work_.visit(problem.num_parameters(), [&](auto& work) {
      return lsq::minimise(problem, start, options, geoinv::gauss_newton::LineSearch(settings_, problem), work);
    });
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
  lsq::Workspaces work_;  // scratch only: every solve overwrites it before reading it
};

}  // namespace

GEOINV_SOLVER_PLUGIN(GaussNewton, "gauss_newton", "1.0.0",
                     "Gauss-Newton with a backtracking Armijo line search, projected onto the bounds")
