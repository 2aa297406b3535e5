// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/prior_section.hpp"

#include "base/random.hpp"
#include "configuration/experiment.hpp"
#include "configuration/noise_level.hpp"
#include "configuration/parameter_values.hpp"

namespace geoinv {

std::string to_string(PriorSpec::Sampling sampling) {
  switch (sampling) {
    case PriorSpec::Sampling::uniform:
      return "uniform";
    case PriorSpec::Sampling::grid:
      return "grid";
    case PriorSpec::Sampling::latin_hypercube:
      return "latin_hypercube";
    case PriorSpec::Sampling::sparse:
      return "sparse";
  }
  return "unknown";
}

namespace {

// One parameter's grid values: a list, or {from, to, count} equally spaced; display units in, internal out.
std::vector<double> read_grid_values(const ConfigNode& values, const ParameterSpec& p) {
  std::vector<double> list;
  if (values.is_sequence()) {
    for (std::size_t i = 0; i < values.size(); ++i) list.push_back(from_display(p, values.at(i).as_real()));
  } else {
    values.expect_map({"from", "to", "count"});
    const double from = values.required("from").as_real(), to = values.required("to").as_real();
    const std::int64_t count = values.required("count").as_int();
    if (count < 1) values["count"].fail("count must be at least 1");
    for (std::int64_t k = 0; k < count; ++k)
      list.push_back(from_display(
          p,
          count == 1 ? from : from + (to - from) * static_cast<double>(k) / static_cast<double>(count - 1)));
  }
  if (list.empty()) values.fail("a grid needs at least one value");
  return list;
}

PriorSpec::Sampling read_sampling(const ConfigNode& sampling) {
  const std::string word = sampling.as_string();
  if (word == "uniform") return PriorSpec::Sampling::uniform;
  if (word == "latin_hypercube") return PriorSpec::Sampling::latin_hypercube;
  if (word == "grid") return PriorSpec::Sampling::grid;
  if (word == "sparse") return PriorSpec::Sampling::sparse;
  sampling.fail("unknown sampling '" + word + "'; valid: uniform, grid, latin_hypercube, sparse");
}

// window (odd samples) and pairs (only with a window): the training set's shape.
void read_window_shape(const ConfigNode& node, PriorSpec& prior) {
  if (const ConfigNode window = node["window"]; window.defined()) {
    prior.window = window.as_int();
    if (prior.window < 0 || prior.window > 1001 || (prior.window > 0 && prior.window % 2 == 0))
      window.fail(
          "window is 0 (whole profiles) or an odd number of samples from 1 to 1001, centred on its "
          "sample");
  }
  if (const ConfigNode pairs = node["pairs"]; pairs.defined()) {
    if (prior.window == 0) pairs.fail("'pairs' applies to a windowed training set (window > 0)");
    prior.pairs = pairs.as_int();
    if (prior.pairs < 10 || prior.pairs > 10000000) pairs.fail("pairs must be between 10 and 10000000");
  }
}

}  // namespace

PriorSpec read_prior(const ConfigNode& node, const Experiment& experiment) {
  node.expect_map(
      {"sampling", "ranges", "grid", "sparse", "samples", "seed", "noise_sigma", "snr", "window", "pairs"});
  PriorSpec prior;
  prior.sampling = read_sampling(node.required("sampling"));
  if (prior.sampling != PriorSpec::Sampling::grid && node["grid"].defined())
    node["grid"].fail("'grid' applies to sampling: grid");
  if (prior.sampling != PriorSpec::Sampling::sparse && node["sparse"].defined())
    node["sparse"].fail("'sparse' applies to sampling: sparse");
  if (prior.sampling == PriorSpec::Sampling::grid) {
    if (node["ranges"].defined()) node["ranges"].fail("a grid prior takes 'grid', not 'ranges'");
    const ConfigNode grid = node.required("grid");
    if (experiment.layout.has_blocks()) grid.fail("a grid prior takes scalar parameters only, not blocks");
    grid.expect_map(parameter_names(experiment.parameters));
    for (const auto& p : experiment.parameters)
      prior.grid.push_back(read_grid_values(grid.required(p.name), p));
  } else if (prior.sampling == PriorSpec::Sampling::sparse) {
    if (node["ranges"].defined()) node["ranges"].fail("a sparse prior takes 'sparse', not 'ranges'");
    if (const ConfigNode sparse = node["sparse"]; sparse.defined())
      prior.sparse = read_sparse_reflectivity(sparse);
  } else {
    read_box(node, "ranges", "a prior samples models", experiment, prior.lower, prior.upper);
  }
  if (const ConfigNode samples = node["samples"]; samples.defined()) {
    prior.samples = samples.as_int();
    if (prior.samples < 10 || prior.samples > 10000000)
      samples.fail("samples must be between 10 and 10000000");
  } else if (prior.sampling != PriorSpec::Sampling::grid) {
    node.required("samples");
  }
  prior.seed = read_seed(node, derive_seed(experiment.seed, 2000) & kSeedMask);
  const NoiseLevel noise = read_noise_level(node, false);
  prior.noise_sigma = noise.sigma;
  prior.snr = noise.snr;
  read_window_shape(node, prior);
  return prior;
}

void emit_prior(YAML::Emitter& out, const PriorSpec& prior, const ParameterLayout& layout) {
  const ParameterSpecs& parameters = layout.specs();
  out << YAML::BeginMap;
  out << YAML::Key << "sampling" << YAML::Value << to_string(prior.sampling);
  if (prior.sampling == PriorSpec::Sampling::grid) {
    out << YAML::Key << "grid" << YAML::Value << YAML::BeginMap;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      out << YAML::Key << parameters[i].name << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (double value : prior.grid[i]) emit_number(out, to_display(parameters[i], value));
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  } else if (prior.sampling == PriorSpec::Sampling::sparse) {
    out << YAML::Key << "sparse" << YAML::Value;
    emit_sparse_reflectivity(out, prior.sparse);
  } else {
    out << YAML::Key << "ranges" << YAML::Value;
    emit_ranges(out, layout, prior.lower, prior.upper);
  }
  if (prior.samples > 0) out << YAML::Key << "samples" << YAML::Value << prior.samples;
  out << YAML::Key << "seed" << YAML::Value << prior.seed;
  if (prior.noise_sigma) {
    out << YAML::Key << "noise_sigma" << YAML::Value;
    emit_number(out, *prior.noise_sigma);
  }
  if (prior.snr) {
    out << YAML::Key << "snr" << YAML::Value;
    emit_number(out, *prior.snr);
  }
  if (prior.window > 0) out << YAML::Key << "window" << YAML::Value << prior.window;
  if (prior.pairs > 0) out << YAML::Key << "pairs" << YAML::Value << prior.pairs;
  out << YAML::EndMap;
}

}  // namespace geoinv
