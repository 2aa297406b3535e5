// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "geoinv/plugin_registry.hpp"

namespace geoinv_python {

// A registry over the default search path with `plugin_paths` added, as the CLI's --plugin-path does.
std::unique_ptr<geoinv::PluginRegistry> make_registry(const std::vector<std::string>& plugin_paths);

}  // namespace geoinv_python
