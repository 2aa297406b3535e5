// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The values of one parameter block (parameter.hpp: a parameter with size != 1) as an experiment file
// gives them, wherever a model, a bound or a range is keyed by parameter name:
//
//   r: 0                        every value of the block (a broadcast), display units
//   r: [0, 0.2, 0, -0.2, ...]   one value per element, exactly `size` of them
//   r: {file: r_true.txt}       a text file of `size` numbers separated by spaces, commas or newlines
//                               (a line starting with '#' is a comment), relative to the experiment
//                               file's folder
//   r: {wedge: {top: 100, thickness: 10, top_amplitude: 0.2, base_amplitude: -0.2}}
//                               a wedge trace: zeros but top_amplitude at sample `top` (0-based) and
//                               base_amplitude added at sample top + thickness (samples, >= 0; at 0 the
//                               two add up at `top`). top_amplitude default 0.2, base_amplitude default
//                               -0.2 (+0.2 is the same-sign wedge); top and thickness required, and
//                               top + thickness must lie in the block. A campaign sweeping
//                               data.synthetic.true_model.r.wedge.thickness over 0..40 makes the
//                               section of Kim & Nakata's wedge, one trace per run (docs/papers.md).
//
// A scalar parameter is read as before: a single number.
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "configuration/config_node.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/parameter.hpp"

namespace geoinv {

// Fills `values` (sized spec.size by the caller) from `node` in internal units. `allow_infinite` lets
// the numbers be .inf / -.inf (bounds). `experiment_file` resolves a relative {file: ...}. Errors are
// located at `node`: a list of the wrong length, a file that cannot be read or holds a non-number.
void read_block_values(const ConfigNode& node, const ParameterSpec& spec, const std::filesystem::path& experiment_file,
                       bool allow_infinite, Eigen::Ref<Vector> values);

// Writes the values as read_block_values reads them back: one number when they are all equal, a flow
// list otherwise. Display units, 15 significant digits (parameter_values.hpp, emit_number).
void emit_block_values(YAML::Emitter& out, const ParameterSpec& spec, const Eigen::Ref<const Vector>& values);

}  // namespace geoinv
