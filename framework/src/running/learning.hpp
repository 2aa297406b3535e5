// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The host's side of learning solvers (docs/learning-solvers.md): training sets drawn from a prior
// through the experiment's own forward model and noise model, the signature that ties a trained model
// to a forward model, station layout and parameter set, and training once per distinct spec.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "configuration/experiment.hpp"
#include "geoinv/learning_solver.hpp"
#include "running/training_signature.hpp"

namespace geoinv {

// The noise added to each training profile: the prior's own (noise_sigma, or snr), else the
// experiment's (its synthetic noise σ or snr, or the data's σ column). Part of the trained-model key.
struct TrainingNoise {
  Vector sigma;               // per station; unused with an snr
  std::optional<double> snr;  // resolved per profile by noise_sigma_for (configuration/noise_level.hpp)

  // Adds Gaussian noise to one noise-free profile, in place.
  void add_to(Eigen::Ref<Vector> data, NormalGenerator& random) const;
  std::string to_string() const;  // "noise sigma 3.16" or "snr 10", for descriptions
};
TrainingNoise training_noise(const Experiment& experiment, const PriorSpec& prior);

// Draws the prior's models, predicts their data with the experiment's forward model and adds noise
// from the experiment's noise model (or the prior's). Models the forward model calls invalid are
// redrawn (uniform, latin_hypercube, sparse) or skipped (grid). With prior.window > 0 (a forward model
// with one block of one value per data sample) the noisy traces are then cut into (window, centre value)
// pairs (TrainingSet::window, trace_windows), all of them or prior.pairs drawn without replacement.
// Deterministic for a given prior seed.
TrainingSet make_training_set(const Experiment& experiment, const PriorSpec& prior);

// A trained model ready for `spec.instance`, a LearningSolver (geoinv::Error otherwise): loaded from
// spec.model_file (signature checked: a config Error naming the file says what differs, the stations'
// count, ends and spacing among it; the options written for the solver are ignored then, and `warnings`
// names those that differ from their defaults), or trained on the spec's prior, its epochs shown on the console
// (ConsoleObserver). Training happens once per distinct (plugin, options, prior, signature, training
// noise) in a process; later requests load the saved file. Returns the model file and, when it trained,
// the report.
struct TrainedModel {
  std::filesystem::path file;
  bool trained_now = false;
  TrainingReport report;
  std::string description;
  std::vector<std::string> warnings;  // for the user, beside the results
};
TrainedModel prepare_learning_solver(const Experiment& experiment, SolverSpec& spec);

// Removes this process's folder of trained models now, if it made one; for a process that leaves through
// _exit (a campaign worker), which skips the removal at exit. No model may be trained afterwards.
void remove_model_cache_folder_now();

}  // namespace geoinv
