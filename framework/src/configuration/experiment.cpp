// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/experiment.hpp"

#include <yaml-cpp/yaml.h>

#include "base/random.hpp"
#include "configuration/bounds_section.hpp"
#include "configuration/config_node.hpp"
#include "configuration/noise_level.hpp"

namespace geoinv {

namespace fs = std::filesystem;

Experiment load_experiment(const fs::path& file, const std::vector<std::string>& overrides,
                           PluginRegistry& registry) {
  return load_experiment(load_config_file(file, overrides), file, registry, true);
}

Experiment load_experiment(const ConfigNode& root, const fs::path& file, PluginRegistry& registry,
                           bool add_plugin_paths) {
  return resolve_experiment(read_experiment_sections(root, file), file, registry, add_plugin_paths);
}

Experiment resolve_experiment(const ExperimentSections& sections, const fs::path& file,
                              PluginRegistry& registry, bool add_plugin_paths) {
  Experiment experiment;
  experiment.file = file;
  experiment.version = sections.top.version;
  experiment.name = sections.top.name;
  experiment.seed = sections.top.seed;
  experiment.plugin_paths = sections.top.plugin_paths;
  if (add_plugin_paths) register_plugin_paths(sections.top, file, registry);

  // The forward model first: the data, bounds, starts and priors are keyed by its parameters.
  resolve_forward_section(sections.forward, sections.data.unit, registry, experiment);
  resolve_data_section(sections.data, experiment);
  configure_forward_model(sections.forward, experiment);
  resolve_true_model(sections.data, experiment);
  check_enough_data(sections.data, experiment);
  resolve_bounds_section(sections.bounds, experiment);
  resolve_start_section(sections.start, experiment);
  check_true_model(sections.data, experiment);
  resolve_solvers_section(sections.solvers, registry, experiment);
  experiment.budget = sections.budget;
  resolve_regularization_section(sections.regularization, experiment);
  experiment.output_dir = sections.output.dir;
  experiment.overwrite = sections.output.overwrite;

  // Synthetic data last: everything they depend on is valid by now; the starts may depend on the data.
  make_synthetic_data(sections.data, experiment);
  compute_starts(sections.start, experiment);
  return experiment;
}

void generate_synthetic_data(Experiment& experiment) {
  experiment.observed.resize(experiment.stations.size());
  experiment.forward->predict(experiment.true_model, experiment.observed);
  if (experiment.noise_snr)
    experiment.noise_sigma =
        noise_sigma_for(NoiseLevel{std::nullopt, experiment.noise_snr}, experiment.observed);
  NormalGenerator noise(experiment.noise_seed);
  for (Eigen::Index i = 0; i < experiment.observed.size(); ++i)
    experiment.observed(i) += experiment.noise_sigma * noise.next();
  if (experiment.noise_sigma > 0.0)
    experiment.sigma = Vector::Constant(experiment.observed.size(), experiment.noise_sigma);
}

std::string resolved_yaml(const Experiment& experiment) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  emit_top_level_section(experiment, out);
  emit_forward_section(experiment, out);
  emit_data_section(experiment, out);
  emit_start_section(experiment, out);
  emit_bounds_section(experiment, out);
  emit_solvers_section(experiment, out);
  emit_budget_section(experiment.budget, out);
  emit_regularization_section(experiment, out);
  emit_output_section({experiment.output_dir, experiment.overwrite}, out);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace geoinv
