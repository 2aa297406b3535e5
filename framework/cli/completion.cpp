// SPDX-License-Identifier: BSD-3-Clause
// geoinv completion bash: the bash completion script, made from the command table and its option tables
// (command.hpp), so every command and flag the help lists completes, and nothing else.
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "command.hpp"
#include "command_functions.hpp"

namespace geoinv_cli {

namespace {

// The words that complete a flag's value, as a bash statement; empty: the shell's default (file names).
std::string value_completion(const std::string& value_name) {
  if (value_name == "DIR") return "COMPREPLY=($(compgen -d -- \"$cur\"))";
  if (value_name.find('|') != std::string::npos) {
    std::string words = value_name;
    for (char& c : words)
      if (c == '|') c = ' ';
    return fmt::format("COMPREPLY=($(compgen -W '{}' -- \"$cur\"))", words);
  }
  return "";
}

std::string positional_completion(Completion completion, const std::string& command_words) {
  switch (completion) {
    case Completion::folder:
      return "COMPREPLY=($(compgen -d -- \"$cur\"))";
    case Completion::plugin_name:
      return "COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" plugins 2>/dev/null | awk 'NR > 1 {print "
             "$1}')\" "
             "-- \"$cur\"))";
    case Completion::command_name:
      return fmt::format("COMPREPLY=($(compgen -W '{}' -- \"$cur\"))", command_words);
    case Completion::shell_name:
      return "COMPREPLY=($(compgen -W 'bash' -- \"$cur\"))";
    case Completion::yaml_file:
    case Completion::none:
      return "";
  }
  return "";
}

// One command's arm of the script: its flags, and the completion of its flags' values and its positionals.
std::string command_case(const Command& command, const std::string& command_words) {
  std::vector<std::string> flags;
  std::string values;
  const po::options_description options = documented_options(command);
  for (const auto& option : options.options()) {
    flags.push_back("--" + option->long_name());
    if (option->semantic()->max_tokens() == 0) continue;
    const std::string statement = value_completion(option->format_parameter());
    values += fmt::format("        --{}) {}; return ;;\n", option->long_name(),
                          statement.empty() ? ":" : statement);
  }
  flags.push_back("--help");
  return fmt::format(
      "    {name})\n"
      "      case \"$prev\" in\n{values}      esac\n"
      "      if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W '{flags}' -- \"$cur\")); return; fi\n"
      "      {positional}\n"
      "      ;;\n",
      fmt::arg("name", command.name), fmt::arg("values", values), fmt::arg("flags", fmt::join(flags, " ")),
      fmt::arg("positional", [&] {
        const std::string statement = positional_completion(command.positional.completion, command_words);
        return statement.empty() ? std::string(":") : statement;
      }()));
}

std::string bash_completion() {
  std::vector<std::string> names;
  for (const auto& command : commands()) names.emplace_back(command.name);
  const std::string command_words = fmt::format("{}", fmt::join(names, " "));
  std::string cases;
  for (const auto& command : commands()) cases += command_case(command, command_words);
  return fmt::format(
      "# bash completion for geoinv, made by `geoinv completion bash` from its option tables.\n"
      "_geoinv() {{\n"
      "  local cur=\"${{COMP_WORDS[COMP_CWORD]}}\" prev=\"${{COMP_WORDS[COMP_CWORD-1]}}\"\n"
      "  COMPREPLY=()\n"
      "  if [[ $COMP_CWORD -eq 1 ]]; then\n"
      "    COMPREPLY=($(compgen -W '{commands} --help --version -V' -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  case \"${{COMP_WORDS[1]}}\" in\n{cases}  esac\n"
      "}}\n"
      "complete -o bashdefault -o default -F _geoinv geoinv\n",
      fmt::arg("commands", command_words), fmt::arg("cases", cases));
}

}  // namespace

int completion_command(const po::variables_map& arguments) {
  const std::string shell = require_positional(arguments, "the shell (bash)", "completion");
  if (shell != "bash")
    throw usage_error("completion: unknown shell '" + shell + "'; shells: bash", "completion");
  std::cout << bash_completion();
  return 0;
}

}  // namespace geoinv_cli
