// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What `geoinv train` writes (docs/learning-solvers.md): each trained model as DIR/<solver>.model.json
// with its losses per epoch (loss_<solver>.csv), and DIR/training.json listing them all.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "configuration/experiment.hpp"
#include "running/learning.hpp"

namespace geoinv {

// (solver label, its trained model), in the experiment's solver order.
using TrainedSolvers = std::vector<std::pair<std::string, TrainedModel>>;

// Writes the models of `trained` into `out` (created when missing): <label>.model.json, loss_<label>.csv,
// and training.json with each model's file, training time, description, message and median relative
// validation error per parameter of `experiment`.
void write_training_outputs(const std::filesystem::path& out, const Experiment& experiment,
                            const TrainedSolvers& trained);

// The console line for one trained model: label, training time, description and the trainer's message.
std::string training_line(const std::string& label, const TrainedModel& model);

}  // namespace geoinv
