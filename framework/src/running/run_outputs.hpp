// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The run directory (docs/outputs.md): config.resolved.yaml, result.json, fit.csv, fit_curves.csv,
// trace_<label>.csv; for learning solvers models/<label>.model.json, loss_<label>.csv and, for window-1
// learners, response_curve_<label>.csv (response_curve.hpp).
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "configuration/experiment.hpp"
#include "running/run_result.hpp"

namespace geoinv {

// Refuses, before anything runs, an output folder that already holds files unless overwriting is asked
// for: a second run must not silently replace the first.
void check_output_dir(const std::filesystem::path& dir, bool overwrite);

// Writes the whole run directory into a temporary sibling and renames it into place, so a failure or an
// interruption never leaves something that looks like a result. `before_rename`, when given, is called
// with the complete temporary folder just before the rename (`geoinv run` draws the figures there).
// Takes no lock: the caller holds the one that covers `dir` (base/folder_lock.hpp). `geoinv run` and
// the Python module hold the run folder's own (run_folder.hpp); a campaign holds its campaign folder's
// for the whole campaign, and that lock covers the run folders it keeps under runs/, which only the
// campaign writes. (A lock file per kept run, created and removed once per run, made every later file
// creation of the campaign slower: ext4 searches past recently freed inodes when it allocates one.)
void write_run_directory(const std::filesystem::path& dir, bool overwrite, const Experiment& experiment,
                         const std::vector<SolverRunResult>& results,
                         const std::function<void(const std::filesystem::path&)>& before_rename = {});

// The short table printed on stdout after a run.
std::string summary_table(const Experiment& experiment, const std::vector<SolverRunResult>& results);

// The lines printed under the summary table, what the user must read beside the numbers: per solver its
// message, why it has no uncertainty (or why the standard errors are unreliable), its warnings (strongly
// correlated parameters, options a model_file makes ignored), its training and its chain; then the notes
// of the data reader (rows sorted or averaged). report.html shows the same from result.json.
std::string summary_notes(const Experiment& experiment, const std::vector<SolverRunResult>& results);

// A Trace as CSV: a header of its columns, one line per row.
std::string trace_csv(const Trace& trace);

// result.json's content (also used by tests).
std::string result_json(const Experiment& experiment, const std::vector<SolverRunResult>& results);

}  // namespace geoinv
