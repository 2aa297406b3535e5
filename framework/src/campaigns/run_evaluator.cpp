// SPDX-License-Identifier: BSD-3-Clause
// One run of a campaign: its experiment, every solver on it, and its rows of results.csv.
#include <fmt/compile.h>
#include <fmt/format.h>

#include <cstdlib>
#include <limits>
#include <optional>

#include "base/random.hpp"
#include "geoinv/learning_solver.hpp"
#include "campaigns/anytime_column.hpp"
#include "campaigns/campaign.hpp"
#include "campaigns/result_row.hpp"
#include "campaigns/run_loading.hpp"
#include "running/block_summary.hpp"
#include "running/run_outputs.hpp"
#include "running/runner.hpp"

namespace geoinv {

namespace fs = std::filesystem;

std::string results_header(const CampaignPlan& plan) {
  return results_header(plan.value_columns(), plan.parameter_names, plan.metric_columns, plan.has_fixed_target());
}

struct RunEvaluator::Impl {
  const CampaignPlan& plan;
  int shard;
  fs::path details_dir;
  PluginRegistry registry;
  YAML::Node base;
  // Replicates of one sweep point differ only in their seeds: a resolved experiment is reused for them
  // when nothing else depends on the seed (synthetic data, fixed start, no learning solver, no random
  // keys), and only its data are generated again. GEOINV_CAMPAIGN_NO_REUSE=1 turns this off (tests
  // compare both ways).
  std::optional<Experiment> cached;
  std::int64_t cached_point = -1;
  bool reuse = true;
  Impl(const CampaignPlan& p, int s, fs::path d) : plan(p), shard(s), details_dir(std::move(d)) {
    const char* off = std::getenv("GEOINV_CAMPAIGN_NO_REUSE");
    reuse = !(off && std::string(off) == "1") && plan.random.empty();
  }
  // Makes `cached` the experiment of run `spec` (reused or read from the base); returns why it cannot
  // be, empty when it can.
  std::string prepare(const RunSpec& spec);
};

namespace {
bool reusable(const Experiment& e) {
  if (!e.synthetic || e.start_spec.strategy != StartSpec::Strategy::fixed) return false;
  for (const auto& solver : e.solvers)
    if (solver.prior || !solver.model_file.empty() || as_learning_solver(*solver.instance)) return false;
  return true;
}
}  // namespace

RunEvaluator::RunEvaluator(const CampaignPlan& plan, int shard, fs::path details_dir)
    : impl_(std::make_unique<Impl>(plan, shard, std::move(details_dir))) {
  add_plugin_paths(plan, impl_->registry);
  impl_->base = YAML::Clone(plan.base_root);  // private: yaml-cpp nodes are not shared across threads
}

RunEvaluator::~RunEvaluator() = default;

namespace {

// The rows of a run none of whose solvers gave a result: each solver's with the same status, termination
// and message; no numbers.
void write_rows_without_results(const CampaignPlan& plan, std::int64_t run_id, const std::string& run_prefix,
                                std::string_view status, std::string_view termination,
                                std::string_view message, double wall_time_s, fmt::memory_buffer& rows) {
  ResultRow row;
  row.status = status;
  row.termination = termination;
  row.rms = row.chi2 = std::numeric_limits<double>::quiet_NaN();
  row.wall_time_s = wall_time_s;
  row.message = message;
  if (plan.has_fixed_target()) row.anytime.emplace();  // no record
  for (const auto& label : plan.solvers.of_run(run_id)) {
    row.solver = label;
    write_row(rows, run_prefix, row, plan.parameter_names.size(), plan.metric_columns.size());
  }
}

// Each result's anytime record counted from the start of its chain (anytime_column.hpp: chained_record),
// in result order; a solver's `start_from` names an earlier result.
std::vector<AnytimeRecord> chained_records(const std::vector<SolverRunResult>& results) {
  std::vector<AnytimeRecord> records;
  std::vector<std::int64_t> spent;  // forward evaluations of each result's chain
  for (const auto& r : results) {
    AnytimeRecord own = anytime_record(r.anytime);
    std::int64_t before = 0;
    for (std::size_t i = 0; i < records.size() && !r.start_from.empty(); ++i)
      if (results[i].label == r.start_from) {
        own = chained_record(records[i], spent[i], own);
        before = spent[i];
      }
    records.push_back(std::move(own));
    spent.push_back(before + r.counts.forward);
  }
  return records;
}

bool has_lambda_column(const CampaignPlan& plan) {
  return !plan.metric_columns.empty() && plan.metric_columns.back() == kChosenLambdaColumn;
}

// The λ column's cell of `r` (result_row.hpp, kChosenLambdaColumn).
double lambda_cell(const Experiment& e, const SolverRunResult& r) {
  if (r.lambda_choice) return r.lambda_choice->lambda;
  if (e.regularization.kind == RegularizationKind::none || r.learning || e.lambda_choice)
    return std::numeric_limits<double>::quiet_NaN();
  return e.regularization.lambda;
}

// The rows of a run: one per solver's result, in solver order; with the anytime column when `anytime`,
// the λ column when `lambda_column`. Returns whether some solver failed.
bool write_results(const Experiment& e, const std::vector<SolverRunResult>& results, bool anytime,
                   bool lambda_column, const std::string& run_prefix, fmt::memory_buffer& rows) {
  const ParameterColumns columns = parameter_columns(e.layout);
  const std::size_t n = columns.scalar_names.size();
  const auto scalar = [&](const Vector& values, std::size_t i) {
    const Eigen::Index j = columns.scalar_values[i];
    return to_display(e.parameters[static_cast<std::size_t>(j)], values(j));
  };
  ResultRow row;
  row.estimate.resize(n);
  Vector truth;
  if (e.synthetic) {
    truth = e.true_model;
    e.forward->canonicalize(truth);
    row.truth.resize(n);
    for (std::size_t i = 0; i < n; ++i) row.truth[i] = scalar(truth, i);
  }
  bool failed = false;
  const std::vector<AnytimeRecord> records = anytime ? chained_records(results) : std::vector<AnytimeRecord>();
  for (std::size_t k = 0; k < results.size(); ++k) {
    const SolverRunResult& r = results[k];
    if (anytime) row.anytime = anytime_cell(records[k]);
    failed = failed || r.status == RunStatus::failed;
    row.solver = r.label;
    row.status = to_string(r.status);
    row.termination = to_string(r.termination);
    for (std::size_t i = 0; i < n; ++i) row.estimate[i] = scalar(r.estimate, i);
    row.relative_error.clear();
    if (r.relative_error.size() == static_cast<Eigen::Index>(e.parameters.size()))
      for (std::size_t i = 0; i < n; ++i) row.relative_error.push_back(r.relative_error(columns.scalar_values[i]));
    row.metrics.clear();
    for (const BlockSummary& block : summarise_blocks(e.layout, r.estimate, truth)) {
      row.metrics.push_back(block.correlation);
      row.metrics.push_back(block.nrmse);
    }
    if (lambda_column) row.metrics.push_back(lambda_cell(e, r));
    row.rms = r.rms;
    row.chi2 = r.chi2;
    row.iterations = r.iterations;
    row.forward_evaluations = r.counts.forward;
    row.jacobian_evaluations = r.counts.jacobian;
    row.wall_time_s = r.wall_time_s;
    row.message = r.message;
    write_row(rows, run_prefix, row, n, row.metrics.size());
  }
  return failed;
}

}  // namespace

std::string RunEvaluator::Impl::prepare(const RunSpec& spec) {
  std::string setup_error;
  try {
    if (reuse && cached && cached_point == spec.point) {
      cached->seed = spec.seed;
      cached->noise_seed = derive_seed(spec.seed, 0) & kSeedMask;  // as run_overrides sets it
      generate_synthetic_data(*cached);
      if (!cached->observed.allFinite())
        throw Error(Error::Category::data, "the forward model gives non-finite data for the true model");
    } else {
      cached_point = -1;
      cached.reset();
      cached.emplace(load_run(plan, base, registry, spec));
      if (reuse && reusable(*cached)) cached_point = spec.point;
    }
    ParameterColumns columns = parameter_columns(cached->layout);
    if (has_lambda_column(plan)) columns.metric_names.emplace_back(kChosenLambdaColumn);
    if (columns.scalar_names != plan.parameter_names || columns.metric_names != plan.metric_columns)
      setup_error = fmt::format("the run has parameters {}, the campaign {}",
                                fmt::join(columns.scalar_names, ", "), fmt::join(plan.parameter_names, ", "));
  } catch (const std::exception& error) {
    setup_error = error.what();
  }
  if (!setup_error.empty()) {
    cached.reset();
    cached_point = -1;
  }
  return setup_error;
}

RunOutcome RunEvaluator::evaluate(const RunSpec& spec) {
  const CampaignPlan& plan = impl_->plan;
  RunOutcome outcome;
  outcome.run_id = spec.run_id;
  const std::string prefix =
      run_columns(spec.run_id, impl_->shard, spec.point, spec.replicate, spec.values, spec.seed);
  fmt::memory_buffer rows;
  const std::string setup_error = impl_->prepare(spec);
  if (!setup_error.empty()) {
    // Validated up front, so this is rare (e.g. a random true model the forward model refuses).
    outcome.failed = true;
    write_rows_without_results(plan, spec.run_id, prefix, to_string(RunStatus::failed), "setup_failure",
                               setup_error, 0.0, rows);
    outcome.rows.assign(rows.data(), rows.size());
    return outcome;
  }
  Experiment& e = *impl_->cached;
  // The uncertainty is measured only for runs whose details are kept: results.csv does not carry it.
  std::vector<SolverRunResult> results = run_experiment(e, Measurements{/*uncertainty=*/false});
  outcome.failed = write_results(e, results, plan.has_fixed_target(), has_lambda_column(plan), prefix, rows);
  outcome.rows.assign(rows.data(), rows.size());
  if (plan.keep.selects(spec.run_id, outcome.failed)) {
    for (auto& result : results) measure_uncertainty(e, result);
    write_run_directory(impl_->details_dir / std::to_string(spec.run_id), true, e, results);
  }
  return outcome;
}

RunOutcome killed_run_outcome(const CampaignPlan& plan, int shard, std::int64_t run_id, std::string_view status,
                              std::string_view message, double wall_time_s) {
  const RunSpec spec = make_run_spec(plan, run_id);
  const std::string prefix = run_columns(run_id, shard, spec.point, spec.replicate, spec.values, spec.seed);
  fmt::memory_buffer rows;
  write_rows_without_results(plan, run_id, prefix, status, status, message, wall_time_s, rows);
  return {run_id, std::string(rows.data(), rows.size()), /*failed=*/true};
}

}  // namespace geoinv
