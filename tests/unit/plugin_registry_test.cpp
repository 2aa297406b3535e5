// SPDX-License-Identifier: BSD-3-Clause
// PluginRegistry against the real built-in plugins (sphere, dls: built into the build tree's plugin
// folder) and the test-only fixtures of tests/fixtures (built into <build>/test-plugins/<case>/).
#include "geoinv/plugin_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include "e2e/cli_runner.hpp"  // TempDir
#include "fixtures/fixture_abi.hpp"
#include "geoinv/error.hpp"
#include "geoinv/version.hpp"

namespace geoinv {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

fs::path normalized(const fs::path& path) { return fs::weakly_canonical(path); }

// "1.0": the plugin API of this geoinv.
std::string host_api() { return std::to_string(kApiMajor) + "." + std::to_string(kApiMinor); }

// Every test starts from the same environment: no GEOINV_PLUGIN_PATH and a user plugin folder that does
// not exist (XDG_DATA_HOME in a missing folder), unless the test sets them; HOME is restored after each.
class PluginRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* value = std::getenv("GEOINV_PLUGIN_PATH")) saved_path_ = value;
    if (const char* value = std::getenv("XDG_DATA_HOME")) saved_data_home_ = value;
    if (const char* value = std::getenv("HOME")) saved_home_ = value;
    unsetenv("GEOINV_PLUGIN_PATH");
    unsetenv("GEOINV_ALLOW_UNSAFE_PLUGIN_PATH");
    // Fixture plugins leave <name>.loaded here when their code runs (tests/fixtures/load_marker.hpp).
    setenv("GEOINV_FIXTURE_MARKER_DIR", markers_.path().c_str(), 1);
    setenv("XDG_DATA_HOME", (fs::path(GEOINV_FIXTURE_DIR) / "no_user_data_home").c_str(), 1);
  }
  void TearDown() override {
    restore("GEOINV_PLUGIN_PATH", saved_path_);
    restore("XDG_DATA_HOME", saved_data_home_);
    restore("HOME", saved_home_);
    unsetenv("GEOINV_ALLOW_UNSAFE_PLUGIN_PATH");
    unsetenv("GEOINV_FIXTURE_MARKER_DIR");
  }

  // Whether the fixture plugin `name` ran any code (was loaded) during this test.
  bool ran_code_of(const std::string& name) const { return fs::exists(markers_.path() / (name + ".loaded")); }

  static void restore(const char* name, const std::optional<std::string>& value) {
    if (value)
      setenv(name, value->c_str(), 1);
    else
      unsetenv(name);
  }

  // The Error that `action` throws; fails the test when it throws nothing or something else.
  template <typename Action>
  static Error error_of(Action&& action) {
    try {
      action();
    } catch (const Error& e) {
      return e;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "threw something other than geoinv::Error: " << e.what();
      return Error(Error::Category::usage, "(wrong exception type)");
    }
    ADD_FAILURE() << "did not throw";
    return Error(Error::Category::usage, "(no exception)");
  }

  static bool has(const std::vector<PluginInfo>& infos, const std::string& name, PluginKind kind) {
    return std::any_of(infos.begin(), infos.end(),
                       [&](const PluginInfo& info) { return info.name == name && info.kind == kind; });
  }

  // The diagnostics line about `file`, or "".
  static std::string diagnostic_for(const PluginRegistry& registry, const fs::path& file) {
    for (const auto& line : registry.diagnostics())
      if (line.find(file.filename().string()) != std::string::npos) return line;
    return "";
  }

  std::optional<std::string> saved_path_;
  std::optional<std::string> saved_data_home_;
  std::optional<std::string> saved_home_;
  geoinv_test::TempDir markers_;
};

// Whether the process has `file` mapped (a loaded library).
bool is_mapped(const fs::path& file) {
  std::ifstream maps("/proc/self/maps");
  const std::string wanted = normalized(file).string();
  std::string line;
  while (std::getline(maps, line))
    if (line.size() >= wanted.size() && line.compare(line.size() - wanted.size(), wanted.size(), wanted) == 0)
      return true;
  return false;
}

TEST_F(PluginRegistryTest, DefaultRegistryFindsTheBuiltInPluginsOfTheBuildTree) {
  PluginRegistry registry;
  const std::vector<fs::path> path = registry.search_path();
  ASSERT_FALSE(path.empty());
  std::vector<fs::path> canonical_path;
  for (const auto& entry : path) canonical_path.push_back(normalized(entry));
  EXPECT_THAT(canonical_path, Contains(normalized(GEOINV_TEST_PLUGIN_DIR)));

  const PluginInfo& sphere = registry.find("sphere", PluginKind::forward);
  EXPECT_EQ(sphere.name, "sphere");
  EXPECT_EQ(sphere.kind, PluginKind::forward);
  EXPECT_EQ(normalized(sphere.file.parent_path()), normalized(GEOINV_TEST_PLUGIN_DIR));
  EXPECT_EQ(sphere.api_major, kApiMajor);
  EXPECT_LE(sphere.api_minor, kApiMinor);
  EXPECT_EQ(sphere.abi_tag, abi_tag());
  EXPECT_FALSE(sphere.version.empty());
  EXPECT_FALSE(sphere.summary.empty());

  const PluginInfo& dls = registry.find("dls", PluginKind::solver);
  EXPECT_EQ(dls.kind, PluginKind::solver);
  EXPECT_EQ(normalized(dls.file.parent_path()), normalized(GEOINV_TEST_PLUGIN_DIR));
}

TEST_F(PluginRegistryTest, TestFixturesAreNotInThePluginFolder) {
  PluginRegistry registry;
  const auto infos = registry.list();
  for (const char* name : {"no_jacobian", "throwing", "wrong_api", "wrong_abi"})
    EXPECT_FALSE(has(infos, name, PluginKind::forward)) << name << " leaked into the real plugin folder";
  EXPECT_FALSE(fs::exists(fs::path(GEOINV_TEST_PLUGIN_DIR) / "fake.so"));
  EXPECT_FALSE(fs::exists(fs::path(GEOINV_TEST_PLUGIN_DIR) / "not_a_plugin.so"));
  // The only sphere is the built-in one.
  EXPECT_NE(normalized(registry.find("sphere", PluginKind::forward).file),
            normalized(GEOINV_FIXTURE_SHADOW_SPHERE_FILE));
}

TEST_F(PluginRegistryTest, CreatesBuiltInObjects) {
  PluginRegistry registry;
  auto sphere = registry.create_forward_model("sphere");
  ASSERT_TRUE(sphere);
  EXPECT_FALSE(sphere->parameters().empty());
  EXPECT_FALSE(sphere->example_yaml().empty());
  auto dls = registry.create_solver("dls");
  ASSERT_TRUE(dls);
  EXPECT_FALSE(dls->example_yaml().empty());
}

TEST_F(PluginRegistryTest, ListIsSortedByKindThenName) {
  PluginRegistry registry;
  registry.add_path(GEOINV_FIXTURE_NO_JACOBIAN_DIR);
  registry.add_path(GEOINV_FIXTURE_THROWING_DIR);
  const auto infos = registry.list();
  EXPECT_TRUE(has(infos, "sphere", PluginKind::forward));
  EXPECT_TRUE(has(infos, "dls", PluginKind::solver));
  EXPECT_TRUE(has(infos, "no_jacobian", PluginKind::forward));
  EXPECT_TRUE(has(infos, "throwing", PluginKind::forward));
  EXPECT_TRUE(std::is_sorted(infos.begin(), infos.end(), [](const PluginInfo& a, const PluginInfo& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  }));
  // Forward plugins first, then solvers; no name twice within a kind.
  std::set<std::pair<PluginKind, std::string>> unique;
  for (const auto& info : infos) EXPECT_TRUE(unique.insert({info.kind, info.name}).second) << info.name;
  const auto first_solver = std::find_if(
      infos.begin(), infos.end(), [](const PluginInfo& info) { return info.kind == PluginKind::solver; });
  EXPECT_TRUE(std::all_of(first_solver, infos.end(),
                          [](const PluginInfo& info) { return info.kind == PluginKind::solver; }));
  EXPECT_EQ(to_string(PluginKind::forward), "forward");
  EXPECT_EQ(to_string(PluginKind::solver), "solver");
}

TEST_F(PluginRegistryTest, UnknownNameListsTheAvailablePluginsAndSuggestsTheNearest) {
  PluginRegistry registry;
  const Error error = error_of([&] { registry.find("sphre", PluginKind::forward); });
  EXPECT_EQ(error.category(), Error::Category::plugin);
  EXPECT_THAT(error.what(), HasSubstr("unknown forward plugin 'sphre'"));
  EXPECT_THAT(error.what(), HasSubstr("did you mean 'sphere'?"));
  EXPECT_THAT(error.what(), HasSubstr("available: "));
  // Every forward plugin is listed, in sorted order, and no solver is.
  std::vector<std::string> forward;
  for (const auto& info : registry.list())
    if (info.kind == PluginKind::forward) forward.push_back(info.name);
  std::string listed;
  for (const auto& name : forward) listed += (listed.empty() ? "" : ", ") + name;
  EXPECT_THAT(error.what(), HasSubstr("available: " + listed));
  EXPECT_THAT(error.what(), Not(HasSubstr("dls")));

  // create_* go through the same lookup.
  EXPECT_THAT(error_of([&] { registry.create_forward_model("sphre"); }).what(),
              HasSubstr("did you mean 'sphere'?"));
}

TEST_F(PluginRegistryTest, UnknownNameWithNothingCloseListsWhatExistsAndWhereItLooked) {
  PluginRegistry registry;
  const Error error = error_of([&] { registry.create_solver("quantum_annealer"); });
  EXPECT_THAT(error.what(), HasSubstr("unknown solver plugin 'quantum_annealer'"));
  EXPECT_THAT(error.what(), Not(HasSubstr("did you mean")));
  EXPECT_THAT(error.what(), HasSubstr("dls"));
  EXPECT_THAT(error.what(), HasSubstr("searched: "));
  EXPECT_THAT(error.what(), HasSubstr(normalized(GEOINV_TEST_PLUGIN_DIR).filename().string()));
  // A forward plugin is not a solver.
  EXPECT_THAT(error_of([&] { registry.find("sphere", PluginKind::solver); }).what(),
              HasSubstr("unknown solver plugin 'sphere'"));
}

TEST_F(PluginRegistryTest, AFileThatIsNotAPluginIsRefusedByNameWithoutBeingLoaded) {
  PluginRegistry registry;
  const Error error = error_of([&] { registry.add_path(GEOINV_FIXTURE_NOT_A_PLUGIN_FILE); });
  EXPECT_EQ(error.category(), Error::Category::plugin);
  EXPECT_THAT(error.what(), HasSubstr("not a geoinv plugin"));
  EXPECT_THAT(error.what(), HasSubstr(GEOINV_FIXTURE_NOT_A_PLUGIN_FILE));
  EXPECT_EQ(std::getenv("GEOINV_FIXTURE_NOT_A_PLUGIN_LOADED"), nullptr)
      << "the registry ran code of a library that is not a geoinv plugin";
  EXPECT_FALSE(is_mapped(GEOINV_FIXTURE_NOT_A_PLUGIN_FILE));
}

TEST_F(PluginRegistryTest, AFileThatIsNotALibraryIsRefusedByName) {
  PluginRegistry registry;
  const Error error = error_of([&] { registry.add_path(GEOINV_FIXTURE_FAKE_FILE); });
  EXPECT_EQ(error.category(), Error::Category::plugin);
  EXPECT_THAT(error.what(), HasSubstr("not a shared library"));
  EXPECT_THAT(error.what(), HasSubstr(GEOINV_FIXTURE_FAKE_FILE));
}

TEST_F(PluginRegistryTest, APluginForAnotherApiIsRefusedNamingBothVersions) {
  PluginRegistry registry;
  const Error error = error_of([&] { registry.add_path(GEOINV_FIXTURE_WRONG_API_FILE); });
  EXPECT_EQ(error.category(), Error::Category::plugin);
  EXPECT_THAT(error.what(), HasSubstr(GEOINV_FIXTURE_WRONG_API_FILE));
  EXPECT_THAT(error.what(), HasSubstr("'wrong_api'"));
  EXPECT_THAT(error.what(), HasSubstr("99.0"));
  EXPECT_THAT(error.what(), HasSubstr(host_api()));
  EXPECT_FALSE(has(registry.list(), "wrong_api", PluginKind::forward));
}

TEST_F(PluginRegistryTest, APluginForAnotherAbiIsRefusedNamingBothTags) {
  PluginRegistry registry;
  const Error error = error_of([&] { registry.add_path(GEOINV_FIXTURE_WRONG_ABI_FILE); });
  EXPECT_EQ(error.category(), Error::Category::plugin);
  EXPECT_THAT(error.what(), HasSubstr(GEOINV_FIXTURE_WRONG_ABI_FILE));
  EXPECT_THAT(error.what(), HasSubstr("'wrong_abi'"));
  EXPECT_THAT(error.what(), HasSubstr(GEOINV_FIXTURE_ABI_TAG));
  EXPECT_THAT(error.what(), HasSubstr(abi_tag()));
  EXPECT_NE(abi_tag(), GEOINV_FIXTURE_ABI_TAG);
  EXPECT_FALSE(has(registry.list(), "wrong_abi", PluginKind::forward));
}

TEST_F(PluginRegistryTest, AMissingPathIsAnError) {
  PluginRegistry registry;
  const std::string missing = std::string(GEOINV_FIXTURE_DIR) + "/no_such_plugin.so";
  const Error error = error_of([&] { registry.add_path(missing); });
  EXPECT_EQ(error.category(), Error::Category::plugin);
  EXPECT_THAT(error.what(), HasSubstr("does not exist"));
  EXPECT_THAT(error.what(), HasSubstr(missing));
}

TEST_F(PluginRegistryTest, ADirectoryWithBadFilesIsScannedAndTheFilesAreDiagnosed) {
  PluginRegistry registry;
  const fs::path bad = GEOINV_FIXTURE_BAD_DIR;
  ASSERT_NO_THROW(registry.add_path(bad));
  EXPECT_EQ(normalized(registry.search_path().front()), normalized(bad));

  const std::string api = diagnostic_for(registry, bad / "geoinv_wrong_api.so");
  EXPECT_THAT(api, AllOf(HasSubstr("99.0"), HasSubstr(host_api())));
  const std::string abi = diagnostic_for(registry, bad / "geoinv_wrong_abi.so");
  EXPECT_THAT(abi, AllOf(HasSubstr(GEOINV_FIXTURE_ABI_TAG), HasSubstr(abi_tag())));
  EXPECT_THAT(diagnostic_for(registry, bad / "not_a_plugin.so"), HasSubstr("not a geoinv plugin"));
  EXPECT_THAT(diagnostic_for(registry, bad / "fake.so"), HasSubstr("not a shared library"));
  EXPECT_EQ(std::getenv("GEOINV_FIXTURE_NOT_A_PLUGIN_LOADED"), nullptr);

  // Nothing bad was registered; the built-in plugins are still there.
  const auto infos = registry.list();
  EXPECT_FALSE(has(infos, "wrong_api", PluginKind::forward));
  EXPECT_FALSE(has(infos, "wrong_abi", PluginKind::forward));
  EXPECT_TRUE(has(infos, "sphere", PluginKind::forward));

  // Asking for a refused plugin by name explains why it was refused.
  const Error error = error_of([&] { registry.find("wrong_api", PluginKind::forward); });
  EXPECT_THAT(error.what(), HasSubstr("unknown forward plugin 'wrong_api'"));
  EXPECT_THAT(error.what(), HasSubstr("99.0"));
}

TEST_F(PluginRegistryTest, GeoinvPluginPathIsSearched) {
  const std::string value = std::string(GEOINV_FIXTURE_DIR) +
                            "/does_not_exist:" + GEOINV_FIXTURE_NO_JACOBIAN_DIR +
                            "::" + GEOINV_FIXTURE_THROWING_DIR;
  ASSERT_EQ(setenv("GEOINV_PLUGIN_PATH", value.c_str(), 1), 0);
  PluginRegistry registry;
  const PluginInfo& line = registry.find("no_jacobian", PluginKind::forward);
  EXPECT_EQ(normalized(line.file), normalized(GEOINV_FIXTURE_NO_JACOBIAN_FILE));
  EXPECT_EQ(normalized(registry.find("throwing", PluginKind::forward).file),
            normalized(GEOINV_FIXTURE_THROWING_FILE));
  // Searched before the built-in folder, which is still searched.
  const auto path = registry.search_path();
  ASSERT_GE(path.size(), 3u);
  EXPECT_EQ(normalized(path[0]), normalized(GEOINV_FIXTURE_NO_JACOBIAN_DIR));
  EXPECT_EQ(normalized(path[1]), normalized(GEOINV_FIXTURE_THROWING_DIR));
  EXPECT_EQ(normalized(path[2]), normalized(GEOINV_TEST_PLUGIN_DIR));
  EXPECT_TRUE(has(registry.list(), "sphere", PluginKind::forward));
}

TEST_F(PluginRegistryTest, GeoinvPluginPathCannotShadowABuiltInPlugin) {
  ASSERT_EQ(setenv("GEOINV_PLUGIN_PATH", GEOINV_FIXTURE_SHADOW_SPHERE_DIR, 1), 0);
  PluginRegistry registry;
  // A planted `sphere` on the path replaces nothing: using the name is an error naming both files.
  const Error error = error_of([&] { registry.create_forward_model("sphere"); });
  EXPECT_EQ(error.category(), Error::Category::plugin);
  EXPECT_THAT(error.what(), HasSubstr("named 'sphere'"));
  EXPECT_THAT(error.what(), HasSubstr(fs::path(GEOINV_FIXTURE_SHADOW_SPHERE_FILE).filename().string()));
  EXPECT_THAT(error.what(), HasSubstr("geoinv_sphere.so"));
  EXPECT_THAT(registry.clashes(), Contains(HasSubstr("named 'sphere'")));
  EXPECT_FALSE(has(registry.list(), "sphere", PluginKind::forward));
  EXPECT_THAT(registry.diagnostics(), Not(Contains(HasSubstr("is shadowed by"))));
}

TEST_F(PluginRegistryTest, TheUserPluginFolderIsSearchedAfterTheBuiltInOnes) {
  geoinv_test::TempDir data_home;
  const fs::path user_dir = data_home.path() / "geoinv" / "plugins";
  fs::create_directories(user_dir);
  fs::copy_file(GEOINV_FIXTURE_NO_JACOBIAN_FILE, user_dir / "geoinv_no_jacobian.so");
  fs::copy_file(GEOINV_FIXTURE_SHADOW_SPHERE_FILE, user_dir / "geoinv_shadow_sphere.so");
  ASSERT_EQ(setenv("XDG_DATA_HOME", data_home.path().c_str(), 1), 0);
  PluginRegistry registry;
  EXPECT_EQ(normalized(registry.find("no_jacobian", PluginKind::forward).file),
            normalized(user_dir / "geoinv_no_jacobian.so"));
  const auto path = registry.search_path();
  ASSERT_FALSE(path.empty());
  EXPECT_EQ(normalized(path.back()), normalized(user_dir));
  // The user's `sphere` does not silently lose (or win) against the built-in one: it is a clash.
  const Error error = error_of([&] { registry.find("sphere", PluginKind::forward); });
  EXPECT_THAT(error.what(), HasSubstr((user_dir / "geoinv_shadow_sphere.so").string()));
  EXPECT_THAT(error.what(), HasSubstr(normalized(GEOINV_TEST_PLUGIN_DIR).filename().string()));
}

TEST_F(PluginRegistryTest, TheUserPluginFolderDefaultsToTheHomeDataFolder) {
  geoinv_test::TempDir home;
  const fs::path user_dir = home.path() / ".local" / "share" / "geoinv" / "plugins";
  fs::create_directories(user_dir);
  fs::copy_file(GEOINV_FIXTURE_NO_JACOBIAN_FILE, user_dir / "geoinv_no_jacobian.so");
  unsetenv("XDG_DATA_HOME");
  ASSERT_EQ(setenv("HOME", home.path().c_str(), 1), 0);  // restored by TearDown
  PluginRegistry registry;
  EXPECT_EQ(normalized(registry.find("no_jacobian", PluginKind::forward).file),
            normalized(user_dir / "geoinv_no_jacobian.so"));
}

TEST_F(PluginRegistryTest, AnExplicitPathFindsItsPlugins) {
  PluginRegistry registry;
  registry.add_path(GEOINV_FIXTURE_NO_JACOBIAN_DIR);
  EXPECT_EQ(normalized(registry.search_path().front()), normalized(GEOINV_FIXTURE_NO_JACOBIAN_DIR));
  const PluginInfo& info = registry.find("no_jacobian", PluginKind::forward);
  EXPECT_EQ(normalized(info.file), normalized(GEOINV_FIXTURE_NO_JACOBIAN_FILE));
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.api_major, kApiMajor);
  EXPECT_EQ(info.api_minor, kApiMinor);
  EXPECT_EQ(info.abi_tag, abi_tag());
  EXPECT_THAT(info.summary, HasSubstr("test fixture"));
  auto model = registry.create_forward_model("no_jacobian");
  ASSERT_TRUE(model);
  EXPECT_FALSE(model->has_jacobian());
  // Built-in plugins are still found after it.
  EXPECT_NO_THROW(registry.find("sphere", PluginKind::forward));
  EXPECT_NO_THROW(registry.find("dls", PluginKind::solver));
}

TEST_F(PluginRegistryTest, AnExplicitFileIsAccepted) {
  PluginRegistry registry;
  registry.add_path(GEOINV_FIXTURE_THROWING_FILE);
  EXPECT_EQ(normalized(registry.find("throwing", PluginKind::forward).file),
            normalized(GEOINV_FIXTURE_THROWING_FILE));
}

TEST_F(PluginRegistryTest, AnExplicitPathClashingWithABuiltInPluginIsAnErrorNamingBothFiles) {
  PluginRegistry registry;
  const fs::path built_in = registry.find("sphere", PluginKind::forward).file;
  registry.add_path(GEOINV_FIXTURE_SHADOW_SPHERE_DIR);
  const Error error = error_of([&] { registry.find("sphere", PluginKind::forward); });
  EXPECT_EQ(error.category(), Error::Category::plugin);
  EXPECT_THAT(error.what(), HasSubstr(built_in.string()));
  EXPECT_THAT(error.what(), HasSubstr(fs::path(GEOINV_FIXTURE_SHADOW_SPHERE_FILE).string()));
  EXPECT_THAT(error_of([&] { registry.create_forward_model("sphere"); }).what(), HasSubstr("named 'sphere'"));
  // Neither file was loaded to find that out.
  EXPECT_FALSE(is_mapped(GEOINV_FIXTURE_SHADOW_SPHERE_FILE));
  ASSERT_EQ(registry.clashes().size(), 1u);
  EXPECT_THAT(error.what(), HasSubstr(registry.clashes().front()));
  // Other names are unaffected.
  EXPECT_NO_THROW(registry.create_solver("dls"));
}

TEST_F(PluginRegistryTest, AddingAPathAgainChangesNothing) {
  PluginRegistry registry;
  registry.add_path(GEOINV_FIXTURE_NO_JACOBIAN_DIR);
  const auto before = registry.list();
  const auto diagnostics = registry.diagnostics();
  const auto path = registry.search_path();
  registry.add_path(GEOINV_FIXTURE_NO_JACOBIAN_DIR);  // e.g. a campaign's experiments all list it
  const auto after = registry.list();
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].name, before[i].name);
    EXPECT_EQ(after[i].file, before[i].file);
  }
  EXPECT_EQ(registry.diagnostics(), diagnostics) << "a plugin is not shadowed by itself";
  EXPECT_EQ(registry.search_path(), path);
  registry.add_path(GEOINV_FIXTURE_BAD_DIR);
  const auto with_bad = registry.diagnostics();
  registry.add_path(GEOINV_FIXTURE_BAD_DIR);
  EXPECT_EQ(registry.diagnostics(), with_bad) << "a refused file is reported once";

  // The built-in folder named explicitly: its plugins are the same files, not shadows of themselves.
  registry.add_path(GEOINV_TEST_PLUGIN_DIR);
  EXPECT_THAT(registry.diagnostics(), Not(Contains(HasSubstr("shadowed"))));
  EXPECT_TRUE(registry.clashes().empty());
  EXPECT_EQ(registry.list().size(), before.size());
  std::set<fs::path> searched;
  for (const auto& entry : registry.search_path())
    EXPECT_TRUE(searched.insert(normalized(entry)).second) << entry << " is searched twice";
}

TEST_F(PluginRegistryTest, AStrippedPluginIsStillFound) {
#ifndef GEOINV_FIXTURE_STRIPPED_FILE
  GTEST_SKIP() << "no strip program was found at configure time";
#else
  // `cmake --install --strip` and distribution packages strip plugins: no .symtab is left for
  // library_info to read, but the geoinv section and the exported symbols remain.
  PluginRegistry registry;
  ASSERT_NO_THROW(registry.add_path(GEOINV_FIXTURE_STRIPPED_FILE));
  EXPECT_EQ(normalized(registry.find("no_jacobian", PluginKind::forward).file),
            normalized(GEOINV_FIXTURE_STRIPPED_FILE));
  auto model = registry.create_forward_model("no_jacobian");
  Vector stations = Vector::LinSpaced(3, 0.0, 2.0), m(2), data(3);
  m << 1.0, 3.0;
  model->configure({}, stations);
  model->predict(m, data);
  EXPECT_DOUBLE_EQ(data(2), 7.0);

  // A stripped library that is not a plugin is still refused, without being loaded.
  const Error error = error_of([&] { registry.add_path(GEOINV_FIXTURE_STRIPPED_NOT_A_PLUGIN_FILE); });
  EXPECT_THAT(error.what(), HasSubstr("not a geoinv plugin"));
  EXPECT_THAT(error.what(), HasSubstr(GEOINV_FIXTURE_STRIPPED_NOT_A_PLUGIN_FILE));
  EXPECT_EQ(std::getenv("GEOINV_FIXTURE_NOT_A_PLUGIN_LOADED"), nullptr);
#endif
}

TEST_F(PluginRegistryTest, ObjectsKeepTheirLibraryLoaded) {
  auto registry = std::make_unique<PluginRegistry>();
  registry->add_path(GEOINV_FIXTURE_NO_JACOBIAN_DIR);
  std::shared_ptr<ForwardModel> model = registry->create_forward_model("no_jacobian");
  ASSERT_TRUE(is_mapped(GEOINV_FIXTURE_NO_JACOBIAN_FILE));
  registry.reset();
  ASSERT_TRUE(is_mapped(GEOINV_FIXTURE_NO_JACOBIAN_FILE)) << "the library was unloaded under a live object";

  // Its code still runs: virtual calls into the plugin after the registry is gone.
  Vector stations(3);
  stations << -1.0, 0.0, 2.0;
  model->configure(OptionValues::defaults(model->options()), stations);
  Vector m(2), data(3);
  m << 0.5, 2.0;
  model->predict(m, data);
  EXPECT_DOUBLE_EQ(data(0), -1.5);
  EXPECT_DOUBLE_EQ(data(1), 0.5);
  EXPECT_DOUBLE_EQ(data(2), 4.5);
  EXPECT_EQ(model->parameters()[1].name, "b");

  // The last object gone, nothing holds the library any more.
  model.reset();
  EXPECT_FALSE(is_mapped(GEOINV_FIXTURE_NO_JACOBIAN_FILE))
      << "the library is never unloaded: leaked reference";
}

TEST_F(PluginRegistryTest, APluginsExceptionCrossesTheBoundaryWithItsMessage) {
  PluginRegistry registry;
  registry.add_path(GEOINV_FIXTURE_THROWING_DIR);
  auto model = registry.create_forward_model("throwing");
  ASSERT_TRUE(model);
  Vector stations = Vector::Zero(2), m = Vector::Zero(1), data(2);
  model->configure({}, stations);
  try {
    model->predict(m, data);
    FAIL() << "the throwing fixture did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "deliberate failure in predict");
  }
}

TEST_F(PluginRegistryTest, APluginForAnotherApiIsRefusedWithoutRunningAnyOfItsCode) {
  PluginRegistry registry;
  EXPECT_THAT(error_of([&] { registry.add_path(GEOINV_FIXTURE_WRONG_API_FILE); }).what(), HasSubstr("99.0"));
  EXPECT_THAT(error_of([&] { registry.add_path(GEOINV_FIXTURE_WRONG_ABI_FILE); }).what(),
              HasSubstr(GEOINV_FIXTURE_ABI_TAG));
  registry.add_path(GEOINV_FIXTURE_BAD_DIR);
  EXPECT_FALSE(ran_code_of("wrong_api")) << "the static initialiser of a refused plugin ran";
  EXPECT_FALSE(ran_code_of("wrong_abi")) << "the static initialiser of a refused plugin ran";
  EXPECT_FALSE(is_mapped(GEOINV_FIXTURE_WRONG_API_FILE));
}

TEST_F(PluginRegistryTest, APluginIsLoadedOnlyWhenAnObjectIsAskedOfIt) {
  PluginRegistry registry;
  registry.add_path(GEOINV_FIXTURE_NO_JACOBIAN_DIR);
  registry.add_path(GEOINV_FIXTURE_THROWING_DIR);
  // Listing and finding read descriptors only.
  EXPECT_TRUE(has(registry.list(), "throwing", PluginKind::forward));
  EXPECT_EQ(registry.find("no_jacobian", PluginKind::forward).version, "1.0.0");
  EXPECT_FALSE(ran_code_of("no_jacobian"));
  EXPECT_FALSE(ran_code_of("throwing"));
  EXPECT_FALSE(is_mapped(GEOINV_FIXTURE_NO_JACOBIAN_FILE));

  auto model = registry.create_forward_model("no_jacobian");
  EXPECT_TRUE(ran_code_of("no_jacobian"));
  EXPECT_TRUE(is_mapped(GEOINV_FIXTURE_NO_JACOBIAN_FILE));
  EXPECT_FALSE(ran_code_of("throwing")) << "a plugin nobody asked for was loaded";
  EXPECT_FALSE(is_mapped(GEOINV_FIXTURE_THROWING_FILE));
}

// A plugin folder holding a copy of the no_jacobian fixture, in a fresh folder of mode 0700.
struct CopiedPluginFolder {
  geoinv_test::TempDir root;
  fs::path folder = root.path() / "plugins";
  fs::path file = folder / "geoinv_no_jacobian.so";
  CopiedPluginFolder() {
    fs::create_directory(folder);
    fs::permissions(folder, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
    fs::copy_file(GEOINV_FIXTURE_NO_JACOBIAN_FILE, file);
    fs::permissions(file, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  }
};

TEST_F(PluginRegistryTest, AGroupWritablePluginFolderIsRefusedWithTheFixUnlessAllowed) {
  CopiedPluginFolder plugins;
  fs::permissions(plugins.folder, fs::perms::group_write, fs::perm_options::add);
  {
    PluginRegistry registry;
    const Error error = error_of([&] { registry.add_path(plugins.folder); });
    EXPECT_EQ(error.category(), Error::Category::plugin);
    EXPECT_THAT(error.what(), HasSubstr("writable by group or others (mode 0770)"));
    EXPECT_THAT(error.what(), HasSubstr("chmod go-w '" + plugins.folder.string() + "'"));
    EXPECT_THAT(error.what(), HasSubstr("--allow-unsafe-plugin-path"));
    EXPECT_THAT(error_of([&] { registry.add_path(plugins.file); }).what(), HasSubstr("chmod go-w"));
  }
  // The same folder on GEOINV_PLUGIN_PATH is refused as well.
  ASSERT_EQ(setenv("GEOINV_PLUGIN_PATH", plugins.folder.c_str(), 1), 0);
  EXPECT_THAT(error_of([] { PluginRegistry registry; }).what(), HasSubstr("chmod go-w"));

  ASSERT_EQ(setenv("GEOINV_ALLOW_UNSAFE_PLUGIN_PATH", "1", 1), 0);
  PluginRegistry registry;
  EXPECT_EQ(normalized(registry.find("no_jacobian", PluginKind::forward).file), normalized(plugins.file));
}

TEST_F(PluginRegistryTest, AWorldWritablePluginFileIsRefusedInASafeFolder) {
  CopiedPluginFolder plugins;
  fs::permissions(plugins.file, fs::perms::others_write, fs::perm_options::add);
  PluginRegistry registry;
  const Error error = error_of([&] { registry.add_path(plugins.folder); });
  EXPECT_THAT(error.what(), HasSubstr("plugin file is writable by group or others"));
  EXPECT_THAT(error.what(), HasSubstr("chmod go-w '" + plugins.file.string() + "'"));
  EXPECT_FALSE(ran_code_of("no_jacobian"));
}

TEST_F(PluginRegistryTest, APluginFolderOwnedByAnotherUserIsRefused) {
  CopiedPluginFolder plugins;
  const uid_t nobody = 65534;
  if (::geteuid() != 0 || ::chown(plugins.folder.c_str(), nobody, nobody) != 0)
    GTEST_SKIP() << "giving a folder to another user needs root";
  PluginRegistry registry;
  const Error error = error_of([&] { registry.add_path(plugins.folder); });
  EXPECT_THAT(error.what(), HasSubstr("plugin folder is owned by"));
  EXPECT_THAT(error.what(), HasSubstr("neither you"));
  EXPECT_THAT(error.what(), HasSubstr("chown "));
}

}  // namespace
}  // namespace geoinv
