// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/sampler_prior.hpp"

#include <fmt/format.h>

#include <cmath>

#include "configuration/parameter_values.hpp"

namespace geoinv {

namespace {

ParameterPrior read_distribution(const ConfigNode& node, const ParameterSpec& p) {
  if (!node.is_map() || node.entries().size() != 1)
    node.fail(fmt::format("expected one distribution, {{normal: [mean, sd]}} ({})", display_unit(p)));
  node.expect_map({"normal"});
  const ConfigNode pair = node.required("normal");
  if (!pair.is_sequence() || pair.size() != 2)
    pair.fail(fmt::format("expected [mean, sd] in {}", display_unit(p)));
  const double mean = pair.at(0).as_real(), sd = pair.at(1).as_real();
  if (!(sd > 0.0)) pair.at(1).fail(fmt::format("the sd must be > 0 ({}), got {}", display_unit(p), sd));
  ParameterPrior prior;
  prior.kind = ParameterPrior::Kind::normal;
  prior.mean = from_display(p, mean);
  prior.sd = from_display(p, sd);  // a scale: degrees to radians is linear
  return prior;
}

}  // namespace

ParameterPriors read_sampler_prior(const ConfigNode& node, const ParameterSpecs& parameters) {
  ParameterPriors priors(parameters.size());
  if (!node.is_map()) node.fail("expected {parameter: {normal: [mean, sd]}, ...}");
  node.expect_map(parameter_names(parameters));
  for (std::size_t j = 0; j < parameters.size(); ++j)
    if (const ConfigNode entry = node[parameters[j].name]; entry.defined())
      priors[j] = read_distribution(entry, parameters[j]);
  return priors;
}

void emit_sampler_prior(YAML::Emitter& out, const ParameterPriors& prior, const ParameterSpecs& parameters) {
  out << YAML::BeginMap;
  for (std::size_t j = 0; j < prior.size(); ++j) {
    if (prior[j].kind != ParameterPrior::Kind::normal) continue;
    out << YAML::Key << parameters[j].name << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
        << "normal" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    emit_number(out, to_display(parameters[j], prior[j].mean));
    emit_number(out, to_display(parameters[j], prior[j].sd));
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
