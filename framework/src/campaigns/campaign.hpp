// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Campaigns (docs/campaigns.md): one base experiment, a sweep over dotted keys, every solver on the same
// data realisation per run; runs executed by an Executor (worker processes, thread pool, serial, MPI
// ranks) that all share one contract: a RunSpec in, the run's result rows (CSV lines) out, so rows never
// depend on the backend.
//
// Outputs stream: manifest.csv before anything runs, results.csv appended in whole runs (append-only,
// keyed by run_id), summary.csv written atomically from results.csv at the end and by `collect`.
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "base/csv.hpp"                // CsvFields, split_csv_line
#include "campaigns/campaign_io.hpp"
#include "campaigns/run_solver_sets.hpp"
#include "geoinv/error.hpp"

namespace geoinv {

// One axis of the sweep: a grid key (one key) or a zip group (several keys advanced together).
struct SweepAxis {
  std::vector<std::string> keys;                   // dotted keys of the base experiment
  std::vector<std::vector<std::string>> values;    // values[position][key]: YAML text
  std::vector<std::vector<SourceLocation>> where;  // where each value was written (for located errors)
};

// A key drawn afresh for every run from the run's seed (sweep.random).
struct RandomKey {
  enum class Distribution { uniform, log_uniform };
  std::string key;
  Distribution distribution = Distribution::uniform;
  double lower = 0, upper = 1;
  SourceLocation where;
};

// success: {parameter: h, relative_error: 0.2}: a run of a solver succeeds when it did not fail and
// |relative error of the parameter| <= the threshold. Without one (or without a truth): not failed.
struct SuccessDefinition {
  std::string parameter;
  double relative_error = 0.0;
  std::string describe() const;
};

// keep_details: none | failures | all | first:N
struct KeepDetails {
  enum class Kind { none, failures, all, first };
  Kind kind = Kind::none;
  std::int64_t first = 0;
  bool selects(std::int64_t run_id, bool failed) const;
  std::string describe() const;
};

struct CampaignPlan {
  std::filesystem::path file;  // the campaign file
  std::string name;
  std::uint64_t seed = 1;           // the campaign seed: run seeds derive from it
  std::filesystem::path base_file;  // the base experiment
  YAML::Node base_root;             // the base, parsed once; `solvers:` replaced when the campaign gives them
  // Where every key of base_root was written (copies of it lose their marks): the base file's, and the
  // campaign file's for its solvers.
  std::shared_ptr<const std::map<std::string, SourceLocation>> locations;
  bool synthetic = false;       // the base's data are synthetic: data.synthetic.seed follows the run seed
  std::vector<SweepAxis> axes;  // grid keys in file order, then zip groups; the last varies fastest
  std::vector<RandomKey> random;
  std::int64_t replicates = 1;  // vary fastest of all
  KeepDetails keep;
  SuccessDefinition success;
  // fixed_target: {precisions: [τ...]}: the relative RMS precisions of the fixed-target comparison
  // (campaigns/fixed_target.hpp), each in (0, 1], default kDefaultTargetPrecisions. Empty when the file
  // has no `fixed_target:`; only then does results.csv lack the `anytime` column (anytime_column.hpp).
  std::vector<double> target_precisions;
  std::int64_t points = 1;        // sweep points (conditions)
  std::int64_t runs = 1;          // points * replicates
  // of the campaign and base files and the command line's --set: shards of one campaign agree on it
  std::uint64_t fingerprint = 0;
  // --set overrides of the base experiment given on the command line, applied to every run before the
  // sweep's values (a swept key takes the sweep's value); their errors name "--set KEY".
  std::vector<std::string> base_overrides;

  // Filled by validate_campaign: each run's solvers (all of them: solvers.all()), then, from the first run,
  // the rest.
  RunSolverSets solvers;
  std::vector<std::string> parameter_names;  // the scalar parameters (result_row.hpp, ParameterColumns)
  // The blocks' metric columns (empty without blocks), then kChosenLambdaColumn when some run chooses λ
  // (regularization.lambda: {choose: ...}).
  std::vector<std::string> metric_columns;
  std::string data_unit;  // the base's data.unit (for labels), empty when not given

  std::vector<std::string> axis_columns() const;   // the sweep keys, one column each
  std::vector<std::string> value_columns() const;  // sweep keys, then random keys
  bool has_fixed_target() const { return !target_precisions.empty(); }
  // The problem instance whose best misfit is the targets' reference: each run when its data differ
  // from run to run (synthetic data, random keys), else each sweep point (its replicates invert the same
  // data file). "run" or "point", as campaign.json's fixed_target.instance.
  const char* target_instance() const { return synthetic || !random.empty() ? "run" : "point"; }
};

// Reads and checks a campaign file (strict, located errors) and parses its base experiment once.
// `overrides` are the command line's --set: "campaign.KEY=VALUE" edits the campaign file's KEY
// (campaign.sweep.noise=[0, 1]), any other "KEY=VALUE" the base experiment of every run.
CampaignPlan load_campaign(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

// One run: what the executor needs to run it and to label its rows.
struct RunSpec {
  std::int64_t run_id = 0;
  std::int64_t point = 0;
  std::int64_t replicate = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> values;     // value_columns(), as YAML text
  std::vector<std::size_t> positions;  // per sweep axis, the index of its value
};

// The spec of run `run_id` (0 <= run_id < plan.runs), computed, not stored: memory does not grow with runs.
RunSpec make_run_spec(const CampaignPlan& plan, std::int64_t run_id);

// The base experiment's overrides that make run `spec`: each swept and drawn key=value with its origin
// in the campaign file, the run's seed and its noise seed. Built only when a run's experiment is read
// from the base (not for the replicates that reuse one, nor for the manifest).
std::vector<std::pair<std::string, SourceLocation>> run_overrides(const CampaignPlan& plan, const RunSpec& spec);

// Resolves the runs that together use every sweep value once (and the first run) without solving
// anything: a bad value fails here, before anything runs, with its location in the campaign file. Fills
// plan.solvers (run_solver_sets.hpp; when some axis changes the labels, one more run per combination of
// such axes' positions is read) and plan.parameter_names.
void validate_campaign(CampaignPlan& plan);

// The outcome of one run: its rows of results.csv (one per solver, each ending in '\n'), in solver order.
struct RunOutcome {
  std::int64_t run_id = 0;
  std::string rows;
  bool failed = false;  // some solver failed
};

// Runs one RunSpec: owns its plugin registry and a private copy of the parsed base, so each worker
// thread (or MPI rank) has its own plugin instances. Not thread-safe: one per worker.
class RunEvaluator {
 public:
  // `details_dir`: where per-run folders go (DIR/runs) for runs selected by keep_details.
  RunEvaluator(const CampaignPlan& plan, int shard, std::filesystem::path details_dir);
  ~RunEvaluator();
  RunOutcome evaluate(const RunSpec& spec);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The outcome of run `run_id` whose worker process died or was killed (ProcessExecutor): a row per solver
// with `status` (kCrashedStatus or kTimedOutStatus, result_row.hpp) as its status and termination, the
// reason as its message, NaN numbers, no counts, and `wall_time_s` (how long the solver that was running
// had run, s). All its solvers' rows: the others' results died with the worker.
RunOutcome killed_run_outcome(const CampaignPlan& plan, int shard, std::int64_t run_id, std::string_view status,
                              std::string_view message, double wall_time_s);

// The header line of results.csv (with '\n').
std::string results_header(const CampaignPlan& plan);
std::string manifest_header(const CampaignPlan& plan);
std::string manifest_row(const CampaignPlan& plan, const RunSpec& spec);

// The runs still to do, handed out one at a time (thread-safe). It hands out none after stop() or once
// Ctrl-C arrived (interruption.hpp).
class RunQueue {
 public:
  // Runs with run_id % shard_count == shard_index, skipping `done` (indexed by run_id).
  RunQueue(std::int64_t runs, int shard_index, int shard_count, std::vector<bool> done);
  std::optional<std::int64_t> next();
  std::int64_t total() const { return total_; }  // runs to do
  // Runs not yet handed out (an upper bound: runs already done are counted until skipped).
  std::int64_t remaining_estimate() const;
  void stop() { stopped_ = true; }

 private:
  std::int64_t runs_;
  int shard_count_;
  std::vector<bool> done_;
  std::atomic<std::int64_t> cursor_;
  std::int64_t total_ = 0;
  std::atomic<bool> stopped_{false};
};

// Receives each completed run; called from worker threads, so implementations lock.
class RowSink {
 public:
  virtual ~RowSink();
  virtual void accept(const RunOutcome& outcome) = 0;
};

// The executor seam: runs every spec the queue hands out and gives each outcome to the sink. Every
// backend produces the same rows for the same run ids; only the order of arrival differs.
class Executor {
 public:
  virtual ~Executor();
  virtual void execute(const CampaignPlan& plan, RunQueue& queue, RowSink& sink) = 0;
};

struct ExecutorContext {
  int shard = 0;
  std::filesystem::path details_dir;
};

// Solver threads over one source of run ids, for the thread pool and for each MPI rank's extra threads:
// `count` threads, each with its own RunEvaluator (all built first, on the calling thread, so plugins
// load before any thread starts), take ids from `next` until it has none and hand each outcome to
// `deliver`; both are called concurrently. The first exception a thread throws ends that thread, is kept
// (failure()), and calls `on_failure` (when given) so that the source can stop the others. A thread the
// system refuses to start (too many processes or threads for the user, no memory for its stack) is a
// failure too, kept as thread_start_error(): the threads already started finish their runs and the
// campaign ends with an error naming --jobs, instead of std::terminate.
class SolverThreads {
 public:
  SolverThreads(const CampaignPlan& plan, const ExecutorContext& context, int count,
                std::function<std::optional<std::int64_t>()> next,
                std::function<void(const RunOutcome&)> deliver, std::function<void()> on_failure = {});
  ~SolverThreads();  // joins
  SolverThreads(const SolverThreads&) = delete;
  SolverThreads& operator=(const SolverThreads&) = delete;
  void join();
  std::exception_ptr failure() const;

 private:
  void keep_failure(std::exception_ptr failure);

  std::function<std::optional<std::int64_t>()> next_;
  std::function<void(const RunOutcome&)> deliver_;
  std::function<void()> on_failure_;
  std::vector<std::unique_ptr<RunEvaluator>> evaluators_;
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::exception_ptr failure_;
};

// The most solver threads `--jobs` may ask for: 4 × the hardware threads (at least 4), or
// GEOINV_MAX_JOBS (a positive whole number) when set; a bad GEOINV_MAX_JOBS is a usage error. The limit
// keeps a typing slip (--jobs 100000) from asking the system for a hundred thousand stacks.
int max_jobs();

// The usage error for thread `started` + 1 of `wanted` that the system refused to start (`refusal`
// from std::thread's constructor): names --jobs, the system's reason and the threads that did start.
Error thread_start_error(const std::system_error& refusal, std::size_t started, std::size_t wanted);

std::unique_ptr<Executor> make_serial_executor(ExecutorContext context);
std::unique_ptr<Executor> make_thread_executor(ExecutorContext context, int jobs);

// `jobs` worker processes (worker_process.hpp; docs/campaigns.md, "Worker processes"), the default: a run
// whose plugin segfaults, aborts, calls exit() or throws something that is not a std::exception gets rows
// with status crashed, and the campaign goes on with a new worker. A solver still running
// kWallTimeKillFactor × budget.max_wall_time_s + kWallTimeKillGraceS after it started is killed and its
// run gets rows with status timed_out (a solver that stops at its budget, as every solver does when it
// evaluates, is never killed). No budget, no timeout.
std::unique_ptr<Executor> make_process_executor(ExecutorContext context, int jobs);
constexpr double kWallTimeKillFactor = 1.25;  // of budget.max_wall_time_s
constexpr double kWallTimeKillGraceS = 1.0;   // s

// What `geoinv campaign` does; returned for the CLI to print.
struct CampaignOptions {
  std::filesystem::path out;  // empty: runs/<name>
  int jobs = 0;               // 0: hardware concurrency
  int shard_index = 0, shard_count = 1;
  bool resume = false;
  bool overwrite = false;  // replace what the output folder holds (not with resume)
  bool retry_crashed = false;  // with resume: run again the runs recorded as crashed (else they are done)
  bool progress = true;
  std::vector<std::string> overrides;  // --set, as load_campaign takes them
  // Where runs are solved (--executor): worker processes (default; a crashing plugin loses one run), or
  // threads of this process (`jobs` > 1; a crashing plugin ends the campaign), or, with `jobs` 1, this
  // thread.
  enum class ExecutorKind { processes, threads };
  ExecutorKind executor = ExecutorKind::processes;
  // The backend; empty: the one `executor` names. The MPI backend sets it (threads in every rank).
  std::function<std::unique_ptr<Executor>(const ExecutorContext&)> make_executor;
};
struct CampaignReport {
  std::filesystem::path out;
  std::int64_t runs_total = 0, runs_done_before = 0, runs_done_now = 0, failed_runs = 0;
  double seconds = 0;  // the whole campaign: the three parts below and the rest (folder checks)
  double setup_seconds = 0;    // reading and validating the campaign, the manifest, the resume scan
  double runs_seconds = 0;     // the runs, with their rows written
  double summary_seconds = 0;  // summary.csv
  // Ctrl-C or SIGTERM stopped the runs (interruption.hpp): runs_done_before + runs_done_now are safely in
  // results.csv, summary.csv was not written, and `resume_command` completes the campaign.
  bool interrupted = false;
  std::string resume_command;
};
CampaignReport run_campaign(const std::filesystem::path& file, const CampaignOptions& options);

// summary.csv and collect work in memory bounded by a budget, not by the number of runs
// (docs/campaigns.md, "Memory"): what does not fit is sorted through temporary files `.geoinv-*.tmp` in the
// output folder, removed when done (also after an error). The results are exact and do not depend on the
// budget or on the order of the rows in results.csv.
constexpr std::size_t kCampaignMemoryBudget = std::size_t{4} << 20;  // bytes
// The budget: GEOINV_CAMPAIGN_MEMORY_BYTES when set (tests force tiny ones), else kCampaignMemoryBudget.
std::size_t campaign_memory_budget();

// What collect found beside the rows it merged, for the CLI to report.
struct CollectReport {
  std::int64_t runs_without_rows = 0;  // runs no folder holds all the rows of (a shard missing or unfinished)
  std::int64_t unreadable_lines = 0;   // lines of the folders' results.csv that were dropped (not a row)
  SourceLocation first_unreadable;     // the first of them: results.csv and its line
};

// Merges campaign folders (shards) into `out`: a results.csv sorted by run id with each (run, solver)
// once, taken from the first folder that has all the run's solvers, the merged manifest, campaign.json
// and summary.csv (docs/campaigns.md, "Shards and collect"). Refuses, with an io Error naming the input
// file (and line): folders of different campaigns; a results.csv header without the campaign's columns;
// no results.csv at all; a damaged manifest (no header, a line that is not a run, cut short, no runs); a
// run whose only rows include an unreadable line. Other unreadable lines are dropped and counted; a torn
// last line of results.csv (a campaign killed while writing it) is skipped without a count. The outputs
// are written into a staging folder and moved into `out` at the end: after an error `out` is as it was.
// Holds `out`'s lock (base/folder_lock.hpp) meanwhile: one writer per folder, as a campaign.
CollectReport collect_campaign(const std::vector<std::filesystem::path>& folders,
                               const std::filesystem::path& out,
                               std::size_t memory_budget = campaign_memory_budget());

// Writes DIR/summary.csv atomically from DIR/results.csv and DIR/campaign.json, and DIR/fixed_target.csv
// when the campaign has a fixed-target comparison (fixed_target_study.hpp).
void write_summary(const std::filesystem::path& dir, std::size_t memory_budget = campaign_memory_budget());


}  // namespace geoinv
