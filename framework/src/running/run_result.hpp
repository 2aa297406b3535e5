// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the host records for one solver on one data set: the solver's own outcome plus everything the
// host measures from outside, identically for every solver (docs/outputs.md).
#include <Eigen/Core>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "geoinv/posterior.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/termination.hpp"
#include "geoinv/trace.hpp"
#include "running/lambda_curve.hpp"
#include "running/posterior_summary.hpp"
#include "running/waic.hpp"

namespace geoinv {

struct Uncertainty {
  bool available = false;
  std::string note;           // why not available (not converged, singular, ...), or a warning (ill-conditioned)
  std::vector<std::string> warnings;  // strongly correlated pairs (running/uncertainty.hpp)
  Vector std_error;           // linearised 1σ, internal units
  Matrix correlation;         // n x n
  double sigma_hat_squared = 0;  // residual variance factor: Σr²/(m − n) of the weighted residuals
  double condition_number = 0;   // of the column-scaled JᵀJ
};

// One start of a solver (several with start strategy multistart).
struct StartOutcome {
  Vector start;     // internal units
  Vector estimate;  // as the solver returned it, internal units
  Termination termination = Termination::max_iterations;
  std::string message;
  int iterations = 0;
  EvaluationCounts counts;  // this start's share
  // Φ at the estimate: Σ r² of the weighted residuals, plus λ·R(m) with a regularisation
  double cost = std::numeric_limits<double>::quiet_NaN();
  std::optional<PosteriorDraws> posterior;  // a sampler's draws (moved to SolverRunResult for the winner)
};

struct SolverRunResult {
  std::string label;
  std::string plugin;
  std::uint64_t seed = 0;  // SolveContext::seed given to the solver
  Vector estimate;  // canonical, internal units
  Termination termination = Termination::max_iterations;
  RunStatus status = RunStatus::failed;
  std::string message;
  int iterations = 0;
  EvaluationCounts counts;
  double wall_time_s = 0;

  // Misfit, from unweighted residuals (data units), and χ² when σ is known.
  double sse = 0, rms = 0, chi2 = std::numeric_limits<double>::quiet_NaN();
  // Information criteria for comparing models on the same data (docs/outputs.md): with unknown σ
  // m·ln(SSE/m) + 2k and + k·ln m; with known σ, χ² + 2k and χ² + k·ln m. k counts every parameter.
  double aic = std::numeric_limits<double>::quiet_NaN();
  double bic = std::numeric_limits<double>::quiet_NaN();
  // Optimality: ‖Jᵀr‖∞ of the weighted residuals at the estimate, reported apart from the misfit.
  double optimality = std::numeric_limits<double>::quiet_NaN();
  // With a regularisation (experiment.regularization): R(m) at the estimate, without λ, and the objective
  // Φ = Σr² + λ·R every solver minimised (geoinv/regularization.hpp); NaN without one.
  double regularization_value = std::numeric_limits<double>::quiet_NaN();
  double objective = std::numeric_limits<double>::quiet_NaN();
  // With `lambda: {choose: ...}` (running/lambda_sweep.hpp): the swept curve and the λ this solver's
  // result was solved at; unset when λ is given, and for learning solvers.
  std::optional<LambdaChoice> lambda_choice;
  Uncertainty uncertainty;
  Vector relative_error;  // synthetic data only: (estimate − truth)/|truth|, angles by wrapped difference
  Vector predicted;
  Trace trace;  // of the winning start
  Trace anytime;  // Problem::best_so_far() over all starts: best Σ r² against forward evaluations
  std::vector<StartOutcome> starts;  // every start and its outcome; the best by cost (Φ) wins
  std::size_t best_start = 0;
  std::string start_from;  // the solver whose estimate this one started from (a chain), if any
  // What the user must read beside the numbers, other than the uncertainty's: e.g. options a model_file
  // makes ignored.
  std::vector<std::string> warnings;

  // Samplers (posterior_outputs.hpp): the winning start's draws and their summary.
  std::optional<PosteriorDraws> posterior;
  std::optional<PosteriorSummary> posterior_summary;
  // log p(yᵢ | θˢ) of every datum at every draw, and the WAIC from it (waic.hpp); empty without draws.
  PointwiseLogLikelihood pointwise_log_likelihood;
  std::optional<Waic> waic;

  // Learning solvers: training is reported apart from the inversion (wall_time_s is the inversion).
  bool learning = false;
  bool trained_now = false;
  double training_time_s = 0.0;
  Trace training_epochs;
  Vector validation_relative_error;
  std::string training_description;
  std::string model_file;
  // A window-1 learner's r̂(s) over the data's amplitude range (response_curve.hpp); empty otherwise.
  Trace response_curve;
};

}  // namespace geoinv
