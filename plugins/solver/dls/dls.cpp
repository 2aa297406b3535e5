// SPDX-License-Identifier: BSD-3-Clause
// The `dls` solver plugin: damped least squares after Levenberg (1944) and Marquardt (1963), the damping
// scaled by a diagonal D of JᵀJ, with three damping policies (Marquardt's factors, Nielsen's gain-ratio
// update, a MINPACK trust region), each a strategy of the least-squares minimiser
// (geoinv_lsq/minimizer.hpp). See README.md for the algorithm, its options and references.
#include <string>

#include "damped_step.hpp"
#include "dls_settings.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_lsq/minimizer.hpp"
#include "geoinv_lsq/scaling.hpp"
#include "geoinv_lsq/termination_tests.hpp"
#include "geoinv_plugin_example.hpp"
#include "marquardt_damping.hpp"
#include "nielsen_damping.hpp"
#include "trust_region_damping.hpp"

namespace {

using geoinv::Vector;
using geoinv::dls::Damping;
using geoinv::dls::Settings;
namespace dls = geoinv::dls;
namespace lsq = geoinv::lsq;

// The options of dls bound to Settings, in the order `geoinv describe` lists them (README.md, "Options").
// The bounds keep the damping loop finite: a factor of 1 would retry the same rejected step until
// max_iterations.
geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  lsq::declare_max_iterations(options, &Settings::tolerances,
                              "trial steps (accepted or not) before giving up");
  options.choice("damping", &Settings::damping, dls::kDampingWords,
                 "how λ changes between trials: marquardt, ×damping_increase after a failure and "
                 "÷damping_decrease after a success (Marquardt 1963); nielsen, the gain-ratio update "
                 "λ·max(1/3, 1−(2ρ−1)³) / λ·ν, ν doubling (Nielsen 1999); trust_region, a radius Δ on "
                 "‖D^½δ‖ updated from ρ and λ solved for ‖D^½δ‖ ≈ Δ (Moré 1978, MINPACK)");
  options
      .add("initial_damping", &Settings::initial_damping,
           "λ₀ (marquardt, nielsen), relative to the scaling D; must be > 0. Small trusts "
           "Gauss-Newton from the start, large begins with short gradient-like steps")
      .greater_than(0.0);
  options
      .add("damping_increase", &Settings::damping_increase,
           "marquardt: factor λ is multiplied by after a step that does not lower the cost; must be > 1")
      .greater_than(1.0);
  options
      .add("damping_decrease", &Settings::damping_decrease,
           "marquardt: factor λ is divided by after a step that lowers the cost; must be > 1")
      .greater_than(1.0);
  options
      .add("min_damping", &Settings::min_damping,
           "floor for λ (marquardt, nielsen; relative to D): keeps the damped system definite "
           "when parameters are nearly collinear")
      .at_least(0.0);
  options
      .add("initial_radius_factor", &Settings::initial_radius_factor,
           "trust_region: Δ₀ = factor · ‖D^½ m₀‖, or factor when that is 0 (MINPACK's `factor`); must be > 0")
      .greater_than(0.0);
  options.choice("scaling", &Settings::scaling, lsq::kScalingWords,
                 "the diagonal D that λ multiplies: running_max, the largest diag(JᵀJ) met so far in "
                 "this solve (Moré 1978, MINPACK); current, diag(JᵀJ) at the current model "
                 "(Marquardt 1963)");
  lsq::declare_tolerances(options, &Settings::tolerances);
  return options;
}

class DampedLeastSquares final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& options) override { settings_ = bindings_.fill(options); }

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
  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
  lsq::Workspaces workspaces_;  // scratch only: every solve overwrites it before reading it
};

}  // namespace

GEOINV_SOLVER_PLUGIN(DampedLeastSquares, "dls", "1.0.0",
                     "Damped least squares (Levenberg-Marquardt): Marquardt, Nielsen or trust-region damping")
