// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// An experiment file parsed into its sections (docs/experiment-schema.md): every key checked that can be
// checked without a plugin, no plugin loaded, no file read besides the YAML, no data made. What a
// plugin defines (its options, its parameters' names and units, whether a solver learns) stays as the
// located ConfigNode it was written as, and is read when the experiment is resolved (experiment.hpp).
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <vector>

#include "configuration/budget_section.hpp"
#include "configuration/config_node.hpp"
#include "configuration/data_section.hpp"
#include "configuration/forward_section.hpp"
#include "configuration/output_section.hpp"
#include "configuration/regularization_section.hpp"
#include "configuration/solvers_section.hpp"
#include "configuration/start_section.hpp"
#include "configuration/top_level_section.hpp"

namespace geoinv {

struct ExperimentSections {
  TopLevelSection top;                 // version, name, seed, plugin_paths
  ForwardSection forward;              // forward (its stations read with the data's kind)
  DataSection data;                    // data
  ConfigNode bounds;                   // bounds: keyed by the plugin's parameters (bounds_section.hpp)
  StartSection start;                  // start
  std::vector<SolverSection> solvers;  // solvers
  Budget budget;                       // budget
  RegularizationSection regularization;  // regularization
  OutputSection output;                // output
};

// Whether a parsed file's root map is a campaign's (docs/campaigns.md) rather than an experiment's: it
// names a base experiment (base:) and has no forward model of its own. `geoinv validate` checks such a
// file as a campaign; the experiment reader refuses it saying what it is.
bool is_campaign_root(const YAML::Node& root);

// Parses the root of an experiment file; `file` gives the default name. Any problem throws geoinv::Error
// with file, line, column and key path.
ExperimentSections read_experiment_sections(const ConfigNode& root, const std::filesystem::path& file);

}  // namespace geoinv
