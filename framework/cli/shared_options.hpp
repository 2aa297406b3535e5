// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The flags several commands share, declared once so they have one name, one meaning and one
// documentation everywhere (docs/cli.md, "Shared flags"). A command's option table adds the ones that
// make sense for it; `what` completes the sentence that says what the flag applies to for that command.
#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace geoinv_cli {

namespace po = boost::program_options;

// --set KEY=VALUE (repeatable): edits the YAML before it is read; `what` says which file's keys.
void add_set_option(po::options_description& options, const char* what);
// --out DIR: the folder the command writes; `default_folder` says where it goes without the flag.
void add_out_option(po::options_description& options, const char* default_folder);
// --overwrite: replace what the --out folder holds instead of refusing it.
void add_overwrite_option(po::options_description& options);
// --quiet: no progress and no timing lines; `what_remains` says what the command still prints.
void add_quiet_option(po::options_description& options, const char* what_remains);
// --no-figures: write no figures/ and no report.html.
void add_no_figures_option(po::options_description& options);
// The flags every command takes (--plugin-path PATH, repeatable); the help lists them apart from a
// command's own. A flag every command should take is added here.
void add_every_command_options(po::options_description& options);

// The values of --set, in command-line order (none when absent).
std::vector<std::string> set_overrides(const po::variables_map& arguments);
// Whether a flag without a value was given.
bool has_flag(const po::variables_map& arguments, const char* name);

}  // namespace geoinv_cli
