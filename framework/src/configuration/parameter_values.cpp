// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/parameter_values.hpp"

#include <fmt/format.h>

#include <cmath>

#include "configuration/experiment.hpp"

namespace geoinv {

std::vector<std::string> parameter_names(const ParameterSpecs& parameters) {
  std::vector<std::string> names;
  for (const auto& p : parameters) names.push_back(p.name);
  return names;
}

std::string format_display(const ParameterSpec& spec, double internal) {
  const double shown = to_display(spec, internal);
  if (std::isinf(shown)) return shown > 0 ? ".inf" : "-.inf";
  return fmt::format("{:.15g}", shown);
}

void emit_number(YAML::Emitter& out, double value) {
  if (std::isinf(value)) {
    out << (value > 0 ? ".inf" : "-.inf");
  } else {
    out << fmt::format("{:.15g}", value);
  }
}

Vector read_model(const ConfigNode& node, const ParameterSpecs& parameters) {
  node.expect_map(parameter_names(parameters));
  Vector model(static_cast<Eigen::Index>(parameters.size()));
  for (std::size_t i = 0; i < parameters.size(); ++i)
    model(static_cast<Eigen::Index>(i)) =
        from_display(parameters[i], node.required(parameters[i].name).as_real());
  return model;
}

void emit_model(YAML::Emitter& out, const ParameterSpecs& parameters, const Vector& model) {
  out << YAML::Flow << YAML::BeginMap;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    out << YAML::Key << parameters[i].name << YAML::Value;
    emit_number(out, to_display(parameters[i], model(static_cast<Eigen::Index>(i))));
  }
  out << YAML::EndMap;
}

void check_within_bounds(const ConfigNode& node, const Experiment& experiment, const Vector& model,
                         const char* what) {
  for (std::size_t i = 0; i < experiment.parameters.size(); ++i) {
    const auto index = static_cast<Eigen::Index>(i);
    const ParameterSpec& spec = experiment.parameters[i];
    const double value = model(index);
    if (value < experiment.lower(index) || value > experiment.upper(index))
      node[spec.name].fail(fmt::format("{} value {} {} lies outside the bounds [{}, {}]", what,
                                       format_display(spec, value), display_unit(spec),
                                       format_display(spec, experiment.lower(index)),
                                       format_display(spec, experiment.upper(index))));
  }
}

void read_box(const ConfigNode& node, const char* key, const char* purpose, const Experiment& experiment,
              Vector& lower, Vector& upper) {
  const ParameterSpecs& parameters = experiment.parameters;
  lower = experiment.lower;
  upper = experiment.upper;
  const ConfigNode ranges = node[key];
  if (ranges.defined()) ranges.expect_map(parameter_names(parameters));
  for (Eigen::Index i = 0; i < lower.size(); ++i) {
    const ParameterSpec& p = parameters[static_cast<std::size_t>(i)];
    const ConfigNode pair = ranges[p.name];
    if (pair.defined()) {
      if (!pair.is_sequence() || pair.size() != 2) pair.fail("expected [lower, upper]");
      lower(i) = from_display(p, pair.at(0).as_real());
      upper(i) = from_display(p, pair.at(1).as_real());
      if (!(lower(i) < upper(i))) pair.fail("lower must be below upper");
      if (lower(i) < experiment.lower(i) || upper(i) > experiment.upper(i))
        pair.fail(fmt::format("the range must lie within the bounds [{}, {}]",
                              format_display(p, experiment.lower(i)),
                              format_display(p, experiment.upper(i))));
    } else if (p.is_angle && std::isinf(lower(i)) && std::isinf(upper(i))) {
      lower(i) = 0.0;
      upper(i) = 2.0 * kPi;
    }
    if (!std::isfinite(lower(i)) || !std::isfinite(upper(i)))
      node.fail(
          fmt::format("{} within finite ranges, but {} is bounded by [{}, {}]; give {}.{}.{}: [lower, upper] "
                      "or bounds.{}",
                      purpose, p.name, format_display(p, lower(i)), format_display(p, upper(i)), node.path(),
                      key, p.name, p.name));
  }
}

void emit_ranges(YAML::Emitter& out, const ParameterSpecs& parameters, const Vector& lower,
                 const Vector& upper) {
  out << YAML::BeginMap;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const auto index = static_cast<Eigen::Index>(i);
    out << YAML::Key << parameters[i].name << YAML::Value << YAML::Flow << YAML::BeginSeq;
    emit_number(out, to_display(parameters[i], lower(index)));
    emit_number(out, to_display(parameters[i], upper(index)));
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
