// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// One command of the geoinv command line, as data: its words for the help, the man page and the shell
// completion, its option table, and the function that does it. The table of all commands (commands.cpp)
// is the one source of `geoinv --help`, `geoinv COMMAND --help`, `geoinv help --man` and
// `geoinv completion bash`, so a flag added to a command's option table appears in all four at once.
//
// Adding a flag to a command is one line in its option table (the `declare_options` function beside the
// command, e.g. run_options in experiment_commands.cpp): a shared flag through shared_options.hpp (same
// name, same meaning, same documentation everywhere), or a command's own flag through
// `options.add_options()(NAME, po::value<T>()->value_name(WORD), DOC)`. Every DOC says the default and
// the unit. The value name picks the shell completion (completion.cpp): DIR completes folders, FILE and
// *.yaml files, a|b|c those words.
#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace geoinv_cli {

namespace po = boost::program_options;

// How the shell completes a command's positional arguments.
enum class Completion { none, yaml_file, folder, plugin_name, command_name, shell_name };

// A command's positional arguments: their name in usage lines ("EXPERIMENT.yaml"), how many (1, or -1:
// any number; a command checks it got at least one), and how the shell completes them. A command without
// positional arguments leaves `name` null.
struct Positional {
  const char* name = nullptr;
  int count = 1;
  Completion completion = Completion::none;
};

struct Command {
  const char* name;
  const char* summary;      // one line, for `geoinv --help`
  const char* description;  // what it does, for `geoinv COMMAND --help` and the man page (wrapped at 100)
  const char* examples;     // shell lines, one example each, "  # comment" allowed
  Positional positional;
  void (*declare_options)(po::options_description& options);  // nullptr: none but the common ones
  int (*run)(const po::variables_map& arguments);
};

// Every command, in the order `geoinv --help` lists them.
const std::vector<Command>& commands();

// The command named `name`, or nullptr.
const Command* find_command(const std::string& name);

}  // namespace geoinv_cli
