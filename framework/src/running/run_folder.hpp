// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// One experiment run into its output folder, as `geoinv run` does it and the Python module's
// geoinv.run(out=...) too (docs/python.md): the folder's lock is held from before the solve until the
// folder is in place, so a second writer of the same folder is refused at once, even when overwriting;
// a folder that holds files is refused unless `experiment.overwrite`; then every solver runs and the run
// folder is written whole (run_outputs.hpp: write_run_directory), `before_rename` drawing the figures in
// its staging folder when given.
#include <filesystem>
#include <functional>
#include <vector>

#include "configuration/experiment.hpp"
#include "running/run_result.hpp"

namespace geoinv {

std::vector<SolverRunResult> run_experiment_into_folder(
    Experiment& experiment, const std::function<void(const std::filesystem::path&)>& before_rename = {});

}  // namespace geoinv
