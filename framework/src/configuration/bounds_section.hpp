// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The bounds section of an experiment file (docs/experiment-schema.md, "Complete example"):
// {name: [lower, upper]} narrowing the bounds the forward plugin declares, in display units, .inf / -.inf
// for no bound. Its keys are the plugin's parameters, so the whole section is read when resolving; the
// default is the plugin's bounds.
#include <yaml-cpp/yaml.h>

#include "configuration/config_node.hpp"

namespace geoinv {

struct Experiment;

// Sets the experiment's lower and upper bounds (internal units): the plugin's, narrowed by `bounds`.
void resolve_bounds_section(const ConfigNode& bounds, Experiment& experiment);

void emit_bounds_section(const Experiment& experiment, YAML::Emitter& out);

}  // namespace geoinv
