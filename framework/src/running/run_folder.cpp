// SPDX-License-Identifier: BSD-3-Clause
#include "running/run_folder.hpp"

#include "base/folder_lock.hpp"
#include "running/run_outputs.hpp"
#include "running/runner.hpp"

namespace geoinv {

std::vector<SolverRunResult> run_experiment_into_folder(
    Experiment& experiment, const std::function<void(const std::filesystem::path&)>& before_rename) {
  const FolderLock lock(experiment.output_dir);
  check_output_dir(experiment.output_dir, experiment.overwrite);
  auto results = run_experiment(experiment);
  write_run_directory(experiment.output_dir, experiment.overwrite, experiment, results, before_rename);
  return results;
}

}  // namespace geoinv
