// SPDX-License-Identifier: BSD-3-Clause
// geoinv run, validate and train: the commands that read one experiment file (validate reads a campaign
// file too).
#include <fmt/format.h>

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "campaigns/campaign.hpp"
#include "command_functions.hpp"
#include "figure_formats_option.hpp"
#include "configuration/experiment.hpp"
#include "configuration/experiment_sections.hpp"
#include "geoinv/version.hpp"
#include "reporting/report.hpp"
#include "running/console_observer.hpp"
#include "running/learning.hpp"
#include "running/objective_statement.hpp"
#include "running/posterior_outputs.hpp"
#include "running/run_folder.hpp"
#include "running/run_outputs.hpp"
#include "running/runner.hpp"
#include "running/solver_activity.hpp"
#include "running/training_outputs.hpp"
#include "shared_options.hpp"

namespace fs = std::filesystem;

namespace geoinv_cli {

namespace {

constexpr const char* kExperimentFile = "the experiment file";

geoinv::Experiment load(const po::variables_map& arguments, const char* command) {
  const fs::path file = require_positional(arguments, "the experiment file (EXPERIMENT.yaml)", command);
  geoinv::PluginRegistry registry;
  add_plugin_paths(arguments, registry);
  return geoinv::load_experiment(file, set_overrides(arguments), registry);
}

void print_run_summary(const geoinv::Experiment& experiment,
                       const std::vector<geoinv::SolverRunResult>& results, bool drawn) {
  std::cout << fmt::format("geoinv {}: experiment '{}': {} data, forward '{}'\n", geoinv::version(),
                           experiment.name, experiment.observed.size(), experiment.forward_plugin);
  std::cout << "objective: "
            << geoinv::objective_statement(geoinv::objective_terms(experiment.regularization)) << "\n";
  std::cout << geoinv::summary_table(experiment, results) << geoinv::posterior_tables(results)
            << geoinv::summary_notes(experiment, results);
  std::cout << "results: " << experiment.output_dir.string() << "\n";
  if (drawn) std::cout << "report: " << (experiment.output_dir / "report.html").string() << "\n";
}

// `geoinv validate CAMPAIGN.yaml`: the campaign checked as `geoinv campaign` checks it before running,
// reported as a dry run.
int validate_campaign_file(const fs::path& file, const po::variables_map& arguments) {
  geoinv::CampaignPlan plan = geoinv::load_campaign(file, set_overrides(arguments));
  geoinv::validate_campaign(plan);
  std::vector<std::string> sweep;
  for (const auto& axis : plan.axes)
    sweep.push_back(fmt::format("{} ({} values)", fmt::join(axis.keys, " + "), axis.values.size()));
  for (const auto& draw : plan.random) sweep.push_back(draw.key + " (drawn per run)");
  std::cout << fmt::format(
      "{}: valid campaign '{}' (dry run: nothing was solved)\n  runs: {} ({} sweep points x {} replicates)\n"
      "  sweep: {}\n  solvers: {}\n  base: {}\n",
      file.string(), plan.name, plan.runs, plan.points, plan.replicates,
      sweep.empty() ? std::string("none") : fmt::format("{}", fmt::join(sweep, ", ")),
      fmt::join(plan.solvers.all(), ", "), plan.base_file.string());
  return 0;
}

bool names_a_campaign(const fs::path& file) {
  try {
    return geoinv::is_campaign_root(geoinv::parse_config_file(file));
  } catch (const geoinv::Error&) {
    return false;  // the experiment reader reports what is wrong with the file, in its own words
  }
}

// --threads N of run: 1 <= N <= the campaign's job limit (max_jobs), the one cap on threads geoinv starts.
int read_threads(const po::variables_map& arguments) {
  const int threads = arguments["threads"].as<int>();
  const int limit = geoinv::max_jobs();
  if (threads < 1 || threads > limit)
    throw usage_error(fmt::format("--threads {} is outside 1..{} (4 x the hardware threads; GEOINV_MAX_JOBS "
                                  "sets another limit)",
                                  threads, limit),
                      "run");
  return threads;
}

}  // namespace

void run_options(po::options_description& options) {
  add_out_option(options, "output.dir of the experiment, runs/<name>");
  options.add_options()("threads", po::value<int>()->value_name("N"),
                        "threads each solver may use (SolveContext::threads; today pso with generational: "
                        "true predicts a generation on them); results are the same for every N; at most 4 x "
                        "the hardware threads, or GEOINV_MAX_JOBS (default: 1)");
  add_overwrite_option(options);
  add_no_figures_option(options);
  add_figure_formats_option(options);
  add_quiet_option(options, "nothing but errors and warnings");
  add_set_option(options, kExperimentFile);
}

void validate_options(po::options_description& options) {
  add_set_option(options, "the experiment file (of a campaign file: as geoinv campaign --set does)");
}

void train_options(po::options_description& options) {
  add_out_option(options, "models/<name>");
  add_overwrite_option(options);
  add_set_option(options, kExperimentFile);
}

int run_command(const po::variables_map& arguments) {
  const bool quiet = has_flag(arguments, "quiet");
  geoinv::show_solver_progress(!quiet);
  geoinv::Experiment experiment = load(arguments, "run");
  if (arguments.count("out")) experiment.output_dir = arguments["out"].as<std::string>();
  if (has_flag(arguments, "overwrite")) experiment.overwrite = true;
  if (arguments.count("threads")) experiment.solver_threads = read_threads(arguments);
  geoinv::report_crashes_on_stderr();  // a crashing plugin: one line naming it, not the shell's
  // The figures are drawn in the run's staging folder, so the folder appears complete, figures and all; a
  // missing gnuplot only warns (the results are complete without it).
  std::function<void(const fs::path&)> figures;
  bool drawn = false;
  if (!has_flag(arguments, "no-figures"))
    figures = [&](const fs::path& staging) {
      drawn = geoinv::render_report_or_warn(staging, experiment.output_dir, figure_formats_of(arguments));
    };
  const auto results = geoinv::run_experiment_into_folder(experiment, figures);
  if (!quiet) print_run_summary(experiment, results, drawn);
  return 0;
}

int validate_command(const po::variables_map& arguments) {
  const fs::path file = require_positional(arguments, "the experiment or campaign file", "validate");
  if (names_a_campaign(file)) return validate_campaign_file(file, arguments);
  const geoinv::Experiment experiment = load(arguments, "validate");
  std::vector<std::string> labels;
  for (const auto& s : experiment.solvers) labels.push_back(s.label);
  std::cout << fmt::format("{}: valid ({} data, {} parameters, forward '{}', solvers: {})\n", file.string(),
                           experiment.observed.size(), experiment.parameters.size(),
                           experiment.forward_plugin, fmt::join(labels, ", "));
  return 0;
}

int train_command(const po::variables_map& arguments) {
  geoinv::Experiment experiment = load(arguments, "train");
  const fs::path out = arguments.count("out") ? fs::path(arguments["out"].as<std::string>())
                                              : fs::path("models") / experiment.name;
  geoinv::check_output_dir(out, has_flag(arguments, "overwrite"));
  geoinv::TrainedSolvers trained;
  for (auto& solver : experiment.solvers) {
    if (!geoinv::as_learning_solver(*solver.instance) || !solver.model_file.empty()) continue;
    trained.emplace_back(solver.label, geoinv::prepare_learning_solver(experiment, solver));
  }
  if (trained.empty())
    throw geoinv::Error(geoinv::Error::Category::config,
                        "the experiment has no learning solver with a prior to train",
                        {experiment.file.string()});
  geoinv::write_training_outputs(out, experiment, trained);
  for (const auto& [label, model] : trained) std::cout << geoinv::training_line(label, model);
  std::cout << "models: " << out.string() << "\n";
  return 0;
}

}  // namespace geoinv_cli
