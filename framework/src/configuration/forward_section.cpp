// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/forward_section.hpp"

#include <fmt/format.h>

#include <memory>

#include "configuration/experiment.hpp"
#include "configuration/parameter_values.hpp"
#include "configuration/plugin_options.hpp"
#include "configuration/summed_forward_model.hpp"

namespace geoinv {

namespace {

// forward.sum: a non-empty list of {plugin, options}, no sum inside.
std::vector<ForwardBodySection> read_sum(const ConfigNode& sum) {
  if (!sum.is_sequence() || sum.size() == 0)
    sum.fail("expected a non-empty list of bodies, e.g. [{plugin: sphere}, {plugin: inclined_sheet}]");
  std::vector<ForwardBodySection> bodies;
  for (std::size_t i = 0; i < sum.size(); ++i) {
    const ConfigNode body = sum.at(i);
    if (body.is_map() && body["sum"].defined())
      body["sum"].fail("a sum cannot be nested: list every body in the one forward.sum");
    body.expect_map({"plugin", "options"});
    ForwardBodySection section;
    section.plugin_node = body.required("plugin");
    section.plugin = section.plugin_node.as_string();
    section.options = body["options"];
    bodies.push_back(std::move(section));
  }
  return bodies;
}

// The plugin `body` names, created through `registry` with its options validated.
ForwardBody resolve_body(const ForwardBodySection& body, PluginRegistry& registry,
                         std::shared_ptr<ForwardModel>& model) {
  model = create_plugin(body.plugin_node, [&] { return registry.create_forward_model(body.plugin); });
  const OptionSpecs specs = call_plugin(body.plugin_node, body.plugin, [&] { return model->options(); });
  return {body.plugin, read_options(body.options, specs, body.plugin)};
}

void resolve_sum(const ForwardSection& section, PluginRegistry& registry, Experiment& experiment) {
  std::vector<SummedBody> bodies;
  std::vector<OptionValues> options;
  for (const ForwardBodySection& body : section.sum) {
    std::shared_ptr<ForwardModel> model;
    experiment.forward_bodies.push_back(resolve_body(body, registry, model));
    options.push_back(experiment.forward_bodies.back().options);
    experiment.forward_plugin += (bodies.empty() ? "" : "+") + body.plugin;
    bodies.push_back({body.plugin, model});
  }
  auto sum = call_plugin(section.plugin_node, experiment.forward_plugin,
                         [&] { return std::make_shared<SummedForwardModel>(std::move(bodies)); });
  experiment.forward_options = sum->merge_options(options);
  experiment.forward = sum;
  experiment.parameters = call_plugin(section.plugin_node, experiment.forward_plugin, [&] { return sum->parameters(); });
}

}  // namespace

ForwardSection read_forward_section(const ConfigNode& forward) {
  forward.expect_map({"plugin", "sum", "options", "stations", "background"});
  ForwardSection section;
  section.node = forward;
  if (const ConfigNode sum = forward["sum"]; sum.defined()) {
    for (const char* key : {"plugin", "options"})
      if (forward[key].defined())
        forward[key].fail("give either 'plugin' (one body) or 'sum' (each body with its own plugin and options)");
    section.plugin_node = sum;
    section.sum = read_sum(sum);
  } else {
    section.plugin_node = forward.required("plugin");
    section.plugin = section.plugin_node.as_string();
    section.options = forward["options"];
  }
  if (const ConfigNode background = forward["background"]; background.defined()) {
    const std::string word = background.as_string();
    if (word == "quadratic")
      section.background = Background::quadratic;
    else if (word == "linear")
      section.background = Background::linear;
    else if (word == "constant")
      section.background = Background::constant;
    else if (word != "none")
      background.fail("unknown background '" + word + "'; valid: none, constant, linear, quadratic");
  }
  return section;
}

StationsSpec read_stations(const ConfigNode& node, bool synthetic) {
  StationsSpec spec;
  if (!node.defined()) {
    if (synthetic)
      node.fail("synthetic data need stations: a list [x1, x2, ...] or {from: X, to: Y, count: N}");
    return spec;
  }
  if (node.is_scalar()) {
    if (node.as_string() != "data")
      node.fail("expected 'data' (the data file's x), a list [x1, x2, ...] or {from: X, to: Y, count: N}");
    if (synthetic) node.fail("'data' takes the stations from a data file, but the data are synthetic");
    return spec;
  }
  if (!synthetic)
    node.fail("with a data file the stations are the file's x: write 'stations: data' or leave it out");
  if (node.is_sequence()) {
    spec.kind = StationsSpec::Kind::list;
    if (node.size() == 0) node.fail("the station list is empty");
    for (std::size_t i = 0; i < node.size(); ++i) spec.list.push_back(node.at(i).as_real());
    return spec;
  }
  node.expect_map({"from", "to", "count"});
  spec.kind = StationsSpec::Kind::range;
  spec.from = node.required("from").as_real();
  spec.to = node.required("to").as_real();
  const ConfigNode count = node.required("count");
  spec.count = count.as_int();
  if (spec.count < 2 || spec.count > kMaxStations)
    count.fail(fmt::format("count must be between 2 and {} (10^7 stations)", kMaxStations));
  if (!(spec.to > spec.from)) node.fail("'to' must be greater than 'from'");
  return spec;
}

Vector station_positions(const StationsSpec& spec) {
  switch (spec.kind) {
    case StationsSpec::Kind::list:
      return Eigen::Map<const Vector>(spec.list.data(), static_cast<Eigen::Index>(spec.list.size()));
    case StationsSpec::Kind::range:
      return Vector::LinSpaced(spec.count, spec.from, spec.to);
    case StationsSpec::Kind::data_file:
      break;
  }
  return {};
}

void resolve_forward_section(const ForwardSection& section, const std::string& data_unit,
                             PluginRegistry& registry, Experiment& experiment) {
  if (!section.sum.empty()) {
    resolve_sum(section, registry, experiment);
  } else {
    const ForwardBody body =
        resolve_body({section.plugin, section.plugin_node, section.options}, registry, experiment.forward);
    experiment.forward_plugin = body.plugin;
    experiment.forward_options = body.options;
    experiment.parameters =
        call_plugin(section.plugin_node, section.plugin, [&] { return experiment.forward->parameters(); });
  }
  experiment.background = section.background;
  experiment.stations_spec = section.stations;
  if (section.background != Background::none) {
    experiment.forward = std::make_shared<BackgroundModel>(experiment.forward, section.background, data_unit);
    experiment.parameters = experiment.forward->parameters();
  }
}

void configure_forward_model(const ForwardSection& section, Experiment& experiment) {
  call_plugin(section.node, experiment.forward_plugin, [&] {
    experiment.forward->configure(experiment.forward_options, experiment.stations);
    experiment.layout = ParameterLayout(experiment.forward->parameters());
    return 0;
  });
  experiment.parameters = experiment.layout.flattened();
  if (experiment.layout.has_blocks() && (!section.sum.empty() || section.background != Background::none))
    section.node[section.sum.empty() ? "background" : "sum"].fail(
        fmt::format("forward plugin '{}' has parameter blocks, which forward.sum and forward.background do not "
                    "support yet; use one plugin without a background",
                    experiment.forward_plugin));
}

void emit_forward_section(const Experiment& e, YAML::Emitter& out) {
  out << YAML::Key << "forward" << YAML::Value << YAML::BeginMap;
  if (e.forward_bodies.empty()) {
    out << YAML::Key << "plugin" << YAML::Value << e.forward_plugin;
    out << YAML::Key << "options" << YAML::Value;
    emit_options(out, e.forward_options);
  } else {
    out << YAML::Key << "sum" << YAML::Value << YAML::BeginSeq;
    for (const ForwardBody& body : e.forward_bodies) {
      out << YAML::BeginMap << YAML::Key << "plugin" << YAML::Value << body.plugin;
      out << YAML::Key << "options" << YAML::Value;
      emit_options(out, body.options);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::Key << "background" << YAML::Value << to_string(e.background);
  out << YAML::Key << "stations" << YAML::Value;
  switch (e.stations_spec.kind) {
    case StationsSpec::Kind::data_file:
      out << "data";
      break;
    case StationsSpec::Kind::list:
      out << YAML::Flow << YAML::BeginSeq;
      for (double x : e.stations_spec.list) emit_number(out, x);
      out << YAML::EndSeq;
      break;
    case StationsSpec::Kind::range:
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "from" << YAML::Value;
      emit_number(out, e.stations_spec.from);
      out << YAML::Key << "to" << YAML::Value;
      emit_number(out, e.stations_spec.to);
      out << YAML::Key << "count" << YAML::Value << e.stations_spec.count << YAML::EndMap;
      break;
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
