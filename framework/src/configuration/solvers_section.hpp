// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The solvers section of an experiment file (docs/experiment-schema.md, "Complete example";
// docs/learning-solvers.md): one or more solvers, run in order on the same data.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "configuration/config_node.hpp"
#include "configuration/prior_section.hpp"
#include "geoinv/options.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/solver.hpp"

namespace geoinv {

struct Experiment;

// A solver as resolved: its plugin loaded and configured.
struct SolverSpec {
  std::string plugin;
  std::string label;  // unique within the experiment; names the results, fit columns and trace file
  OptionValues options;
  std::shared_ptr<Solver> instance;
  std::optional<PriorSpec> prior;    // learning solvers: train on this prior
  ParameterPriors sampler_prior;  // sampling solvers: the prior density (sampler_prior.hpp); empty: uniform
  std::filesystem::path model_file;  // learning solvers: or reuse this trained model
  std::string start_from;            // start from the estimate of this earlier solver (a chain)
};

// One entry as written. Options, prior and model_file depend on the plugin (its declared options, whether
// it learns), so they are read when resolving.
struct SolverSection {
  ConfigNode node;         // the entry
  std::string plugin;      // plugin: required; `geoinv plugins` lists the names
  ConfigNode plugin_node;  // where, for errors of loading and calling the plugin
  // label: default the plugin name; one word without commas, slashes or quotes; unique in the file.
  std::string label;
  ConfigNode options;     // options: default the plugin's declared defaults
  // prior: learning solvers, to train on (prior_section.hpp); sampling solvers, the prior density
  // (sampler_prior.hpp); refused for any other solver.
  ConfigNode prior;
  ConfigNode model_file;  // model_file: learning solvers, a trained model (relative to the file)
  // start_from: default none; the label of an earlier solver whose estimate starts this one.
  std::string start_from;
  ConfigNode start_from_node;
};

// Reads the list: at least one entry, labels unique, start_from naming earlier labels only.
std::vector<SolverSection> read_solvers_section(const ConfigNode& solvers);

// Loads and configures each solver and reads what depends on it: options, prior or model_file.
void resolve_solvers_section(const std::vector<SolverSection>& sections, PluginRegistry& registry,
                             Experiment& experiment);

void emit_solvers_section(const Experiment& experiment, YAML::Emitter& out);

}  // namespace geoinv
