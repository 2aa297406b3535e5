// SPDX-License-Identifier: BSD-3-Clause
// geoinv: the command-line host. Parses the command line, loads plugins and experiments, runs them, and
// turns every geoinv::Error into one clear line on stderr and a documented exit code.
#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "base/folder_lock.hpp"
#include "configuration/experiment.hpp"
#include "running/learning.hpp"
#include "print_error.hpp"
#include "reporting/report.hpp"
#include "geoinv/error.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/version.hpp"
#include "running/posterior_outputs.hpp"
#include "running/run_outputs.hpp"
#include "running/compare.hpp"
#include "running/runner.hpp"
#include "running/training_outputs.hpp"

namespace geoinv_cli {  // campaign_commands.cpp
int command_campaign(const std::vector<std::string>& args);
int command_collect(const std::vector<std::string>& args);
}  // namespace geoinv_cli

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(geoinv - geophysical inversion with plugin forward models and solvers

Usage:
  geoinv run EXPERIMENT.yaml [--out DIR] [--overwrite] [--no-figures] [--set dotted.key=value ...]
  geoinv validate EXPERIMENT.yaml [--set dotted.key=value ...]
  geoinv train EXPERIMENT.yaml [--out DIR] [--overwrite] [--set dotted.key=value ...]
  geoinv plugins [--verbose]
  geoinv describe PLUGIN [--kind forward|solver]
  geoinv compare RUN_DIR... 
  geoinv campaign CAMPAIGN.yaml [--jobs N] [--out DIR] [--shard i/N] [--resume] [--quiet] [--no-figures]
  geoinv collect DIR... [--out DIR] [--no-figures]
  geoinv plot DIR...
  geoinv --help | --version (also: geoinv version, geoinv -V)

Commands:
  run        Run every solver of the experiment on the same data from the same start and write the run
             folder (config.resolved.yaml, result.json, fit.csv, trace_<solver>.csv), with its figures
             (figures/*.png, *.svg, by gnuplot) and report.html unless --no-figures.
  validate   Check the experiment file (keys, types, plugins, data, bounds) without running it.
  train      Train the experiment's learning solvers (e.g. mlp) on their priors and save the models
             (DIR/<solver>.model.json, loss_<solver>.csv, training.json) for `model_file:` to reuse.
  plugins    List the plugins found: name, kind, version and file.
  describe   Show a plugin's parameters, options (defaults, units) and a complete example experiment.
  compare    Rank finished runs on the same data by BIC (with AIC, RMS and the number of parameters),
             so a researcher sees which model the data support.
  campaign   Run a sweep of the base experiment (docs/campaigns.md) on N threads (default: all cores; at
             most 4 x the hardware threads, or GEOINV_MAX_JOBS):
             manifest.csv first, results.csv streamed one run at a time, summary.csv at the end, then
             figures/ and report.html unless --no-figures.
             --resume completes an interrupted campaign; --shard i/N runs the run ids = i mod N.
  collect    Merge campaign folders (shards) into one sorted, de-duplicated results.csv + summary.csv
             (and figures/, report.html unless --no-figures). campaign and collect print their time and
             peak memory; summary.csv and collect sort in bounded memory (GEOINV_CAMPAIGN_MEMORY_BYTES,
             default 4 MiB; docs/campaigns.md).
  plot       Draw the figures of run or campaign folders again (DIR/figures/*.png, *.svg, with the gnuplot
             scripts and data beside them) and write DIR/report.html. Needs gnuplot (GEOINV_GNUPLOT names
             another program). A missing gnuplot only warns after run, campaign and collect, whose results
             are complete; for plot it is an error (exit code 7).

Options for every command:
  --plugin-path PATH   Also search PATH (a folder or one plugin file) for plugins; repeatable.
                       GEOINV_PLUGIN_PATH (colon-separated folders) is searched too.

Exit codes:
  0  success (a run that finished writes its results, whether or not each solver converged)
  1  internal error (a bug: please report it)
  2  bad command line
  3  bad experiment file (syntax, unknown key, wrong type, missing key, invalid value)
  4  bad data (missing file, non-numeric cell, too few data, bad sigma)
  5  plugin problem (unknown name, not a geoinv plugin, wrong API/ABI, plugin error)
  6  numerical failure outside a solver
  7  output could not be written (or the output folder already holds a run); plot: the folder is not a
     geoinv run or campaign folder, or gnuplot is missing or failed
)";

struct CommonOptions {
  std::vector<std::string> plugin_paths;
};

geoinv::Error usage_error(const std::string& message) {
  return geoinv::Error(geoinv::Error::Category::usage, message + " (see geoinv --help)");
}

// Parses the arguments after the command word; `positional_name` names the positional argument, taken
// `count` times (-1: any number).
po::variables_map parse(const std::vector<std::string>& args, po::options_description options,
                        const char* positional_name, int count = 1) {
  options.add_options()("plugin-path", po::value<std::vector<std::string>>()->composing(),
                        "extra plugin folder or file");
  po::positional_options_description positional;
  if (positional_name) positional.add(positional_name, count);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }
  return vm;
}

void add_plugin_paths(const po::variables_map& vm, geoinv::PluginRegistry& registry) {
  if (!vm.count("plugin-path")) return;
  for (const auto& path : vm["plugin-path"].as<std::vector<std::string>>()) registry.add_path(path);
}

std::vector<std::string> overrides_of(const po::variables_map& vm) {
  return vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

std::string require_positional(const po::variables_map& vm, const char* name, const char* what) {
  if (!vm.count(name)) throw usage_error(fmt::format("missing {}", what));
  return vm[name].as<std::string>();
}

int command_run(const std::vector<std::string>& args, bool validate_only) {
  po::options_description options;
  options.add_options()("experiment", po::value<std::string>(), "experiment file")(
      "set", po::value<std::vector<std::string>>()->composing(), "override dotted.key=value");
  if (!validate_only)
    options.add_options()("out", po::value<std::string>(), "output folder")("overwrite", "replace an existing run")(
        "quiet", "print nothing but errors")("no-figures", "write no figures/ and report.html");
  const po::variables_map vm = parse(args, options, "experiment");
  const fs::path file = require_positional(vm, "experiment", "the experiment file (EXPERIMENT.yaml)");

  geoinv::PluginRegistry registry;
  add_plugin_paths(vm, registry);
  geoinv::Experiment experiment = geoinv::load_experiment(file, overrides_of(vm), registry);
  if (validate_only) {
    std::cout << fmt::format("{}: valid ({} data, {} parameters, forward '{}', solvers: {})\n", file.string(),
                             experiment.observed.size(), experiment.parameters.size(), experiment.forward_plugin,
                             [&] {
                               std::vector<std::string> labels;
                               for (const auto& s : experiment.solvers) labels.push_back(s.label);
                               return fmt::format("{}", fmt::join(labels, ", "));
                             }());
    return 0;
  }
  if (vm.count("out")) experiment.output_dir = vm["out"].as<std::string>();
  if (vm.count("overwrite")) experiment.overwrite = true;
  // Held from before the solve until the folder is in place: a second `geoinv run --out` of the same
  // folder is refused at once, even with --overwrite, instead of replacing this run's folder later.
  const geoinv::FolderLock lock(experiment.output_dir);
  geoinv::check_output_dir(experiment.output_dir, experiment.overwrite);

  const auto results = geoinv::run_experiment(experiment);
  // The figures are drawn in the run's staging folder, so the folder appears complete, figures and all; a
  // missing gnuplot only warns (the results are complete without it).
  std::function<void(const fs::path&)> figures;
  bool drawn = false;
  if (!vm.count("no-figures"))
    figures = [&](const fs::path& staging) { drawn = geoinv::render_report_or_warn(staging, experiment.output_dir); };
  geoinv::write_run_directory(experiment.output_dir, experiment.overwrite, experiment, results, figures);
  if (!vm.count("quiet")) {
    std::cout << fmt::format("geoinv {}: experiment '{}': {} data, forward '{}'\n", geoinv::version(),
                             experiment.name, experiment.observed.size(), experiment.forward_plugin);
    std::cout << geoinv::summary_table(experiment, results) << geoinv::posterior_tables(results);
    for (const auto& r : results) {
      if (!r.message.empty()) std::cout << fmt::format("{}: {}\n", r.label, r.message);
      if (!r.uncertainty.note.empty()) std::cout << fmt::format("{}: {}\n", r.label, r.uncertainty.note);
      if (r.learning)
        std::cout << fmt::format("{}: {} ({}), training {:.3f} s apart from the inversion\n", r.label,
                                 r.trained_now ? "trained" : "model", r.training_description, r.training_time_s);
      if (!r.start_from.empty()) std::cout << fmt::format("{}: started from the estimate of {}\n", r.label, r.start_from);
    }
    std::cout << "results: " << experiment.output_dir.string() << "\n";
    if (drawn) std::cout << "report: " << (experiment.output_dir / "report.html").string() << "\n";
  }
  return 0;
}

int command_train(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("experiment", po::value<std::string>(), "experiment file")(
      "set", po::value<std::vector<std::string>>()->composing(), "override dotted.key=value")(
      "out", po::value<std::string>(), "output folder")("overwrite", "replace an existing folder");
  const po::variables_map vm = parse(args, options, "experiment");
  const fs::path file = require_positional(vm, "experiment", "the experiment file (EXPERIMENT.yaml)");
  geoinv::PluginRegistry registry;
  add_plugin_paths(vm, registry);
  geoinv::Experiment experiment = geoinv::load_experiment(file, overrides_of(vm), registry);
  const fs::path out = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : fs::path("models") / experiment.name;
  geoinv::check_output_dir(out, vm.count("overwrite") > 0);
  geoinv::TrainedSolvers trained;
  for (auto& solver : experiment.solvers) {
    if (!geoinv::as_learning_solver(*solver.instance) || !solver.model_file.empty()) continue;
    trained.emplace_back(solver.label, geoinv::prepare_learning_solver(experiment, solver));
  }
  if (trained.empty())
    throw geoinv::Error(geoinv::Error::Category::config,
                        "the experiment has no learning solver with a prior to train", {file.string()});
  geoinv::write_training_outputs(out, experiment, trained);
  for (const auto& [label, model] : trained) std::cout << geoinv::training_line(label, model);
  std::cout << "models: " << out.string() << "\n";
  return 0;
}

int command_plugins(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("verbose", "also list skipped files and the search path");
  const po::variables_map vm = parse(args, options, nullptr);
  geoinv::PluginRegistry registry;
  add_plugin_paths(vm, registry);
  const auto plugins = registry.list();
  std::size_t width = 4;
  for (const auto& p : plugins) width = std::max(width, p.name.size());
  std::cout << fmt::format("{:<{}}  {:<7}  {:<8}  {}\n", "name", width, "kind", "version", "file");
  for (const auto& p : plugins)
    std::cout << fmt::format("{:<{}}  {:<7}  {:<8}  {}\n", p.name, width, geoinv::to_string(p.kind), p.version,
                             p.file.string());
  if (vm.count("verbose")) {
    std::cout << "\nsearch path:\n";
    for (const auto& path : registry.search_path()) std::cout << "  " << path.string() << "\n";
    const auto skipped = registry.diagnostics();
    if (!skipped.empty()) std::cout << "\nskipped:\n";
    for (const auto& line : skipped) std::cout << "  " << line << "\n";
  }
  return 0;
}

std::string bound_text(const geoinv::ParameterSpec& spec, double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{:g}", geoinv::to_display(spec, value));
}

void print_options(const geoinv::OptionSpecs& options) {
  if (options.empty()) {
    std::cout << "  (none)\n";
    return;
  }
  for (const auto& option : options) {
    std::string type = geoinv::to_string(option.type);
    if (option.type == geoinv::OptionType::choice) type += fmt::format(" ({})", fmt::join(option.choices, "|"));
    const std::string interval = option.interval_text();
    const std::string range = interval.empty() ? "" : ", range " + interval;
    const std::string unit = option.unit.empty() ? "" : " " + option.unit;
    std::cout << fmt::format("  {}: {}, default {}{}{}\n      {}\n", option.name, type,
                             geoinv::to_string(option.default_value), unit, range, option.doc);
  }
}

int command_describe(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("plugin", po::value<std::string>(), "plugin name")(
      "kind", po::value<std::string>(), "forward or solver, when both kinds have the name");
  const po::variables_map vm = parse(args, options, "plugin");
  const std::string name = require_positional(vm, "plugin", "the plugin name (see geoinv plugins)");
  geoinv::PluginRegistry registry;
  add_plugin_paths(vm, registry);

  std::optional<geoinv::PluginKind> kind;
  if (vm.count("kind")) {
    const std::string word = vm["kind"].as<std::string>();
    if (word == "forward") kind = geoinv::PluginKind::forward;
    else if (word == "solver") kind = geoinv::PluginKind::solver;
    else throw usage_error("--kind must be forward or solver, got '" + word + "'");
  } else {
    for (const auto& p : registry.list())
      if (p.name == name) kind = p.kind;
    if (!kind) registry.find(name, geoinv::PluginKind::forward);  // throws, listing what exists
  }
  const geoinv::PluginInfo& info = registry.find(name, *kind);
  std::cout << fmt::format("{} ({} plugin, version {}, API {}.{})\n  {}\n  file: {}\n\n", info.name,
                           geoinv::to_string(info.kind), info.version, info.api_major, info.api_minor, info.summary,
                           info.file.string());
  std::string example;
  if (*kind == geoinv::PluginKind::forward) {
    const auto model = registry.create_forward_model(name);
    std::cout << "Parameters (angles in degrees in YAML and outputs):\n";
    for (const auto& p : model->parameters())
      std::cout << fmt::format("  {}: {}, bounds [{}, {}]{}\n      {}\n", p.name, geoinv::display_unit(p),
                               bound_text(p, p.lower), bound_text(p, p.upper), p.is_angle ? ", periodic" : "", p.doc);
    std::cout << "\nOptions (forward.options):\n";
    print_options(model->options());
    example = model->example_yaml();
  } else {
    const auto solver = registry.create_solver(name);
    std::cout << "Options (solvers[].options):\n";
    print_options(solver->options());
    example = solver->example_yaml();
  }
  std::cout << "\nExample experiment:\n" << example;
  if (!example.empty() && example.back() != '\n') std::cout << "\n";
  return 0;
}

// Draws the figures and writes report.html of each run or campaign folder, and lists what it wrote. A
// folder that fails does not stop the others; the exit code is the first failure's.
int command_plot(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("folders", po::value<std::vector<std::string>>()->composing(), "run or campaign folders");
  const po::variables_map vm = parse(args, options, "folders", -1);
  if (!vm.count("folders")) throw usage_error("plot needs one or more run or campaign folders");
  int status = 0;
  for (const auto& folder : vm["folders"].as<std::vector<std::string>>()) {
    try {
      const geoinv::ReportOutcome outcome = geoinv::render_report(folder);
      std::cout << fmt::format("{} ({} folder):\n", folder,
                               outcome.kind == geoinv::ResultFolderKind::run ? "run" : "campaign");
      for (const auto& file : outcome.files) std::cout << "  " << file.string() << "\n";
      for (const auto& report : outcome.run_reports) std::cout << "  " << report.string() << "\n";
      std::cout << "  " << outcome.report.string() << "\n";
      for (const auto& note : outcome.notes) std::cout << "  note: " << note << "\n";
    } catch (const geoinv::Error& error) {
      std::cerr << "geoinv: error: " << error.what() << "\n";
      if (status == 0) status = error.exit_code();
    }
  }
  return status;
}

// Ranks finished runs by BIC (running/compare.hpp).
int command_compare(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("runs", po::value<std::vector<std::string>>()->composing(), "run folders");
  const po::variables_map vm = parse(args, options, "runs", -1);
  if (!vm.count("runs")) throw usage_error("compare needs one or more run folders");
  const auto folders = vm["runs"].as<std::vector<std::string>>();
  std::cout << geoinv::compare_runs(std::vector<fs::path>(folders.begin(), folders.end()));
  return 0;
}

int dispatch(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version" || command == "-V" || command == "version") {
    std::cout << "geoinv " << geoinv::version() << " (plugin API " << geoinv::kApiMajor << "."
              << geoinv::kApiMinor << ", ABI " << geoinv::abi_tag() << ")\n";
    return 0;
  }
  for (const auto& arg : rest)
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
  if (command == "run") return command_run(rest, false);
  if (command == "validate") return command_run(rest, true);
  if (command == "plugins") return command_plugins(rest);
  if (command == "describe") return command_describe(rest);
  if (command == "compare") return command_compare(rest);
  if (command == "train") return command_train(rest);
  if (command == "campaign") return geoinv_cli::command_campaign(rest);
  if (command == "collect") return geoinv_cli::command_collect(rest);
  if (command == "plot") return command_plot(rest);
  const std::vector<std::string> commands{"run",     "validate", "train",   "plugins", "describe",
                                          "compare", "campaign", "collect", "plot"};
  std::string message = "unknown command '" + command + "'";
  const std::string nearest = geoinv::nearest_match(command, commands);
  if (!nearest.empty()) message += " (did you mean '" + nearest + "'?)";
  throw usage_error(message + "; commands: run, validate, train, plugins, describe, compare, campaign, collect, plot");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return dispatch(argc, argv);
  } catch (...) {
    return geoinv_cli::print_error(std::current_exception());
  }
}
