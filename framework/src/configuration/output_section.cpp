// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/output_section.hpp"

namespace geoinv {

OutputSection read_output_section(const ConfigNode& node, const std::string& name) {
  OutputSection output;
  output.dir = std::filesystem::path("runs") / name;
  if (!node.defined()) return output;
  node.expect_map({"dir", "overwrite"});
  if (node["dir"].defined()) output.dir = node["dir"].as_string();
  if (node["overwrite"].defined()) output.overwrite = node["overwrite"].as_bool();
  return output;
}

void emit_output_section(const OutputSection& output, YAML::Emitter& out) {
  out << YAML::Key << "output" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "dir" << YAML::Value << output.dir.string();
  out << YAML::Key << "overwrite" << YAML::Value << output.overwrite;
  out << YAML::EndMap;
}

}  // namespace geoinv
