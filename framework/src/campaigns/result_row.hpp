// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// results.csv (docs/campaigns.md): one row per (run, solver), its columns declared once, here. The
// writer (RunEvaluator) formats a ResultRow; the readers (summary.csv, collect, the campaign figures)
// find the columns they need through ResultColumns, by name, once per file:
//
//   run_id, shard, point, replicate,            the run (RunSpec) and the shard that ran it
//   <sweep keys>, <random keys>,                the run's values (CampaignPlan::value_columns), YAML text
//   seed, solver, status, termination,
//   estimate_<p>..., true_<p>..., relative_error_<p>...   per scalar parameter, display units
//   correlation_<b>, nrmse_<b>...               per parameter block (none without blocks)
//   lambda                                       only when some run chooses λ (kChosenLambdaColumn)
//   rms, chi2, iterations, forward_evaluations, jacobian_evaluations, wall_time_s, message
//   anytime                                      only with `fixed_target:` (anytime_column.hpp)
#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/csv.hpp"  // CsvFields
#include "geoinv/parameter_layout.hpp"

namespace geoinv {

// The parameter columns of a model. A scalar parameter has estimate_, true_ and relative_error_
// columns. A block (parameter.hpp) has too many values for a row: they are in the kept run folders'
// result.json, and the row carries the block's metrics against the true block instead,
// correlation_<b> and nrmse_<b> (running/block_summary.hpp), NaN without a truth.
struct ParameterColumns {
  std::vector<std::string> scalar_names;    // the scalar parameters, in declaration order
  std::vector<Eigen::Index> scalar_values;  // their indices in the flat model vector
  std::vector<std::string> metric_names;    // correlation_<b>, nrmse_<b> for each block b
};
ParameterColumns parameter_columns(const ParameterLayout& layout);

// The λ each solver's result was solved at, in a campaign whose runs choose it (running/lambda_sweep.hpp):
// the chosen λ, the given λ in runs that give one, NaN without a regularisation and for learning solvers.
inline constexpr std::string_view kChosenLambdaColumn = "lambda";

// The header line of results.csv (with '\n') for these sweep/random keys, parameters and block metrics;
// `anytime`: with the last column, anytime (a campaign with `fixed_target:`).
std::string results_header(const std::vector<std::string>& value_columns,
                           const std::vector<std::string>& parameter_names,
                           const std::vector<std::string>& metric_names = {}, bool anytime = false);

// The status column holds to_string(RunStatus) (converged, not_converged, failed) for a solver that ran,
// and, for every solver of a run whose worker process died or was killed (docs/campaigns.md, "Worker
// processes"), one of these two; both count as failed in summary.csv.
inline constexpr std::string_view kCrashedStatus = "crashed";     // a signal, exit() or a foreign throw
inline constexpr std::string_view kTimedOutStatus = "timed_out";  // killed past the wall-time budget
// Whether a status word is a failed solver's: failed, crashed or timed_out.
bool is_failed_status(std::string_view status);

// One solver's row after the run's columns (run_id ... seed), as RunEvaluator writes it.
struct ResultRow {
  std::string_view solver;  // the solver's label
  std::string status, termination;
  // Per parameter (display units): the estimate, the truth and the relative error; NaN when unknown.
  // An empty vector writes NaN for every parameter.
  std::vector<double> estimate, truth, relative_error;
  // The block metrics, in ParameterColumns::metric_names' order; empty writes NaN for each.
  std::vector<double> metrics;
  double rms = 0, chi2 = 0;
  std::int64_t iterations = 0, forward_evaluations = 0, jacobian_evaluations = 0;
  double wall_time_s = 0;  // seconds
  std::string_view message;
  // The anytime column's cell (anytime_column.hpp), written when the campaign has the column (empty for
  // a solver that gave no record); nothing: the campaign has no such column.
  std::optional<std::string> anytime;
};

// Appends `run_columns` (the run's fields, from run_id to seed, without a trailing comma), then `row`'s
// fields and a '\n' to `out`. Numbers as csv_number writes them; formatted in place with compiled format
// strings, as a campaign writes tens of thousands of rows a second.
void write_row(fmt::memory_buffer& out, std::string_view run_columns, const ResultRow& row,
               std::size_t parameters, std::size_t metrics = 0);

// The run's fields of a row: run_id, shard, point, replicate, its values (CSV-quoted) and its seed.
std::string run_columns(std::int64_t run_id, int shard, std::int64_t point, std::int64_t replicate,
                        const std::vector<std::string>& values, std::uint64_t seed);

// Where the columns of a results.csv header are. Every column the readers use is looked up here, by
// name; a missing one is an io Error naming `file` ("not a file geoinv wrote").
class ResultColumns {
 public:
  ResultColumns(const std::vector<std::string>& header, const std::vector<std::string>& parameter_names,
                const std::filesystem::path& file, const std::vector<std::string>& metric_names = {});
  std::size_t count() const { return count_; }  // fields of a complete row
  std::size_t run_id() const { return run_id_; }
  std::size_t point() const { return point_; }
  std::size_t solver() const { return solver_; }
  std::size_t status() const { return status_; }
  std::size_t wall_time_s() const { return wall_time_s_; }
  std::size_t forward_evaluations() const { return forward_evaluations_; }
  std::size_t relative_error(std::size_t parameter) const { return relative_error_[parameter]; }
  // Whether `fields` are a row as write_row writes it: count() fields, whole integers in run_id, shard,
  // point, replicate, seed, iterations and the evaluation counts, and numbers ("nan" included) in the
  // estimates, truths, relative errors, block metrics, rms, chi2 and wall_time_s (those of them the header has). Text
  // columns are not checked. What --resume trusts (resume_scan.hpp).
  bool holds_a_row(const CsvFields& fields) const;
  // A column by name: a sweep key, or relative_error_<p> of a parameter named elsewhere (the success
  // definition).
  std::size_t named(const std::string& name) const;

 private:
  std::vector<std::string> header_;
  std::filesystem::path file_;
  std::size_t count_, run_id_, point_, solver_, status_, wall_time_s_, forward_evaluations_;
  std::vector<std::size_t> relative_error_;
  std::vector<std::size_t> integer_columns_, number_columns_;
};

}  // namespace geoinv
