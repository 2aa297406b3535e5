#include "running/runner.hpp"

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "geoinv/error.hpp"
#include "geoinv/finite_difference.hpp"
#include "running/console_observer.hpp"
#include "running/learning.hpp"
#include "base/random.hpp"

namespace geoinv {

namespace {

// Above this condition number of the column-scaled JᵀJ the linearised uncertainties are not to be
// trusted: parameters trade off against each other (e.g. K, q and h of a free-shape-factor body).
constexpr double kIllConditioned = 1e10;

void uncertainty_from(const Matrix& weighted_jacobian, double weighted_sse, Uncertainty& out) {
  const Eigen::Index m = weighted_jacobian.rows();
  const Eigen::Index n = weighted_jacobian.cols();
  if (m <= n) {
    out.note = fmt::format("no uncertainty: {} data for {} parameters leave no degrees of freedom", m, n);
    return;
  }
  // Column dot products: for the few parameters of most models this skips the blocked product's packing,
  // which costs more than the arithmetic; with many parameters the blocked product wins.
  Matrix normal(n, n);
  if (n <= 16) {
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = j; i < n; ++i)
        normal(i, j) = normal(j, i) = weighted_jacobian.col(i).dot(weighted_jacobian.col(j));
  } else {
    normal.noalias() = weighted_jacobian.transpose() * weighted_jacobian;
  }
  const Vector diagonal = normal.diagonal();
  if ((diagonal.array() <= 0.0).any()) {
    out.note = "no uncertainty: a parameter has no influence on the data at the estimate (zero Jacobian column)";
    return;
  }
  // Scale columns to unit diagonal so the condition number measures trade-offs, not units.
  const Vector inverse_scale = diagonal.cwiseSqrt().cwiseInverse();
  const Matrix scaled = inverse_scale.asDiagonal() * normal * inverse_scale.asDiagonal();
  Eigen::SelfAdjointEigenSolver<Matrix> eigen(scaled);
  const double largest = eigen.eigenvalues().maxCoeff();
  const double smallest = eigen.eigenvalues().minCoeff();
  out.condition_number = smallest > 0.0 ? largest / smallest : std::numeric_limits<double>::infinity();
  if (!(smallest > largest * 1e-15)) {
    out.note = "no uncertainty: JᵀJ is singular at the estimate (parameters not resolved by the data)";
    return;
  }
  out.sigma_hat_squared = weighted_sse / static_cast<double>(m - n);
  const Matrix scaled_inverse = eigen.eigenvectors() * eigen.eigenvalues().cwiseInverse().asDiagonal() *
                                eigen.eigenvectors().transpose();
  const Matrix covariance =
      out.sigma_hat_squared * (inverse_scale.asDiagonal() * scaled_inverse * inverse_scale.asDiagonal());
  out.std_error = covariance.diagonal().cwiseSqrt();
  out.correlation = covariance.array() / (out.std_error * out.std_error.transpose()).array();
  out.correlation.diagonal().setOnes();  // exactly, not 1 ± rounding
  out.available = true;
  if (out.condition_number > kIllConditioned)
    out.note = fmt::format("ill-conditioned: condition number {:.3g} of the scaled JᵀJ exceeds {:.0e}; "
                           "parameters trade off and the standard errors are unreliable",
                           out.condition_number, kIllConditioned);
}

// The prediction and the Jacobian at `estimate`; false when either is not finite.
bool predict_at(const Experiment& experiment, const Vector& estimate, Vector& predicted, Matrix& jacobian) {
  const ForwardModel& model = *experiment.forward;
  predicted.resize(experiment.observed.size());
  jacobian.resize(experiment.observed.size(), static_cast<Eigen::Index>(experiment.parameters.size()));
  if (model.has_jacobian()) {
    model.predict_with_jacobian(estimate, predicted, jacobian);
  } else {
    model.predict(estimate, predicted);
    central_difference_jacobian(model, estimate, jacobian);
  }
  return predicted.allFinite() && jacobian.allFinite();
}

// Residuals and Jacobian rows divided by the data's σ, where the data have one.
void weigh(const Experiment& experiment, Vector& residual, Matrix& jacobian) {
  if (experiment.sigma.size() == 0) return;
  residual.array() /= experiment.sigma.array();
  jacobian.array().colwise() /= experiment.sigma.array();
}

}  // namespace

void measure_estimate(const Experiment& experiment, SolverRunResult& result, Measurements measurements) {
  const ForwardModel& model = *experiment.forward;
  const Eigen::Index m = experiment.observed.size();
  const Eigen::Index n = static_cast<Eigen::Index>(experiment.parameters.size());
  model.canonicalize(result.estimate);

  Matrix jacobian;
  if (!predict_at(experiment, result.estimate, result.predicted, jacobian)) {
    result.termination = Termination::numerical_failure;
    result.message += (result.message.empty() ? "" : "; ") + std::string("the estimate gives non-finite data");
    result.sse = result.rms = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  const Vector residual = result.predicted - experiment.observed;
  result.sse = residual.squaredNorm();
  result.rms = std::sqrt(result.sse / static_cast<double>(m));
  Vector weighted = residual;
  weigh(experiment, weighted, jacobian);
  if (experiment.sigma.size() > 0) result.chi2 = weighted.squaredNorm();
  result.optimality = (jacobian.transpose() * weighted).cwiseAbs().maxCoeff();
  const double k = static_cast<double>(n), data_count = static_cast<double>(m);
  const double fit_term = experiment.sigma.size() > 0 ? result.chi2 : data_count * std::log(result.sse / data_count);
  result.aic = fit_term + 2.0 * k;
  result.bic = fit_term + k * std::log(data_count);
  if (measurements.uncertainty) uncertainty_from(jacobian, weighted.squaredNorm(), result.uncertainty);

  if (experiment.synthetic) {
    Vector truth = experiment.true_model;
    model.canonicalize(truth);
    result.relative_error.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      double difference = result.estimate(i) - truth(i);
      if (experiment.parameters[static_cast<std::size_t>(i)].is_angle)
        difference = wrap_angle(difference + kPi) - kPi;  // the shorter way round the circle
      const double reference = std::abs(truth(i));
      result.relative_error(i) = reference > 0.0 ? difference / reference : difference;
    }
  }
}

void measure_uncertainty(const Experiment& experiment, SolverRunResult& result) {
  if (std::isnan(result.sse) || result.estimate.size() != static_cast<Eigen::Index>(experiment.parameters.size()))
    return;  // measure_estimate found no finite prediction there, or never ran
  Vector predicted;
  Matrix jacobian;
  try {
    if (!predict_at(experiment, result.estimate, predicted, jacobian)) return;
  } catch (const std::exception&) {
    return;  // as in measure_estimate, which recorded the failure in the result's message
  }
  Vector weighted = predicted - experiment.observed;
  weigh(experiment, weighted, jacobian);
  result.uncertainty = Uncertainty{};
  uncertainty_from(jacobian, weighted.squaredNorm(), result.uncertainty);
}

namespace {

double weighted_cost(const Problem& problem, const Vector& model) {
  Vector predicted(problem.num_data());
  problem.predict_uncounted(model, predicted);
  Vector residual = predicted - problem.observed();
  if (problem.has_sigma()) residual.array() /= problem.sigma().array();
  const double cost = residual.squaredNorm();
  return std::isfinite(cost) ? cost : std::numeric_limits<double>::quiet_NaN();
}

EvaluationCounts operator-(const EvaluationCounts& a, const EvaluationCounts& b) {
  return {a.forward - b.forward, a.jacobian - b.jacobian};
}

// One solve from one start. BudgetExhausted propagates: the budget covers all starts of a solver.
StartOutcome solve_from(Solver& solver, const std::string& plugin, Problem& problem, const Vector& start,
                        const SolveContext& context, Trace& trace) {
  StartOutcome outcome;
  outcome.start = start;
  const EvaluationCounts before = problem.counts();
  try {
    SolverOutcome solved = solver.solve(problem, start, context);
    outcome.estimate = std::move(solved.estimate);
    outcome.termination = solved.termination;
    outcome.message = std::move(solved.message);
    outcome.iterations = solved.iterations;
    trace = std::move(solved.trace);
  } catch (const BudgetExhausted&) {
    throw;
  } catch (const std::exception& error) {
    outcome.termination = Termination::plugin_failure;
    outcome.message = "solver '" + plugin + "' failed: " + error.what();
    outcome.estimate = start;
  }
  outcome.counts = problem.counts() - before;
  if (outcome.estimate.size() != problem.num_parameters()) {
    outcome.termination = Termination::plugin_failure;
    outcome.message = fmt::format("solver '{}' returned {} values for {} parameters", plugin,
                                  outcome.estimate.size(), problem.num_parameters());
    outcome.estimate = start;
  } else if (!outcome.estimate.allFinite()) {
    outcome.termination = Termination::numerical_failure;
    outcome.message += (outcome.message.empty() ? "" : "; ") + std::string("the estimate is not finite");
    outcome.estimate = start;
  }
  if (status_of(outcome.termination) != RunStatus::failed) {
    try {
      problem.model().canonicalize(outcome.estimate);  // so starts that found the same body read alike
      outcome.cost = weighted_cost(problem, outcome.estimate);
    } catch (const std::exception& error) {
      outcome.termination = Termination::plugin_failure;
      outcome.message += std::string("; forward model failed at the estimate: ") + error.what();
    }
  }
  return outcome;
}

}  // namespace

std::vector<SolverRunResult> run_experiment(Experiment& experiment, Measurements measurements) {
  Problem problem(experiment.forward, experiment.stations, experiment.observed, experiment.sigma, experiment.lower,
                  experiment.upper, experiment.budget);
  std::vector<SolverRunResult> results;
  for (std::size_t index = 0; index < experiment.solvers.size(); ++index) {
    SolverSpec& solver = experiment.solvers[index];
    SolverRunResult result;
    result.label = solver.label;
    result.plugin = solver.plugin;
    ConsoleObserver console(solver.plugin);
    SolveContext context;
    context.seed = derive_seed(experiment.seed, 1 + index);
    context.observer = &console;
    result.seed = context.seed;

    // The starts: the host's (the same for every solver), or the estimate of an earlier solver (a chain).
    std::vector<Vector> starts = experiment.starts;
    if (!solver.start_from.empty()) {
      result.start_from = solver.start_from;
      for (const auto& earlier : results)
        if (earlier.label == solver.start_from) starts = {earlier.estimate};
      problem.project(starts.front());
    }
    const bool learning = as_learning_solver(*solver.instance) != nullptr;
    if (learning) {
      result.learning = true;
      starts.resize(1);  // a trained network ignores its start: one prediction
      try {
        TrainedModel trained = prepare_learning_solver(experiment, solver);
        result.trained_now = trained.trained_now;
        result.training_time_s = trained.report.training_time_s;
        result.training_epochs = std::move(trained.report.epochs);
        result.validation_relative_error = std::move(trained.report.validation_relative_error);
        result.training_description = trained.description;
        result.model_file = trained.file.string();
      } catch (const Error&) {
        throw;  // a model file for another forward model, station layout or parameter set: bad input
      } catch (const std::exception& error) {
        throw Error(Error::Category::plugin, "solver '" + solver.plugin + "' failed to train: " + error.what());
      }
    }

    // Every start of a solver draws on one budget per solver.
    problem.reset();
    const auto started = std::chrono::steady_clock::now();
    std::vector<Trace> traces;
    bool exhausted = false;
    std::string exhausted_message;
    for (const Vector& start : starts) {
      traces.emplace_back();
      try {
        result.starts.push_back(solve_from(*solver.instance, solver.plugin, problem, start, context, traces.back()));
      } catch (const BudgetExhausted& error) {
        exhausted = true;
        exhausted_message = std::string(error.what()) + "; reporting the best model evaluated";
        traces.pop_back();
        break;
      }
    }
    result.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.counts = problem.counts();

    // The best start by misfit wins; a failed start never does.
    bool found = false;
    for (std::size_t s = 0; s < result.starts.size(); ++s) {
      const StartOutcome& outcome = result.starts[s];
      if (std::isnan(outcome.cost)) continue;
      if (!found || outcome.cost < result.starts[result.best_start].cost) {
        result.best_start = s;
        found = true;
      }
    }
    if (exhausted) {
      // The best model evaluated (by the solver or any start) beats an unfinished search.
      result.termination = Termination::budget_exhausted;
      result.message = exhausted_message;
      result.estimate = problem.has_best() ? problem.best_model() : starts.front();
      if (found && result.starts[result.best_start].cost <= problem.best_cost())
        result.estimate = result.starts[result.best_start].estimate;
      result.iterations = found ? result.starts[result.best_start].iterations : 0;
      if (found) result.trace = traces[result.best_start];
    } else if (found) {
      const StartOutcome& best = result.starts[result.best_start];
      result.estimate = best.estimate;
      result.termination = best.termination;
      result.message = best.message;
      result.iterations = best.iterations;
      result.trace = traces[result.best_start];
    } else {
      const StartOutcome& first = result.starts.front();
      result.estimate = problem.has_best() ? problem.best_model() : first.start;
      result.termination = first.termination;
      result.message = first.message;
      result.iterations = first.iterations;
      result.trace = traces.front();
    }
    if (starts.size() > 1)
      result.message = fmt::format("start {} of {} (best misfit): {}", result.best_start + 1, starts.size(),
                                   result.message);
    try {
      measure_estimate(experiment, result, measurements);
    } catch (const std::exception& error) {
      result.termination = Termination::plugin_failure;
      result.message += std::string("; forward model failed at the estimate: ") + error.what();
    }
    result.status = status_of(result.termination);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace geoinv
