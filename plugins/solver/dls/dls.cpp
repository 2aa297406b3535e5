// The `dls` solver plugin: damped least squares after Levenberg (1944) and Marquardt (1963), the damping
// scaled by a diagonal D of JᵀJ, with three damping policies (Marquardt's factors, Nielsen's gain-ratio
// update, a MINPACK trust region), each a strategy of the least-squares minimiser
// (geoinv_lsq/minimizer.hpp). See README.md for the algorithm, its options and references.
#include <algorithm>
#include <iterator>
#include <string>

#include "damped_step.hpp"
#include "dls_settings.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_lsq/minimizer.hpp"
#include "geoinv_lsq/option_checks.hpp"
#include "geoinv_lsq/scaling.hpp"
#include "geoinv_lsq/termination_tests.hpp"
#include "geoinv_plugin_example.hpp"
#include "marquardt_damping.hpp"
#include "nielsen_damping.hpp"
#include "trust_region_damping.hpp"

namespace {

using geoinv::OptionSpec;
using geoinv::Vector;
using geoinv::dls::Damping;
using geoinv::dls::kDampingWords;
using geoinv::dls::Settings;
namespace dls = geoinv::dls;
namespace lsq = geoinv::lsq;

class DampedLeastSquares final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override {
    const Settings defaults;
    geoinv::OptionSpecs specs{
        lsq::max_iterations_option(defaults.tolerances, "trial steps (accepted or not) before giving up"),
        OptionSpec::choice(
            "damping", kDampingWords[static_cast<int>(defaults.damping)],
            {kDampingWords[0], kDampingWords[1], kDampingWords[2]},
            "how λ changes between trials: marquardt, ×damping_increase after a failure and "
            "÷damping_decrease after a success (Marquardt 1963); nielsen, the gain-ratio update "
            "λ·max(1/3, 1−(2ρ−1)³) / λ·ν, ν doubling (Nielsen 1999); trust_region, a radius Δ on "
            "‖D^½δ‖ updated from ρ and λ solved for ‖D^½δ‖ ≈ Δ (Moré 1978, MINPACK)"),
        OptionSpec::real("initial_damping", defaults.initial_damping,
                         "λ₀ (marquardt, nielsen), relative to the scaling D; must be > 0. Small trusts "
                         "Gauss-Newton from the start, large begins with short gradient-like steps",
                         lsq::kAboveZero),
        OptionSpec::real("damping_increase", defaults.damping_increase,
                         "marquardt: factor λ is multiplied by after a step that does not lower the cost; "
                         "must be > 1",
                         lsq::kAboveOne),
        OptionSpec::real("damping_decrease", defaults.damping_decrease,
                         "marquardt: factor λ is divided by after a step that lowers the cost; must be > 1",
                         lsq::kAboveOne),
        OptionSpec::real("min_damping", defaults.min_damping,
                         "floor for λ (marquardt, nielsen; relative to D): keeps the damped system definite "
                         "when parameters are nearly collinear",
                         0.0),
        OptionSpec::real("initial_radius_factor", defaults.initial_radius_factor,
                         "trust_region: Δ₀ = factor · ‖D^½ m₀‖, or factor when that is 0 (MINPACK's "
                         "`factor`); must be > 0",
                         lsq::kAboveZero),
        OptionSpec::choice("scaling", lsq::kScalingWords[static_cast<int>(defaults.scaling)],
                           {lsq::kScalingWords[0], lsq::kScalingWords[1]},
                           "the diagonal D that λ multiplies: running_max, the largest diag(JᵀJ) met so far in "
                           "this solve (Moré 1978, MINPACK); current, diag(JᵀJ) at the current model "
                           "(Marquardt 1963)"),
    };
    for (auto& spec : lsq::tolerance_options(defaults.tolerances)) specs.push_back(std::move(spec));
    return specs;
  }

  void configure(const geoinv::OptionValues& options) override {
    Settings settings;
    settings.tolerances = lsq::read_tolerances(options, "dls");
    settings.initial_damping = options.get_real("initial_damping");
    settings.damping_increase = options.get_real("damping_increase");
    settings.damping_decrease = options.get_real("damping_decrease");
    settings.min_damping = options.get_real("min_damping");
    settings.initial_radius_factor = options.get_real("initial_radius_factor");
    const std::string& scaling = options.get_string("scaling");
    const std::string& damping = options.get_string("damping");
    // The host validates against options() first; these guard callers that skip it (a factor of 1
    // would retry the same rejected step until max_iterations).
    auto require = [](bool holds, const std::string& what) { lsq::require(holds, "dls", what); };
    require(scaling == lsq::kScalingWords[0] || scaling == lsq::kScalingWords[1],
            "scaling must be running_max or current, not '" + scaling + "'");
    settings.scaling = scaling == lsq::kScalingWords[0] ? lsq::Scaling::running_max : lsq::Scaling::current;
    const auto word = std::find_if(std::begin(kDampingWords), std::end(kDampingWords),
                                   [&](const char* w) { return damping == w; });
    require(word != std::end(kDampingWords),
            "damping must be marquardt, nielsen or trust_region, not '" + damping + "'");
    settings.damping = static_cast<Damping>(word - std::begin(kDampingWords));
    require(settings.initial_damping > 0.0, "initial_damping must be > 0");
    require(settings.damping_increase > 1.0, "damping_increase must be > 1");
    require(settings.damping_decrease > 1.0, "damping_decrease must be > 1");
    require(settings.min_damping >= 0.0, "min_damping must be >= 0");
    require(settings.initial_radius_factor > 0.0, "initial_radius_factor must be > 0");
    settings_ = settings;
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start, const geoinv::SolveContext&) override {
    const lsq::MinimizerOptions options{settings_.tolerances, settings_.scaling, "dls"};
    return workspaces_.visit(problem.num_parameters(), [&](auto& work) {
      switch (settings_.damping) {
        case Damping::marquardt:
          return lsq::minimise(problem, start, options, dls::DampedStep(dls::MarquardtDamping(settings_)), work);
        case Damping::trust_region:
          return lsq::minimise(problem, start, options, dls::DampedStep(dls::TrustRegionDamping(settings_)), work);
        case Damping::nielsen:
          break;
      }
      return lsq::minimise(problem, start, options, dls::DampedStep(dls::NielsenDamping(settings_)), work);
    });
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  Settings settings_;
  lsq::Workspaces workspaces_;  // scratch only: every solve overwrites it before reading it
};

}  // namespace

GEOINV_SOLVER_PLUGIN(DampedLeastSquares, "dls", "1.0.0",
                     "Damped least squares (Levenberg-Marquardt): Marquardt, Nielsen or trust-region damping")
