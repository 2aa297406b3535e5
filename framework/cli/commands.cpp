// SPDX-License-Identifier: BSD-3-Clause
// The command table: every command's name, help text, positional arguments, option table and action.
#include "command.hpp"
#include "command_functions.hpp"

namespace geoinv_cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      {"run",
       "run every solver of an experiment and write the run folder",
       R"(Runs every solver of the experiment on the same data from the same start and writes the run folder:
config.resolved.yaml, result.json, fit.csv, trace_<solver>.csv, and its figures (figures/*.png, *.svg,
drawn by gnuplot) and report.html unless --no-figures. Then prints a table of the solvers (time_s: wall
time in seconds, as wall_time_s in result.json). docs/outputs.md describes every file.)",
       "geoinv run configs/seed_sphere_dls.yaml\n"
       "geoinv run EXPERIMENT.yaml --out runs/try2 --overwrite --set solvers.0.options.max_iterations=50\n"
       "geoinv run EXPERIMENT.yaml --set data.file=profile.csv   # profile.csv in the working folder",
       {"EXPERIMENT.yaml", 1, Completion::yaml_file},
       run_options,
       run_command},
      {"validate",
       "check an experiment or campaign file without running it",
       R"(Checks an experiment file (keys, types, plugins, data, bounds) without running it. Given a campaign
file, checks it as `geoinv campaign` does before it runs (the campaign, its base experiment and every
sweep value) and reports the number of runs, the sweep and the solvers: a dry run.)",
       "geoinv validate EXPERIMENT.yaml\n"
       "geoinv validate configs/campaigns/seed_study.yaml --set campaign.sweep.replicates=3",
       {"FILE.yaml", 1, Completion::yaml_file},
       validate_options,
       validate_command},
      {"train",
       "train an experiment's learning solvers and save their models",
       R"(Trains the experiment's learning solvers (e.g. mlp) on their priors and saves the models
(DIR/<solver>.model.json, loss_<solver>.csv, training.json) for `model_file:` to reuse.)",
       "geoinv train configs/seed_sphere_mlp.yaml --out models/sphere",
       {"EXPERIMENT.yaml", 1, Completion::yaml_file},
       train_options,
       train_command},
      {"plugins",
       "list the plugins found: name, kind, version and file",
       R"(Lists the forward-model and solver plugins found on the search path (docs/architecture.md,
"Plugins with Boost.DLL"): name, kind, version and file.)",
       "geoinv plugins --verbose\n"
       "geoinv plugins --plugin-path build/my_plugins",
       {},
       plugins_options,
       plugins_command},
      {"describe",
       "show a plugin's parameters, options and a complete example experiment",
       R"(Shows a plugin's parameters (units, bounds), its options (type, default, unit, range) and a
complete example experiment that validates and runs.)",
       "geoinv describe sphere\n"
       "geoinv describe dls --kind solver",
       {"PLUGIN", 1, Completion::plugin_name},
       describe_options,
       describe_command},
      {"compare",
       "rank finished runs on the same data by BIC",
       R"(Ranks finished runs on the same data by BIC (with AIC, RMS, the number of parameters and each
row's run folder), so a researcher sees which model the data support. Runs on different data (compared
by content: stations, values and sigma) are refused (exit code 4) unless --force, which ranks them with
one warning on stderr.)",
       "geoinv compare runs/sphere runs/cylinder --format csv",
       {"RUN_DIR", -1, Completion::folder},
       compare_options,
       compare_command},
      {"campaign",
       "run a sweep of a base experiment over many runs",
       R"(Runs a sweep of the base experiment (docs/campaigns.md) on N threads, or on MPI ranks under
mpirun: manifest.csv first, results.csv streamed one run at a time, summary.csv at the end, then figures/
and report.html unless --no-figures. Prints a progress bar (with an ETA once the rate is known) on a
terminal, a line every 10 % otherwise, and at the end its time and peak memory; --quiet prints only
the counts of runs and where the results are. --resume completes an interrupted campaign; --shard i/N runs the run ids = i mod
N. summary.csv sorts in bounded memory (GEOINV_CAMPAIGN_MEMORY_BYTES, default 4 MiB).)",
       "geoinv campaign configs/campaigns/seed_study.yaml --jobs 2\n"
       "geoinv campaign c.yaml --set budget.max_evaluations=500 --set campaign.sweep.replicates=10\n"
       "geoinv campaign c.yaml --out runs/c --resume\n"
       "mpirun -n 4 geoinv campaign c.yaml",
       {"CAMPAIGN.yaml", 1, Completion::yaml_file},
       campaign_options,
       campaign_command},
      {"collect",
       "merge campaign folders (shards) into one",
       R"(Merges campaign folders (shards) into one sorted, de-duplicated results.csv and summary.csv (and
figures/, report.html unless --no-figures), in bounded memory (GEOINV_CAMPAIGN_MEMORY_BYTES, default
4 MiB). Prints its time and peak memory.)",
       "geoinv collect runs/c.shard0of2 runs/c.shard1of2 --out runs/c",
       {"DIR", -1, Completion::folder},
       collect_options,
       collect_command},
      {"plot",
       "draw the figures and report.html of run or campaign folders again",
       R"(Draws the figures of run or campaign folders again (DIR/figures/*.png, *.svg, with the gnuplot
scripts and data beside them) and writes DIR/report.html; with --out, in a copy of the folder. Needs
gnuplot (GEOINV_GNUPLOT names another program): a missing gnuplot only warns after run, campaign and
collect, whose results are complete; for plot it is an error (exit code 7).)",
       "geoinv plot runs/synthetic_sphere\n"
       "geoinv plot runs/seed_study --out /tmp/seed_figures",
       {"DIR", -1, Completion::folder},
       plot_options,
       plot_command},
      {"help",
       "show the help of geoinv or of one command, or the man page",
       R"(Shows the help of geoinv, or of COMMAND (the same as `geoinv COMMAND --help`); --man prints the
manual page of every command as groff (installed as share/man/man1/geoinv.1).)",
       "geoinv help campaign\n"
       "geoinv help --man | man -l -",
       {"[COMMAND]", 1, Completion::command_name},
       help_options,
       help_command},
      {"version",
       "show geoinv's version, plugin API and ABI",
       R"(Shows geoinv's version, its plugin API version and its ABI tag (also: geoinv --version,
geoinv -V).)",
       "geoinv version",
       {},
       nullptr,
       version_command},
      {"completion",
       "print the shell completion script",
       R"(Prints the completion script of SHELL (bash), made from the same option tables as the help. The
install puts it in share/bash-completion/completions/geoinv; to try it: source <(geoinv completion bash).)",
       "source <(geoinv completion bash)",
       {"SHELL", 1, Completion::shell_name},
       nullptr,
       completion_command},
  };
  return table;
}

const Command* find_command(const std::string& name) {
  for (const auto& command : commands())
    if (name == command.name) return &command;
  return nullptr;
}

}  // namespace geoinv_cli
