// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/top_level_section.hpp"

#include <fmt/format.h>

#include "configuration/experiment.hpp"

namespace geoinv {

namespace fs = std::filesystem;

fs::path relative_to(const fs::path& base_file, const fs::path& path) {
  if (path.is_absolute()) return path;
  return (base_file.parent_path() / path).lexically_normal();
}

fs::path path_value(const ConfigNode& node) {
  const fs::path written = node.as_string();
  if (!node.set_on_command_line() || written.is_absolute()) return written;
  return fs::absolute(written).lexically_normal();
}

TopLevelSection read_top_level_section(const ConfigNode& root, const fs::path& file) {
  TopLevelSection section;
  const ConfigNode version = root.required("version");
  section.version = static_cast<int>(version.as_int());
  if (section.version != kSchemaVersion)
    version.fail(fmt::format("unsupported schema version {}; this geoinv reads version {}", section.version,
                             kSchemaVersion));
  section.name = root["name"].defined() ? root["name"].as_string() : file.stem().string();
  section.seed = read_seed(root, section.seed);
  if (const ConfigNode paths = root["plugin_paths"]; paths.defined()) {
    paths.expect_sequence();
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const ConfigNode entry = paths.at(i);
      section.plugin_paths.push_back(path_value(entry));
      section.plugin_path_nodes.push_back(entry);
    }
  }
  return section;
}

void register_plugin_paths(const TopLevelSection& section, const fs::path& file, PluginRegistry& registry) {
  for (std::size_t i = 0; i < section.plugin_paths.size(); ++i) {
    try {
      registry.add_path(relative_to(file, section.plugin_paths[i]));
    } catch (const Error& error) {
      const ConfigNode& entry = section.plugin_path_nodes[i];
      const std::string where = error.where().file.empty() ? "" : error.where().file + ": ";
      throw Error(Error::Category::plugin, where + error.message(), entry.location(), entry.path());
    }
  }
}

void emit_top_level_section(const Experiment& e, YAML::Emitter& out) {
  out << YAML::Key << "version" << YAML::Value << e.version;
  out << YAML::Key << "name" << YAML::Value << e.name;
  out << YAML::Key << "seed" << YAML::Value << e.seed;
  out << YAML::Key << "plugin_paths" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& path : e.plugin_paths)
    out << fs::absolute(relative_to(e.file, path)).lexically_normal().string();
  out << YAML::EndSeq;
}

}  // namespace geoinv
