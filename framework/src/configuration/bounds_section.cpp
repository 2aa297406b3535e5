// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/bounds_section.hpp"

#include <fmt/format.h>

#include "configuration/experiment.hpp"
#include "configuration/parameter_values.hpp"

namespace geoinv {

void resolve_bounds_section(const ConfigNode& bounds, Experiment& experiment) {
  const ParameterSpecs& parameters = experiment.parameters;
  const auto n = static_cast<Eigen::Index>(parameters.size());
  experiment.lower.resize(n);
  experiment.upper.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    experiment.lower(i) = parameters[static_cast<std::size_t>(i)].lower;
    experiment.upper(i) = parameters[static_cast<std::size_t>(i)].upper;
  }
  if (!bounds.defined()) return;
  bounds.expect_map(parameter_names(parameters));
  for (Eigen::Index i = 0; i < n; ++i) {
    const ParameterSpec& spec = parameters[static_cast<std::size_t>(i)];
    const ConfigNode pair = bounds[spec.name];
    if (!pair.defined()) continue;
    if (!pair.is_sequence() || pair.size() != 2) pair.fail("expected [lower, upper] (use .inf for no bound)");
    const double lower = from_display(spec, pair.at(0).as_real_or_infinite());
    const double upper = from_display(spec, pair.at(1).as_real_or_infinite());
    if (!(lower < upper)) pair.fail("lower bound must be below the upper bound");
    if (lower < spec.lower || upper > spec.upper)
      pair.fail(fmt::format("[{}, {}] {} lies outside what plugin '{}' allows for {}: [{}, {}]",
                            format_display(spec, lower), format_display(spec, upper), display_unit(spec),
                            experiment.forward_plugin, spec.name, format_display(spec, spec.lower),
                            format_display(spec, spec.upper)));
    experiment.lower(i) = lower;
    experiment.upper(i) = upper;
  }
}

void emit_bounds_section(const Experiment& e, YAML::Emitter& out) {
  out << YAML::Key << "bounds" << YAML::Value;
  emit_ranges(out, e.parameters, e.lower, e.upper);
}

}  // namespace geoinv
