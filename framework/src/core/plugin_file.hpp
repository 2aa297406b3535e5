// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// One plugin file as the registry first sees it: its descriptor, read from the file's
// "geoinv_descriptor" section (core/elf_section.hpp) without loading the library, and checked against
// this geoinv's plugin API and ABI. Nothing in the file runs here; a file is loaded only later, when a
// plugin it holds is asked for by name.
#include <filesystem>
#include <optional>
#include <string>

#include "geoinv/plugin_registry.hpp"

namespace geoinv {

struct PluginFileRead {
  std::optional<PluginInfo> info;  // the plugin, when the file is one this geoinv can use
  std::string refusal;             // otherwise why not, e.g. "not a geoinv plugin (...)", "... API 99.0 ..."
};

// Reads and checks the descriptor of `file`. Refused: a file that is not a 64-bit ELF library ("not a
// shared library"), one without a descriptor ("not a geoinv plugin"), a damaged or unknown descriptor
// layout, another plugin API (another major version, or a newer minor one) or ABI tag (both versions
// named), an unknown kind or an empty name.
PluginFileRead read_plugin_file(const std::filesystem::path& file);

}  // namespace geoinv
