// SPDX-License-Identifier: BSD-3-Clause
// The informational commands of the real binary: --help, --version, plugins, describe, validate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "geoinv/version.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

TEST(Cli, HelpDocumentsCommandsAndExitCodes) {
  TempDir dir;
  const CliResult r = run_geoinv({"--help"}, dir.path());
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"run", "validate", "plugins", "describe", "Exit codes", "--set", "--out"})
    EXPECT_THAT(r.out, HasSubstr(word));
}

TEST(Cli, VersionNamesTheApi) {
  TempDir dir;
  const CliResult r = run_geoinv({"--version"}, dir.path());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("geoinv 0."));
  EXPECT_THAT(r.out, HasSubstr("plugin API " + std::to_string(geoinv::kApiMajor) + "." +
                               std::to_string(geoinv::kApiMinor)));
}

TEST(Cli, PluginsListsNameKindVersionAndFile) {
  TempDir dir;
  const CliResult r = run_geoinv({"plugins"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::ContainsRegex("sphere +forward +1\\.0\\.0 +/.*geoinv_sphere\\.so"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("dls +solver +[0-9.]+ +/.*geoinv_dls\\.so"));
}

TEST(Cli, PluginPathFindsAnOutOfTreePlugin) {
  TempDir dir;
  const CliResult r = run_geoinv({"plugins", "--plugin-path", GEOINV_FIXTURE_NO_JACOBIAN_DIR}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("no_jacobian"));
}

// Every built-in plugin's example experiment is complete: describe prints it, and it validates and runs.
class DescribedExample : public ::testing::TestWithParam<const char*> {};

TEST_P(DescribedExample, PrintsParametersOptionsAndARunnableExample) {
  TempDir dir;
  const CliResult r = run_geoinv({"describe", GetParam()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Options"));
  EXPECT_THAT(r.out, HasSubstr("default"));
  const auto at = r.out.find("Example experiment:\n");
  ASSERT_NE(at, std::string::npos);
  const fs::path example = dir.write("example.yaml", r.out.substr(at + std::string("Example experiment:\n").size()));
  const CliResult run = run_geoinv({"run", example.string(), "--out", "out"}, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(read_json(dir.path() / "out/result.json")["results"][0]["status"], "converged");
}

INSTANTIATE_TEST_SUITE_P(BuiltIn, DescribedExample, ::testing::Values("sphere", "dls"));

TEST(Cli, DescribeForwardPluginShowsParametersWithUnits) {
  TempDir dir;
  const CliResult r = run_geoinv({"describe", "sphere"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("theta: deg"));
  EXPECT_THAT(r.out, HasSubstr("x0: m"));
  EXPECT_THAT(r.out, HasSubstr("convention: choice (plus|minus), default plus"));
}

TEST(Cli, DescribeUnknownPluginSuggests) {
  TempDir dir;
  const CliResult r = run_geoinv({"describe", "dsl"}, dir.path());
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_THAT(r.err, HasSubstr("available:"));
}

TEST(Cli, ValidateChecksWithoutRunning) {
  TempDir dir;
  const CliResult r = run_geoinv(
      {"validate", (source_dir() / "examples/synthetic_sphere/synthetic_sphere.yaml").string()}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("valid (101 data, 4 parameters, forward 'sphere', solvers: dls)"));
  EXPECT_FALSE(fs::exists(dir.path() / "runs"));
}

}  // namespace
}  // namespace geoinv_test
