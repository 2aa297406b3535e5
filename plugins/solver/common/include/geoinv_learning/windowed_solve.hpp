// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The solve-time side of a learning solver's training-set shape (geoinv/learning_solver.hpp,
// TrainingSet::window), one mechanism for every learning solver (mlp, rbf_network, grnn):
//
//   * window 0 (whole profiles): the model maps the observed profile, one row, to the parameters;
//   * window W > 0: the model maps each of the observed trace's windows (geoinv::trace_windows, zero
//     padding past the ends) to the block's value at its centre, one row per sample.
//
// rows_to_map() makes the rows and checks that the problem fits the model; estimate_from() turns the
// model's predictions for them (one row per input row) into the estimate.
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"
#include "geoinv/problem.hpp"

namespace geoinv_learning {

// `inputs`: the model's input width (profile length, or W); `outputs`: its parameters (1 when windowed).
// geoinv::Error (config), naming `plugin`, when the problem does not fit.
inline geoinv::Matrix rows_to_map(const geoinv::Problem& problem, Eigen::Index window, Eigen::Index inputs,
                                  Eigen::Index outputs, const std::string& plugin) {
  const geoinv::Vector& observed = problem.observed();
  auto refuse = [&](const std::string& what) {
    throw geoinv::Error(geoinv::Error::Category::config, plugin + ": " + what);
  };
  if (window > 0) {
    if (problem.num_parameters() != observed.size())
      refuse("a windowed model gives one value per data sample: the trace has " +
             std::to_string(observed.size()) + " samples, the problem " +
             std::to_string(problem.num_parameters()) + " parameters");
    return geoinv::trace_windows(observed, window);
  }
  if (observed.size() != inputs)
    refuse("the profile has " + std::to_string(observed.size()) + " data; the model was trained on " +
           std::to_string(inputs));
  if (problem.num_parameters() != outputs)
    refuse("the model predicts " + std::to_string(outputs) + " parameters; the problem has " +
           std::to_string(problem.num_parameters()));
  return observed.transpose();
}

inline geoinv::Vector estimate_from(const geoinv::Matrix& predicted, Eigen::Index window) {
  return window > 0 ? geoinv::Vector(predicted.col(0)) : geoinv::Vector(predicted.row(0).transpose());
}

}  // namespace geoinv_learning
