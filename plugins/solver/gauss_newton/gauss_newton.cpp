// The `gauss_newton` solver plugin: Gauss-Newton steps with a backtracking Armijo line search along the
// projected path, a strategy of the least-squares minimiser (geoinv_lsq/minimizer.hpp). See README.md for
// the algorithm, its options and references.
#include <cmath>
#include <string>

#include "gauss_newton_settings.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_lsq/minimizer.hpp"
#include "geoinv_lsq/option_checks.hpp"
#include "geoinv_lsq/scaling.hpp"
#include "geoinv_lsq/termination_tests.hpp"
#include "geoinv_plugin_example.hpp"
#include "line_search.hpp"

namespace {

using geoinv::OptionSpec;
using geoinv::Vector;
using geoinv::gauss_newton::Settings;
namespace lsq = geoinv::lsq;

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
    // D is diag(JᵀJ) at the current model: it only scales the singular-system fallback (line_search.hpp).
    const lsq::MinimizerOptions options{settings_.tolerances, lsq::Scaling::current, "gauss_newton"};
    return work_.visit(problem.num_parameters(), [&](auto& work) {
      return lsq::minimise(problem, start, options, geoinv::gauss_newton::LineSearch(settings_, problem), work);
    });
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  Settings settings_;
  lsq::Workspaces work_;  // scratch only: every solve overwrites it before reading it
};

}  // namespace

GEOINV_SOLVER_PLUGIN(GaussNewton, "gauss_newton", "1.0.0",
                     "Gauss-Newton with a backtracking Armijo line search, projected onto the bounds")
