// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/parameter_values.hpp"

#include <fmt/format.h>

#include <cmath>

#include "configuration/block_values.hpp"
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

Vector read_model(const ConfigNode& node, const Experiment& experiment) {
  const ParameterLayout& layout = experiment.layout;
  node.expect_map(parameter_names(layout.specs()));
  Vector model(layout.total_size());
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const ParameterSpec& spec = layout.specs()[p];
    const ConfigNode value = node.required(spec.name);
    if (layout.is_block(p))
      read_block_values(value, spec, experiment.file, false, model.segment(layout.offset(p), layout.size(p)));
    else
      model(layout.offset(p)) = from_display(spec, value.as_real());
  }
  return model;
}

void emit_model(YAML::Emitter& out, const ParameterLayout& layout, const Vector& model) {
  out << YAML::Flow << YAML::BeginMap;
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const ParameterSpec& spec = layout.specs()[p];
    out << YAML::Key << spec.name << YAML::Value;
    if (layout.is_block(p))
      emit_block_values(out, spec, model.segment(layout.offset(p), layout.size(p)));
    else
      emit_number(out, to_display(spec, model(layout.offset(p))));
  }
  out << YAML::EndMap;
}

void read_bound_pair(const ConfigNode& pair, const Experiment& experiment, std::size_t parameter,
                     bool allow_infinite, Vector& lower, Vector& upper) {
  const ParameterLayout& layout = experiment.layout;
  const ParameterSpec& spec = layout.specs()[parameter];
  const Eigen::Index offset = layout.offset(parameter), size = layout.size(parameter);
  if (layout.is_block(parameter) && pair.is_map()) {
    pair.expect_map({"lower", "upper"});
    read_block_values(pair.required("lower"), spec, experiment.file, allow_infinite, lower.segment(offset, size));
    read_block_values(pair.required("upper"), spec, experiment.file, allow_infinite, upper.segment(offset, size));
    return;
  }
  if (!pair.is_sequence() || pair.size() != 2)
    pair.fail("expected [lower, upper] (every value of the block) or {lower: values, upper: values}");
  const auto read = [&](const ConfigNode& bound) {
    return from_display(spec, allow_infinite ? bound.as_real_or_infinite() : bound.as_real());
  };
  lower.segment(offset, size).setConstant(read(pair.at(0)));
  upper.segment(offset, size).setConstant(read(pair.at(1)));
}

void check_within_bounds(const ConfigNode& node, const Experiment& experiment, const Vector& model,
                         const char* what) {
  const ParameterLayout& layout = experiment.layout;
  for (Eigen::Index index = 0; index < layout.total_size(); ++index) {
    const std::size_t p = layout.block_of(index);
    const ParameterSpec& spec = layout.specs()[p];
    const double value = model(index);
    if (value < experiment.lower(index) || value > experiment.upper(index))
      node[spec.name].fail(fmt::format("{} value {}{} {} lies outside the bounds [{}, {}]", what,
                                       layout.is_block(p) ? layout.value_name(index) + " = " : "",
                                       format_display(spec, value), display_unit(spec),
                                       format_display(spec, experiment.lower(index)),
                                       format_display(spec, experiment.upper(index))));
  }
}

void read_box(const ConfigNode& node, const char* key, const char* purpose, const Experiment& experiment,
              Vector& lower, Vector& upper) {
  const ParameterLayout& layout = experiment.layout;
  lower = experiment.lower;
  upper = experiment.upper;
  const ConfigNode ranges = node[key];
  if (ranges.defined()) ranges.expect_map(parameter_names(layout.specs()));
  for (Eigen::Index i = 0; i < lower.size(); ++i) {
    const std::size_t parameter = layout.block_of(i);
    const ParameterSpec& p = layout.specs()[parameter];
    const ConfigNode pair = ranges[p.name];
    if (pair.defined()) {
      if (i == layout.offset(parameter)) {
        if (!layout.is_block(parameter) && (!pair.is_sequence() || pair.size() != 2))
          pair.fail("expected [lower, upper]");
        read_bound_pair(pair, experiment, parameter, false, lower, upper);
      }
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
                      purpose, layout.value_name(i), format_display(p, lower(i)), format_display(p, upper(i)),
                      node.path(), key, p.name, p.name));
  }
}

void emit_ranges(YAML::Emitter& out, const ParameterLayout& layout, const Vector& lower, const Vector& upper) {
  out << YAML::BeginMap;
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const ParameterSpec& spec = layout.specs()[p];
    const auto low = lower.segment(layout.offset(p), layout.size(p));
    const auto up = upper.segment(layout.offset(p), layout.size(p));
    out << YAML::Key << spec.name << YAML::Value;
    if ((low.array() == low(0)).all() && (up.array() == up(0)).all()) {
      out << YAML::Flow << YAML::BeginSeq;
      emit_number(out, to_display(spec, low(0)));
      emit_number(out, to_display(spec, up(0)));
      out << YAML::EndSeq;
    } else {
      out << YAML::BeginMap << YAML::Key << "lower" << YAML::Value;
      emit_block_values(out, spec, low);
      out << YAML::Key << "upper" << YAML::Value;
      emit_block_values(out, spec, up);
      out << YAML::EndMap;
    }
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
