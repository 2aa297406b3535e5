// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/budget_section.hpp"

#include "configuration/parameter_values.hpp"

namespace geoinv {

Budget read_budget_section(const ConfigNode& node) {
  Budget budget;
  if (!node.defined()) return budget;
  node.expect_map({"max_forward_evaluations", "max_wall_time_s"});
  if (const ConfigNode evaluations = node["max_forward_evaluations"]; evaluations.defined()) {
    budget.max_forward_evaluations = evaluations.as_int();
    if (budget.max_forward_evaluations < 0) evaluations.fail("must be >= 0 (0 = unlimited)");
  }
  if (const ConfigNode seconds = node["max_wall_time_s"]; seconds.defined()) {
    budget.max_wall_time_s = seconds.as_real();
    if (budget.max_wall_time_s < 0) seconds.fail("must be >= 0 s (0 = unlimited)");
  }
  return budget;
}

void emit_budget_section(const Budget& budget, YAML::Emitter& out) {
  out << YAML::Key << "budget" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "max_forward_evaluations" << YAML::Value << budget.max_forward_evaluations;
  out << YAML::Key << "max_wall_time_s" << YAML::Value;
  emit_number(out, budget.max_wall_time_s);
  out << YAML::EndMap;
}

}  // namespace geoinv
