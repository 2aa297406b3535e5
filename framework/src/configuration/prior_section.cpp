// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/prior_section.hpp"

#include "base/random.hpp"
#include "configuration/experiment.hpp"
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

}  // namespace

PriorSpec read_prior(const ConfigNode& node, const Experiment& experiment) {
  node.expect_map({"sampling", "ranges", "grid", "samples", "seed", "noise_sigma"});
  PriorSpec prior;
  const ConfigNode sampling = node.required("sampling");
  const std::string word = sampling.as_string();
  if (word == "uniform")
    prior.sampling = PriorSpec::Sampling::uniform;
  else if (word == "latin_hypercube")
    prior.sampling = PriorSpec::Sampling::latin_hypercube;
  else if (word == "grid")
    prior.sampling = PriorSpec::Sampling::grid;
  else
    sampling.fail("unknown sampling '" + word + "'; valid: uniform, grid, latin_hypercube");

  if (prior.sampling == PriorSpec::Sampling::grid) {
    if (node["ranges"].defined()) node["ranges"].fail("a grid prior takes 'grid', not 'ranges'");
    const ConfigNode grid = node.required("grid");
    if (experiment.layout.has_blocks()) grid.fail("a grid prior takes scalar parameters only, not blocks");
    grid.expect_map(parameter_names(experiment.parameters));
    for (const auto& p : experiment.parameters)
      prior.grid.push_back(read_grid_values(grid.required(p.name), p));
  } else {
    if (node["grid"].defined()) node["grid"].fail("'grid' applies to sampling: grid");
    read_box(node, "ranges", "a prior samples models", experiment, prior.lower, prior.upper);
  }
  if (const ConfigNode samples = node["samples"]; samples.defined()) {
    prior.samples = samples.as_int();
    if (prior.samples < 10 || prior.samples > 10000000)
      samples.fail("samples must be between 10 and 10000000");
  } else if (prior.sampling != PriorSpec::Sampling::grid) {
    node.required("samples");
  }
  prior.seed = read_seed(node, derive_seed(experiment.seed, 2000));
  if (const ConfigNode noise = node["noise_sigma"]; noise.defined()) {
    prior.noise_sigma = noise.as_real();
    if (*prior.noise_sigma < 0) noise.fail("noise_sigma must be >= 0");
  }
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
  out << YAML::EndMap;
}

}  // namespace geoinv
