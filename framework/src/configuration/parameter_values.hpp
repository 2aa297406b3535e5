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

namespace geoinv {

struct Experiment;

std::vector<std::string> parameter_names(const ParameterSpecs& parameters);

// An internal value in display units as the resolved YAML and the errors write it: 15 significant
// digits, .inf / -.inf for no bound.
std::string format_display(const ParameterSpec& spec, double internal);

// Writes a number as format_display writes it (without the unit conversion).
void emit_number(YAML::Emitter& out, double value);

// A model given as {name: value} in display units; every parameter is required.
Vector read_model(const ConfigNode& node, const ParameterSpecs& parameters);
void emit_model(YAML::Emitter& out, const ParameterSpecs& parameters, const Vector& model);

// Fails at node[name] for the first parameter of `model` outside the experiment's bounds; `what` names
// the model in the message ("start").
void check_within_bounds(const ConfigNode& node, const Experiment& experiment, const Vector& model,
                         const char* what);

// A box to draw models in: the experiment's bounds, narrowed by node[key] = {name: [lower, upper]}; an
// angle with no bounds spans a full turn. Every side must end up finite; `purpose` says why in the error
// ("multistart draws starts"). Shared by multistart starts and learning priors.
void read_box(const ConfigNode& node, const char* key, const char* purpose, const Experiment& experiment,
              Vector& lower, Vector& upper);

// Writes {name: [lower, upper], ...} in display units, one flow pair per parameter.
void emit_ranges(YAML::Emitter& out, const ParameterSpecs& parameters, const Vector& lower,
                 const Vector& upper);

}  // namespace geoinv
