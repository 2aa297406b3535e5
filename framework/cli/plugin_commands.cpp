// SPDX-License-Identifier: BSD-3-Clause
// geoinv plugins and describe: what plugins there are, and what one of them takes.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>
#include <string>

#include "arguments.hpp"
#include "command_functions.hpp"
#include "geoinv/plugin_registry.hpp"

namespace geoinv_cli {

namespace {

std::string bound_text(const geoinv::ParameterSpec& spec, double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{:g}", geoinv::to_display(spec, value));
}

void print_options(const geoinv::OptionSpecs& options) {
  if (options.empty()) {
    std::cout << "  (none)\n";
    return;
  }
  for (const auto& option : options) {
    std::string type = geoinv::to_string(option.type);
    if (option.type == geoinv::OptionType::choice)
      type += fmt::format(" ({})", fmt::join(option.choices, "|"));
    const std::string interval = option.interval_text();
    const std::string range = interval.empty() ? "" : ", range " + interval;
    const std::string unit = option.unit.empty() ? "" : " " + option.unit;
    std::cout << fmt::format("  {}: {}, default {}{}{}\n      {}\n", option.name, type,
                             geoinv::to_string(option.default_value), unit, range, option.doc);
  }
}

// The kind --kind names, or the kind of the plugin called `name` (the forward one is looked up, to fail
// with the list of what exists, when there is none).
geoinv::PluginKind kind_of(const po::variables_map& arguments, const std::string& name,
                           geoinv::PluginRegistry& registry) {
  if (arguments.count("kind")) {
    const std::string word = arguments["kind"].as<std::string>();
    if (word == "forward") return geoinv::PluginKind::forward;
    if (word == "solver") return geoinv::PluginKind::solver;
    throw usage_error("--kind must be forward or solver, got '" + word + "'", "describe");
  }
  std::optional<geoinv::PluginKind> kind;
  for (const auto& p : registry.list())
    if (p.name == name) kind = p.kind;
  if (!kind) registry.find(name, geoinv::PluginKind::forward);  // throws, listing what exists
  return *kind;
}

}  // namespace

void plugins_options(po::options_description& options) {
  options.add_options()("verbose",
                        "also list the search path and the files skipped, with why (default: off)");
}

void describe_options(po::options_description& options) {
  options.add_options()("kind", po::value<std::string>()->value_name("forward|solver"),
                        "which plugin to describe when a forward and a solver plugin share the name "
                        "(default: the one that has it)");
}

int plugins_command(const po::variables_map& arguments) {
  geoinv::PluginRegistry registry;
  add_plugin_paths(arguments, registry);
  const auto plugins = registry.list();
  std::size_t width = 4;
  for (const auto& p : plugins) width = std::max(width, p.name.size());
  std::cout << fmt::format("{:<{}}  {:<7}  {:<8}  {}\n", "name", width, "kind", "version", "file");
  for (const auto& p : plugins)
    std::cout << fmt::format("{:<{}}  {:<7}  {:<8}  {}\n", p.name, width, geoinv::to_string(p.kind),
                             p.version, p.file.string());
  if (arguments.count("verbose")) {
    std::cout << "\nsearch path:\n";
    for (const auto& path : registry.search_path()) std::cout << "  " << path.string() << "\n";
    const auto skipped = registry.diagnostics();
    if (!skipped.empty()) std::cout << "\nskipped:\n";
    for (const auto& line : skipped) std::cout << "  " << line << "\n";
  }
  for (const auto& clash : registry.clashes()) std::cerr << "warning: " << clash << "\n";
  return 0;
}

int describe_command(const po::variables_map& arguments) {
  const std::string name = require_positional(arguments, "the plugin name (see geoinv plugins)", "describe");
  geoinv::PluginRegistry registry;
  add_plugin_paths(arguments, registry);
  const geoinv::PluginKind kind = kind_of(arguments, name, registry);
  const geoinv::PluginInfo& info = registry.find(name, kind);
  std::cout << fmt::format("{} ({} plugin, version {}, API {}.{})\n  {}\n  file: {}\n\n", info.name,
                           geoinv::to_string(info.kind), info.version, info.api_major, info.api_minor,
                           info.summary, info.file.string());
  std::string example;
  if (kind == geoinv::PluginKind::forward) {
    const auto model = registry.create_forward_model(name);
    std::cout << "Parameters (angles in degrees in YAML and outputs):\n";
    for (const auto& p : model->parameters())
      std::cout << fmt::format("  {}: {}, bounds [{}, {}]{}\n      {}\n", p.name, geoinv::display_unit(p),
                               bound_text(p, p.lower), bound_text(p, p.upper), p.is_angle ? ", periodic" : "",
                               p.doc);
    std::cout << "\nOptions (forward.options):\n";
    print_options(model->options());
    example = model->example_yaml();
  } else {
    const auto solver = registry.create_solver(name);
    std::cout << "Options (solvers[].options):\n";
    print_options(solver->options());
    example = solver->example_yaml();
  }
  std::cout << "\nExample experiment:\n" << example;
  if (!example.empty() && example.back() != '\n') std::cout << "\n";
  return 0;
}

}  // namespace geoinv_cli
