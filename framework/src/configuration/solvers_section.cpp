// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/solvers_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "configuration/experiment.hpp"
#include "configuration/plugin_options.hpp"
#include "configuration/sampler_prior.hpp"
#include "configuration/top_level_section.hpp"
#include "geoinv/learning_solver.hpp"

namespace geoinv {

namespace {

SolverSection read_solver(const ConfigNode& entry, const std::vector<SolverSection>& earlier) {
  entry.expect_map({"plugin", "label", "options", "prior", "model_file", "start_from"});
  SolverSection section;
  section.node = entry;
  section.plugin_node = entry.required("plugin");
  section.plugin = section.plugin_node.as_string();
  section.label = entry["label"].defined() ? entry["label"].as_string() : section.plugin;
  if (section.label.empty() || section.label.find_first_of(" ,/\\\"'") != std::string::npos)
    entry["label"].fail("a label must be one word without commas, slashes or quotes: '" + section.label +
                        "'");
  for (const auto& previous : earlier)
    if (previous.label == section.label)
      entry.fail("solver label '" + section.label + "' is used twice; give each solver a distinct 'label'");
  section.options = entry["options"];
  section.prior = entry["prior"];
  section.model_file = entry["model_file"];
  if (const ConfigNode from = entry["start_from"]; from.defined()) {
    section.start_from = from.as_string();
    section.start_from_node = from;
    std::vector<std::string> names;
    for (const auto& previous : earlier) names.push_back(previous.label);
    if (std::find(names.begin(), names.end(), section.start_from) == names.end())
      from.fail(
          fmt::format("start_from names no earlier solver; earlier labels: {}",
                      names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(names, ", "))));
  }
  return section;
}

// A learning solver trains on a prior or reuses a model_file; a sampling solver takes a prior density and
// no model_file; any other solver takes neither.
void read_learning(const SolverSection& section, bool learning, const Experiment& experiment,
                   SolverSpec& spec) {
  if (!learning) {
    const bool sampler = spec.instance->samples_posterior();
    if (sampler && section.prior.defined())
      spec.sampler_prior = read_sampler_prior(section.prior, experiment.parameters);
    const std::pair<const char*, const ConfigNode*> keys[] = {{"prior", &section.prior},
                                                              {"model_file", &section.model_file}};
    for (const auto& [key, node] : keys)
      if (node->defined() && !(sampler && node == &section.prior))
        node->fail("solver '" + spec.plugin + "' does not learn" + (sampler ? "" : " or sample") + "; '" +
                   key + "' applies to learning" + (sampler ? "" : " and sampling") + " solvers");
    return;
  }
  if (section.model_file.defined()) {
    spec.model_file = relative_to(experiment.file, path_value(section.model_file));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(spec.model_file, ec))
      section.model_file.fail(
          fmt::format("{}: {}; model_file names a trained model (<solver>.model.json, "
                      "written by geoinv train), relative to the experiment file",
                      spec.model_file.string(),
                      std::filesystem::exists(spec.model_file, ec) ? "not a file" : "no such file"));
    if (section.prior.defined())
      section.prior.fail("give either prior (train) or model_file (reuse), not both");
  } else {
    spec.prior = read_prior(section.node.required("prior"), experiment);
  }
  if (section.start_from_node.defined())
    section.start_from_node.fail("a learning solver does not take a start");
}

SolverSpec resolve_solver(const SolverSection& section, PluginRegistry& registry,
                          const Experiment& experiment) {
  const ConfigNode& plugin = section.plugin_node;
  SolverSpec spec;
  spec.plugin = section.plugin;
  spec.label = section.label;
  spec.start_from = section.start_from;
  spec.instance = create_plugin(plugin, [&] { return registry.create_solver(spec.plugin); });
  const OptionSpecs option_specs = call_plugin(plugin, spec.plugin, [&] { return spec.instance->options(); });
  spec.options = read_options(section.options, option_specs, spec.plugin);
  call_plugin(plugin, spec.plugin, [&] {
    spec.instance->configure(spec.options);
    return 0;
  });
  const bool learning = as_learning_solver(*spec.instance) != nullptr;
  read_learning(section, learning, experiment, spec);
  return spec;
}

}  // namespace

std::vector<SolverSection> read_solvers_section(const ConfigNode& solvers) {
  solvers.expect_sequence();
  if (solvers.size() == 0) solvers.fail("list at least one solver");
  std::vector<SolverSection> sections;
  for (std::size_t i = 0; i < solvers.size(); ++i) sections.push_back(read_solver(solvers.at(i), sections));
  return sections;
}

void resolve_solvers_section(const std::vector<SolverSection>& sections, PluginRegistry& registry,
                             Experiment& experiment) {
  for (const auto& section : sections)
    experiment.solvers.push_back(resolve_solver(section, registry, experiment));
}

void emit_solvers_section(const Experiment& e, YAML::Emitter& out) {
  out << YAML::Key << "solvers" << YAML::Value << YAML::BeginSeq;
  for (const auto& solver : e.solvers) {
    out << YAML::BeginMap << YAML::Key << "plugin" << YAML::Value << solver.plugin;
    out << YAML::Key << "label" << YAML::Value << solver.label;
    out << YAML::Key << "options" << YAML::Value;
    emit_options(out, solver.options);
    if (!solver.start_from.empty()) out << YAML::Key << "start_from" << YAML::Value << solver.start_from;
    if (!solver.model_file.empty())
      out << YAML::Key << "model_file" << YAML::Value << solver.model_file.string();
    if (solver.prior) {
      out << YAML::Key << "prior" << YAML::Value;
      emit_prior(out, *solver.prior, e.layout);
    }
    if (has_informative_prior(solver.sampler_prior)) {
      out << YAML::Key << "prior" << YAML::Value;
      emit_sampler_prior(out, solver.sampler_prior, e.parameters);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

}  // namespace geoinv
