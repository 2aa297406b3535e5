#pragma once
#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <string>

#include "geoinv/export.hpp"
#include "geoinv/options.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/termination.hpp"
#include "geoinv/trace.hpp"

namespace geoinv {

// What the host tells a solver besides the problem.
struct GEOINV_API SolveContext {
  std::uint64_t seed = 0;  // for any random draw the solver makes; derived from the experiment's seed
  int threads = 1;         // threads the solver may use (one inversion per thread is the norm)
};

// What a solver reports. The host adds everything measured from outside (evaluation counts, wall
// time, misfit, optimality, uncertainty), identically for every solver.
struct GEOINV_API SolverOutcome {
  Vector estimate;  // internal units; the host canonicalises it
  Termination termination = Termination::max_iterations;
  std::string message;  // one human sentence: which test fired, with the numbers
  int iterations = 0;
  Trace trace;
};

// A training set the host makes for a learning solver (docs/learning-solvers.md): noisy synthetic
// profiles from the experiment's forward model, with parameters drawn from the experiment's prior.
struct GEOINV_API TrainingSet {
  Matrix inputs;             // samples x data: one noisy profile per row, data units
  Matrix targets;            // samples x parameters: internal units (angles in radians), canonicalised
  ParameterSpecs parameters; // the forward model's parameters, in target column order
  Vector stations;           // where the profiles were computed
  // Identifies the forward model, its options, the station layout and the parameters. A trained model
  // stores it; the host refuses a model whose signature differs from the experiment's.
  std::string signature;
  std::string description;   // the training spec in words (prior, samples, noise), stored with the model
};

// What training reports. The host writes it to the run folder.
struct GEOINV_API TrainingReport {
  Trace epochs;                  // per epoch; must include columns "epoch", "train_loss", "validation_loss"
  double training_time_s = 0.0;  // measured by the solver around its own training loop
  Vector validation_relative_error;  // per parameter: median |estimate - truth| / |truth| on validation
  std::string message;
};

// A solver: finds a parameter vector that explains the data of a Problem.
//
// options() declares every option (name, type, default, range, doc); configure() receives them
// validated, every default filled in, once before any solve(). solve() may be called many times (one
// per start, per data realisation); it must not keep state between calls that changes its results.
// Evaluations go through `problem`, which counts them and enforces the budget: let BudgetExhausted
// propagate. Keep the start and every trial step inside the bounds (Problem::project).
class GEOINV_API Solver {
 public:
  virtual ~Solver();

  virtual OptionSpecs options() const { return {}; }
  virtual void configure(const OptionValues& options) = 0;
  virtual SolverOutcome solve(Problem& problem, const Vector& start, const SolveContext& context) = 0;

  // Learning solvers (e.g. a neural network) return true. The host then calls train() (or load_model())
  // once before any solve(); solve() maps problem.observed() to parameters and ignores `start`.
  virtual bool is_learning() const { return false; }
  virtual TrainingReport train(const TrainingSet& data, const SolveContext& context);
  // A trained model as a versioned file holding everything needed to use it again: architecture,
  // weights, scalers, and the training set's signature and description.
  virtual void save_model(const std::filesystem::path& file) const;
  // Loads a model saved by save_model; returns the signature it was trained for (the host compares it).
  virtual std::string load_model(const std::filesystem::path& file);

  // A complete experiment (YAML) that uses this solver: printed by `geoinv describe`, kept in the
  // plugin's README, and run by the tests.
  virtual std::string example_yaml() const = 0;
};

}  // namespace geoinv
