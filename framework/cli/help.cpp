// SPDX-License-Identifier: BSD-3-Clause
#include "help.hpp"

#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "arguments.hpp"
#include "command_functions.hpp"
#include "geoinv/version.hpp"
#include "shared_options.hpp"

namespace geoinv_cli {

namespace {

constexpr std::size_t kWidth = 100;

constexpr const char* kExitCodes =
    R"(0  success (a run that finished writes its results, whether or not each solver converged)
1  internal error (a bug: please report it)
2  bad command line
3  bad experiment file (syntax, unknown key, wrong type, missing key, invalid value)
4  bad data (missing file, non-numeric cell, too few data, bad sigma; compare: runs on different data)
5  plugin problem (unknown name, not a geoinv plugin, wrong API/ABI, plugin error)
6  numerical failure outside a solver
7  output could not be written (or the output folder already holds a run); plot: the folder is not a
   geoinv run or campaign folder, or gnuplot is missing or failed
)";

po::options_description own_options(const Command& command) {
  po::options_description options(kWidth, kWidth / 2);
  if (command.declare_options) command.declare_options(options);
  return options;
}

// "[--out DIR]", "[--overwrite]", "[--set KEY=VALUE ...]".
std::string synopsis_of(const po::option_description& option) {
  const std::string name = "--" + option.long_name();
  if (option.semantic()->max_tokens() == 0) return "[" + name + "]";
  const std::string repeat = option.semantic()->is_composing() ? " ..." : "";
  return fmt::format("[{} {}{}]", name, option.format_parameter(), repeat);
}

// "geoinv campaign CAMPAIGN.yaml [--jobs N] ...", wrapped at kWidth with `indent` before each line.
std::string usage_line(const Command& command, const std::string& indent) {
  std::vector<std::string> words{"geoinv", command.name};
  if (command.positional.name)
    words.push_back(command.positional.count == 1 ? std::string(command.positional.name)
                                                  : std::string(command.positional.name) + "...");
  const po::options_description options = own_options(command);
  for (const auto& option : options.options()) words.push_back(synopsis_of(*option));
  std::string text = indent, line;
  for (const auto& word : words) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > kWidth) {
      text += line + "\n" + indent + "    ";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return text + line + "\n";
}

std::string indented(const std::string& text, const std::string& indent) {
  std::string result;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) result += line.empty() ? "\n" : indent + line + "\n";
  return result;
}

std::string printed(const po::options_description& options) {
  std::ostringstream printed_text;
  options.print(printed_text);
  // Boost's wrapping leaves a space at the end of a wrapped line.
  std::string text;
  std::istringstream lines(printed_text.str());
  for (std::string line; std::getline(lines, line);)
    text += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  return text;
}

// groff text: backslashes and hyphens escaped, a leading period or quote kept literal.
std::string roff(const std::string& text) {
  std::string escaped;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) escaped += "\\&";
    if (c == '\\')
      escaped += "\\e";
    else if (c == '-')
      escaped += "\\-";
    else
      escaped += c;
    line_start = c == '\n';
  }
  return escaped;
}

std::string roff_options(const po::options_description& options) {
  std::string text;
  for (const auto& option : options.options()) {
    const std::string parameter =
        option->semantic()->max_tokens() == 0 ? "" : " \\fI" + roff(option->format_parameter()) + "\\fR";
    text += fmt::format(".TP\n.B {}{}\n{}\n", roff("--" + option->long_name()), parameter,
                        roff(option->description()));
  }
  return text;
}

}  // namespace

po::options_description common_options() {
  po::options_description options(kWidth, kWidth / 2);
  add_every_command_options(options);
  options.add_options()("help", "print the command's help and exit (also -h)");
  return options;
}

std::string global_help() {
  std::string text = "geoinv - geophysical inversion with plugin forward models and solvers\n\nUsage:\n";
  for (const auto& command : commands()) text += usage_line(command, "  ");
  text += "  geoinv --help | --version | -V\n\nCommands:\n";
  for (const auto& command : commands()) text += fmt::format("  {:<11}{}\n", command.name, command.summary);
  text +=
      "\n`geoinv COMMAND --help` (or `geoinv help COMMAND`) shows a command's options, with their defaults\n"
      "and units, and examples. docs/cli.md describes the command line.\n\nOptions for every command:\n";
  text += printed(common_options());
  return text + "\nExit codes:\n" + indented(kExitCodes, "  ");
}

std::string command_help(const Command& command) {
  std::string text = "Usage:\n" + usage_line(command, "  ") + "\n" + command.description + "\n";
  const po::options_description own = own_options(command);
  if (!own.options().empty()) text += "\nOptions:\n" + printed(own);
  text += "\nOptions for every command:\n" + printed(common_options());
  return text + "\nExamples:\n" + indented(command.examples, "  ");
}

std::string man_page() {
  std::string text = fmt::format(".TH GEOINV 1 \"\" \"geoinv {}\" \"User Commands\"\n", geoinv::version());
  text += ".SH NAME\ngeoinv \\- geophysical inversion with plugin forward models and solvers\n";
  text += ".SH SYNOPSIS\n.B geoinv\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n.SH COMMANDS\n";
  for (const auto& command : commands()) {
    text += fmt::format(".SS {}\n.nf\n{}.fi\n.PP\n{}\n", command.name, roff(usage_line(command, "")),
                        roff(command.description));
    text += roff_options(own_options(command));
    text += ".PP\nExamples:\n.PP\n.nf\n" + roff(indented(command.examples, "  ")) + ".fi\n";
  }
  text += ".SH OPTIONS FOR EVERY COMMAND\n" + roff_options(common_options());
  text += ".SH EXIT STATUS\n.nf\n" + roff(kExitCodes) + ".fi\n";
  return text +
         ".SH SEE ALSO\nThe documentation in share/doc/geoinv/docs: cli.md, experiment\\-schema.md, "
         "campaigns.md, outputs.md.\n";
}

void help_options(po::options_description& options) {
  options.add_options()("man", "print the manual page of every command as groff instead (default: off)");
}

int help_command(const po::variables_map& arguments) {
  if (arguments.count("man")) {
    std::cout << man_page();
    return 0;
  }
  const auto words = positionals(arguments);
  if (words.empty()) {
    std::cout << global_help();
    return 0;
  }
  const Command* command = find_command(words.front());
  if (!command) throw usage_error("help: unknown command '" + words.front() + "'");
  std::cout << command_help(*command);
  return 0;
}

int version_command(const po::variables_map&) {
  std::cout << "geoinv " << geoinv::version() << " (plugin API " << geoinv::kApiMajor << "."
            << geoinv::kApiMinor << ", ABI " << geoinv::abi_tag() << ")\n";
  return 0;
}

}  // namespace geoinv_cli
