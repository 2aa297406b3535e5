// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The figures of a run or campaign folder (report.hpp): each one a gnuplot script DIR/figures/<name>.gp
// and its data files (<name>*.dat), written here, that draws <name>.png and <name>.svg when run by
// gnuplot in that folder (run_figures.cpp, campaign_figures.cpp). Internal to the reporting room.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace geoinv {

struct RunRecord;  // running/result_json.hpp

struct Figure {
  std::string name;     // file stem in DIR/figures
  std::string title;    // for the report
  std::string caption;  // what is drawn, for the report
};

// What a folder's figures are, once their scripts and data are written.
struct FigurePlan {
  std::vector<Figure> figures;
  std::vector<std::string> notes;            // figures not drawn, and why
  std::vector<std::string> scripts() const;  // <name>.gp, in order
};

// A run folder (written by `geoinv run`): `run` is its result.json. Reads fit.csv, trace_<solver>.csv
// and loss_<solver>.csv; writes the fit, convergence and loss figures' scripts and data to `figures`.
FigurePlan write_run_figures(const std::filesystem::path& dir, const RunRecord& run,
                             const std::filesystem::path& figures);

// The posterior figures of each sampler of a run folder (posterior_figures.cpp): reads the draws file
// result.json names (posterior.files.csv) and writes a corner plot (corner_<solver>) and trace plots
// (chains_<solver>) to `figures`; `stems` holds the stems taken so far.
void write_posterior_figures(const std::filesystem::path& dir, const RunRecord& run,
                             const std::filesystem::path& figures, FigurePlan& plan, std::set<std::string>& stems);

// A run whose λ was chosen (running/lambda_sweep.hpp; lambda_figures.cpp): per solver that swept, from
// lambda_choice.csv, the rule's curve with the chosen λ marked: lambda_<solver>, the L-curve (R against
// the misfit, log-log), GCV(λ), or the misfit against λ with discrepancy's target line.
void write_lambda_figures(const std::filesystem::path& dir, const RunRecord& run,
                          const std::filesystem::path& figures, FigurePlan& plan, std::set<std::string>& stems);

// A run of a model with parameter blocks (block_figures.cpp): one figure per block, block_<name>, of each
// solver's estimate (and the truth) against the value's index, in place of per-parameter figures.
void write_block_figures(const RunRecord& run, const std::filesystem::path& figures, FigurePlan& plan,
                         std::set<std::string>& stems);

// Russell's (2019) crossplot of a run folder (crossplot_figures.cpp), when a solver wrote
// response_curve_<solver>.csv (running/response_curve.hpp): the data against the true block, sample
// by sample, their least-squares line, and each such solver's response curve over them.
void write_run_crossplot(const std::filesystem::path& dir, const RunRecord& run,
                         const std::filesystem::path& figures, FigurePlan& plan, std::set<std::string>& stems);

// The same for a campaign folder, from its kept run folders: one curve per run (by run id, labelled by
// its sweep values), blue when it converged and orange when it is stuck (its final training loss,
// loss_<solver>.csv, more than twice the least one: crossplot_figures.cpp says why), over the first
// run's points.
void write_campaign_crossplot(const std::filesystem::path& dir, const nlohmann::json& campaign,
                              const std::filesystem::path& figures, FigurePlan& plan);

// A campaign folder (written by `geoinv campaign` or `collect`): `campaign` is its campaign.json. Reads
// summary.csv (for the sweep axis, and the success rates) and results.csv in one pass each, in memory
// bounded by the campaign budget; writes the box plots of relative errors per solver and value of the
// sweep axis, and the error (with its IQR band) and success rate (with its Wilson interval) against the
// sweep axis: the first sweep key ending in `noise_sigma`, else the only numeric sweep key (without one,
// the boxes are per solver and those two figures are skipped with a note). sweep_axis.hpp labels the
// axis and decides its scale; campaign_figure_data.hpp holds the pieces.
FigurePlan write_campaign_figures(const std::filesystem::path& dir, const nlohmann::json& campaign,
                                  const std::filesystem::path& figures);

// A wedge campaign (campaigns/wedge_summary.hpp: a sweep key ending in .wedge.thickness), from its kept
// run folders (wedge_section_figures.cpp): per combination of the other sweep keys, the sections of the
// true block, the data and each solver's estimate as images (thickness across, sample down, a diverging
// palette centred on 0), with the tuning thickness marked when the forward model is a Ricker convolution.
void write_wedge_section_figures(const std::filesystem::path& dir, const nlohmann::json& campaign,
                                 const std::filesystem::path& figures, FigurePlan& plan);

// The Ricker tuning thickness 1/(2.31 f) of a kept wedge run (wedge_section_figures.cpp), in samples of
// the run's sampling interval (fit.csv's x column), when its forward model is a `convolution` with a
// `ricker` wavelet (config.resolved.yaml); NaN otherwise. 30 Hz at 2 ms: 7.215 samples.
double wedge_tuning_thickness(const std::filesystem::path& run_dir);

// A wedge campaign's error and correlation against thickness (wedge_metric_figures.cpp): from results.csv's
// correlation_<block> and nrmse_<block> (the block the wedge sweep fills), two figures, wedge_correlation
// and wedge_nrmse, each with one panel per noise level (the sweep axis of sweep_axis.hpp among the keys
// other than the thickness; one panel without one) and one line per solver label, the mean over the
// traces of each thickness (a grid may repeat a thickness; each repeat draws its own noise), failed
// solvers left out. A dashed vertical line marks the tuning thickness (wedge_tuning_thickness) and a
// triangle on each panel's top edge each solver's resolved thickness from wedge_summary.csv, when the
// file is there and the thickness resolved. Without the metric columns (no truth) nothing is drawn.
void write_wedge_metric_figures(const std::filesystem::path& dir, const nlohmann::json& campaign,
                                const std::filesystem::path& figures, FigurePlan& plan);

// Calls `row(fields)` for each complete line of a CSV file after its header (given to `header`): a torn
// last line (no newline) and lines with another number of fields are skipped. Throws Error (io) when
// the file cannot be read or is empty.
void for_each_csv_row(const std::filesystem::path& file,
                      const std::function<void(const std::vector<std::string>& header)>& header,
                      const std::function<void(const std::vector<std::string>& fields)>& row);

// The unit of the data for labels: `unit` (data.unit of the experiment, in result.json's "data" and
// campaign.json's "data_unit") when given, else "data unit".
std::string data_unit_label(const std::string& unit);

// A run's data unit: data.unit when the experiment gives it, else the unit its forward model declares
// (result.json forward.unit, ForwardModel::data_quantity), else "" (data_unit_label: "data unit").
std::string run_data_unit(const RunRecord& run);

}  // namespace geoinv
