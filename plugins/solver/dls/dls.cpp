// The `dls` solver plugin: damped least squares after Levenberg (1944) and Marquardt (1963), the damping
// scaled by diag(JᵀJ). See README.md for the algorithm, its options and references.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

using Eigen::Index;
using geoinv::Matrix;
using geoinv::OptionSpec;
using geoinv::Termination;
using geoinv::Vector;

// The diagonal D that λ multiplies. Marquardt (1963) used diag(JᵀJ) at the current model, which makes
// the step invariant to rescaling a parameter. Moré (1978, MINPACK) keeps the largest diag(JᵀJ) met so
// far instead: D never shrinks, so a parameter whose column was large once stays damped. On the seed
// profile that halves the iterations (35 -> 16), and from the seed start it finds the depth of 92% of
// random noisy sphere models within 20%, against 87% (README.md).
enum class Scaling { running_max, current };

constexpr const char* kScalingWords[] = {"running_max", "current"};

// One home for every option's default: the declarations below and configure() both read it.
struct Settings {
  std::int64_t max_iterations = 200;
  double initial_damping = 1e-3;
  double damping_increase = 10.0;
  double damping_decrease = 10.0;
  double min_damping = 1e-12;
  Scaling scaling = Scaling::running_max;
  double function_tolerance = 1e-10;
  double parameter_tolerance = 1e-10;
  double gradient_tolerance = 1e-12;
};

// OptionSpec bounds are inclusive; these are the nearest representable values to the exclusive bounds
// "> 0" and "> 1", so that the host's generic validation already refuses 0 and 1.
constexpr double kAboveZero = std::numeric_limits<double>::denorm_min();
const double kAboveOne = std::nextafter(1.0, 2.0);

// Short numeric text for messages, as printf's %.3g; to_chars because snprintf was 2.5% of a seed solve.
std::string number(double value) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::general, 3).ptr;
  return std::string(text, end);
}

// What a damping rule learns from one trial step. Gain-ratio rules (Nielsen 1999, a trust-region radius)
// will also want the reduction the linearised model predicted; add it here when one of them arrives.
struct StepOutcome {
  bool accepted = false;
  double sse_before = 0.0;
  double sse_after = 0.0;  // +inf when the trial's prediction was not finite
};

// Marquardt's rule: a constant factor down after a success, up after a failure. λ multiplies the scaling
// D (a diagonal of JᵀJ), so it is dimensionless and means the same for every choice of parameter units.
// A damping rule is any type with `double damping() const` and `void update(const StepOutcome&)`; the
// iteration below is a template over it, so further rules cost nothing in this one's loop.
class MarquardtDamping {
 public:
  explicit MarquardtDamping(const Settings& settings)
      : damping_(std::max(settings.initial_damping, settings.min_damping)),
        increase_(settings.damping_increase),
        decrease_(settings.damping_decrease),
        minimum_(settings.min_damping) {}

  double damping() const { return damping_; }

  void update(const StepOutcome& step) {
    // The floor keeps the damped system definite when JᵀJ is nearly singular (correlated parameters),
    // and keeps λ from drifting so low that many failures are needed before it bites again.
    damping_ = step.accepted ? std::max(damping_ / decrease_, minimum_) : damping_ * increase_;
  }

 private:
  double damping_, increase_, decrease_, minimum_;
};

// ---------------------------------------------------------------------------------------------------
// Normal equations. JᵀJ of a tall, skinny J is the other big cost of an iteration besides the forward
// model, and Eigen's general product spends more time packing it than multiplying (DESIGN.md, "The hot
// path"). Measured on 101 rows with SSE2: one fused pass wins up to 6 parameters, separate column dot
// products up to 16, Eigen's symmetric rank update above. Only the lower triangle of JᵀJ is written:
// it is all the Cholesky factorisations read.

constexpr Index kFusedParameterLimit = 6;
constexpr Index kColumnDotParameterLimit = 16;

// One pass over the rows accumulating every product at once, in SIMD packets of rows: independent
// accumulators keep the adder busy where a single dot product waits on its own latency.
template <int N>
void fused_normal_equations(const Matrix& jacobian, const Vector& residuals, Matrix& normal,
                            Vector& gradient) {
  using Packet = Eigen::internal::packet_traits<double>::type;
  constexpr Index kPacketRows = Eigen::internal::packet_traits<double>::size;
  constexpr int kProducts = N * (N + 1) / 2;
  namespace simd = Eigen::internal;

  const Index rows = jacobian.rows();
  const double* column[N];
  for (int a = 0; a < N; ++a) column[a] = jacobian.col(a).data();
  const double* r = residuals.data();

  Packet products[kProducts], gradients[N];
  for (Packet& sum : products) sum = simd::pset1<Packet>(0.0);
  for (Packet& sum : gradients) sum = simd::pset1<Packet>(0.0);
  Index i = 0;
  // Fully unrolled, so that GCC keeps the accumulators in registers rather than in a stack array.
  for (; i + kPacketRows <= rows; i += kPacketRows) {
    Packet values[N];
#pragma GCC unroll 8
    for (int a = 0; a < N; ++a) values[a] = simd::ploadu<Packet>(column[a] + i);
    const Packet residual = simd::ploadu<Packet>(r + i);
    int k = 0;
#pragma GCC unroll 8
    for (int a = 0; a < N; ++a) {
#pragma GCC unroll 8
      for (int b = a; b < N; ++b, ++k) products[k] = simd::pmadd(values[a], values[b], products[k]);
      gradients[a] = simd::pmadd(values[a], residual, gradients[a]);
    }
  }
  double product_sums[kProducts], gradient_sums[N];
  for (int k = 0; k < kProducts; ++k) product_sums[k] = simd::predux(products[k]);
  for (int a = 0; a < N; ++a) gradient_sums[a] = simd::predux(gradients[a]);
  for (; i < rows; ++i) {  // the rows left over from the packets
    for (int a = 0, k = 0; a < N; ++a) {
      for (int b = a; b < N; ++b, ++k) product_sums[k] += column[a][i] * column[b][i];
      gradient_sums[a] += column[a][i] * r[i];
    }
  }
  for (int a = 0, k = 0; a < N; ++a) {
    for (int b = a; b < N; ++b, ++k) normal(b, a) = product_sums[k];
    gradient(a) = gradient_sums[a];
  }
}

void form_normal_equations(const Matrix& jacobian, const Vector& residuals, Matrix& normal,
                           Vector& gradient) {
  using Kernel = void (*)(const Matrix&, const Vector&, Matrix&, Vector&);
  static constexpr Kernel kFused[kFusedParameterLimit + 1] = {
      nullptr,
      fused_normal_equations<1>,
      fused_normal_equations<2>,
      fused_normal_equations<3>,
      fused_normal_equations<4>,
      fused_normal_equations<5>,
      fused_normal_equations<6>,
  };
  const Index n = jacobian.cols();
  if (n == 0) return;
  if (n <= kFusedParameterLimit) return kFused[n](jacobian, residuals, normal, gradient);
  if (n <= kColumnDotParameterLimit) {
    for (Index j = 0; j < n; ++j) {
      for (Index i = j; i < n; ++i) normal(i, j) = jacobian.col(i).dot(jacobian.col(j));
      gradient(j) = jacobian.col(j).dot(residuals);
    }
  } else {
    normal.triangularView<Eigen::Lower>().setZero();
    normal.selfadjointView<Eigen::Lower>().rankUpdate(jacobian.transpose());
    gradient.noalias() = jacobian.transpose() * residuals;
  }
}

// ---------------------------------------------------------------------------------------------------
// The damped system (JᵀJ + λ·D) x = Jᵀr, symmetric positive definite for λ > 0 and D > 0.
class DampedSystem {
 public:
  void resize(Index n) {
    if (n > kSmallSystemLimit && large_.rows() != n) large_ = Eigen::LLT<Matrix, Eigen::Lower>(n);
    damped_.resize(n, n);
    inverse_pivots_.resize(n);
  }

  // False when the matrix is not numerically positive definite.
  bool solve(const Matrix& normal, const Vector& scaling, double damping, const Vector& gradient, Vector& x) {
    const Index n = normal.rows();
    if (n > kSmallSystemLimit) {
      damped_.triangularView<Eigen::Lower>() = normal;
      damped_.diagonal() += damping * scaling;
      large_.compute(damped_);
      if (large_.info() != Eigen::Success) return false;
      x = large_.solve(gradient);
      return true;
    }
    // Small systems: a plain Cholesky factorisation. Eigen's dynamic-size LLT spends more on bookkeeping
    // than on the arithmetic of a 4×4; this one multiplies by each pivot's reciprocal instead of dividing.
    Matrix& factor = damped_;  // lower triangle: L with L Lᵀ = JᵀJ + λ·D
    for (Index j = 0; j < n; ++j) {
      double pivot = normal(j, j) + damping * scaling(j);
      for (Index k = 0; k < j; ++k) pivot -= factor(j, k) * factor(j, k);
      if (!(pivot > 0.0)) return false;  // also refuses NaN
      const double root = std::sqrt(pivot);
      factor(j, j) = root;
      inverse_pivots_(j) = 1.0 / root;
      for (Index i = j + 1; i < n; ++i) {
        double value = normal(i, j);
        for (Index k = 0; k < j; ++k) value -= factor(i, k) * factor(j, k);
        factor(i, j) = value * inverse_pivots_(j);
      }
    }
    for (Index i = 0; i < n; ++i) {  // L y = b
      double value = gradient(i);
      for (Index k = 0; k < i; ++k) value -= factor(i, k) * x(k);
      x(i) = value * inverse_pivots_(i);
    }
    for (Index i = n - 1; i >= 0; --i) {  // Lᵀ x = y
      double value = x(i);
      for (Index k = i + 1; k < n; ++k) value -= factor(k, i) * x(k);
      x(i) = value * inverse_pivots_(i);
    }
    return true;
  }

 private:
  static constexpr Index kSmallSystemLimit = 16;
  Matrix damped_;  // the damped matrix (large systems) or its Cholesky factor (small ones)
  Vector inverse_pivots_;
  Eigen::LLT<Matrix, Eigen::Lower> large_;
};

// ---------------------------------------------------------------------------------------------------
// A diagonal entry of JᵀJ is zero only when a parameter does not affect the data; its row of JᵀJ and its
// gradient are then zero too, so its step is zero whatever the scaling is. The floor only keeps the
// damped matrix definite; relative to the largest entry, it sits far below any real ratio of scales.
constexpr double kRelativeScalingFloor = 1e-24;

// `largest` is the running maximum (or current diagonal) kept between calls; `scaling` is D, floored.
void update_scaling(Scaling rule, const Matrix& normal, Vector& largest, Vector& scaling) {
  if (rule == Scaling::running_max) {
    largest = largest.cwiseMax(normal.diagonal());
  } else {
    largest = normal.diagonal();
  }
  const double top = largest.maxCoeff();
  scaling = largest.cwiseMax(top > 0.0 ? kRelativeScalingFloor * top : 1.0);
}

// Max-norm of the projected gradient, x − P(x − g): the plain gradient inside the bounds, and only the
// components that could still move the model at an active bound (Ceres' convention).
double projected_gradient_norm(const geoinv::Problem& problem, const Vector& model, const Vector& gradient) {
  const Vector& lower = problem.lower_bounds();
  const Vector& upper = problem.upper_bounds();
  double norm = 0.0;
  for (Index i = 0; i < model.size(); ++i) {
    const double moved = std::clamp(model(i) - gradient(i), lower(i), upper(i));
    norm = std::max(norm, std::abs(model(i) - moved));
  }
  return norm;
}

// Everything the iteration needs, sized once per problem shape and reused across solves: the loop
// itself never allocates. Two residual/Jacobian buffers so that a rejected trial leaves the current
// point intact, and an accepted one is taken over by swapping pointers rather than copying.
struct Workspace {
  Vector model, trial_model, residuals, trial_residuals, gradient, largest_diagonal, scaling, step;
  Matrix jacobian, trial_jacobian, normal;
  DampedSystem system;

  void resize(Index num_parameters, Index num_data) {
    for (Vector* vector : {&model, &trial_model, &gradient, &largest_diagonal, &scaling, &step})
      vector->resize(num_parameters);
    residuals.resize(num_data);
    trial_residuals.resize(num_data);
    jacobian.resize(num_data, num_parameters);
    trial_jacobian.resize(num_data, num_parameters);
    normal.resize(num_parameters, num_parameters);
    system.resize(num_parameters);
  }
};

// Trace rows above this are not reserved up front (a user may set max_iterations to a billion).
constexpr std::int64_t kReservedTraceRows = 4096;

template <typename DampingRule>
geoinv::SolverOutcome minimise(geoinv::Problem& problem, const Vector& start, const Settings& settings,
                               DampingRule damping, Workspace& work) {
  const Index num_parameters = problem.num_parameters();
  const Index num_data = problem.num_data();
  if (start.size() != num_parameters)
    throw geoinv::Error(geoinv::Error::Category::config, "dls: the start model has " +
                                                             std::to_string(start.size()) + " values for " +
                                                             std::to_string(num_parameters) + " parameters");
  work.resize(num_parameters, num_data);
  // With an analytic Jacobian, evaluating it with every trial's residuals costs one evaluation and saves
  // a second one for each accepted step. With finite differences it would cost 2n evaluations per
  // rejected trial, so trials are evaluated for their residuals alone.
  const bool jacobian_with_trials = problem.model().has_jacobian();

  geoinv::SolverOutcome outcome;
  outcome.trace = geoinv::Trace({"iteration", "sse", "damping", "step_norm", "accepted"});
  outcome.trace.reserve(static_cast<std::size_t>(std::min(settings.max_iterations, kReservedTraceRows) + 1));
  auto finish = [&](Termination termination, std::string message) {
    outcome.estimate = work.model;
    outcome.termination = termination;
    outcome.message = std::move(message);
    return std::move(outcome);
  };

  work.model = start;
  problem.project(work.model);
  if (!problem.residuals_and_jacobian(work.model, work.residuals, work.jacobian))
    return finish(Termination::numerical_failure,
                  "the residuals or the Jacobian are not finite at the start model");
  double sse = work.residuals.squaredNorm();
  outcome.trace.add_row({0.0, sse, damping.damping(), 0.0, 1.0});

  // The linearisation at the current model: JᵀJ, Jᵀr and D. Returns a message when the gradient test holds.
  auto linearise = [&](std::string* message) {
    form_normal_equations(work.jacobian, work.residuals, work.normal, work.gradient);
    update_scaling(settings.scaling, work.normal, work.largest_diagonal, work.scaling);
    const double gradient_norm = projected_gradient_norm(problem, work.model, work.gradient);
    if (!(gradient_norm <= settings.gradient_tolerance)) return false;
    *message = "max-norm of the projected gradient " + number(gradient_norm) + " <= gradient_tolerance " +
               number(settings.gradient_tolerance);
    return true;
  };
  work.largest_diagonal.setZero();
  std::string message;
  if (linearise(&message)) return finish(Termination::gradient_tolerance, message);

  for (std::int64_t iteration = 1; iteration <= settings.max_iterations; ++iteration) {
    const double lambda = damping.damping();
    // work.step solves (JᵀJ + λ·D) step = Jᵀr; the Gauss-Newton-like step is its negative.
    if (!work.system.solve(work.normal, work.scaling, lambda, work.gradient, work.step) ||
        !work.step.allFinite())
      return finish(Termination::numerical_failure,
                    "the damped normal equations could not be solved (damping " + number(lambda) + ")");
    work.trial_model = work.model - work.step;
    problem.project(work.trial_model);
    const double step_norm = (work.trial_model - work.model).norm();
    const double step_limit =
        settings.parameter_tolerance * (work.model.norm() + settings.parameter_tolerance);
    if (step_norm <= step_limit)
      return finish(Termination::parameter_tolerance,
                    "step norm " + number(step_norm) +
                        " <= parameter_tolerance * (|m| + parameter_tolerance) = " + number(step_limit));

    const bool finite =
        jacobian_with_trials
            ? problem.residuals_and_jacobian(work.trial_model, work.trial_residuals, work.trial_jacobian)
            : problem.residuals(work.trial_model, work.trial_residuals);
    const double trial_sse =
        finite ? work.trial_residuals.squaredNorm() : std::numeric_limits<double>::infinity();
    const bool accepted = trial_sse < sse;
    outcome.trace.add_row(
        {static_cast<double>(iteration), trial_sse, lambda, step_norm, accepted ? 1.0 : 0.0});
    outcome.iterations = static_cast<int>(iteration);
    damping.update({accepted, sse, trial_sse});
    if (!accepted) continue;

    work.model.swap(work.trial_model);
    work.residuals.swap(work.trial_residuals);
    if (jacobian_with_trials) {
      work.jacobian.swap(work.trial_jacobian);
    } else if (!problem.residuals_and_jacobian(work.model, work.residuals, work.jacobian)) {
      return finish(
          Termination::numerical_failure,
          "the Jacobian is not finite at the model accepted in iteration " + std::to_string(iteration));
    }
    const double relative_decrease = (sse - trial_sse) / sse;
    sse = trial_sse;
    if (relative_decrease < settings.function_tolerance)
      return finish(Termination::function_tolerance, "relative cost decrease " + number(relative_decrease) +
                                                         " < function_tolerance " +
                                                         number(settings.function_tolerance));
    if (linearise(&message)) return finish(Termination::gradient_tolerance, message);
  }
  return finish(Termination::max_iterations, "reached max_iterations " +
                                                 std::to_string(settings.max_iterations) +
                                                 " without meeting a tolerance (sse " + number(sse) +
                                                 ", damping " + number(damping.damping()) + ")");
}

class DampedLeastSquares final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override {
    const Settings defaults;
    return {
        OptionSpec::integer("max_iterations", defaults.max_iterations,
                            "trial steps (accepted or not) before giving up", 1),
        OptionSpec::real(
            "initial_damping", defaults.initial_damping,
            "λ₀, relative to the scaling D (see scaling); must be > 0. Small trusts Gauss-Newton "
            "from the start, large begins with short gradient-like steps",
            kAboveZero),
        OptionSpec::real("damping_increase", defaults.damping_increase,
                         "factor λ is multiplied by after a step that does not lower the cost; must be > 1",
                         kAboveOne),
        OptionSpec::real("damping_decrease", defaults.damping_decrease,
                         "factor λ is divided by after a step that lowers the cost; must be > 1", kAboveOne),
        OptionSpec::real("min_damping", defaults.min_damping,
                         "floor for λ (relative to D): keeps the damped system definite when parameters are "
                         "nearly collinear",
                         0.0),
        OptionSpec::choice(
            "scaling", kScalingWords[static_cast<int>(defaults.scaling)],
            {kScalingWords[0], kScalingWords[1]},
            "the diagonal D that λ multiplies: running_max, the largest diag(JᵀJ) met so far in "
            "this solve (Moré 1978, MINPACK); current, diag(JᵀJ) at the current model "
            "(Marquardt 1963)"),
        OptionSpec::real("function_tolerance", defaults.function_tolerance,
                         "stop when an accepted step lowers the cost by less than this fraction "
                         "(|Δsse| / sse); 0 disables",
                         0.0),
        OptionSpec::real("parameter_tolerance", defaults.parameter_tolerance,
                         "stop when |δ| <= tol * (|m| + tol), δ the (projected) step; 0 disables", 0.0),
        OptionSpec::real("gradient_tolerance", defaults.gradient_tolerance,
                         "stop when the max-norm of the projected gradient Jᵀr is <= this; in units of "
                         "sse per unit of each parameter",
                         0.0),
    };
  }

  void configure(const geoinv::OptionValues& options) override {
    Settings settings;
    settings.max_iterations = options.get_int("max_iterations");
    settings.initial_damping = options.get_real("initial_damping");
    settings.damping_increase = options.get_real("damping_increase");
    settings.damping_decrease = options.get_real("damping_decrease");
    settings.min_damping = options.get_real("min_damping");
    settings.function_tolerance = options.get_real("function_tolerance");
    settings.parameter_tolerance = options.get_real("parameter_tolerance");
    settings.gradient_tolerance = options.get_real("gradient_tolerance");
    const std::string& scaling = options.get_string("scaling");
    // The host validates against options() first; these guard callers that skip it (a factor of 1
    // would retry the same rejected step until max_iterations).
    auto require = [](bool holds, const std::string& what) {
      if (!holds) throw geoinv::Error(geoinv::Error::Category::config, "dls: " + what);
    };
    require(scaling == kScalingWords[0] || scaling == kScalingWords[1],
            "scaling must be running_max or current, not '" + scaling + "'");
    settings.scaling = scaling == kScalingWords[0] ? Scaling::running_max : Scaling::current;
    require(settings.max_iterations >= 1, "max_iterations must be >= 1");
    require(settings.initial_damping > 0.0, "initial_damping must be > 0");
    require(settings.damping_increase > 1.0, "damping_increase must be > 1");
    require(settings.damping_decrease > 1.0, "damping_decrease must be > 1");
    require(settings.min_damping >= 0.0, "min_damping must be >= 0");
    require(settings.function_tolerance >= 0.0, "function_tolerance must be >= 0");
    require(settings.parameter_tolerance >= 0.0, "parameter_tolerance must be >= 0");
    require(settings.gradient_tolerance >= 0.0, "gradient_tolerance must be >= 0");
    settings_ = settings;
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start,
                              const geoinv::SolveContext&) override {
    return minimise(problem, start, settings_, MarquardtDamping(settings_), workspace_);
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  Settings settings_;
  Workspace workspace_;  // scratch only: every solve overwrites it before reading it
};

}  // namespace

GEOINV_SOLVER_PLUGIN(DampedLeastSquares, "dls", "1.0.0",
                     "Damped least squares (Levenberg-Marquardt), Marquardt's diag(JtJ) scaling")
