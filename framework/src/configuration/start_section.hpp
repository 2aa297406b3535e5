// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The start section of an experiment file (docs/experiment-schema.md, "Start"): where iterative solvers
// start. The host computes the starts once; every solver of the experiment gets the same ones.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "configuration/config_node.hpp"
#include "geoinv/forward_model.hpp"

namespace geoinv {

struct Experiment;

// The start as resolved: models and ranges in internal units.
struct StartSpec {
  enum class Strategy { fixed, multistart, data_driven };
  Strategy strategy = Strategy::fixed;
  Vector model;                     // fixed: the given model; multistart: optional extra first start
  std::int64_t count = 0;           // multistart: number of Latin hypercube starts
  std::uint64_t seed = 0;           // multistart
  Vector range_lower, range_upper;  // multistart: the box the starts are drawn in (internal units)
};

std::string to_string(StartSpec::Strategy strategy);

// The section as written. Models and ranges are keyed by the forward plugin's parameters, so they are
// read when resolving.
struct StartSection {
  // The section; multistart's start.ranges {name: [lower, upper]} (default the bounds) is read from it.
  ConfigNode node;
  StartSpec::Strategy strategy = StartSpec::Strategy::fixed;  // start.strategy: default fixed
  ConfigNode model;  // fixed: required; multistart: optional, tried first; every parameter, display units
  std::int64_t count = 0;  // multistart: start.count, required, 1 to 100000
  std::uint64_t seed = 0;  // multistart: start.seed, default derive_seed(experiment seed, 1000) & kSeedMask
};

// Reads the section; `experiment_seed` gives the default multistart seed.
StartSection read_start_section(const ConfigNode& start, std::uint64_t experiment_seed);

// Reads the models and ranges against the experiment's parameters and bounds into its start_spec; a
// fixed start is the experiment's one start from here on.
void resolve_start_section(const StartSection& section, Experiment& experiment);

// The starts every solver gets, once the data exist (a data-driven start is estimated from them).
void compute_starts(const StartSection& section, Experiment& experiment);

void emit_start_section(const Experiment& experiment, YAML::Emitter& out);

}  // namespace geoinv
