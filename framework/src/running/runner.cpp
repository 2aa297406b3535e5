// SPDX-License-Identifier: BSD-3-Clause
#include "running/runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"
#include "running/console_observer.hpp"
#include "running/lambda_sweep.hpp"
#include "running/learning.hpp"
#include "running/uncertainty.hpp"
#include "running/response_curve.hpp"
#include "running/solver_activity.hpp"
#include "running/posterior_outputs.hpp"
#include "base/random.hpp"

namespace geoinv {

namespace {

// The uncertainty at `result`'s estimate from the Jacobian of the weighted residuals there, or the note
// saying why a solver that did not converge gets none; with the strongly correlated pairs.
Uncertainty uncertainty_at(const Experiment& experiment, const SolverRunResult& result,
                           const Matrix& weighted_jacobian, double weighted_sse) {
  Uncertainty uncertainty;
  uncertainty.note = withheld_uncertainty_note(result.termination);
  if (!uncertainty.note.empty()) return uncertainty;
  uncertainty = linearised_uncertainty(weighted_jacobian, weighted_sse);
  std::vector<std::string> names;
  for (const auto& p : experiment.parameters) names.push_back(p.name);
  uncertainty.warnings = strong_correlation_warnings(names, uncertainty.correlation);
  return uncertainty;
}

// The Problem of `experiment`'s data, for measuring an estimate outside run_experiment.
Problem problem_of(const Experiment& experiment) {
  Problem problem(experiment.forward, experiment.stations, experiment.observed, experiment.sigma, experiment.lower,
                  experiment.upper, experiment.budget);
  problem.set_regularization(experiment.regularization);
  return problem;
}

}  // namespace

void measure_estimate(const Experiment& experiment, const Problem& problem, SolverRunResult& result,
                      Measurements measurements) {
  const Eigen::Index m = experiment.observed.size();
  const Eigen::Index n = static_cast<Eigen::Index>(experiment.parameters.size());
  problem.model().canonicalize(result.estimate);

  Vector weighted;
  Matrix jacobian;
  if (!problem.measure(result.estimate, result.predicted, weighted, &jacobian)) {
    result.termination = Termination::numerical_failure;
    result.message += (result.message.empty() ? "" : "; ") + std::string("the estimate gives non-finite data");
    result.sse = result.rms = std::numeric_limits<double>::quiet_NaN();
    if (measurements.uncertainty) result.uncertainty.note = withheld_uncertainty_note(result.termination);
    return;
  }
  const Vector residual = result.predicted - experiment.observed;
  result.sse = residual.squaredNorm();
  result.rms = std::sqrt(result.sse / static_cast<double>(m));
  if (problem.has_sigma()) result.chi2 = weighted.squaredNorm();
  result.optimality = (jacobian.transpose() * weighted).cwiseAbs().maxCoeff();
  if (problem.regularization().kind != RegularizationKind::none) {
    result.regularization_value = problem.regularization().value(result.estimate);
    result.objective = problem.objective(result.estimate, weighted.squaredNorm());
  }
  const double k = static_cast<double>(n), data_count = static_cast<double>(m);
  const double fit_term = problem.has_sigma() ? result.chi2 : data_count * std::log(result.sse / data_count);
  result.aic = fit_term + 2.0 * k;
  result.bic = fit_term + k * std::log(data_count);
  if (measurements.uncertainty)
    result.uncertainty = uncertainty_at(experiment, result, jacobian, weighted.squaredNorm());

  if (experiment.synthetic) {
    Vector truth = experiment.true_model;
    problem.model().canonicalize(truth);
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
  Vector predicted, weighted;
  Matrix jacobian;
  try {
    if (!problem_of(experiment).measure(result.estimate, predicted, weighted, &jacobian)) return;
  } catch (const std::exception&) {
    return;  // as in measure_estimate, which recorded the failure in the result's message
  }
  result.uncertainty = uncertainty_at(experiment, result, jacobian, weighted.squaredNorm());
}

namespace {

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
    outcome.posterior = std::move(solved.posterior);
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
      outcome.cost = problem.objective(outcome.estimate, problem.measured_cost(outcome.estimate));
    } catch (const std::exception& error) {
      outcome.termination = Termination::plugin_failure;
      outcome.message += std::string("; forward model failed at the estimate: ") + error.what();
    }
  }
  return outcome;
}

// The starts of `solver`: the host's (the same for every solver), or the estimate of an earlier solver
// (a chain), projected into the bounds.
std::vector<Vector> starts_for(const Experiment& experiment, const SolverSpec& solver,
                               const std::vector<SolverRunResult>& earlier, const Problem& problem,
                               SolverRunResult& result) {
  std::vector<Vector> starts = experiment.starts;
  if (!solver.start_from.empty()) {
    result.start_from = solver.start_from;
    for (const auto& other : earlier)
      if (other.label == solver.start_from) starts = {other.estimate};
    problem.project(starts.front());
  }
  return starts;
}

// A learning solver's trained model, loaded or trained now, recorded in `result`.
void prepare_learning(Experiment& experiment, SolverSpec& solver, SolverRunResult& result) {
  result.learning = true;
  try {
    TrainedModel trained = prepare_learning_solver(experiment, solver);
    result.trained_now = trained.trained_now;
    result.training_time_s = trained.report.training_time_s;
    result.training_epochs = std::move(trained.report.epochs);
    result.validation_relative_error = std::move(trained.report.validation_relative_error);
    result.training_description = trained.description;
    result.model_file = trained.file.string();
    result.warnings = std::move(trained.warnings);
  } catch (const Error&) {
    throw;  // a model file for another forward model, station layout or parameter set: bad input
  } catch (const std::exception& error) {
    throw Error(Error::Category::plugin, "solver '" + solver.plugin + "' failed to train: " + error.what());
  }
}

// Every start's solve, on one budget; each outcome goes to result.starts, its trace to `traces`.
struct StartsSolved {
  std::vector<Trace> traces;
  bool exhausted = false;  // the budget ran out: the remaining starts did not run
  std::string exhausted_message;
};

StartsSolved solve_starts(SolverSpec& solver, Problem& problem, const std::vector<Vector>& starts,
                          const SolveContext& context, SolverRunResult& result) {
  StartsSolved solved;
  for (const Vector& start : starts) {
    solved.traces.emplace_back();
    try {
      result.starts.push_back(solve_from(*solver.instance, solver.plugin, problem, start, context, solved.traces.back()));
    } catch (const BudgetExhausted& error) {
      solved.exhausted = true;
      solved.exhausted_message = std::string(error.what()) + "; reporting the best model evaluated";
      solved.traces.pop_back();
      break;
    }
  }
  return solved;
}

// The estimate of `result`: the best start by misfit (a failed start never wins); when the budget ran out,
// the best model evaluated if it beats every finished start.
void choose_estimate(const Problem& problem, const std::vector<Vector>& starts, const StartsSolved& solved,
                     SolverRunResult& result) {
  bool found = false;
  for (std::size_t s = 0; s < result.starts.size(); ++s) {
    const StartOutcome& outcome = result.starts[s];
    if (std::isnan(outcome.cost)) continue;
    if (!found || outcome.cost < result.starts[result.best_start].cost) {
      result.best_start = s;
      found = true;
    }
  }
  if (solved.exhausted) {
    result.termination = Termination::budget_exhausted;
    result.message = solved.exhausted_message;
    result.estimate = problem.has_best() ? problem.best_model() : starts.front();
    if (found && result.starts[result.best_start].cost <= problem.best_cost())
      result.estimate = result.starts[result.best_start].estimate;
    result.iterations = found ? result.starts[result.best_start].iterations : 0;
    if (found) result.trace = solved.traces[result.best_start];
  } else if (found) {
    const StartOutcome& best = result.starts[result.best_start];
    result.estimate = best.estimate;
    result.termination = best.termination;
    result.message = best.message;
    result.iterations = best.iterations;
    result.trace = solved.traces[result.best_start];
  } else {
    const StartOutcome& first = result.starts.front();
    result.estimate = problem.has_best() ? problem.best_model() : first.start;
    result.termination = first.termination;
    result.message = first.message;
    result.iterations = first.iterations;
    result.trace = solved.traces.front();
  }
  if (starts.size() > 1)
    result.message = fmt::format("start {} of {} (best misfit): {}", result.best_start + 1, starts.size(),
                                 result.message);
}

// The λ of `solver` when the experiment chooses it (running/lambda_sweep.hpp), with `problem`'s
// regularisation left at that λ. A chained solver continues its predecessor's minimisation, so it takes
// the λ that one chose instead of sweeping again.
LambdaChoice lambda_for(const Experiment& experiment, SolverSpec& solver, Problem& problem,
                        const std::vector<Vector>& starts, const SolveContext& context,
                        const std::vector<SolverRunResult>& earlier) {
  for (const auto& other : earlier)
    if (!solver.start_from.empty() && other.label == solver.start_from && other.lambda_choice) {
      LambdaChoice inherited;
      inherited.rule = other.lambda_choice->rule;
      inherited.lambda = other.lambda_choice->lambda;
      inherited.inherited_from = other.label;
      Regularization regularization = experiment.regularization;
      regularization.lambda = inherited.lambda;
      problem.set_regularization(regularization);
      return inherited;
    }
  SolveContext quiet = context;
  quiet.observer = nullptr;  // the sweep's solves are not the run's: the console shows the final one
  const SolveAtLambda solve = [&](double, const std::optional<Vector>& warm_start) -> std::optional<Vector> {
    const std::vector<Vector> from = warm_start ? std::vector<Vector>{*warm_start} : starts;
    problem.reset();
    SolverRunResult scratch;
    const StartsSolved solved = solve_starts(solver, problem, from, quiet, scratch);
    choose_estimate(problem, from, solved, scratch);
    if (status_of(scratch.termination) == RunStatus::failed) return std::nullopt;
    return scratch.estimate;
  };
  return choose_lambda(experiment, problem, solve);
}

}  // namespace

std::vector<SolverRunResult> run_experiment(Experiment& experiment, Measurements measurements) {
  Problem problem = problem_of(experiment);
  std::vector<SolverRunResult> results;
  for (std::size_t index = 0; index < experiment.solvers.size(); ++index) {
    SolverSpec& solver = experiment.solvers[index];
    SolverRunResult result;
    result.label = solver.label;
    result.plugin = solver.plugin;
    ConsoleObserver console(solver.plugin);
    SolveContext context;
    context.seed = derive_seed(experiment.seed, 1 + index);
    context.threads = experiment.solver_threads;
    context.observer = &console;
    context.prior = solver.sampler_prior;
    result.seed = context.seed;
    std::vector<Vector> starts = starts_for(experiment, solver, results, problem, result);
    const SolverActivityScope activity(solver.label, solver.plugin, experiment.budget.max_wall_time_s);
    if (as_learning_solver(*solver.instance) != nullptr) {
      starts.resize(1);  // a trained network ignores its start: one prediction
      prepare_learning(experiment, solver, result);
    }
    if (experiment.lambda_choice && !result.learning)
      result.lambda_choice = lambda_for(experiment, solver, problem, starts, context, results);
    else if (experiment.lambda_choice)
      problem.set_regularization(experiment.regularization);  // a trained network minimises no Φ: no sweep

    problem.reset();  // every start of a solver draws on one budget per solver
    const auto started = std::chrono::steady_clock::now();
    const StartsSolved solved = solve_starts(solver, problem, starts, context, result);
    result.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.counts = problem.counts();
    result.anytime = problem.best_so_far();
    choose_estimate(problem, starts, solved, result);
    if (result.learning && status_of(result.termination) != RunStatus::failed)
      result.response_curve = response_curve(experiment, solver);
    summarise_posterior_of(experiment, result);
    assess_pointwise_fit(problem, result);
    try {
      measure_estimate(experiment, problem, result, measurements);
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
