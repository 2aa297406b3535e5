// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The help of geoinv, made from the command table (command.hpp): the global help, one command's help,
// the man page. They share the usage lines and the option texts, so they cannot disagree.
#include <string>

#include "command.hpp"

namespace geoinv_cli {

// `geoinv --help`: every command's usage line and summary, the options of every command, the exit codes.
std::string global_help();

// `geoinv COMMAND --help`: its usage, what it does, its options with their defaults and units, examples.
std::string command_help(const Command& command);

// `geoinv help --man`: the manual page geoinv(1), as groff (man -l renders it).
std::string man_page();

// The options every command takes besides its own (add_every_command_options), and --help.
po::options_description common_options();

}  // namespace geoinv_cli
