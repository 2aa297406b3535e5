// SPDX-License-Identifier: BSD-3-Clause
#include "plugin_paths.hpp"

namespace geoinv_python {

std::unique_ptr<geoinv::PluginRegistry> make_registry(const std::vector<std::string>& plugin_paths) {
  auto registry = std::make_unique<geoinv::PluginRegistry>();
  for (const auto& path : plugin_paths) registry->add_path(path);
  return registry;
}

}  // namespace geoinv_python
