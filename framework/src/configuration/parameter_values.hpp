// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Values keyed by the forward model's parameters, shared by the sections that hold them (start models,
// the true model, bounds, multistart and prior ranges). They are written in display units (degrees for
// angles: parameter.hpp, to_display) and kept in internal units; their keys are the plugin's parameter
// names, so they are read only once the forward plugin is loaded.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "configuration/config_node.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/parameter_layout.hpp"

namespace geoinv {

struct Experiment;

std::vector<std::string> parameter_names(const ParameterSpecs& parameters);

// An internal value in display units as the resolved YAML and the errors write it: 15 significant
// digits, .inf / -.inf for no bound.
std::string format_display(const ParameterSpec& spec, double internal);

// Writes a number as format_display writes it (without the unit conversion).
void emit_number(YAML::Emitter& out, double value);

// A model given as {name: value} in display units; every parameter is required, a block's value as
// block_values.hpp reads it. Keyed by the experiment's layout (its parameters after configure()).
Vector read_model(const ConfigNode& node, const Experiment& experiment);
void emit_model(YAML::Emitter& out, const ParameterLayout& layout, const Vector& model);

// The bounds of parameter `parameter` of the experiment's layout from `pair`: [lower, upper] (for a
// block, every value alike) or, for a block only, {lower: values, upper: values} (block_values.hpp);
// .inf / -.inf only when `allow_infinite`. Fills the parameter's segment of lower/upper; the caller
// checks their order, and for a scalar has checked that `pair` is a pair (its own message).
void read_bound_pair(const ConfigNode& pair, const Experiment& experiment, std::size_t parameter,
                     bool allow_infinite, Vector& lower, Vector& upper);

// Fails at node[name] (a block's name) for the first value of `model` outside the experiment's bounds; `what` names
// the model in the message ("start").
void check_within_bounds(const ConfigNode& node, const Experiment& experiment, const Vector& model,
                         const char* what);

// A box to draw models in: the experiment's bounds, narrowed by node[key] = {name: [lower, upper]}; an
// angle with no bounds spans a full turn. Every side must end up finite; `purpose` says why in the error
// ("multistart draws starts"). Shared by multistart starts and learning priors.
void read_box(const ConfigNode& node, const char* key, const char* purpose, const Experiment& experiment,
              Vector& lower, Vector& upper);

// Writes {name: [lower, upper], ...} in display units, one flow pair per parameter; a block whose
// values differ as {lower: [...], upper: [...]}, as read_bound_pair reads it back.
void emit_ranges(YAML::Emitter& out, const ParameterLayout& layout, const Vector& lower, const Vector& upper);

}  // namespace geoinv
