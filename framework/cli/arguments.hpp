// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Reading a command's arguments against its option table (command.hpp), and the command-line errors.
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "command.hpp"
#include "geoinv/error.hpp"
#include "geoinv/plugin_registry.hpp"

namespace geoinv_cli {

// A bad command line (exit code 2), pointing at the help of `command` ("see geoinv run --help"), or at the
// global help when `command` is null.
geoinv::Error usage_error(const std::string& message, const char* command = nullptr);

// The options `command` accepts and documents: its own table, then those every command takes.
po::options_description documented_options(const Command& command);

// Parses the words after the command's name. Unknown flags, missing values and surplus positional
// arguments are usage errors naming the command's help.
po::variables_map parse_arguments(const Command& command, const std::vector<std::string>& words);

// The positional arguments given (none when absent).
std::vector<std::string> positionals(const po::variables_map& arguments);
// The one positional argument, or a usage error "missing WHAT".
std::string require_positional(const po::variables_map& arguments, const char* what, const char* command);

// Adds the --plugin-path folders and files to `registry`.
void add_plugin_paths(const po::variables_map& arguments, geoinv::PluginRegistry& registry);

}  // namespace geoinv_cli
