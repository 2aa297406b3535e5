// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The prior of a learning solver (solvers[].prior; docs/learning-solvers.md): the distribution its
// training set is drawn from.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "configuration/config_node.hpp"
#include "configuration/sparse_reflectivity.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/parameter_layout.hpp"

namespace geoinv {

struct Experiment;

// The prior as resolved: boxes and grids in internal units.
struct PriorSpec {
  enum class Sampling { uniform, grid, latin_hypercube, sparse };
  Sampling sampling = Sampling::uniform;
  Vector lower, upper;                    // uniform / latin_hypercube: the box (internal units)
  std::vector<std::vector<double>> grid;  // grid: the values of each parameter (internal units)
  SparseReflectivity sparse;              // sparse: the whole model vector from this prior
  std::int64_t samples = 0;               // 0 with a grid: every grid point once
  std::uint64_t seed = 0;
  std::optional<double> noise_sigma;  // default: the experiment's noise model
  std::optional<double> snr;          // instead of noise_sigma: RMS(signal) / RMS(noise), per profile
  std::int64_t window = 0;            // TrainingSet::window: 0 whole profiles, else odd W in samples
  std::int64_t pairs = 0;  // window > 0: (window, value) pairs drawn; 0 every window of every trace
};

std::string to_string(PriorSpec::Sampling sampling);

// Reads and resolves `prior`:
//   {sampling: uniform | latin_hypercube, ranges: {name: [lower, upper]}, samples, seed?, noise_sigma?}
// | {sampling: grid, grid: {name: [values] | {from, to, count}}, samples?, seed?, noise_sigma?}
// | {sampling: sparse, sparse?: {density, amplitude}, samples, seed?, noise_sigma?}
// and, with any sampling, snr? (instead of noise_sigma), window?, pairs?.
// sampling: required. ranges: default the bounds (every side finite; an angle with no bounds spans a full
// turn), display units. sparse: configuration/sparse_reflectivity.hpp, default its defaults. samples:
// required unless grid, 10 to 10000000; with a grid, default every grid point once. seed: default
// derive_seed(experiment seed, 2000) & kSeedMask. noise_sigma (>= 0, data units) or snr (> 0, per profile;
// configuration/noise_level.hpp): default the experiment's noise model. window: 0 (default) or an odd
// number of samples, 1 to 1001. pairs: only with a window, 10 to 10000000; default every window.
// A prior is read only for a solver that says it learns (solvers_section.cpp): another solver's prior is
// refused as such, whatever it holds. Its keys are the plugin's parameters, so it is read when resolving.
PriorSpec read_prior(const ConfigNode& prior, const Experiment& experiment);

void emit_prior(YAML::Emitter& out, const PriorSpec& prior, const ParameterLayout& layout);

}  // namespace geoinv
