// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The regularization section of an experiment file (docs/experiment-schema.md, "regularization"): the
// host-owned term λ·R(m) of the objective every solver minimises, Φ = ‖W(d − f(m))‖² + λ·R(m)
// (geoinv/regularization.hpp). Absent, there is none and every output is as before.
//
//   regularization:
//     type: tikhonov        # none | tikhonov | l1 | tv (OpenFOAM-style selection; an unknown word lists these)
//     order: 1              # tikhonov only: 0 (damping), 1 (flatness), 2 (smoothness); default 0
//     lambda: 0.1           # λ >= 0, a number (units of Σ((d − f)/σ)² per unit of R); required unless type none;
//                           # or a map choosing it: {choose: discrepancy | gcv | lcurve, range, points, target}
//                           # (configuration/lambda_choice_spec.hpp has its keys, defaults and units)
//     reference: {r0: 0, …} # m_ref keyed by parameter, display units; default 0 for every parameter
//
#include <yaml-cpp/yaml.h>

#include <optional>

#include "configuration/config_node.hpp"
#include "configuration/lambda_choice_spec.hpp"
#include "geoinv/regularization.hpp"

namespace geoinv {

struct Experiment;

struct RegularizationSection {
  Regularization regularization;  // kind, order, λ; the reference is read once the parameters are known
  ConfigNode reference;           // as written; absent when not given
  std::optional<LambdaChoiceSpec> lambda_choice;  // lambda: {choose: ...}; λ above stays 0 until chosen
  ConfigNode lambda_node;                         // that map, for errors found once the model is known
};

RegularizationSection read_regularization_section(const ConfigNode& node);

// Reads the reference model against the experiment's parameters, and refuses a λ rule the data or the
// model cannot support (discrepancy without σ, gcv on a non-linear model), located at `choose`.
void resolve_regularization_section(const RegularizationSection& section, Experiment& experiment);

// Writes the section when a regularisation is set; nothing otherwise (so resolved files without one stay
// as they were).
void emit_regularization_section(const Experiment& experiment, YAML::Emitter& out);

}  // namespace geoinv
