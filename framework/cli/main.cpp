// SPDX-License-Identifier: BSD-3-Clause
// geoinv: the command-line host. Finds the command in the command table (commands.cpp), reads its
// arguments against its option table, runs it, and turns every geoinv::Error into one clear line on
// stderr and a documented exit code (geoinv --help, "Exit codes").
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "command.hpp"
#include "help.hpp"
#include "print_error.hpp"

namespace geoinv_cli {

namespace {

bool asks_for_help(const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [](const std::string& word) { return word == "--help" || word == "-h"; });
}

geoinv::Error unknown_command(const std::string& word) {
  std::vector<std::string> names;
  for (const auto& command : commands()) names.emplace_back(command.name);
  std::string message = "unknown command '" + word + "'";
  const std::string nearest = geoinv::nearest_match(word, names);
  if (!nearest.empty()) message += " (did you mean '" + nearest + "'?)";
  return usage_error(message + "; commands: " + fmt::format("{}", fmt::join(names, ", ")));
}

int dispatch(const std::vector<std::string>& words) {
  if (words.empty()) {
    std::cerr << global_help();
    return 2;
  }
  const std::string& word = words.front();
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  if (word == "--help" || word == "-h") return find_command("help")->run({});
  if (word == "--version" || word == "-V") return find_command("version")->run({});
  const Command* command = find_command(word);
  if (!command) throw unknown_command(word);
  if (asks_for_help(rest)) {
    std::cout << command_help(*command);
    return 0;
  }
  return command->run(parse_arguments(*command, rest));
}

}  // namespace

}  // namespace geoinv_cli

int main(int argc, char** argv) {
  try {
    return geoinv_cli::dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (...) {
    return geoinv_cli::print_error(std::current_exception());
  }
}
