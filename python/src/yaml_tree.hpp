// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A Python value (dict, list, tuple, str, bool, int, float, None, NumPy scalars and 1-D arrays) as the
// YAML tree an experiment file would hold, so a dict runs exactly as the same keys written in YAML.
// Anything else is a UsageError naming its key path and type.
#include <yaml-cpp/yaml.h>

#include <string>

#include "bindings.hpp"

namespace geoinv_python {

YAML::Node yaml_tree(const py::handle& value, const std::string& key_path = "");

}  // namespace geoinv_python
