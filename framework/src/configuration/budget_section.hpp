// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The budget section of an experiment file (docs/experiment-schema.md, "Complete example"): limits the
// host enforces identically for every solver (geoinv/problem.hpp, Budget, which documents the defaults:
// 0 = unlimited for both).
#include <yaml-cpp/yaml.h>

#include "configuration/config_node.hpp"
#include "geoinv/problem.hpp"

namespace geoinv {

// budget.max_forward_evaluations (>= 0; finite-difference evaluations count) and budget.max_wall_time_s
// (>= 0, s); an absent section or key keeps Budget's default.
Budget read_budget_section(const ConfigNode& budget);

void emit_budget_section(const Budget& budget, YAML::Emitter& out);

}  // namespace geoinv
