// The `dls` solver plugin: damped least squares after Levenberg (1944) and Marquardt (1963), the damping
// scaled by a diagonal D of JᵀJ, with three damping policies (Marquardt's factors, Nielsen's gain-ratio
// update, a MINPACK trust region). See README.md for the algorithm, its options and references.
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

using Eigen::Index;
using geoinv::OptionSpec;
using geoinv::Termination;
using geoinv::Vector;
namespace lsq = geoinv::lsq;

enum class Damping { marquardt, nielsen, trust_region };
constexpr const char* kDampingWords[] = {"marquardt", "nielsen", "trust_region"};

// One home for every option's default: the declarations below and configure() both read it.
struct Settings {
  lsq::Tolerances tolerances;
  // Nielsen's rule takes 12 iterations on the seed profile where Marquardt's factors take 16 (README.md).
  Damping damping = Damping::nielsen;
  double initial_damping = 1e-3;
  double damping_increase = 10.0;
  double damping_decrease = 10.0;
  double min_damping = 1e-12;
  lsq::Scaling scaling = lsq::Scaling::running_max;
  double initial_radius_factor = 100.0;
};

// What a damping policy learns from one trial step.
struct StepOutcome {
  bool accepted = false;
  double sse_before = 0.0;
  double sse_after = 0.0;           // +inf when the trial's prediction was not finite
  double predicted_decrease = 0.0;  // ‖r‖² − ‖r + Jp‖² for the projected step p
  double scaled_step_norm = 0.0;    // ‖D^½ p‖
};

// A damping policy is a small type with
//   double damping() const                   λ of the next step (the trace's `damping` column)
//   void start(const Work&)                  once, after the start model is linearised
//   bool step(Work&)                         x with (JᵀJ + λ·D) x = Jᵀr into work.step (the step is −x);
//                                            false when the system cannot be factorised
//   void update(const StepOutcome&)          after each trial
// The iteration is a template over it, so each policy costs nothing in another's loop.

// Marquardt (1963): a constant factor down after a success, up after a failure. λ multiplies D, so it is
// dimensionless and means the same for every choice of parameter units.
class MarquardtDamping {
 public:
  explicit MarquardtDamping(const Settings& s)
      : damping_(std::max(s.initial_damping, s.min_damping)),
        increase_(s.damping_increase),
        decrease_(s.damping_decrease),
        minimum_(s.min_damping) {}

  double damping() const { return damping_; }
  template <typename Work>
  void start(const Work&) {}
  template <typename Work>
  bool step(Work& work) {
    return work.system.solve(work.normal, work.scaling, damping_, work.gradient, work.step);
  }
  void update(const StepOutcome& step) {
    // The floor keeps the damped system definite when JᵀJ is nearly singular (correlated parameters),
    // and keeps λ from drifting so low that many failures are needed before it bites again.
    damping_ = step.accepted ? std::max(damping_ / decrease_, minimum_) : damping_ * increase_;
  }

 private:
  double damping_, increase_, decrease_, minimum_;
};

// Nielsen (1999), Madsen, Nielsen & Tingleff (2004, eq. 3.16): with the gain ratio ρ = actual / predicted
// decrease, an accepted step multiplies λ by max(1/3, 1 − (2ρ − 1)³) and resets ν = 2; a rejected one
// multiplies λ by ν and doubles ν. λ shrinks fast where the linearisation is good, and repeated failures
// raise it geometrically faster, so it never oscillates between the two factors as Marquardt's does.
class NielsenDamping {
 public:
  explicit NielsenDamping(const Settings& s)
      : damping_(std::max(s.initial_damping, s.min_damping)), minimum_(s.min_damping) {}

  double damping() const { return damping_; }
  template <typename Work>
  void start(const Work&) {}
  template <typename Work>
  bool step(Work& work) {
    return work.system.solve(work.normal, work.scaling, damping_, work.gradient, work.step);
  }
  void update(const StepOutcome& step) {
    if (step.accepted) {
      const double rho = step.predicted_decrease > 0.0
                             ? (step.sse_before - step.sse_after) / step.predicted_decrease
                             : 1.0;
      const double t = 2.0 * rho - 1.0;
      damping_ = std::max(damping_ * std::max(1.0 / 3.0, 1.0 - t * t * t), minimum_);
      nu_ = 2.0;
    } else {
      damping_ *= nu_;
      nu_ *= 2.0;
    }
  }

 private:
  double damping_, minimum_;
  double nu_ = 2.0;
};

// A trust region of radius Δ on the scaled step ‖D^½ δ‖, after Moré (1978) as MINPACK's lmder/lmpar do
// it: λ = 0 (Gauss-Newton) when that step lies inside the region, otherwise λ > 0 found by Moré's
// safeguarded Newton iteration on ‖D^½ δ(λ)‖ = Δ to within 10 %. After each trial, with ρ the gain
// ratio: ρ ≤ 1/4 sets Δ = ½·min(Δ, 10‖D^½p‖) and doubles λ; ρ ≥ 3/4 (or λ = 0) sets Δ = 2‖D^½p‖ and
// halves λ (MINPACK's lmder, without its finer factor for very bad steps).
// Δ₀ = initial_radius_factor · ‖D^½ m₀‖ (MINPACK's `factor`), or the factor itself when that is 0.
class TrustRegionDamping {
 public:
  explicit TrustRegionDamping(const Settings& s) : factor_(s.initial_radius_factor) {}

  double damping() const { return damping_; }

  template <typename Work>
  void start(const Work& work) {
    const double scaled = (work.scaling.cwiseSqrt().cwiseProduct(work.model)).norm();
    radius_ = scaled > 0.0 ? factor_ * scaled : factor_;
  }

  template <typename Work>
  bool step(Work& work) {
    auto& system = work.system;
    auto& x = work.step;
    auto& w = work.scratch;
    const auto& d = work.scaling;
    auto scaled_norm = [&] { return std::sqrt(x.cwiseAbs2().dot(d)); };
    // dφ/dλ = −‖L⁻¹ D x‖² / ‖D^½ x‖ with L Lᵀ = JᵀJ + λ·D.
    auto slope = [&](double q) {
      w = d.cwiseProduct(x);
      system.solve_lower(w, work.scratch_lower);
      return -work.scratch_lower.squaredNorm() / q;
    };
    const double upper_start = std::sqrt(work.gradient.cwiseAbs2().cwiseQuotient(d).sum()) / radius_;
    double lower = 0.0;
    if (system.factorize(work.normal, d, 0.0)) {  // the Gauss-Newton step
      system.solve(work.gradient, x);
      const double q = scaled_norm();
      if (x.allFinite() && q <= 1.1 * radius_) {
        damping_ = 0.0;
        return true;
      }
      if (x.allFinite()) lower = (q - radius_) / -slope(q);
    }
    double upper = upper_start;
    if (!(upper > 0.0) || !std::isfinite(upper)) upper = std::numeric_limits<double>::max();
    double lambda = damping_;
    for (int k = 0; k < kMaxIterations; ++k) {
      if (!(lambda > lower && lambda < upper)) lambda = std::max(1e-3 * upper, std::sqrt(lower * upper));
      if (!(lambda > 0.0)) lambda = std::max(1e-3 * upper, std::numeric_limits<double>::min());
      if (!system.factorize(work.normal, d, lambda)) return false;
      system.solve(work.gradient, x);
      const double q = scaled_norm();
      const double phi = q - radius_;
      if (std::abs(phi) <= 0.1 * radius_ || !(q > 0.0)) break;
      const double derivative = slope(q);
      if (phi > 0.0) lower = std::max(lower, lambda); else upper = std::min(upper, lambda);
      lambda = std::max(lower, lambda - (phi / derivative) * (q / radius_));
    }
    damping_ = lambda;
    return true;
  }

  void update(const StepOutcome& step) {
    const double rho = step.predicted_decrease > 0.0
                           ? (step.sse_before - step.sse_after) / step.predicted_decrease
                           : (step.accepted ? 1.0 : -1.0);
    if (!(rho > 0.25)) {  // also NaN and −inf (a trial that was not finite)
      radius_ = 0.5 * std::min(radius_, 10.0 * step.scaled_step_norm);
      damping_ *= 2.0;
    } else if (damping_ == 0.0 || rho >= 0.75) {
      radius_ = 2.0 * step.scaled_step_norm;
      damping_ *= 0.5;
    }
  }

 private:
  static constexpr int kMaxIterations = 10;  // MINPACK's lmpar
  double factor_;
  double radius_ = 1.0;
  double damping_ = 0.0;
};

template <typename Policy, int N>
geoinv::SolverOutcome minimise(geoinv::Problem& problem, const Vector& start, const Settings& settings,
                               Policy policy, lsq::Workspace<N>& work) {
  const lsq::Tolerances& tolerances = settings.tolerances;
  geoinv::SolverOutcome outcome;
  outcome.trace = lsq::make_trace(tolerances);
  double sse = 0.0;
  if (!lsq::start_at(problem, start, "dls", work, outcome, &sse)) return outcome;
  // With an analytic Jacobian, evaluating it with every trial's residuals costs one evaluation and saves
  // a second one for each accepted step. With finite differences it would cost 2n evaluations per
  // rejected trial, so trials are evaluated for their residuals alone.
  const bool jacobian_with_trials = problem.model().has_jacobian();
  auto finish = [&](Termination termination, std::string message) {
    outcome.estimate = work.model;
    outcome.termination = termination;
    outcome.message = std::move(message);
    return std::move(outcome);
  };

  outcome.trace.add_row({0.0, sse, policy.damping(), 0.0, 1.0});
  // The linearisation at the current model: JᵀJ, Jᵀr and D. True when the gradient test holds.
  std::string message;
  auto linearise = [&] {
    lsq::form_normal_equations(work.jacobian, work.residuals, work.normal, work.gradient);
    lsq::update_scaling(settings.scaling, work.normal, work.largest_diagonal, work.scaling);
    if (lsq::gradient_test(lsq::projected_gradient_norm(problem, work.model, work.gradient), tolerances,
                           &message))
      return true;
    lsq::hold_active_bounds(problem, work.model, work.clipped, work.normal, work.gradient);
    return false;
  };
  work.largest_diagonal.setZero();
  if (linearise()) return finish(Termination::gradient_tolerance, message);
  policy.start(work);

  for (std::int64_t iteration = 1; iteration <= tolerances.max_iterations; ++iteration) {
    // work.step solves (JᵀJ + λ·D) step = Jᵀr; the damped Gauss-Newton step is its negative.
    if (!policy.step(work) || !work.step.allFinite())
      return finish(Termination::numerical_failure, "the damped normal equations could not be solved (damping " +
                                                        lsq::number(policy.damping()) + ")");
    const double lambda = policy.damping();
    work.trial_model = work.model - work.step;
    work.project_trial(problem);
    work.step = work.trial_model - work.model;  // the projected step p
    const double step_norm = work.step.norm();
    if (lsq::parameter_test(step_norm, work.model.norm(), tolerances, &message))
      return finish(Termination::parameter_tolerance, message);

    double cost = 0.0;
    const bool finite =
        jacobian_with_trials
            ? problem.residuals_and_jacobian(work.trial_model, work.trial_residuals, work.trial_jacobian, &cost)
            : problem.residuals(work.trial_model, work.trial_residuals, &cost);
    const double trial_sse = finite ? cost : std::numeric_limits<double>::infinity();
    const bool accepted = trial_sse < sse;
    outcome.trace.add_row({static_cast<double>(iteration), trial_sse, lambda, step_norm, accepted ? 1.0 : 0.0});
    outcome.iterations = static_cast<int>(iteration);
    policy.update({accepted, sse, trial_sse, lsq::predicted_decrease(work.normal, work.gradient, work.step),
                   std::sqrt(work.step.cwiseAbs2().dot(work.scaling))});
    if (!accepted) continue;

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
  return finish(Termination::max_iterations,
                lsq::max_iterations_message(tolerances, sse, "damping", policy.damping()));
}

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
    return workspaces_.visit(problem.num_parameters(), [&](auto& work) {
      switch (settings_.damping) {
        case Damping::marquardt:
          return minimise(problem, start, settings_, MarquardtDamping(settings_), work);
        case Damping::trust_region:
          return minimise(problem, start, settings_, TrustRegionDamping(settings_), work);
        case Damping::nielsen:
          break;
      }
      return minimise(problem, start, settings_, NielsenDamping(settings_), work);
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
