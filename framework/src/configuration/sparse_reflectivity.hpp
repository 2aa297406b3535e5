// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The random sparse reflectivity prior (docs/learning-solvers.md, "Windowed training sets"): a block of
// reflection coefficients, one per trace sample, that is zero except for a few spikes. YAML:
//
//   sparse: {density: 0.05, amplitude: [-0.3, 0.3]}
//
// density: the fraction of samples that carry a spike, in (0, 1]; default 0.05. A trace of n samples gets
// exactly max(1, round(density · n)) spikes, at distinct samples drawn uniformly.
// amplitude: [low, high], low < high, reflection coefficients (dimensionless); default [-0.3, 0.3]. Each
// spike's amplitude is uniform in [low, high).
// These defaults are Kim & Nakata's setting as issue 13 chose it (docs/papers.md): 13 spikes on 256
// samples, amplitudes U(−0.3, 0.3).
//
// Used by the host for the training sets of learning solvers; a synthetic truth may use the same
// generator, so that "the same seed gives the same traces" holds across both.
#include <yaml-cpp/yaml.h>

#include <string>

#include "base/random.hpp"
#include "configuration/config_node.hpp"
#include "geoinv/forward_model.hpp"

namespace geoinv {

struct SparseReflectivity {
  double density = 0.05;
  double amplitude_low = -0.3;
  double amplitude_high = 0.3;

  // max(1, round(density · samples)) for samples ≥ 1; never more than `samples`.
  Eigen::Index spikes(Eigen::Index samples) const;
  // "density 0.05, amplitude U(-0.3, 0.3)": for descriptions and training keys.
  std::string to_string() const;
};

// Reads {density?, amplitude?: [low, high]}; a located config error for anything else.
SparseReflectivity read_sparse_reflectivity(const ConfigNode& node);
void emit_sparse_reflectivity(YAML::Emitter& out, const SparseReflectivity& prior);

// One trace of `samples` reflection coefficients: spike positions by a partial Fisher–Yates shuffle, then
// their amplitudes, all from `random` (so a seed fixes the trace).
Vector draw_sparse_reflectivity(const SparseReflectivity& prior, Eigen::Index samples,
                                NormalGenerator& random);

}  // namespace geoinv
