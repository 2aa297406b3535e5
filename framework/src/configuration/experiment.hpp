// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// An experiment file (docs/experiment-schema.md), validated and resolved: every default explicit, every
// plugin loaded and its options checked against its declarations, every value in internal units.
// Reading is two steps: parsing (experiment_sections.hpp: YAML into plain sections, no plugin loaded)
// and resolving (here: plugins loaded and their options validated, the profile CSV read, synthetic data
// made). Each section's file holds its reading, its defaults and its part of the resolved YAML.
#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "configuration/background_model.hpp"
#include "configuration/experiment_sections.hpp"
#include "configuration/forward_section.hpp"
#include "configuration/latin_hypercube.hpp"
#include "configuration/prior_section.hpp"
#include "configuration/solvers_section.hpp"
#include "configuration/start_section.hpp"
#include "configuration/top_level_section.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/parameter_layout.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"

namespace geoinv {

struct Experiment {
  std::filesystem::path file;  // the experiment file; relative paths in it are relative to its folder
  std::string name;
  int version = kSchemaVersion;
  std::uint64_t seed = 1;  // every random draw derives from it
  std::vector<std::filesystem::path> plugin_paths;  // as written (relative to the file's folder)

  // forward
  std::string forward_plugin;    // a sum's is its bodies' plugins joined by '+', e.g. sphere+sphere
  OptionValues forward_options;  // a sum's are its bodies' options suffixed _1, _2, ... (summed_forward_model.hpp)
  std::vector<ForwardBody> forward_bodies;  // forward.sum's bodies; empty for one plugin
  Background background = Background::none;  // host-owned regional term, appended parameters c0[, c1[, c2]]
  std::shared_ptr<ForwardModel> forward;  // configured with the stations (wrapped when background is on)
  // The model's parameters as it declares them after configure() (blocks with their sizes), and the
  // same flattened, one spec per model value (parameter_layout.hpp): `parameters` is what every
  // per-value loop indexes (parameters[j] describes model(j)); identical to layout.specs() without blocks.
  ParameterLayout layout;
  ParameterSpecs parameters;
  StationsSpec stations_spec;

  // data
  bool synthetic = false;
  std::filesystem::path data_file;  // as written
  std::optional<double> data_sigma; // a constant σ for a file without a σ column
  bool sort_rows = false;           // data.sort
  std::string duplicates = "error"; // data.duplicates: error | average
  std::string data_unit;            // data.unit: the data's unit, for labels; empty when not given
  std::optional<std::pair<double, double>> data_window;  // data.window: [x_min, x_max], m; none by default
  std::vector<std::string> data_notes;  // rows the reader sorted or merged, as asked
  Vector true_model;                // synthetic only (internal units)
  double noise_sigma = 0.0;         // synthetic only; with noise_snr, resolved by generate_synthetic_data
  std::optional<double> noise_snr;  // synthetic only: data.synthetic.snr (configuration/noise_level.hpp)
  std::uint64_t noise_seed = 0;     // synthetic only

  // The data themselves, read or generated.
  Vector stations, observed, sigma;  // sigma empty when unknown

  Vector lower, upper;  // internal units
  StartSpec start_spec;
  std::vector<Vector> starts;  // computed from start_spec: identical for every solver
  std::vector<SolverSpec> solvers;
  Budget budget;
  Regularization regularization;  // regularization: the λ·R(m) of the objective; none by default
  // regularization.lambda: {choose: ...}: λ is chosen per solver by the host (running/lambda_sweep.hpp);
  // regularization.lambda is then 0 until a solver's sweep sets it. Unset when λ is given.
  std::optional<LambdaChoiceSpec> lambda_choice;

  std::filesystem::path output_dir;
  bool overwrite = false;
  // SolveContext::threads of every solver of the run, >= 1 (default 1): `geoinv run --threads N`. Not a key
  // of the file: a campaign's runs keep one thread each, its --jobs own the cores.
  int solver_threads = 1;
};

// Reads, validates and resolves an experiment. `overrides` are --set dotted.key=value assignments.
// Plugins named in the file are loaded through `registry` (the file's plugin_paths are added to it).
// Any problem throws geoinv::Error with file, line, column and key path.
Experiment load_experiment(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                           PluginRegistry& registry);

// The same from an already-parsed root (a campaign parses its base file once and applies each run's
// overrides to a copy: config_node.hpp, config_from_node). With `add_plugin_paths` false the file's
// plugin_paths are only recorded: the caller has added them to `registry` already (once, not per run).
Experiment load_experiment(const ConfigNode& root, const std::filesystem::path& file, PluginRegistry& registry,
                           bool add_plugin_paths);

// Resolves parsed sections (read_experiment_sections of the same file): loads the plugins, validates
// their options and everything keyed by their parameters, reads the data or makes them, computes the
// starts. `add_plugin_paths` as for load_experiment.
Experiment resolve_experiment(const ExperimentSections& sections, const std::filesystem::path& file,
                              PluginRegistry& registry, bool add_plugin_paths);

// (Re)generates synthetic data: observed = the forward model at true_model plus noise_sigma times
// normal draws from noise_seed (sigma attached when noise_sigma > 0). With noise_snr, noise_sigma is first
// set to RMS(noise-free data) / noise_snr (noise_sigma_for). Non-finite data are the caller's
// to refuse. A campaign's replicates of one sweep point differ only in seeds, so they reuse one resolved
// experiment and call this with each run's noise seed.
void generate_synthetic_data(Experiment& experiment);

// The resolved configuration as YAML, every default explicit: written as config.resolved.yaml, and
// itself a valid experiment file.
std::string resolved_yaml(const Experiment& experiment);

}  // namespace geoinv
