// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the conformance suites share: one plugin registry per test program, built once; the plugins of
// one kind whose file lies in the build's plugin folder (GEOINV_TEST_PLUGIN_DIR); and the README rule
// every plugin folder follows. A plugin of the same name elsewhere on GEOINV_PLUGIN_PATH is a clash the
// registry reports, never tested in place of the one under test.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "e2e/cli_runner.hpp"
#include "geoinv/options.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/version.hpp"

namespace geoinv_test {

inline geoinv::PluginRegistry& build_registry() {
  static geoinv::PluginRegistry instance;
  static const bool added = [] {
    instance.add_path(GEOINV_TEST_PLUGIN_DIR);
    return true;
  }();
  (void)added;
  return instance;
}

inline bool same_folder(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec_a, ec_b;
  const auto canonical_a = std::filesystem::weakly_canonical(a, ec_a);
  const auto canonical_b = std::filesystem::weakly_canonical(b, ec_b);
  return !ec_a && !ec_b && canonical_a == canonical_b;
}

inline std::vector<std::string> build_plugins(geoinv::PluginKind kind) {
  std::vector<std::string> names;
  for (const geoinv::PluginInfo& info : build_registry().list())
    if (info.kind == kind && same_folder(info.file.parent_path(), GEOINV_TEST_PLUGIN_DIR))
      names.push_back(info.name);
  return names;
}

// A plugin name as a GoogleTest parameter name.
inline std::string test_name(const std::string& plugin) {
  std::string name = plugin;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

// The plugin's descriptor names it, has a version and a summary, and matches this build's API and ABI.
inline void expect_descriptor_of_this_build(const std::string& plugin, geoinv::PluginKind kind) {
  const geoinv::PluginInfo& info = build_registry().find(plugin, kind);
  EXPECT_EQ(info.name, plugin);
  EXPECT_FALSE(info.version.empty());
  EXPECT_FALSE(info.summary.empty());
  EXPECT_EQ(info.api_major, geoinv::kApiMajor);
  EXPECT_EQ(info.api_minor, geoinv::kApiMinor);
  EXPECT_EQ(info.abi_tag, geoinv::abi_tag());
}

// Every option is named once, documented, accepts its own default, and a choice has choices.
inline void expect_sane_options(const geoinv::OptionSpecs& options) {
  std::set<std::string> names;
  for (const geoinv::OptionSpec& spec : options) {
    EXPECT_FALSE(spec.name.empty());
    EXPECT_TRUE(names.insert(spec.name).second) << "option declared twice: " << spec.name;
    EXPECT_FALSE(spec.doc.empty()) << spec.name << " has no doc";
    std::string why;
    EXPECT_TRUE(spec.accepts(spec.default_value, &why)) << spec.name << ": its default is refused: " << why;
    if (spec.type == geoinv::OptionType::choice) {
      EXPECT_FALSE(spec.choices.empty()) << spec.name;
    }
  }
}

// The text of `plugin`'s README.md (`file`), with test failures unless it exists, shows `example` verbatim
// in a ```yaml block and names every option in backquotes. Empty when the README is missing.
inline std::string checked_readme(const std::filesystem::path& file, const std::string& plugin,
                                  const std::string& example, const geoinv::OptionSpecs& options) {
  if (!std::filesystem::exists(file)) {
    ADD_FAILURE() << "plugin '" << plugin << "' has no README at " << file
                  << ": every plugin folder needs a README.md that shows the plugin's example_yaml() verbatim "
                     "in a ```yaml block";
    return {};
  }
  const std::string text = read_file(file);
  EXPECT_FALSE(example.empty()) << plugin << ": example_yaml() is empty";
  EXPECT_NE(text.find("```yaml\n" + example + "```"), std::string::npos)
      << file << " must show example_yaml() verbatim in a ```yaml block (the plugin's example.yaml)";
  for (const geoinv::OptionSpec& spec : options)
    EXPECT_NE(text.find("`" + spec.name + "`"), std::string::npos)
        << file << " does not document the option `" << spec.name << "`";
  return text;
}

}  // namespace geoinv_test
