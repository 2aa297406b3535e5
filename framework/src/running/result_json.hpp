// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// result.json read back: the typed reader beside its writer (run_outputs.hpp: result_json), so that
// `geoinv compare`, the figures and the report read a run folder's record by field, not by key names
// scattered over the code. docs/outputs.md describes every field.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "geoinv/parameter_layout.hpp"
#include "running/objective_statement.hpp"

namespace geoinv {

// One model value. A block of result.json ("size" in "parameters", its values as arrays) reads as one
// record per value, named as parameter_layout.hpp names them ("r[3]"), so readers index values alike.
struct RunParameterRecord {
  std::string name;
  std::string unit;  // display unit (degrees for angles)
  std::string block;      // the block's name; empty for a scalar
  std::size_t index = 0;  // position within the block
};

// One entry of "results": one solver's outcome. A number written as null (not finite) or missing reads
// as NaN (or nullopt for counts); a missing word reads as empty.
struct SolverRecord {
  std::string solver, plugin, status, termination, message, uncertainty_note;
  // Per parameter, in RunRecord::parameters' order, display units; NaN where null or missing.
  std::vector<double> estimate;
  std::vector<double> std_error;  // empty when the uncertainty is not available (null)
  double rms = 0, chi2 = 0, aic = 0, bic = 0;  // NaN when null
  std::optional<double> wall_time_s;           // seconds
  std::optional<std::int64_t> num_parameters, iterations, forward_evaluations, jacobian_evaluations;
  std::vector<std::string> warnings;  // strong correlations, ignored options; empty in older files
  bool trained = false;              // a learning solver: the entry has "training"
  std::string training_description;  // training.description
  std::string posterior_csv;         // a sampler: posterior.files.csv, its draws (posterior_outputs.hpp)
  // A sampler: posterior.waic's waic (−2·elpd_waic), se (of elpd_waic) and p_waic (running/waic.hpp);
  // nullopt when result.json has no WAIC (another solver, or an older file), NaN where null.
  std::optional<double> waic, waic_se, p_waic;
  // The entry's "regularization" (type, order, lambda, reference): the objective it minimised; none
  // without the key.
  ObjectiveTerms objective;
  // regularization.choice (running/lambda_sweep.hpp): the rule (empty when λ was given), the solver a
  // chained solver took its λ from (empty when it swept its own), the chosen λ and discrepancy's target τ·N
  // (NaN where null or missing in a choice; 0 without one). The curve itself is in lambda_choice.csv.
  std::string lambda_rule, lambda_inherited_from;
  double chosen_lambda = 0, lambda_target = 0;
};

// A run folder's result.json.
struct RunRecord {
  std::filesystem::path file;
  std::string geoinv_version, experiment, experiment_file;
  std::string forward_plugin;
  // forward.quantity and forward.unit: what the model's data measure (ForwardModel::data_quantity);
  // empty when the model does not say (or result.json is older).
  std::string data_quantity, forward_unit;
  std::string background = "none";  // forward.background
  std::vector<RunParameterRecord> parameters;
  // "data"
  std::string data_source;  // synthetic or file
  std::string data_file;    // empty for synthetic data
  std::string data_unit;    // empty when not given
  std::optional<std::int64_t> data_count;
  bool sigma_known = false;
  std::optional<double> noise_sigma;  // synthetic data only, data units
  std::optional<std::uint64_t> noise_seed;  // synthetic data only (seeds.noise)
  // data.fingerprint (running/data_identity.hpp); empty in a result.json written before it was recorded,
  // whose data cannot be compared by content.
  std::string data_fingerprint;
  std::vector<std::string> data_notes;  // rows the reader sorted or averaged
  // Per parameter (display units, NaN where null), present when result.json has them.
  std::optional<std::vector<double>> true_model, start_model;
  std::optional<std::uint64_t> experiment_seed;  // seeds.experiment
  std::vector<SolverRecord> results;
};

// Reads `file` (a result.json). An io Error naming the file when it cannot be read, is not JSON, or
// lacks "results" or "parameters"; other keys a damaged or older file lacks read as absent.
RunRecord read_run_record(const std::filesystem::path& file);

// The declared parameters of `run` (a block once, with its size), so that readers summarise a block with
// running/block_summary.hpp as the run did instead of listing its values one by one.
ParameterLayout run_layout(const RunRecord& run);

}  // namespace geoinv
