// SPDX-License-Identifier: BSD-3-Clause
#include "arguments.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "shared_options.hpp"

namespace geoinv_cli {

namespace {
constexpr const char* kPositionalKey = "positional";
}  // namespace

geoinv::Error usage_error(const std::string& message, const char* command) {
  const std::string help = command ? fmt::format("geoinv {} --help", command) : std::string("geoinv --help");
  return geoinv::Error(geoinv::Error::Category::usage, fmt::format("{} (see {})", message, help));
}

po::options_description documented_options(const Command& command) {
  po::options_description options(100, 50);
  if (command.declare_options) command.declare_options(options);
  add_every_command_options(options);
  return options;
}

po::variables_map parse_arguments(const Command& command, const std::vector<std::string>& words) {
  po::options_description options = documented_options(command);
  po::positional_options_description positional;
  if (command.positional.name) {
    options.add_options()(kPositionalKey, po::value<std::vector<std::string>>()->composing());
    positional.add(kPositionalKey, command.positional.count);
  }
  po::variables_map arguments;
  try {
    po::store(po::command_line_parser(words).options(options).positional(positional).run(), arguments);
    po::notify(arguments);
  } catch (const po::error& e) {
    throw usage_error(e.what(), command.name);
  }
  // Every registry of this process, and of the ranks and workers it starts, reads the variable.
  if (arguments.count("allow-unsafe-plugin-path")) setenv("GEOINV_ALLOW_UNSAFE_PLUGIN_PATH", "1", 1);
  return arguments;
}

std::vector<std::string> positionals(const po::variables_map& arguments) {
  return arguments.count(kPositionalKey) ? arguments[kPositionalKey].as<std::vector<std::string>>()
                                         : std::vector<std::string>{};
}

std::string require_positional(const po::variables_map& arguments, const char* what, const char* command) {
  const auto given = positionals(arguments);
  if (given.empty()) throw usage_error(fmt::format("missing {}", what), command);
  return given.front();
}

void add_plugin_paths(const po::variables_map& arguments, geoinv::PluginRegistry& registry) {
  if (!arguments.count("plugin-path")) return;
  for (const auto& path : arguments["plugin-path"].as<std::vector<std::string>>()) registry.add_path(path);
}

}  // namespace geoinv_cli
