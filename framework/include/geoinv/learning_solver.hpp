// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Learning solvers (docs/learning-solvers.md): a solver that is trained once on synthetic profiles the host
// draws from a prior, then maps observed data to parameters. The host recognises one with
// as_learning_solver(); every other solver is a plain Solver and never sees these calls.
#include <Eigen/Core>

#include <filesystem>
#include <string>

#include "geoinv/export.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/solver.hpp"
#include "geoinv/trace.hpp"

namespace geoinv {

// A training set the host makes for a learning solver: noisy synthetic profiles from the experiment's
// forward model, with parameters drawn from the experiment's prior.
//
// Two shapes (docs/learning-solvers.md):
//   * window == 0, whole profiles: one row per noisy profile, one target column per parameter value.
//   * window == W > 0 (odd), windows of a trace: for a forward model with one parameter value per data
//     sample (a reflectivity block `r` beside a trace, say), each row is the window of W data samples
//     centred on sample i (trace_windows(), zero-padded past the trace's ends) and its one target is the
//     parameter value at sample i. A solver trained so maps a whole observed trace window by window:
//     estimate(i) = f(trace_windows(observed).row(i)).
struct GEOINV_API TrainingSet {
  Matrix inputs;   // samples x data (window == 0) or pairs x W: noisy data, data units
  Matrix targets;  // samples x parameters (or pairs x 1): internal units (angles in radians)
  // window == 0: the forward model's parameters, in target column order (scalars; size 1 each).
  // window > 0: the one block whose values the targets are; its size is the trace's sample count.
  ParameterSpecs parameters;
  Vector stations;           // where the profiles were computed
  Eigen::Index window = 0;   // 0: whole profiles; else the window width W in samples (odd)
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

// A solver that learns. The host calls train() (or load_model()) once, after configure() and before
// any solve(); solve() then maps problem.observed() to parameters and ignores `start`. An experiment
// gives such a solver a `prior` to train on or a `model_file` to reuse; the host refuses either key for a
// plain Solver.
//
// train() reports progress (one SolveProgress per epoch) through context.observer, never on a stream.
class GEOINV_API LearningSolver : public Solver {
 public:
  ~LearningSolver() override;

  virtual TrainingReport train(const TrainingSet& data, const SolveContext& context) = 0;
  // A trained model as a versioned file holding everything needed to use it again: architecture,
  // weights, scalers, and the training set's signature and description.
  virtual void save_model(const std::filesystem::path& file) const = 0;
  // Loads a model saved by save_model; returns the signature it was trained for (the host compares it).
  virtual std::string load_model(const std::filesystem::path& file) = 0;
};

// The windows of a trace (TrainingSet::window): row i holds trace(i − W/2 … i + W/2), samples outside
// the trace read as 0 (zero padding, so every sample, the ends included, has a full window). Rows: the
// trace's samples; columns: `width` (odd, ≥ 1; geoinv::Error otherwise). The one definition of a window,
// shared by the host (training sets) and the solvers (solve time).
GEOINV_API Matrix trace_windows(const Eigen::Ref<const Vector>& trace, Eigen::Index width);

// The solver as a LearningSolver, or nullptr when it does not learn. The cast happens in libgeoinv, where
// the interfaces' RTTI lives, so it holds for any plugin built against this API.
GEOINV_API LearningSolver* as_learning_solver(Solver& solver);
GEOINV_API const LearningSolver* as_learning_solver(const Solver& solver);

}  // namespace geoinv
