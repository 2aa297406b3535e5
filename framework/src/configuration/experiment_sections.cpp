// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/experiment_sections.hpp"

namespace geoinv {

bool is_campaign_root(const YAML::Node& root) {
  return root.IsMap() && root["base"].IsDefined() && !root["forward"].IsDefined();
}

ExperimentSections read_experiment_sections(const ConfigNode& root, const std::filesystem::path& file) {
  // A campaign file given where an experiment is expected: say so, rather than "unknown key 'base'".
  if (is_campaign_root(root.yaml()))
    root["base"].fail(
        "this is a campaign file (base: names its base experiment), not an experiment file; run it with "
        "geoinv campaign, check it with geoinv validate");
  root.expect_map({"version", "name", "seed", "plugin_paths", "forward", "data", "start", "bounds", "solvers",
                   "budget", "output", "regularization"});
  ExperimentSections sections;
  sections.top = read_top_level_section(root, file);
  const ConfigNode forward = root.required("forward");
  sections.forward = read_forward_section(forward);
  sections.data = read_data_section(root.required("data"), sections.top.seed);
  sections.forward.stations = read_stations(forward["stations"], sections.data.synthetic);
  sections.bounds = root["bounds"];
  sections.start = read_start_section(root.required("start"), sections.top.seed);
  sections.solvers = read_solvers_section(root.required("solvers"));
  sections.budget = read_budget_section(root["budget"]);
  sections.regularization = read_regularization_section(root["regularization"]);
  sections.output = read_output_section(root["output"], sections.top.name);
  return sections;
}

}  // namespace geoinv
