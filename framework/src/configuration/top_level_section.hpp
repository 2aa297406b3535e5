// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The small top-level keys of an experiment file (docs/experiment-schema.md, "Complete example"):
// version, name, seed, plugin_paths. Each other top-level key is a section with a file of its own.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "configuration/config_node.hpp"
#include "geoinv/plugin_registry.hpp"

namespace geoinv {

inline constexpr int kSchemaVersion = 1;

struct Experiment;

struct TopLevelSection {
  int version = kSchemaVersion;  // version: required; must be kSchemaVersion
  std::string name;              // name: default the file's name without its extension
  std::uint64_t seed = 1;        // seed: default 1; every random draw of the experiment derives from it
  // plugin_paths: default none; folders or plugin files searched first, as written (relative to the
  // experiment file's folder), with where each was written for the error of a path the registry refuses.
  std::vector<std::filesystem::path> plugin_paths;
  std::vector<ConfigNode> plugin_path_nodes;
};

// Reads version, name, seed and plugin_paths of `root`; `file` gives the default name.
TopLevelSection read_top_level_section(const ConfigNode& root, const std::filesystem::path& file);

// Adds the section's plugin_paths to `registry`, a refused path failing at its entry.
void register_plugin_paths(const TopLevelSection& section, const std::filesystem::path& file,
                           PluginRegistry& registry);

// Writes version, name, seed and plugin_paths (absolute, so the resolved file runs from anywhere).
void emit_top_level_section(const Experiment& experiment, YAML::Emitter& out);

// A path written in the experiment file `base_file`: relative paths are relative to the file's folder.
std::filesystem::path relative_to(const std::filesystem::path& base_file, const std::filesystem::path& path);

// The path a key holds (data.file, model_file, plugin_paths entries), for relative_to to resolve. One
// written in the file is kept as written, relative to the file's folder; one given on the command line
// (--set data.file=profile.csv) is made absolute against the working folder, where the user typed it
// (docs/experiment-schema.md, "Paths").
std::filesystem::path path_value(const ConfigNode& node);

}  // namespace geoinv
