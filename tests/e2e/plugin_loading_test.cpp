// SPDX-License-Identifier: BSD-3-Clause
// Where the real `geoinv` takes plugin code from: only named plugins are loaded, refused files never run,
// unsafe folders are refused with the fix, and two plugins of one name are an error naming both files.
// Fixture plugins leave <name>.loaded in GEOINV_FIXTURE_MARKER_DIR when any of their code runs
// (tests/fixtures/load_marker.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

fs::path sphere_experiment() { return source_dir() / "examples/synthetic_sphere/synthetic_sphere.yaml"; }

class PluginLoading : public ::testing::Test {
 protected:
  PluginLoading() {
    fs::create_directory(markers());
    fs::create_directory(plugins());
    for (const char* file : {GEOINV_FIXTURE_NO_JACOBIAN_FILE, GEOINV_FIXTURE_THROWING_FILE})
      fs::copy_file(file, plugins() / fs::path(file).filename());
  }
  fs::path markers() const { return dir_.path() / "markers"; }
  // A safe folder (mode 0755 under the tests' umask, in a 0700 temporary folder) with two fixture plugins.
  fs::path plugins() const { return dir_.path() / "plugins"; }
  bool ran_code_of(const std::string& name) const { return fs::exists(markers() / (name + ".loaded")); }

  CliResult geoinv(const std::vector<std::string>& args, const std::vector<std::string>& environment = {}) {
    std::vector<std::string> launcher{"env",
                                      "-u",
                                      "GEOINV_PLUGIN_PATH",
                                      "-u",
                                      "GEOINV_ALLOW_UNSAFE_PLUGIN_PATH",
                                      "GEOINV_FIXTURE_MARKER_DIR=" + markers().string()};
    launcher.insert(launcher.end(), environment.begin(), environment.end());
    return run_geoinv_under(launcher, args, dir_.path());
  }

  TempDir dir_;
};

TEST_F(PluginLoading, ValidateLoadsOnlyThePluginsTheExperimentNames) {
  const CliResult r = geoinv({"validate", sphere_experiment().string(), "--plugin-path", plugins().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(ran_code_of("no_jacobian")) << "validate loaded a plugin the experiment does not name";
  EXPECT_FALSE(ran_code_of("throwing")) << "validate loaded a plugin the experiment does not name";
}

TEST_F(PluginLoading, PluginsReadsDescriptorsOnlyAndDescribeLoadsTheOneItDescribes) {
  const CliResult list = geoinv({"plugins", "--plugin-path", plugins().string()});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("no_jacobian"));
  EXPECT_THAT(list.out, HasSubstr("throwing"));
  EXPECT_FALSE(ran_code_of("no_jacobian"));
  EXPECT_FALSE(ran_code_of("throwing"));

  const CliResult describe = geoinv({"describe", "no_jacobian", "--plugin-path", plugins().string()});
  ASSERT_EQ(describe.exit_code, 0) << describe.err;
  EXPECT_TRUE(ran_code_of("no_jacobian"));
  EXPECT_FALSE(ran_code_of("throwing"));
}

TEST_F(PluginLoading, APluginForApi99IsRefusedWithoutRunningItsCode) {
  const CliResult r = geoinv({"plugins", "--plugin-path", GEOINV_FIXTURE_WRONG_API_FILE});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_THAT(r.err, HasSubstr("API 99.0"));
  EXPECT_THAT(r.err, HasSubstr(GEOINV_FIXTURE_WRONG_API_FILE));
  EXPECT_FALSE(ran_code_of("wrong_api")) << "the static initialiser of a refused plugin ran";

  const CliResult scan = geoinv({"plugins", "--verbose", "--plugin-path", GEOINV_FIXTURE_BAD_DIR});
  EXPECT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_THAT(scan.out, HasSubstr("99.0"));
  EXPECT_FALSE(ran_code_of("wrong_api"));
  EXPECT_FALSE(ran_code_of("wrong_abi"));
}

TEST_F(PluginLoading, AGroupWritableFolderIsRefusedWithTheFixAndAcceptedWithTheFlag) {
  fs::permissions(plugins(), fs::perms::group_write, fs::perm_options::add);
  const CliResult refused = geoinv({"plugins", "--plugin-path", plugins().string()});
  EXPECT_EQ(refused.exit_code, 5);
  EXPECT_THAT(refused.err, HasSubstr("writable by group or others"));
  EXPECT_THAT(refused.err, HasSubstr("chmod go-w '" + plugins().string() + "'"));
  EXPECT_THAT(refused.err, HasSubstr("--allow-unsafe-plugin-path"));
  // On GEOINV_PLUGIN_PATH as well, for every command that reads plugins.
  const CliResult from_environment =
      geoinv({"validate", sphere_experiment().string()}, {"GEOINV_PLUGIN_PATH=" + plugins().string()});
  EXPECT_EQ(from_environment.exit_code, 5);
  EXPECT_THAT(from_environment.err, HasSubstr("chmod go-w"));
  EXPECT_FALSE(ran_code_of("no_jacobian"));

  const CliResult allowed =
      geoinv({"plugins", "--allow-unsafe-plugin-path", "--plugin-path", plugins().string()});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_THAT(allowed.out, HasSubstr("no_jacobian"));
  const CliResult allowed_by_environment =
      geoinv({"validate", sphere_experiment().string()},
             {"GEOINV_PLUGIN_PATH=" + plugins().string(), "GEOINV_ALLOW_UNSAFE_PLUGIN_PATH=1"});
  EXPECT_EQ(allowed_by_environment.exit_code, 0) << allowed_by_environment.err;
}

TEST_F(PluginLoading, TwoPluginsOfOneNameAreAnErrorNamingBothFiles) {
  const fs::path planted = plugins() / "geoinv_shadow_sphere.so";
  fs::copy_file(GEOINV_FIXTURE_SHADOW_SPHERE_FILE, planted);
  const fs::path built_in = fs::weakly_canonical(fs::path(GEOINV_TEST_PLUGIN_DIR) / "geoinv_sphere.so");
  const CliResult r =
      geoinv({"validate", sphere_experiment().string()}, {"GEOINV_PLUGIN_PATH=" + plugins().string()});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_THAT(r.err, HasSubstr("named 'sphere'"));
  EXPECT_THAT(r.err, HasSubstr(planted.string()));
  EXPECT_THAT(r.err, HasSubstr(built_in.filename().string()));
  EXPECT_THAT(r.err, HasSubstr(built_in.parent_path().string()));
  EXPECT_FALSE(ran_code_of("sphere")) << "the planted sphere ran";

  const CliResult list = geoinv({"plugins"}, {"GEOINV_PLUGIN_PATH=" + plugins().string()});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.err, HasSubstr("warning: 2 forward plugins are named 'sphere'"));
  EXPECT_THAT(list.out, Not(HasSubstr("geoinv_shadow_sphere.so")));
}

}  // namespace
}  // namespace geoinv_test
