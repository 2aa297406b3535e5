// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// wedge_summary.csv: the resolved thickness (wedge_resolution.hpp) of each solver on a wedge campaign,
// one row per solver label and combination of the other scalar sweep keys (e.g. noise levels), from the
// kept run folders' estimates (keep_details: all).
//
// A campaign is a wedge campaign when one of its sweep keys is <model>.<block>.wedge.thickness, the
// block value form of docs/experiment-schema.md ("Parameter blocks"); the wedge's top and amplitudes come
// from the base experiment (base.yaml), or from the sweep when it sweeps them too. Columns:
//
//   <other scalar sweep keys>, solver, traces, resolved_thickness
//
// A sweep key some of whose values are maps or lists (a zipped `regularization:` or `solvers:`) is not a
// column: its YAML text is no readable cell, and the solver label already names the method; rows that
// differ only in such a key are one row. `traces` counts the runs whose folder was kept and whose solver
// did not fail (a failed solver's trace counts as unresolved); resolved_thickness is in samples, empty
// when the thickest trace is unresolved. Beside the solvers, a row with solver `data` applies the rule to
// each run's observed (noisy) data trace itself (fit.csv's observed column), as the seismic peer reports
// "data": the resolution the data give before any inversion, over every run of the row's scalar keys
// (with a zipped `solvers:`, every method's runs, each with its own noise draw).
#include <Eigen/Core>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace geoinv {

struct RunRecord;  // running/result_json.hpp

// The wedge sweep of a campaign: its thickness key (data.synthetic.true_model.r.wedge.thickness), the
// wedge's key path (without .thickness) and the block it fills (r).
struct WedgeSweep {
  std::string thickness_key, wedge_path, block;
};
// The first sweep key (campaign.json axis_columns) ending in .wedge.thickness; nullopt: not a wedge campaign.
std::optional<WedgeSweep> find_wedge_sweep(const std::vector<std::string>& axis_columns);

// The values of block `block` in the entry of `solver` in a run folder's result.json; nullopt when the
// solver failed or is not there.
std::optional<Eigen::VectorXd> block_estimate(const RunRecord& record, const std::string& solver,
                                              const std::string& block);

// A run folder's observed data (fit.csv's "observed" column); nullopt when fit.csv is missing or torn.
std::optional<Eigen::VectorXd> observed_trace(const std::filesystem::path& run_dir);

// Whether a results.csv sweep cell holds a YAML scalar (a number or a word), not a map or list: the text
// of a zipped `regularization:` or `solvers:` entry is neither readable in a table nor a label.
bool scalar_cell(const std::string& cell);

// Writes DIR/wedge_summary.csv atomically when DIR holds a wedge campaign; does nothing otherwise.
// Returns whether it wrote the file.
bool write_wedge_summary(const std::filesystem::path& dir);

}  // namespace geoinv
