// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/bounds_section.hpp"

#include <fmt/format.h>

#include "configuration/experiment.hpp"
#include "configuration/parameter_values.hpp"

namespace geoinv {

void resolve_bounds_section(const ConfigNode& bounds, Experiment& experiment) {
  const ParameterLayout& layout = experiment.layout;
  const ParameterSpecs& parameters = experiment.parameters;  // one per value
  const Eigen::Index n = layout.total_size();
  experiment.lower.resize(n);
  experiment.upper.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    experiment.lower(i) = parameters[static_cast<std::size_t>(i)].lower;
    experiment.upper(i) = parameters[static_cast<std::size_t>(i)].upper;
  }
  if (!bounds.defined()) return;
  bounds.expect_map(parameter_names(layout.specs()));
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const ParameterSpec& spec = layout.specs()[p];
    const ConfigNode pair = bounds[spec.name];
    if (!pair.defined()) continue;
    if (!layout.is_block(p) && (!pair.is_sequence() || pair.size() != 2))
      pair.fail("expected [lower, upper] (use .inf for no bound)");
    Vector lower = experiment.lower, upper = experiment.upper;
    read_bound_pair(pair, experiment, p, true, lower, upper);
    for (Eigen::Index i = layout.offset(p); i < layout.offset(p) + layout.size(p); ++i) {
      if (!(lower(i) < upper(i))) pair.fail("lower bound must be below the upper bound");
      if (lower(i) < spec.lower || upper(i) > spec.upper)
        pair.fail(fmt::format("[{}, {}] {} lies outside what plugin '{}' allows for {}: [{}, {}]",
                              format_display(spec, lower(i)), format_display(spec, upper(i)), display_unit(spec),
                              experiment.forward_plugin, layout.value_name(i), format_display(spec, spec.lower),
                              format_display(spec, spec.upper)));
    }
    experiment.lower = lower;
    experiment.upper = upper;
  }
}

void emit_bounds_section(const Experiment& e, YAML::Emitter& out) {
  out << YAML::Key << "bounds" << YAML::Value;
  emit_ranges(out, e.layout, e.lower, e.upper);
}

}  // namespace geoinv
