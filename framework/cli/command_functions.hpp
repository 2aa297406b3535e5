// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Every command's option table and action, by the file that holds them; commands.cpp puts them in the
// command table with their help text.
#include <boost/program_options.hpp>

namespace geoinv_cli {

namespace po = boost::program_options;

// experiment_commands.cpp
void run_options(po::options_description& options);
void validate_options(po::options_description& options);
void train_options(po::options_description& options);
int run_command(const po::variables_map& arguments);
int validate_command(const po::variables_map& arguments);
int train_command(const po::variables_map& arguments);

// plugin_commands.cpp
void plugins_options(po::options_description& options);
void describe_options(po::options_description& options);
int plugins_command(const po::variables_map& arguments);
int describe_command(const po::variables_map& arguments);

// folder_commands.cpp
void compare_options(po::options_description& options);
void plot_options(po::options_description& options);
int compare_command(const po::variables_map& arguments);
int plot_command(const po::variables_map& arguments);

// campaign_commands.cpp
void campaign_options(po::options_description& options);
void collect_options(po::options_description& options);
int campaign_command(const po::variables_map& arguments);
int collect_command(const po::variables_map& arguments);

// help_commands.cpp
void help_options(po::options_description& options);
int help_command(const po::variables_map& arguments);
int version_command(const po::variables_map& arguments);
int completion_command(const po::variables_map& arguments);

}  // namespace geoinv_cli
