// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The output section of an experiment file (docs/experiment-schema.md, "Complete example"): where the
// run folder goes. The command line's --out and --overwrite replace both.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

#include "configuration/config_node.hpp"

namespace geoinv {

struct OutputSection {
  std::filesystem::path dir;  // output.dir: default runs/<name>, relative to the working folder
  bool overwrite = false;     // output.overwrite: default false, refuse to replace a folder that holds files
};

// Reads the section; `name` (the experiment's) gives the default folder.
OutputSection read_output_section(const ConfigNode& output, const std::string& name);

void emit_output_section(const OutputSection& output, YAML::Emitter& out);

}  // namespace geoinv
