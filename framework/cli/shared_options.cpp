// SPDX-License-Identifier: BSD-3-Clause
#include "shared_options.hpp"

#include <string>

namespace geoinv_cli {

namespace {
// The documentation strings live as long as the options_description that holds them: boost copies them.
std::string set_doc(const char* what) {
  return std::string("override a key of ") + what +
         " before it is read; the value is YAML (numbers, [lists], {maps}); ~KEY removes a key; "
         "repeatable; a path given here is relative to the working folder (default: none)";
}
}  // namespace

void add_set_option(po::options_description& options, const char* what) {
  options.add_options()("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
                        set_doc(what).c_str());
}

void add_out_option(po::options_description& options, const char* default_folder) {
  const std::string doc = std::string("the output folder (default: ") + default_folder + ")";
  options.add_options()("out", po::value<std::string>()->value_name("DIR"), doc.c_str());
}

void add_overwrite_option(po::options_description& options) {
  options.add_options()(
      "overwrite", "replace the output folder when it already holds files (default: refuse such a folder)");
}

void add_quiet_option(po::options_description& options, const char* what_remains) {
  const std::string doc =
      std::string("print ") + what_remains + ": no progress, no timing lines (default: print them)";
  options.add_options()("quiet", doc.c_str());
}

void add_no_figures_option(po::options_description& options) {
  options.add_options()("no-figures",
                        "write no figures/ and no report.html (default: draw them with gnuplot; a missing "
                        "gnuplot only warns)");
}

void add_every_command_options(po::options_description& options) {
  options.add_options()("plugin-path", po::value<std::vector<std::string>>()->composing()->value_name("PATH"),
                        "also search PATH, a folder or one plugin file, for plugins; repeatable; "
                        "GEOINV_PLUGIN_PATH (colon-separated folders) is searched too (default: none)")(
      "allow-unsafe-plugin-path",
      "load plugins from folders or files writable by group or others or owned by another user (default: "
      "refuse them; the same as GEOINV_ALLOW_UNSAFE_PLUGIN_PATH=1)");
}

std::vector<std::string> set_overrides(const po::variables_map& arguments) {
  return arguments.count("set") ? arguments["set"].as<std::vector<std::string>>()
                                : std::vector<std::string>{};
}

bool has_flag(const po::variables_map& arguments, const char* name) { return arguments.count(name) > 0; }

}  // namespace geoinv_cli
