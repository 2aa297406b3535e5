// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/start_section.hpp"

#include <utility>

#include "base/random.hpp"
#include "configuration/experiment.hpp"
#include "configuration/latin_hypercube.hpp"
#include "configuration/parameter_values.hpp"
#include "configuration/plugin_options.hpp"

namespace geoinv {

std::string to_string(StartSpec::Strategy strategy) {
  switch (strategy) {
    case StartSpec::Strategy::fixed:
      return "fixed";
    case StartSpec::Strategy::multistart:
      return "multistart";
    case StartSpec::Strategy::data_driven:
      return "data_driven";
  }
  return "unknown";
}

StartSection read_start_section(const ConfigNode& start, std::uint64_t experiment_seed) {
  StartSection section;
  section.node = start;
  const ConfigNode strategy = start["strategy"];
  const std::string word = strategy.defined() ? strategy.as_string() : "fixed";
  if (word == "fixed") {
    start.expect_map({"strategy", "model"});
    section.strategy = StartSpec::Strategy::fixed;
    section.model = start.required("model");
  } else if (word == "multistart") {
    start.expect_map({"strategy", "count", "seed", "ranges", "model"});
    section.strategy = StartSpec::Strategy::multistart;
    const ConfigNode count = start.required("count");
    section.count = count.as_int();
    if (section.count < 1 || section.count > 100000) count.fail("count must be between 1 and 100000");
    section.seed = read_seed(start, derive_seed(experiment_seed, 1000) & kSeedMask);
    section.model = start["model"];
  } else if (word == "data_driven") {
    start.expect_map({"strategy"});
    section.strategy = StartSpec::Strategy::data_driven;
  } else {
    strategy.fail("unknown start strategy '" + word + "'; valid: fixed, multistart, data_driven");
  }
  return section;
}

void resolve_start_section(const StartSection& section, Experiment& experiment) {
  StartSpec& spec = experiment.start_spec;
  spec.strategy = section.strategy;
  if (section.strategy == StartSpec::Strategy::multistart) {
    spec.count = section.count;
    spec.seed = section.seed;
    read_box(section.node, "ranges", "multistart draws starts", experiment, spec.range_lower,
             spec.range_upper);
  }
  if (section.model.defined()) {
    spec.model = read_model(section.model, experiment);
    check_within_bounds(section.model, experiment, spec.model, "start");
  }
  if (section.strategy == StartSpec::Strategy::fixed) experiment.starts = {spec.model};
}

void compute_starts(const StartSection& section, Experiment& experiment) {
  StartSpec& spec = experiment.start_spec;
  switch (spec.strategy) {
    case StartSpec::Strategy::fixed:
      break;
    case StartSpec::Strategy::multistart:
      experiment.starts.clear();
      if (spec.model.size() > 0) experiment.starts.push_back(spec.model);
      for (auto& start : latin_hypercube_samples(spec.range_lower, spec.range_upper, spec.count, spec.seed))
        experiment.starts.push_back(std::move(start));
      break;
    case StartSpec::Strategy::data_driven: {
      const ConfigNode strategy = section.node["strategy"];
      Vector model(static_cast<Eigen::Index>(experiment.parameters.size()));
      model.setZero();
      const bool offered = call_plugin(section.node, experiment.forward_plugin, [&] {
        return experiment.forward->estimate_start(experiment.observed, model);
      });
      if (!offered)
        strategy.fail("forward plugin '" + experiment.forward_plugin +
                      "' offers no data-driven start; use strategy fixed or multistart");
      if (!model.allFinite()) strategy.fail("the data-driven start estimated from these data is not finite");
      model = model.cwiseMax(experiment.lower).cwiseMin(experiment.upper);
      spec.model = model;
      experiment.starts = {model};
      break;
    }
  }
}

void emit_start_section(const Experiment& e, YAML::Emitter& out) {
  const StartSpec& start = e.start_spec;
  out << YAML::Key << "start" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "strategy" << YAML::Value << to_string(start.strategy);
  if (start.strategy == StartSpec::Strategy::fixed) {
    out << YAML::Key << "model" << YAML::Value;
    emit_model(out, e.layout, start.model);
  } else if (start.strategy == StartSpec::Strategy::multistart) {
    out << YAML::Key << "count" << YAML::Value << start.count;
    out << YAML::Key << "seed" << YAML::Value << start.seed;
    out << YAML::Key << "ranges" << YAML::Value;
    emit_ranges(out, e.layout, start.range_lower, start.range_upper);
    if (start.model.size() > 0) {
      out << YAML::Key << "model" << YAML::Value;
      emit_model(out, e.layout, start.model);
    }
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
